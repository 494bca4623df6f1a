#!/usr/bin/env node
// bench/threads.ts in headless Chromium (relaxed SIMD enabled there by default): bundles it for the
// browser, serves it cross-origin isolated (COOP/COEP, so worker threads are available) together with
// the build directory, and prints the page's table. The page runs on the main thread, which spins
// while workers finish their chunks (a page's main thread may not Atomics.wait).
//
//   node bench/threads-browser.mjs [--rounds 11] [--threads 2] [--build-dir build]
//   CHROMIUM_PATH=/path/to/chrome node bench/threads-browser.mjs

import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleForBrowser, runIsolatedPage } from './isolated-page.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '11' },
    threads: { type: 'string', default: '2' },
    'build-dir': { type: 'string', default: join(ROOT, 'build') },
  },
});
const buildDir = resolve(values['build-dir']);

// the page fetches the builds from /build/ (bench/threads.ts)
const files = Object.fromEntries(
  readdirSync(buildDir)
    .filter((name) => /^vecnet[a-z.]*\.wasm$/.test(name))
    .map((name) => [`/build/${name}`, join(buildDir, name)]),
);
await runIsolatedPage({
  script: await bundleForBrowser({ entryPoints: [join(ROOT, 'bench', 'threads.ts')] }),
  title: 'vecnet threads bench',
  files,
  query: new URLSearchParams({ rounds: values.rounds, threads: values.threads }).toString(),
});
