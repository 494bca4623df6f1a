#!/usr/bin/env node
// Before vs after: a training iteration (--net deep, the default: the deep cat net [12288, 20, 7, 5,
// 1], ReLU, m = 209; --net planar: the planar net [2, 4, 1], tanh, m = 400; sigmoid output, wasm
// backend, float32 and float64; see bench/baseline-core.mjs) of a baseline commit against the
// current version, in ONE process. The baseline is checked out in a temporary git worktree (this
// checkout's node_modules symlinked into it), built there with its own `npm run build:wasm` and
// `npm run build:ts`, and removed afterwards, also on failure or Ctrl-C. Both versions'
// dist/src/index.js are then loaded side by side and timed in interleaved rounds
// (bench/baseline-core.mjs): the baseline (one thread, its SIMD128 build), the current version on one
// thread, and on getThreads() threads. The default baseline, 6d77039, is the last commit before
// issue 8's work.
//
// The current version is this checkout's dist/ and build/ (run `npm run build` first: the script
// refuses sources newer than the build), or with --current <ref> a commit built like the baseline.
//
//   npm run bench:baseline -- [--net deep|planar] [--ref 6d77039] [--current <ref>] [--rounds 15]
//                             [--iterations 10 (deep), 1000 (planar)] [--threads N]
//                             [--measure fit,plan] [--dtype float32|float64]
//                             [--relaxed-simd] [--browser]
//   node bench/baseline.mjs ...                  (the same)
//   node --experimental-wasm-relaxed-simd bench/baseline.mjs    (= --relaxed-simd, which re-runs node
//                                                with that flag: the current version then runs its
//                                                relaxed-SIMD build; Node 20)
//   CHROMIUM_PATH=/path/to/chrome node bench/baseline.mjs --browser    (headless Chromium, default
//                                                /usr/bin/chromium, on a cross-origin isolated page:
//                                                relaxed SIMD and worker threads there)
//
// --measure fit (default): ms of net.fit(X, Y, { iterations: k }) / k, fit's input checks included
// (once per call); --measure plan: k iterations of the TrainingPlan loop that fit runs, as
// `npm run bench` times it; --measure fit,plan: both, one table each. --threads N: the threaded
// configuration's thread count (default getThreads(): $VECNET_THREADS, else the cores up to 8); 1
// leaves that configuration out.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { compare, currentConfigs, MEASURES, NETS } from './baseline-core.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

/** An error whose message says it all (no stack trace printed). */
class BenchError extends Error {}

function fail(message) {
  console.error(`bench/baseline: ${message}`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      ref: { type: 'string', default: '6d77039' },
      rounds: { type: 'string', default: '15' },
      iterations: { type: 'string' },
      net: { type: 'string', default: 'deep' },
      threads: { type: 'string' },
      current: { type: 'string' },
      measure: { type: 'string', default: 'fit' },
      dtype: { type: 'string' },
      'relaxed-simd': { type: 'boolean', default: false },
      browser: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(`${error.message} (--help for the options)`);
}
if (values.help) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  console.log(
    text
      .split('\n\n')[0] // the header comment, up to its first blank line
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^\/\/ ?/, ''))
      .join('\n'),
  );
  process.exit(0);
}
const positive = (name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got ${values[name]}`);
  return n;
};
if (!Object.hasOwn(NETS, values.net)) fail(`--net must be deep or planar, got ${values.net}`);
const net = values.net;
values.iterations ??= String(NETS[net].iterations);
const rounds = positive('rounds');
const iterations = positive('iterations');
const threads = values.threads === undefined ? undefined : positive('threads');
const measures = [...new Set(values.measure.split(','))];
if (!measures.every((m) => m === 'fit' || m === 'plan')) {
  fail(`--measure must be fit, plan or fit,plan, got ${values.measure}`);
}
if (values.dtype !== undefined && values.dtype !== 'float32' && values.dtype !== 'float64') {
  fail(`--dtype must be float32 or float64, got ${values.dtype}`);
}
const dtypes = values.dtype ? [values.dtype] : ['float32', 'float64'];

if (process.env.VECNET_WASM) {
  console.warn(
    `bench/baseline: ignoring VECNET_WASM=${process.env.VECNET_WASM} (each version loads its own build)`,
  );
  delete process.env.VECNET_WASM;
}
if (process.env.VECNET_THREADS_MIN_WORK) {
  console.warn('bench/baseline: VECNET_THREADS_MIN_WORK is set: the threaded figures are not the defaults');
}

// --relaxed-simd in Node: run again under the V8 flag (NODE_OPTIONS does not accept it). The probe is
// src/backend/wasm/variants.ts's: a function with one f32x4.relaxed_madd.
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 15, 65, 0,
  253, 15, 65, 0, 253, 15, 253, 133, 2, 11,
]);
if (values['relaxed-simd'] && !values.browser && !WebAssembly.validate(RELAXED_PROBE)) {
  if (process.execArgv.includes(RELAXED_FLAG)) {
    fail(`no relaxed SIMD in node ${process.version}, even with ${RELAXED_FLAG}`);
  }
  const child = spawnSync(
    process.execPath,
    [RELAXED_FLAG, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}

// git: the commits
function git(args) {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
try {
  git(['--version']);
} catch (error) {
  fail(`git is needed to check out the baseline, and running it failed: ${error.message}`);
}
try {
  if (git(['rev-parse', '--is-inside-work-tree']) !== 'true') throw new BenchError('not a work tree');
} catch {
  fail(`${ROOT} is not a git checkout: the baseline is checked out from this repository's history`);
}
function resolveRef(ref, option) {
  try {
    return git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    let shallow = false;
    try {
      shallow = git(['rev-parse', '--is-shallow-repository']) === 'true';
    } catch {
      // an old git: no hint
    }
    fail(
      `no commit '${ref}' in this repository` +
        (shallow ? ' (a shallow clone: `git fetch --unshallow` first)' : '') +
        `; pass an existing one with ${option}`,
    );
  }
}
const baseCommit = resolveRef(values.ref, '--ref');
const currentCommit = values.current === undefined ? undefined : resolveRef(values.current, '--current');
const head = git(['rev-parse', '--short', 'HEAD']);

