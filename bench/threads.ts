// Threaded GEMM against one thread on the wasm backend, and the relaxed-SIMD build against the plain
// SIMD128 one where the engine has relaxed SIMD (Node 20: run with --experimental-wasm-relaxed-simd).
// Shapes: 512³ and the deep cat net's layer-1 GEMMs, W1·X (20x12288 · 12288x209) and
// dW1 = dZ1·Xᵀ (20x209 · (12288x209)ᵀ), in float32 and float64. Then element-wise kernels on 2^20
// elements (add, tanh, sigmoid; split across threads above src/backend/wasm/split-elementwise.ts's
// threshold), and the deep cat net's training iteration.
//
// Rounds are interleaved (every configuration once per round, in a rotating order) so that load from
// other processes on a shared machine hits all of them alike; the table shows the median and best
// time per call, GFLOP/s of the median, and the speed-up of each configuration's median over the
// single-threaded SIMD128 one.
//
//   npx esbuild bench/threads.ts --bundle --platform=node --format=esm --outfile=/tmp/th.mjs && node /tmp/th.mjs
//   node --experimental-wasm-relaxed-simd /tmp/th.mjs --rounds 15 --threads 2
//   node bench/threads-browser.mjs [--rounds 11] [--threads 2]    (the same in headless Chromium)

import { BinaryOp, UnaryOp } from '../src/backend/ops.js';
import { backendByName, registerBackend } from '../src/backend/registry.js';
import {
  createWasmBackend,
  createWasmBackendSync,
  relaxedSimdSupported,
  setThreads,
  type WasmBackend,
  type WasmBuffer,
  wasmBuildOf,
} from '../src/backend/wasm/index.js';
import type { DType } from '../src/core/dtype.js';
import { array } from '../src/ndarray/create.js';
import { untracked } from '../src/ndarray/scope.js';
import { NeuralNetwork } from '../src/nn/neural-network.js';
import { TrainingPlan } from '../src/nn/plan.js';
import { labels, randomData } from './contenders/types.js';

// in Node (node /tmp/th.mjs [--rounds 11] [--threads 2]) or in a page (bench/threads-browser.mjs,
// ?rounds=11&threads=2, the builds fetched from /build/)
const node = (globalThis as { process?: NodeJS.Process }).process;
const inNode = node?.versions?.node !== undefined;
// the bundle runs from /tmp: point the wasm loader at this checkout's binaries
if (inNode) node!.env.VECNET_WASM ??= `${node!.cwd()}/build/vecnet.wasm`;

