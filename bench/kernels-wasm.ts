// Throughput of the wasm backend's kernels at the Backend level, against vectorized and loop in the
// same run (single thread):
//
//   npx esbuild bench/kernels-wasm.ts --bundle --platform=node --format=esm \
//     --outfile=dist/bench/kernels-wasm.mjs && node dist/bench/kernels-wasm.mjs [--quick] [--no-loop]
//
// Each row: backend, dtype, case, median time per call over timed batches (a batch is enough calls
// to last >= 20 ms; at most 7 batches or ~1.5 s per backend), then GB/s (bytes the kernel must read
// and write, once each) or GFLOP/s for gemm (2·M·N·K), and the ratio of wasm's median to the
// others'. Benchmarks are not tests: the machine is shared, read the figures as indicative.
import type { Backend, Buffer } from '../src/backend/backend.js';
import { LoopBackend } from '../src/backend/loop.js';
import { BinaryOp, ReduceOp, UnaryOp } from '../src/backend/ops.js';
import { VectorizedBackend } from '../src/backend/vectorized/backend.js';
import { createWasmBackendSync } from '../src/backend/wasm/index.js';
import type { DType } from '../src/core/dtype.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const withLoop = !args.includes('--no-loop');

const backends: Backend[] = [createWasmBackendSync(), new VectorizedBackend()];
if (withLoop) backends.push(new LoopBackend());

interface Case {
  name: string;
  /** bytes moved per call (GB/s), or flops per call when `flops` */
  work: number;
  flops?: boolean;
  /** builds the inputs on a backend and returns the call to time plus a cleanup */
  setup(b: Backend, dtype: DType): { run(): void; done(): void };
}

function filled(b: Backend, dtype: DType, n: number, f: (i: number) => number): Buffer {
  const buf = b.alloc(dtype, n);
  const v = b.view(buf);
  for (let i = 0; i < n; i++) v[i] = f(i);
  return buf;
}

function freeAll(b: Backend, ...bufs: Buffer[]): void {
  for (const buf of bufs) b.free(buf);
}

const rand = (i: number) => Math.sin(i * 12.9898) * 3;

function elementwise(n: number, bpe: number): Case[] {
  const unary = (op: UnaryOp, name: string): Case => ({
    name: `${name}(${n})`,
    work: 2 * n * bpe,
    setup(b, dtype) {
      const x = filled(b, dtype, n, rand);
      const o = b.alloc(dtype, n);
      return { run: () => b.unary(op, o, 0, x, 0, n, 0.01, 0), done: () => freeAll(b, x, o) };
    },
  });
  const grad = (op: UnaryOp, name: string): Case => ({
    name: `${name}'(${n})`,
    work: 3 * n * bpe,
    setup(b, dtype) {
      const x = filled(b, dtype, n, rand);
      const dy = filled(b, dtype, n, (i) => rand(i + 1));
      const o = b.alloc(dtype, n);
      return {
        run: () => b.unaryGrad(op, o, 0, x, 0, dy, 0, n, 0.01, 0),
        done: () => freeAll(b, x, dy, o),
      };
    },
  });
  const rows = 64;
  const cols = n / rows;
  return [
    {
      name: `add(${n}) same shape`,
      work: 3 * n * bpe,
      setup(b, dtype) {
        const x = filled(b, dtype, n, rand);
        const y = filled(b, dtype, n, rand);
        const o = b.alloc(dtype, n);
        return {
          run: () => b.binary(BinaryOp.Add, o, 0, x, 0, [1], y, 0, [1], [n]),
          done: () => freeAll(b, x, y, o),
        };
      },
    },
    {
      name: `bias add (${rows},${cols})+(${rows},1)`,
      work: 2 * n * bpe,
      setup(b, dtype) {
        const x = filled(b, dtype, n, rand);
        const bias = filled(b, dtype, rows, rand);
        const o = b.alloc(dtype, n);
        return {
          run: () => b.binary(BinaryOp.Add, o, 0, x, 0, [cols, 1], bias, 0, [1, 0], [rows, cols]),
          done: () => freeAll(b, x, bias, o),
        };
      },
    },
    unary(UnaryOp.Relu, 'relu'),
    unary(UnaryOp.Exp, 'exp'),
    unary(UnaryOp.Tanh, 'tanh'),
    unary(UnaryOp.Sigmoid, 'sigmoid'),
    grad(UnaryOp.Tanh, 'tanh'),
    grad(UnaryOp.Sigmoid, 'sigmoid'),
    {
      name: `sum(${n})`,
      work: n * bpe,
      setup(b, dtype) {
        const x = filled(b, dtype, n, rand);
        const o = b.alloc(dtype, 1);
        return {
          run: () => b.reduce(ReduceOp.Sum, o, 0, x, 0, 1, n, 1),
          done: () => freeAll(b, x, o),
        };
      },
    },
    {
      name: `sum axis 0 (${rows},${cols})`,
      work: n * bpe,
      setup(b, dtype) {
        const x = filled(b, dtype, n, rand);
        const o = b.alloc(dtype, cols);
        return {
          run: () => b.reduce(ReduceOp.Sum, o, 0, x, 0, 1, rows, cols),
          done: () => freeAll(b, x, o),
        };
      },
    },
    {
      name: `max(${n})`,
      work: n * bpe,
      setup(b, dtype) {
        const x = filled(b, dtype, n, rand);
        const o = b.alloc(dtype, 1);
        return {
          run: () => b.reduce(ReduceOp.Max, o, 0, x, 0, 1, n, 1),
          done: () => freeAll(b, x, o),
        };
      },
    },
    {
      name: `transpose (1024,${n / 1024})`,
      work: 2 * n * bpe,
      setup(b, dtype) {
        const m = n / 1024;
        const x = filled(b, dtype, n, rand);
        const o = b.alloc(dtype, n);
        return {
          run: () => b.copy(o, 0, x, 0, [1, m], [m, 1024]),
          done: () => freeAll(b, x, o),
        };
      },
    },
  ];
}

