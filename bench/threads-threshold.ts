// Where splitting an element-wise kernel across threads starts to pay: one thread against N, with
// every call split ($VECNET_THREADS_MIN_ELEMENTS=1), for add, relu (cheap kernels), tanh and sigmoid
// (expensive ones) at 2^10 to 2^20 elements, float32 and float64. The figures behind
// MIN_THREADED_ELEMENTS and the expensive kernels' weight in src/backend/wasm/threads/split-elementwise.ts.
//
// Rounds are interleaved (one thread, then N, in alternating order) so that load from other processes
// hits both alike; each sample is ~2 ms of back-to-back calls on the same arrays. The last column says
// whether the default threshold splits the call.
//
//   npx esbuild bench/threads-threshold.ts --bundle --platform=node --format=esm --outfile=/tmp/tt.mjs
//   node /tmp/tt.mjs [--rounds 15] [--threads 2]

import { BinaryOp, UnaryOp } from '../src/backend/ops.js';
import {
  createWasmBackendSync,
  setThreads,
  type WasmBackend,
  type WasmBuffer,
} from '../src/backend/wasm/index.js';
import {
  binaryCost,
  MIN_THREADED_ELEMENTS,
  unaryCost,
  workOf,
} from '../src/backend/wasm/threads/split-elementwise.js';
import type { DType } from '../src/core/dtype.js';

// the bundle runs from /tmp: point the wasm loader at this checkout's binaries
process.env.VECNET_WASM ??= `${process.cwd()}/build/vecnet.wasm`;
// read when the pool is made: split every call the cutting rules allow
process.env.VECNET_THREADS_MIN_ELEMENTS = '1';

const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = option('rounds', 15);
const threads = option('threads', 2);

setThreads(threads);
const single = createWasmBackendSync({ threads: false });
const threaded = createWasmBackendSync({ threads: true });
await threaded.threads!.ready();

interface Kernel {
  name: string;
  cost: number;
  run(be: WasmBackend, a: WasmBuffer, b: WasmBuffer, out: WasmBuffer, n: number): void;
}
const kernels: Kernel[] = [
  {
    name: 'add',
    cost: binaryCost(BinaryOp.Add),
    run: (be, a, b, out, n) => be.binary(BinaryOp.Add, out, 0, a, 0, [1], b, 0, [1], [n]),
  },
  {
    name: 'relu',
    cost: unaryCost(UnaryOp.Relu, false),
    run: (be, a, _b, out, n) => be.unary(UnaryOp.Relu, out, 0, a, 0, n, 0, 0),
  },
  {
    name: 'tanh',
    cost: unaryCost(UnaryOp.Tanh, false),
    run: (be, a, _b, out, n) => be.unary(UnaryOp.Tanh, out, 0, a, 0, n, 0, 0),
  },
  {
    name: 'sigmoid',
    cost: unaryCost(UnaryOp.Sigmoid, false),
    run: (be, a, _b, out, n) => be.unary(UnaryOp.Sigmoid, out, 0, a, 0, n, 0, 0),
  },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(
  `element-wise kernels, 1 thread against ${threads} (every call split), ${rounds} interleaved rounds; ` +
    `node ${process.version}`,
);
console.log('');
console.log(
  `| dtype | kernel | elements | 1 thread µs | ${threads} threads µs | speed-up | split by default |`,
);
console.log('|---|---|---:|---:|---:|---:|:---:|');
for (const dtype of ['float32', 'float64'] as DType[]) {
  const S = dtype === 'float32' ? 4 : 8;
  for (const k of kernels) {
    for (let p = 10; p <= 20; p++) {
      const n = 2 ** p;
      const runs = [single, threaded].map((be) => {
        const bufs = [be.alloc(dtype, n), be.alloc(dtype, n), be.alloc(dtype, n)];
        for (const x of bufs.slice(0, 2)) {
          const v = be.view(x);
          for (let i = 0; i < v.length; i++) v[i] = Math.sin(i) * 3;
        }
        return { be, bufs, times: [] as number[] };
      });
      const reps = Math.max(3, Math.round((8e6 / n / k.cost) * (4 / S)));
      for (let r = 0; r < rounds; r++) {
        for (let j = 0; j < 2; j++) {
          const { be, bufs, times } = runs[(j + r) % 2];
          const [a, b, out] = bufs;
          k.run(be, a, b, out, n); // wakes the workers
          const t0 = performance.now();
          for (let i = 0; i < reps; i++) k.run(be, a, b, out, n);
          times.push(((performance.now() - t0) / reps) * 1000);
        }
      }
      const [one, many] = runs.map((run) => median(run.times));
      const split = workOf(n, S, k.cost) >= MIN_THREADED_ELEMENTS ? 'yes' : '';
      const speedUp = `${(one / many).toFixed(2)}x`;
      console.log(
        `| ${dtype} | ${k.name} | 2^${p} | ${one.toFixed(1)} | ${many.toFixed(1)} | ${speedUp} | ${split} |`,
      );
      for (const { be, bufs } of runs) for (const x of bufs) be.free(x);
    }
  }
}
process.exit(0);
