#!/usr/bin/env node
// bench/threads.ts in headless Chromium (relaxed SIMD enabled there by default): bundles it for the
// browser, serves it cross-origin isolated (COOP/COEP, so worker threads are available) together with
// the build directory, and prints the page's table. The page runs on the main thread, which spins
// while workers finish their chunks (a page's main thread may not Atomics.wait).
//
//   node bench/threads-browser.mjs [--rounds 11] [--threads 2] [--build-dir build]
//   CHROMIUM_PATH=/path/to/chrome node bench/threads-browser.mjs

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { nodeBuiltinsStub } from '../scripts/build-browser.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '11' },
    threads: { type: 'string', default: '2' },
    'build-dir': { type: 'string', default: join(ROOT, 'build') },
  },
});
const buildDir = resolve(values['build-dir']);

const bundle = await esbuild.build({
  entryPoints: [join(ROOT, 'bench', 'threads.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  // NeuralNetwork's save/load import node: modules lazily: stubbed as in the browser bundle
  plugins: [nodeBuiltinsStub],
  write: false,
  logLevel: 'warning',
});
const script = bundle.outputFiles[0].contents;
const page =
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>vecnet threads bench</title><script type="module" src="/threads.js"></script>';

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const isolation = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  };
  if (path === '/') return res.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(page);
  if (path === '/threads.js')
    return res.writeHead(200, { 'content-type': 'text/javascript', ...isolation }).end(script);
  const m = /^\/build\/(vecnet[a-z.]*\.wasm)$/.exec(path);
  if (m) {
    try {
      const bytes = readFileSync(join(buildDir, m[1]));
      return res.writeHead(200, { 'content-type': 'application/wasm', ...isolation }).end(bytes);
    } catch {
      // fall through to 404
    }
  }
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'],
});
try {
  const tab = await browser.newPage();
  const done = new Promise((resolveDone, reject) => {
    tab.on('console', (msg) => {
      if (msg.text() === 'done') resolveDone();
      else console.log(msg.text());
    });
    tab.on('pageerror', reject);
  });
  await tab.goto(`http://127.0.0.1:${port}/?rounds=${values.rounds}&threads=${values.threads}`);
  await done;
} finally {
  await browser.close();
  server.close();
}
