// Standalone GFLOP/s measurement of the wasm GEMM kernels (assembly/gemm.ts), single thread.
//
//   npx esbuild bench/gemm-kernel.ts --bundle --packages=external --platform=node --format=esm \
//     --outfile=dist/bench/gemm-kernel.js \
//     && node dist/bench/gemm-kernel.js [--quick] [--module build/vecnet.wasm]
//
// It measures build/vecnet.wasm, or the module --module names (e.g. build/vecnet.relaxed.wasm).
// Each row is the median (and best) of 25 timed batches, a batch being enough calls to last >= 3 ms,
// taken round-robin over all rows (a burst of load on a shared machine hits every row alike, not one);
// GFLOP/s = 2*M*N*K / seconds per call. Read "best" as what the kernel can do and "median" as what it
// did on the day.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelFn } from '../src/backend/wasm/abi.js';
import { bestOf, type CeilingForm, measureCeilings } from './ceiling.js';

type GemmFn = KernelFn<'gemm'>;

interface Shape {
  name: string;
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wasmArg = args.indexOf('--module'); // not --wasm: asc's binaryen loader reads that one from argv

async function compile(): Promise<Uint8Array> {
  return readFile(path.resolve(root, wasmArg >= 0 ? args[wasmArg + 1] : 'build/vecnet.wasm'));
}

const memory = new WebAssembly.Memory({ initial: 1600 }); // grown to ~160 MiB: every case has its own matrices
const { instance } = await WebAssembly.instantiate(await compile(), {
  env: { memory, abort: () => {} },
});
const ex = instance.exports as unknown as {
  gemm_f32: GemmFn;
  gemm_f64: GemmFn;
  gemm_scratch_bytes(): number;
};
const scratch = 64;
const heap = (scratch + ex.gemm_scratch_bytes() + 64 + 15) & ~15;

const square = (n: number): Shape => ({ name: `${n}³`, M: n, N: n, K: n, transA: false, transB: false });
const shapes: Shape[] = [
  ...[64, 128, 256, 512, 1024].map(square),
  { name: 'W1·X 20x12288·12288x209', M: 20, N: 209, K: 12288, transA: false, transB: false },
  { name: 'dZ·Xᵀ 20x209·(12288x209)ᵀ', M: 20, N: 12288, K: 209, transA: false, transB: true },
  { name: 'W2·A1 7x20·20x209', M: 7, N: 209, K: 20, transA: false, transB: false },
  { name: 'planar 4x2·2x400', M: 4, N: 400, K: 2, transA: false, transB: false },
  { name: '512³ NT', M: 512, N: 512, K: 512, transA: false, transB: true },
  { name: '512³ TN', M: 512, N: 512, K: 512, transA: true, transB: false },
  { name: '512³ TT', M: 512, N: 512, K: 512, transA: true, transB: true },
];

interface Case {
  shape: Shape;
  dtype: 'f32' | 'f64';
  call: () => void;
  reps: number;
  perCall: number[];
}

let top = heap;
/** Places one case's A, B, C in memory (each case its own region), warms it up, sizes its batch. */
function prepare(dtype: 'f32' | 'f64', s: Shape): Case {
  const bytes = dtype === 'f32' ? 4 : 8;
  const View = dtype === 'f32' ? Float32Array : Float64Array;
  const fn = dtype === 'f32' ? ex.gemm_f32 : ex.gemm_f64;
  const lda = s.transA ? s.M : s.K;
  const ldb = s.transB ? s.K : s.N;
  const aPtr = top;
  const bPtr = (aPtr + s.M * s.K * bytes + 15) & ~15;
  const cPtr = (bPtr + s.K * s.N * bytes + 15) & ~15;
  top = (cPtr + s.M * s.N * bytes + 15) & ~15;
  if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
  const aView = new View(memory.buffer, aPtr, s.M * s.K);
  for (let i = 0; i < aView.length; i++) aView[i] = Math.sin(i) * 0.5;
  const bView = new View(memory.buffer, bPtr, s.K * s.N);
  for (let i = 0; i < bView.length; i++) bView[i] = Math.cos(i) * 0.5;
  const call = () => fn(cPtr, s.N, aPtr, lda, +s.transA, bPtr, ldb, +s.transB, s.M, s.N, s.K, 1, 0, scratch);
  // warm up past Liftoff into TurboFan code, and size a batch to >= 3 ms
  for (let r = 0; r < 3; r++) call();
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) call();
    if (performance.now() - t >= 3) break;
    reps *= 2;
  }
  return { shape: s, dtype, call, reps, perCall: [] };
}

/** One timed batch of every case per round, round after round: a burst of load hits all rows alike. */
function measureAll(cases: Case[], rounds: number): void {
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const t = performance.now();
      for (let r = 0; r < c.reps; r++) c.call();
      c.perCall.push((performance.now() - t) / 1e3 / c.reps);
    }
  }
}

function summary(c: Case): { median: number; best: number; ns: number } {
  const sorted = [...c.perCall].sort((x, y) => x - y);
  const flop = 2 * c.shape.M * c.shape.N * c.shape.K;
  return {
    median: flop / sorted[sorted.length >> 1] / 1e9,
    best: flop / sorted[0] / 1e9,
    ns: sorted[0] * 1e9,
  };
}

console.log(`gemm kernel benchmark, node ${process.version}, single thread, GFLOP/s median (best)`);
const form: CeilingForm = wasmArg >= 0 && args[wasmArg + 1].includes('relaxed') ? 'fma' : 'mul+add';
const ceilingBefore = await measureCeilings(form);
console.log(
  `${'shape'.padEnd(28)} ${'f32'.padStart(16)} ${'f64'.padStart(16)}   best time per call f32 / f64`,
);
const cases = shapes.flatMap((s) => [prepare('f32', s), prepare('f64', s)]);
measureAll(cases, quick ? 5 : 25);
for (let i = 0; i < cases.length; i += 2) {
  const r32 = summary(cases[i]);
  const r64 = summary(cases[i + 1]);
  const cell = (r: { median: number; best: number }) =>
    `${r.median.toFixed(1)} (${r.best.toFixed(1)})`.padStart(16);
  const time = (ns: number) => (ns < 1e4 ? `${ns.toFixed(0)} ns` : `${(ns / 1e6).toFixed(3)} ms`);
  console.log(
    `${cases[i].shape.name.padEnd(28)} ${cell(r32)} ${cell(r64)}   ${time(r32.ns)} / ${time(r64.ns)}`,
  );
}
// measured before and after the table, best of both: a short loop is easily disturbed
const peak = bestOf(ceilingBefore, await measureCeilings(form));
console.log(
  `${form} ceiling of this machine (best of 2 x 60 runs): f32 ${peak.float32.toFixed(1)}, f64 ${peak.float64.toFixed(1)} GFLOP/s`,
);
