// GEMM throughput of the vectorized backend against the loop backend. Not a test: prints numbers.
//
//   npx esbuild bench/gemm-vectorized.ts --bundle --platform=node --format=esm \
//     --outfile=/tmp/gemm-vectorized.mjs && node /tmp/gemm-vectorized.mjs
//
// Each line: backend, dtype, transposes, shape, median time, GFLOP/s (2 M N K / time), and the ratio to
// the loop backend of the same run. Time is this process's CPU time (process.cpuUsage), not wall time,
// so a machine shared with other jobs skews the numbers less.

import type { Backend } from '../src/backend/backend.js';
import { LoopBackend } from '../src/backend/loop.js';
import { VectorizedBackend } from '../src/backend/vectorized/backend.js';
import type { DType } from '../src/core/dtype.js';

/** CPU seconds used by this process so far. */
function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median seconds per call of an (M, N, K) product, after warm-up, over `reps` timed batches. */
function time(
  be: Backend,
  dtype: DType,
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  reps: number,
) {
  const a = be.alloc(dtype, M * K);
  const b = be.alloc(dtype, K * N);
  const c = be.alloc(dtype, M * N);
  const av = be.view(a);
  const bv = be.view(b);
  for (let i = 0; i < av.length; i++) av[i] = Math.sin(i);
  for (let i = 0; i < bv.length; i++) bv[i] = Math.cos(i);
  const lda = tA ? M : K;
  const ldb = tB ? K : N;
  const run = () => be.gemm(c, 0, N, a, 0, lda, tA, b, 0, ldb, tB, M, N, K, 1, 0);
  // batch small products so each timed sample lasts about 20 ms
  const t0 = cpu();
  run();
  const once = Math.max(cpu() - t0, 1e-6);
  const batch = Math.max(1, Math.round(0.02 / once));
  for (let i = 0; i < Math.min(batch, 50); i++) run();
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = cpu();
    for (let i = 0; i < batch; i++) run();
    samples.push((cpu() - s) / batch);
  }
  return median(samples);
}

const loop = new LoopBackend();
const vec = new VectorizedBackend();
const cases: [number, number, number, number][] = [
  // M, N, K, timed samples
  [256, 256, 256, 7],
  [512, 512, 512, 5],
  [4, 400, 2, 9], // the planar network's W1 X
  [64, 64, 64, 9],
];
console.log('backend     dtype    op  shape (MxNxK)   median        GFLOP/s  vs loop');
for (const dtype of ['float64', 'float32'] as DType[]) {
  for (const [M, N, K, reps] of cases) {
    const flops = 2 * M * N * K;
    const tLoop = time(loop, dtype, false, false, M, N, K, M >= 512 ? 1 : 3);
    const row = (name: string, op: string, t: number) =>
      console.log(
        `${name.padEnd(11)} ${dtype.padEnd(8)} ${op}  ${`${M}x${N}x${K}`.padEnd(14)}  ${(t * 1e3).toFixed(4).padStart(9)} ms  ${(flops / t / 1e9).toFixed(2).padStart(7)}  ${(tLoop / t).toFixed(1)}x`,
      );
    row('loop', 'NN', tLoop);
    for (const [tA, tB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ]) {
      row('vectorized', `${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}`, time(vec, dtype, tA, tB, M, N, K, reps));
    }
  }
}
