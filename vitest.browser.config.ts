// `npm run test:browser`: the end-to-end tests in headless Chromium (test/browser/). Kept apart from
// `npm test`, which excludes test/browser/**: they need a browser binary and take longer.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/setup.ts'],
    // one browser at a time on two cores
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
