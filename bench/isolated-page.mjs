// A bench script in headless Chromium on a cross-origin isolated page (COOP/COEP, so SharedArrayBuffer
// and worker threads are available): bundle it for the browser, serve it with the files it fetches,
// launch Debian's Chromium through playwright-core, and relay the page's console until it logs 'done'
// (or 'failed'). Used by bench/threads-browser.mjs.

import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { nodeBuiltinsStub } from '../scripts/build-browser.mjs';

/** Headless, no sandbox (CI containers run as root), nothing that reaches the network. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** The browser binary, $CHROMIUM_PATH or /usr/bin/chromium; throws when it is missing. */
export function findChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`no Chromium at ${path}: set CHROMIUM_PATH`);
  return path;
}

/**
 * Bundles `build` (an esbuild entryPoints or stdin option) as an ES module for the browser, with the
 * node: built-ins that save/load import lazily stubbed as in the browser bundle; returns its bytes.
 */
export async function bundleForBrowser(build) {
  const bundle = await esbuild.build({
    ...build,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    plugins: [nodeBuiltinsStub],
    write: false,
    logLevel: 'warning',
  });
  return bundle.outputFiles[0].contents;
}

/**
 * Serves `script` at /page.js from a page titled `title`, and `files` (URL path -> file path, served as
 * application/wasm), all cross-origin isolated; opens /?query in headless Chromium and passes each
 * console line to `log` until the page logs 'done'. Rejects when it logs 'failed', throws or crashes.
 */
export async function runIsolatedPage({ script, title, files = {}, query = '', log = console.log }) {
  const executablePath = findChromium();
  const isolation = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  };
  const page =
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title>` +
    '<script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(page);
    if (path === '/page.js') {
      return res.writeHead(200, { 'content-type': 'text/javascript', ...isolation }).end(script);
    }
    if (Object.hasOwn(files, path) && existsSync(files[path])) {
      return res
        .writeHead(200, { 'content-type': 'application/wasm', ...isolation })
        .end(readFileSync(files[path]));
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
  try {
    log(`Chromium ${browser.version()} (headless, ${executablePath})`);
    const tab = await browser.newPage();
    const finished = new Promise((resolve, reject) => {
      tab.on('console', (msg) => {
        const text = msg.text();
        if (text === 'done') resolve();
        else if (text === 'failed') reject(new Error('the page failed (error above)'));
        else log(text);
      });
      tab.on('pageerror', reject);
      tab.on('crash', () => reject(new Error('the page crashed')));
    });
    // a bench script blocks the page's thread for the whole run: do not wait for the load event
    await tab.goto(`http://127.0.0.1:${port}/?${query}`, { waitUntil: 'commit' });
    await finished;
  } finally {
    await browser.close();
    server.close();
  }
}
