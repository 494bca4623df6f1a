#!/usr/bin/env node
// Serves the playground with esbuild's serve mode: demo/main.ts and demo/worker.ts are bundled in
// memory on each request after a change (nothing is written), the rest of demo/ is served as files.
//
//   node demo/serve.mjs [--port 8000] [--host 127.0.0.1]   (npm run demo)
//   node demo/serve.mjs --build [--outdir dist/playground]  (a static copy for any web server)
//
// The page is served cross-origin isolated (Cross-Origin-Opener-Policy: same-origin and
// Cross-Origin-Embedder-Policy: require-corp), which vecnet's worker threads need for their shared
// memory. esbuild's server cannot add response headers, so a small proxy in front of it does.

import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { ROOT, sharedOptions } from '../scripts/build-browser.mjs';

const DEMO = dirname(fileURLToPath(import.meta.url));
const STATIC_FILES = ['index.html', 'style.css'];

function demoOptions(outdir, production) {
  return {
    ...sharedOptions(),
    entryPoints: { main: join(DEMO, 'main.ts'), worker: join(DEMO, 'worker.ts') },
    outdir,
    minify: production,
  };
}

/** The headers that make a page cross-origin isolated (SharedArrayBuffer, shared wasm memory). */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** Listens on `port`, or when it is 0 / undefined on 8000 if free, else on any free port. */
function listen(server, port, host) {
  const attempt = (p) =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, host, () => {
        server.off('error', reject);
        resolve(server.address().port);
      });
    });
  if (port) return attempt(port);
  return attempt(8000).catch((error) => {
    if (error.code !== 'EADDRINUSE') throw error;
    return attempt(0);
  });
}

/**
 * Starts the server; resolves once it listens. `port` 0 or undefined picks a free one (8000 first).
 * esbuild serves on a private port; the proxy on `port` adds the cross-origin isolation headers.
 * @returns the page's URL and a function that stops the server
 */
export async function serveDemo({ port, host = '127.0.0.1' } = {}) {
  // write: false keeps the bundles in memory (esbuild would otherwise also write them into demo/)
  const context = await esbuild.context({ ...demoOptions(DEMO, false), write: false });
  const inner = await context.serve({ servedir: DEMO, host: '127.0.0.1', port: 0 });
  const proxy = createServer((req, res) => {
    const upstream = request(
      { host: '127.0.0.1', port: inner.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...ISOLATION_HEADERS });
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => res.writeHead(502).end(String(error)));
    req.pipe(upstream);
  });
  let served;
  try {
    served = await listen(proxy, port, host);
  } catch (error) {
    await context.dispose();
    throw error;
  }
  return {
    url: `http://${host}:${served}/`,
    port: served,
    stop: async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      await context.dispose();
    },
  };
}

/** Writes a static build of the playground to `outdir`. */
export async function buildDemo(outdir = join(ROOT, 'dist', 'playground')) {
  mkdirSync(outdir, { recursive: true });
  await esbuild.build(demoOptions(outdir, true));
  for (const file of STATIC_FILES) copyFileSync(join(DEMO, file), join(outdir, file));
  return outdir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8000' },
      host: { type: 'string', default: '127.0.0.1' },
      build: { type: 'boolean', default: false },
      outdir: { type: 'string' },
    },
  });
  try {
    if (values.build) {
      const out = await buildDemo(values.outdir && join(process.cwd(), values.outdir));
      console.log(`playground written to ${relative(process.cwd(), out) || '.'}/`);
    } else {
      const { url } = await serveDemo({ port: Number(values.port), host: values.host });
      console.log(`vecnet playground: ${url}  (Ctrl-C to stop)`);
    }
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
