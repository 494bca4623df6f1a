#!/usr/bin/env node
// Serves the playground with esbuild's serve mode: demo/main.ts and demo/worker.ts are bundled in
// memory on each request after a change (nothing is written), the rest of demo/ is served as files.
//
//   node demo/serve.mjs [--port 8000] [--host 127.0.0.1]   (npm run demo)
//   node demo/serve.mjs --build [--outdir dist/playground]  (a static copy for any web server)
//
// No cross-origin isolation headers are needed: training uses an ordinary (unshared) wasm memory.

import { copyFileSync, mkdirSync } from 'node:fs';
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

/**
 * Starts the server; resolves once it listens. `port` 0 or undefined lets esbuild pick a free one
 * (8000 first).
 * @returns the page's URL and a function that stops the server
 */
export async function serveDemo({ port, host = '127.0.0.1' } = {}) {
  // write: false keeps the bundles in memory (esbuild would otherwise also write them into demo/)
  const context = await esbuild.context({ ...demoOptions(DEMO, false), write: false });
  const served = await context.serve({ servedir: DEMO, host, ...(port ? { port } : {}) });
  return {
    url: `http://${host}:${served.port}/`,
    port: served.port,
    stop: () => context.dispose(),
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
