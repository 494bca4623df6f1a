// Global setup of `npm run test:browser`: builds dist/vecnet.browser.js (the plain-page test loads the
// real bundle) and prints its size.
import { buildBrowser } from '../../scripts/build-browser.mjs';

export default async function setup(): Promise<void> {
  await buildBrowser();
}