// this checkout's dist, unless --current builds a commit: present and not older than its sources
if (currentCommit === undefined) {
  // sources and what they build: src/ -> dist/src (tsc), assembly/ -> build/*.wasm (asc)
  const builds = [
    { sources: 'src', outputs: ['dist/src/index.js', 'dist/src/backend/wasm/index.js'] },
    { sources: 'assembly', outputs: ['build/vecnet.wasm'] },
  ];
  const stale = [];
  for (const { sources, outputs } of builds) {
    for (const file of outputs) {
      if (!existsSync(join(ROOT, file))) fail(`${file} is missing: run \`npm run build\` first`);
    }
    const built = Math.min(...outputs.map((file) => statSync(join(ROOT, file)).mtimeMs));
    for (const f of readdirSync(join(ROOT, sources), { recursive: true })) {
      const path = join(sources, f);
      if (/\.ts$/.test(path) && statSync(join(ROOT, path)).mtimeMs > built) stale.push(path);
    }
  }
  if (stale.length) {
    fail(
      `${stale[0]}${stale.length > 1 ? ` and ${stale.length - 1} more` : ''} changed after the last build: ` +
        'run `npm run build` (or measure a commit with --current <ref>)',
    );
  }
}
const dirty = currentCommit === undefined && git(['status', '--porcelain', '--', 'src', 'assembly']) !== '';