const option = (name: string, fallback: number): number => {
  if (!inNode) return Number(new URLSearchParams(globalThis.location.search).get(name) ?? fallback);
  const args = node!.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const cores = inNode
  ? (node!.getBuiltinModule('node:os') as typeof import('node:os')).availableParallelism()
  : globalThis.navigator.hardwareConcurrency;
const rounds = option('rounds', 11);
const threads = option('threads', Math.min(cores, 8));
/** milliseconds of calls per sample */
const sampleMs = option('sample-ms', 60);

interface Shape {
  name: string;
  M: number;
  N: number;
  K: number;
  transB: boolean;
}
const shapes: Shape[] = [
  { name: '512³', M: 512, N: 512, K: 512, transB: false },
  { name: 'W1·X', M: 20, N: 209, K: 12288, transB: false },
  { name: 'dZ1·Xᵀ', M: 20, N: 12288, K: 209, transB: true },
];

interface Config {
  label: string;
  backend: WasmBackend;
  threads: number;
}

/** A backend on the plain or relaxed build, threaded or not: the build files in Node, fetched bytes in a page. */
async function backend(relaxed: boolean, threaded: boolean): Promise<WasmBackend> {
  if (inNode) return createWasmBackendSync({ threads: threaded, relaxedSimd: relaxed });
  const response = await fetch(`/build/vecnet${relaxed ? '.relaxed' : ''}.wasm`);
  return createWasmBackend({ source: new Uint8Array(await response.arrayBuffer()), threads: threaded });
}

const relaxed = relaxedSimdSupported();
const configs: Config[] = [];
for (const useRelaxed of relaxed ? [false, true] : [false]) {
  const simd = useRelaxed ? 'relaxed' : 'simd128';
  configs.push({ label: `${simd} 1 thread`, backend: await backend(useRelaxed, false), threads: 1 });
  configs.push({ label: `${simd} ${threads} threads`, backend: await backend(useRelaxed, true), threads });
}

setThreads(threads);
for (const c of configs) await c.backend.threads?.ready();

function operands(be: WasmBackend, dtype: DType, s: Shape): WasmBuffer[] {
  const bufs = [be.alloc(dtype, s.M * s.K), be.alloc(dtype, s.K * s.N), be.alloc(dtype, s.M * s.N)];
  let x = 12345;
  for (const b of bufs.slice(0, 2)) {
    const v = be.view(b);
    for (let i = 0; i < v.length; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      v[i] = x / 2147483648 - 0.5;
    }
  }
  return bufs;
}

/**
 * Times each call (one per configuration) in `rounds` interleaved rounds, every configuration once per
 * round in a rotating order, each sample ~sampleMs of back-to-back calls; returns ms per call per sample.
 */
function interleaved(calls: (() => void)[]): number[][] {
  const runs = calls.map((call) => {
    // calls per sample, from a short calibration
    call();
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 20) {
      call();
      n++;
    }
    const reps = Math.max(1, Math.round((n * sampleMs) / (performance.now() - t0)));
    return { call, reps, times: [] as number[] };
  });
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < runs.length; i++) {
      const run = runs[(i + r) % runs.length];
      const t0 = performance.now();
      for (let k = 0; k < run.reps; k++) run.call();
      run.times.push((performance.now() - t0) / run.reps);
    }
  }
  return runs.map((run) => run.times);
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const engine = inNode ? `node ${node!.version}` : globalThis.navigator.userAgent;
console.log(
  `threaded GEMM, ${rounds} interleaved rounds of ~${sampleMs} ms per configuration; ${cores} cores; ` +
    `relaxed SIMD ${relaxed ? 'available' : 'unavailable (plain SIMD128 only)'}; ${engine}`,
);
for (const c of configs) console.log(`  ${c.label}: ${wasmBuildOf(c.backend)}`);
console.log('');
console.log('| dtype | shape | configuration | median ms | best ms | GFLOP/s | vs simd128 1 thread |');
console.log('|---|---|---|---:|---:|---:|---:|');

for (const dtype of ['float32', 'float64'] as DType[]) {
  for (const s of shapes) {
    const lda = s.K;
    const ldb = s.transB ? s.K : s.N;
    const times = interleaved(
      configs.map((c) => {
        const [a, b, cc] = operands(c.backend, dtype, s);
        return () => c.backend.gemm(cc, 0, s.N, a, 0, lda, false, b, 0, ldb, s.transB, s.M, s.N, s.K, 1, 0);
      }),
    );
    const base = median(times[0]);
    configs.forEach((c, i) => {
      const med = median(times[i]);
      const gflops = (2 * s.M * s.N * s.K) / med / 1e6;
      console.log(
        `| ${dtype} | ${s.name} ${s.M}x${s.K}·${s.K}x${s.N} | ${c.label} | ${med.toFixed(3)} | ` +
          `${Math.min(...times[i]).toFixed(3)} | ${gflops.toFixed(1)} | ${(base / med).toFixed(2)}x |`,
      );
    });
  }
}

