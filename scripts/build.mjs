#!/usr/bin/env node
// Builds what is older than its sources, and nothing else: `npm run build` (which npm test, npm start
// and npm install run first). Three steps, in order:
//   wasm     assembly/index.ts generated from the ABI table, then the four binaries in build/
//            (sources: assembly/, asconfig.json, src/backend/wasm/abi.ts, scripts/gen-exports.mjs)
//   ts       the library compiled to dist/ by tsc (incremental: tsc itself skips what did not change)
//   browser  dist/vecnet.browser.js (sources: src/, build/vecnet.wasm, scripts/build-browser.mjs)
//
//   node scripts/build.mjs [--force] [wasm] [ts] [browser]     no step named: all three

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const force = args.includes('--force');
const named = args.filter((a) => !a.startsWith('--'));
const steps = named.length ? named : ['wasm', 'ts', 'browser'];
for (const s of steps) {
  if (!['wasm', 'ts', 'browser'].includes(s)) {
    console.error(`build: unknown step '${s}' (expected wasm, ts or browser)`);
    process.exit(2);
  }
}

const WASM_TARGETS = {
  release: 'build/vecnet.wasm',
  threads: 'build/vecnet.threads.wasm',
  relaxed: 'build/vecnet.relaxed.wasm',
  'relaxed-threads': 'build/vecnet.relaxed.threads.wasm',
};

/** The newest modification time under the given files and folders (0 when none exists). */
function newest(paths) {
  let t = 0;
  for (const p of paths) {
    const full = join(ROOT, p);
    if (!existsSync(full)) continue;
    const st = statSync(full);
    if (st.isDirectory()) t = Math.max(t, newest(readdirSync(full).map((f) => join(p, f))));
    else t = Math.max(t, st.mtimeMs);
  }
  return t;
}

/** The oldest modification time of the outputs, or 0 when one is missing. */
function oldest(paths) {
  let t = Infinity;
  for (const p of paths) {
    const full = join(ROOT, p);
    if (!existsSync(full)) return 0;
    t = Math.min(t, statSync(full).mtimeMs);
  }
  return t;
}

function stale(outputs, sources) {
  return force || oldest(outputs) < newest(sources);
}

function run(command, commandArgs) {
  execFileSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit' });
}

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

if (steps.includes('wasm')) {
  const sources = ['assembly', 'asconfig.json', 'src/backend/wasm/abi.ts', 'scripts/gen-exports.mjs'];
  if (stale(Object.values(WASM_TARGETS), sources)) {
    run(process.execPath, ['scripts/gen-exports.mjs']);
    for (const target of Object.keys(WASM_TARGETS)) {
      run(bin('asc'), ['--config', 'asconfig.json', '--target', target]);
    }
  } else console.log('build: wasm is up to date');
}

if (steps.includes('ts')) {
  if (force) rmSync(join(ROOT, 'dist', '.tsbuildinfo'), { force: true });
  run(bin('tsc'), ['-p', 'tsconfig.build.json']);
}

if (steps.includes('browser')) {
  const bundle = 'dist/vecnet.browser.js';
  if (stale([bundle], ['src', 'build/vecnet.wasm', 'scripts/build-browser.mjs', 'package.json'])) {
    run(process.execPath, ['scripts/build-browser.mjs']);
  } else console.log(`build: ${relative(ROOT, join(ROOT, bundle))} is up to date`);
}