// the worktrees, removed on every way out
const tmp = mkdtempSync(join(tmpdir(), 'vecnet-baseline-'));
const worktrees = [];
let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const dir of worktrees) {
    try {
      unlinkSync(join(dir, 'node_modules'));
    } catch {
      // not linked yet
    }
    try {
      git(['worktree', 'remove', '--force', dir]);
    } catch {
      // already gone
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  try {
    git(['worktree', 'prune']);
  } catch {
    // nothing to prune
  }
}
/** the build running in a worktree, stopped (with its process group) on Ctrl-C */
let building;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (building?.exitCode === null) {
      try {
        process.kill(process.platform === 'win32' ? building.pid : -building.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    cleanup();
    process.exit(130);
  });
}

/** `npm run script` in dir; its output, kept for the error message. */
function npmRun(dir, script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', script], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group, so that Ctrl-C can stop npm and the compiler it started
      detached: process.platform !== 'win32',
      shell: process.platform === 'win32',
    });
    building = child;
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', (error) => resolve({ status: null, output: `${output}\n${error.message}` }));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** `git worktree add` of commit, this checkout's node_modules linked in, built by its own npm scripts. */
async function materialise(commit, role) {
  const short = commit.slice(0, 7);
  const dir = join(tmp, `${role}-${short}`);
  try {
    git(['worktree', 'add', '--detach', dir, commit]);
  } catch (error) {
    throw new BenchError(`git worktree add ${dir} ${short} failed: ${error.stderr || error.message}`);
  }
  worktrees.push(dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const seconds = [];
  for (const script of ['build:wasm', 'build:ts']) {
    const t0 = performance.now();
    const { status, output } = await npmRun(dir, script);
    if (status !== 0) {
      throw new BenchError(
        `the ${role} ${short} did not build: \`npm run ${script}\` failed:\n` +
          output.trim().split('\n').slice(-30).join('\n'),
      );
    }
    seconds.push(`${script} ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  for (const file of ['dist/src/index.js', 'dist/src/nn/plan.js', 'build/vecnet.wasm']) {
    if (!existsSync(join(dir, file))) throw new BenchError(`the ${role} ${short} built no ${file}`);
  }
  console.log(`${role} ${short} built in a temporary git worktree (${seconds.join(', ')})`);
  return dir;
}

const short = baseCommit.slice(0, 7);
/** the baseline's and the current version's package roots (dist/, build/) */
let baseDir;
let curDir = ROOT;
try {
  baseDir = await materialise(baseCommit, 'baseline');
  if (currentCommit !== undefined) curDir = await materialise(currentCommit, 'current');
  const current =
    currentCommit === undefined
      ? `this checkout (HEAD ${head}${dirty ? ' with uncommitted changes in src/ or assembly/' : ''})`
      : `${currentCommit.slice(0, 7)}`;
  console.log(`${NETS[net].title}, wasm backend: baseline ${short} vs current ${current}`);
  const measured = measures.map((m) => MEASURES[m]).join(', and ');
  console.log(
    `ms per iteration = ${measured}, k = ${iterations}; ${rounds} interleaved rounds after 2 warm-up calls; ` +
      `${availableParallelism()} cores`,
  );
  if (values.browser) await inChromium();
  else await inNode();
} catch (error) {
  console.error(`bench/baseline: ${error instanceof BenchError ? error.message : (error.stack ?? error)}`);
  process.exitCode = 1;
} finally {
  cleanup();
}

async function inNode() {
  const baseDist = (path) => import(pathToFileURL(join(baseDir, 'dist', path)).href);
  const curDist = (path) => import(pathToFileURL(join(curDir, 'dist', path)).href);
  const [base, basePlan, cur, curWasm, registry, curPlan] = await Promise.all([
    baseDist('src/index.js'),
    baseDist('src/nn/plan.js'),
    curDist('src/index.js'),
    curDist('src/backend/wasm/index.js'),
    curDist('src/backend/registry.js'),
    curDist('src/nn/plan.js'),
  ]);
  const configs = [
    {
      name: `baseline ${short}, 1 thread`,
      build: 'vecnet.wasm (SIMD128, its only build)',
      baseline: true,
      lib: base,
      TrainingPlan: basePlan.TrainingPlan,
    },
    ...(await currentConfigs({
      cur,
      curWasm,
      registerBackend: registry.registerBackend,
      TrainingPlan: curPlan.TrainingPlan,
      threads,
      backend: async (relaxed, threaded) => {
        const be = curWasm.createWasmBackendSync({ threads: threaded, relaxedSimd: relaxed });
        return { backend: be, build: curWasm.wasmBuildOf?.(be) ?? 'vecnet.wasm' };
      },
    })),
  ];
  const flags = process.execArgv.length ? process.execArgv.join(' ') : 'no flags';
  console.log(
    `node ${process.version} (${flags}); relaxed SIMD ${curWasm.relaxedSimdSupported?.() ? 'available' : `unavailable (Node 20: ${RELAXED_FLAG})`}; ` +
      `getThreads() ${cur.getThreads?.() ?? 1}`,
  );
  try {
    await compare({
      configs,
      net,
      dtypes,
      rounds,
      iterations,
      measures,
      log: (line) => console.log(line),
      now: () => performance.now(),
    });
  } finally {
    cur.terminateThreads?.();
  }
}

async function inChromium() {
  const { bundleForBrowser, findChromium, runIsolatedPage } = await import('./isolated-page.mjs');
  try {
    findChromium();
  } catch (error) {
    throw new BenchError(error.message);
  }
  const entry = [
    `import * as base from ${JSON.stringify(join(baseDir, 'dist/src/browser.js'))};`,
    `import { TrainingPlan as BaseTrainingPlan } from ${JSON.stringify(join(baseDir, 'dist/src/nn/plan.js'))};`,
    `import * as cur from ${JSON.stringify(join(curDir, 'dist/src/browser.js'))};`,
    `import * as curWasm from ${JSON.stringify(join(curDir, 'dist/src/backend/wasm/index.js'))};`,
    `import { registerBackend } from ${JSON.stringify(join(curDir, 'dist/src/backend/registry.js'))};`,
    `import { TrainingPlan } from ${JSON.stringify(join(curDir, 'dist/src/nn/plan.js'))};`,
    `import { pageMain } from ${JSON.stringify(join(ROOT, 'bench/baseline-core.mjs'))};`,
    'await pageMain({ base, BaseTrainingPlan, cur, curWasm, registerBackend, TrainingPlan });',
  ].join('\n');
  const query = new URLSearchParams({
    ref: short,
    net,
    rounds: String(rounds),
    iterations: String(iterations),
    measures: measures.join(','),
    dtypes: dtypes.join(','),
    ...(threads === undefined ? {} : { threads: String(threads) }),
  });
  await runIsolatedPage({
    script: await bundleForBrowser({
      stdin: { contents: entry, resolveDir: ROOT, sourcefile: 'baseline-page.mjs', loader: 'js' },
    }),
    title: 'vecnet baseline bench',
    files: {
      '/base/vecnet.wasm': join(baseDir, 'build/vecnet.wasm'),
      '/build/vecnet.wasm': join(curDir, 'build/vecnet.wasm'),
      '/build/vecnet.relaxed.wasm': join(curDir, 'build/vecnet.relaxed.wasm'),
    },
    query: query.toString(),
  });
}