// element-wise kernels on 2^20 elements: out = a + b, out = tanh(a), out = sigmoid(a)
const ELEMENTS = 1 << 20;
const elementwise: {
  name: string;
  run(be: WasmBackend, a: WasmBuffer, b: WasmBuffer, out: WasmBuffer): void;
}[] = [
  { name: 'add', run: (be, a, b, out) => be.binary(BinaryOp.Add, out, 0, a, 0, [1], b, 0, [1], [ELEMENTS]) },
  { name: 'tanh', run: (be, a, _b, out) => be.unary(UnaryOp.Tanh, out, 0, a, 0, ELEMENTS, 0, 0) },
  { name: 'sigmoid', run: (be, a, _b, out) => be.unary(UnaryOp.Sigmoid, out, 0, a, 0, ELEMENTS, 0, 0) },
];
console.log('');
console.log(
  `element-wise kernels on 2^20 elements, ${rounds} interleaved rounds of ~${sampleMs} ms per configuration`,
);
console.log('');
console.log('| dtype | kernel | configuration | median ms | best ms | GB/s | vs simd128 1 thread |');
console.log('|---|---|---|---:|---:|---:|---:|');
for (const dtype of ['float32', 'float64'] as DType[]) {
  const operandsOf = configs.map(({ backend: be }) => {
    const bufs = [be.alloc(dtype, ELEMENTS), be.alloc(dtype, ELEMENTS), be.alloc(dtype, ELEMENTS)];
    for (const x of bufs.slice(0, 2)) {
      const v = be.view(x);
      for (let i = 0; i < v.length; i++) v[i] = Math.sin(i) * 3;
    }
    return bufs;
  });
  for (const op of elementwise) {
    const times = interleaved(
      configs.map((c, i) => {
        const [a, b, out] = operandsOf[i];
        return () => op.run(c.backend, a, b, out);
      }),
    );
    const base = median(times[0]);
    // bytes read and written per call: two operands and the output for add, one and the output otherwise
    const bytes = (op.name === 'add' ? 3 : 2) * ELEMENTS * (dtype === 'float32' ? 4 : 8);
    configs.forEach((c, i) => {
      const med = median(times[i]);
      console.log(
        `| ${dtype} | ${op.name} | ${c.label} | ${med.toFixed(3)} | ${Math.min(...times[i]).toFixed(3)} | ` +
          `${(bytes / med / 1e6).toFixed(1)} | ${(base / med).toFixed(2)}x |`,
      );
    });
  }
  configs.forEach((c, i) => {
    for (const x of operandsOf[i]) c.backend.free(x);
  });
}
// the deep cat net's training iteration ([12288, 20, 7, 5, 1], ReLU, m = 209, the planned fit loop of
// src/nn/plan.ts, with its look-ahead as fit runs it): an unthreaded backend against a threaded one, each registered as 'wasm' in turn
// while its arrays and plan are made, interleaved by round
console.log('');
console.log(
  `deep cat training iteration, [12288, 20, 7, 5, 1] x 209, ${rounds} interleaved rounds of 4 iterations`,
);
console.log('');
console.log('| dtype | build | threads | median ms | best ms | vs simd128 1 thread |');
console.log('|---|---|---:|---:|---:|---:|');
for (const dtype of ['float32', 'float64'] as DType[]) {
  const cases = [];
  for (const useRelaxed of relaxed ? [false, true] : [false]) {
    for (const n of [1, threads]) {
      const be = await backend(useRelaxed, n > 1);
      registerBackend('wasm', { create: () => be });
      backendByName('wasm');
      const step = untracked(() => {
        const X = array(randomData(12288 * 209, 7, 0, 1), { shape: [12288, 209], dtype, backend: 'wasm' });
        const Y = array(labels(209, 11), { shape: [1, 209], dtype, backend: 'wasm' });
        const net = new NeuralNetwork({
          layerDims: [12288, 20, 7, 5, 1],
          hidden: 'relu',
          output: 'sigmoid',
          init: 'scaled',
          seed: 1,
          dtype,
          backend: 'wasm',
        });
        const { W, b } = net.layers();
        const p = new TrainingPlan(net.spec, W, b, 209);
        return () => {
          p.forward(X);
          p.cost(Y);
          p.descendAhead(X, Y, 0.0000075);
        };
      });
      await be.threads?.ready();
      step();
      cases.push({ simd: useRelaxed ? 'relaxed' : 'simd128', n, step, times: [] as number[] });
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + r) % cases.length];
      c.step(); // wakes the workers
      const t0 = performance.now();
      for (let k = 0; k < 4; k++) c.step();
      c.times.push((performance.now() - t0) / 4);
    }
  }
  const base = median(cases[0].times);
  for (const c of cases) {
    const med = median(c.times);
    console.log(
      `| ${dtype} | ${c.simd} | ${c.n} | ${med.toFixed(2)} | ${Math.min(...c.times).toFixed(2)} | ${(base / med).toFixed(2)}x |`,
    );
  }
}
setThreads(threads);
console.log('done');