function gemm(name: string, M: number, N: number, K: number, ta: boolean, tb: boolean): Case {
  return {
    name: `gemm ${name}`,
    work: 2 * M * N * K,
    flops: true,
    setup(b, dtype) {
      const a = filled(b, dtype, M * K, rand);
      const bb = filled(b, dtype, K * N, (i) => rand(i + 3));
      const c = b.alloc(dtype, M * N);
      const lda = ta ? M : K;
      const ldb = tb ? K : N;
      return {
        run: () => b.gemm(c, 0, N, a, 0, lda, ta, bb, 0, ldb, tb, M, N, K, 1, 0),
        done: () => freeAll(b, a, bb, c),
      };
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** median and best seconds per call, or undefined when one call alone exceeds the budget */
function time(run: () => void, budget: number): { median: number; best: number } | undefined {
  const t0 = performance.now();
  run();
  const first = (performance.now() - t0) / 1000;
  if (first > budget) return undefined;
  const perBatch = Math.max(1, Math.ceil(0.02 / Math.max(first, 1e-7)));
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < (quick ? 3 : 7) && (performance.now() - start) / 1000 < budget) {
    const s = performance.now();
    for (let i = 0; i < perBatch; i++) run();
    samples.push((performance.now() - s) / 1000 / perBatch);
  }
  return { median: median(samples), best: Math.min(...samples) };
}

const n = quick ? 1 << 18 : 1 << 20;
const cases = (dtype: DType): Case[] => [
  ...elementwise(n, dtype === 'float32' ? 4 : 8),
  gemm('256x256x256', 256, 256, 256, false, false),
  gemm('512x512x512', 512, 512, 512, false, false),
  ...(quick ? [] : [gemm('1024x1024x1024', 1024, 1024, 1024, false, false)]),
  gemm('W1·X (20x12288·12288x209)', 20, 209, 12288, false, false),
  gemm('dZ1·Xᵀ (20x209·(12288x209)ᵀ)', 20, 12288, 209, false, true),
  gemm('W2ᵀ·dZ2 ((7x20)ᵀ·7x209)', 20, 209, 7, true, false),
  gemm('W2·A1 (7x20·20x209)', 7, 209, 20, false, false),
];

console.log(
  'backend     dtype    case                                       median        rate (median / best)   wasm speed-up',
);
for (const dtype of ['float32', 'float64'] as DType[]) {
  for (const c of cases(dtype)) {
    const times = new Map<string, { median: number; best: number } | undefined>();
    for (const b of backends) {
      const { run, done } = c.setup(b, dtype);
      times.set(b.name, time(run, b.name === 'loop' ? 2 : 1.5));
      done();
    }
    const wasmT = times.get('wasm');
    const unit = c.flops ? 'GFLOP/s' : 'GB/s';
    for (const b of backends) {
      const t = times.get(b.name);
      const rate =
        t === undefined
          ? 'skipped'
          : `${(c.work / t.median / 1e9).toFixed(2)} / ${(c.work / t.best / 1e9).toFixed(2)} ${unit}`;
      const ratio =
        b.name === 'wasm' || t === undefined || wasmT === undefined
          ? ''
          : `${(t.median / wasmT.median).toFixed(1)}x`;
      const ms = t === undefined ? '-' : `${(t.median * 1e3).toFixed(3)} ms`;
      console.log(
        `${b.name.padEnd(11)} ${dtype.padEnd(8)} ${c.name.padEnd(42)} ${ms.padStart(11)} ${rate.padStart(24)} ${ratio.padStart(8)}`,
      );
    }
  }
}
