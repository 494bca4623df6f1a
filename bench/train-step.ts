// Microseconds per training iteration of the planned fit loop (src/nn/plan.ts), on every backend and
// dtype, measured side by side in one process: the planar net [2,4,1] (tanh, m = 400) and the deep cat
// net [12288,20,7,5,1] (ReLU, m = 209). Small nets are dominated by per-call overhead, not kernels,
// so this is the script that shows whether an iteration costs what its kernels cost.
//
// Rounds are interleaved (every configuration once per round) so that load from other processes on a
// shared machine hits all of them alike; the table shows the median and the best round.
//
// From the repository root (the bundle finds build/vecnet.wasm, and its variants, from there):
//   npx esbuild bench/train-step.ts --bundle --platform=node --format=esm --outfile=/tmp/ts.mjs && node /tmp/ts.mjs
//   node /tmp/ts.mjs --rounds 15 --only planar --phases      (also: --chunk N, --loop-deep)
import path from 'node:path';
import type { BackendName } from '../src/backend/backend.js';
import type { DType } from '../src/core/dtype.js';
import '../src/index.js'; // registers the backends
import { array } from '../src/ndarray/create.js';
import type { NDArray } from '../src/ndarray/ndarray.js';
import { untracked } from '../src/ndarray/scope.js';
import { NeuralNetwork } from '../src/nn/neural-network.js';
import { TrainingPlan } from '../src/nn/plan.js';
import { labels, randomData } from './contenders/types.js';

// the bundle runs from /tmp: point the wasm loader at this checkout's binary
process.env.VECNET_WASM ??= path.resolve('build/vecnet.wasm');

interface Workload {
  name: string;
  dims: number[];
  hidden: 'tanh' | 'relu';
  m: number;
  lr: number;
  /** iterations timed together in one sample */
  chunk: number;
  init: 'small' | 'scaled';
  seed: number;
  backends: BackendName[];
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const only = (() => {
  const i = args.indexOf('--only');
  return i >= 0 ? args[i + 1] : undefined;
})();
const rounds = option('rounds', 9);
const dtypes: DType[] = ['float64', 'float32'];

const workloads = (
  [
    {
      name: 'planar',
      dims: [2, 4, 1],
      hidden: 'tanh',
      m: 400,
      lr: 1.2,
      chunk: option('chunk', 1000),
      init: 'small',
      seed: 2,
      backends: ['loop', 'vectorized', 'wasm'],
    },
    {
      name: 'deep',
      dims: [12288, 20, 7, 5, 1],
      hidden: 'relu',
      m: 209,
      lr: 0.0075,
      chunk: 2,
      init: 'scaled',
      seed: 1,
      backends: flag('loop-deep') ? ['loop', 'vectorized', 'wasm'] : ['vectorized', 'wasm'],
    },
  ] as Workload[]
).filter((w) => only === undefined || w.name === only);

type Phase = 'forward' | 'cost' | 'backward' | 'update';
const PHASES: Phase[] = ['forward', 'cost', 'backward', 'update'];

interface Case {
  label: string;
  w: Workload;
  /** µs per iteration of each round */
  samples: number[];
  /** µs per iteration through NeuralNetwork.fit (validation once per call, history, callbacks) */
  fitSamples: number[];
  phases: Record<Phase, number[]>;
  run(n: number): void;
  fit(n: number): void;
  runPhases(n: number): Record<Phase, number>;
}

function makeCase(w: Workload, backend: BackendName, dtype: DType): Case {
  return untracked(() => {
    const nx = w.dims[0];
    const nL = w.dims[w.dims.length - 1];
    const X: NDArray = array(
      randomData(nx * w.m, 7, w.name === 'planar' ? -4 : 0, w.name === 'planar' ? 4 : 1),
      {
        shape: [nx, w.m],
        dtype,
        backend,
      },
    );
    const Y: NDArray = array(labels(nL * w.m, 11), { shape: [nL, w.m], dtype, backend });
    const net = new NeuralNetwork({
      layerDims: w.dims,
      hidden: w.hidden,
      output: 'sigmoid',
      init: w.init,
      seed: w.seed,
      dtype,
      backend,
    });
    const { W, b } = net.layers();
    const plan = new TrainingPlan(net.spec, W, b, w.m);
    // a learning rate small enough that thousands of timed iterations never diverge
    const lr = w.lr / 100;
    return {
      label: `${w.name} ${backend} ${dtype}`,
      w,
      samples: [],
      fitSamples: [],
      phases: { forward: [], cost: [], backward: [], update: [] },
      run(n: number) {
        // as fit runs every iteration but the last: the next first product ahead where it may
        for (let i = 0; i < n; i++) {
          plan.forward(X);
          plan.cost(Y);
          if (plan.canDescendAhead) {
            plan.descendAhead(X, Y, lr);
          } else {
            plan.backward(X, Y);
            plan.update(lr);
          }
        }
      },
      fit(n: number) {
        net.fit(X, Y, { learningRate: lr, iterations: n });
      },
      runPhases(n: number) {
        const t = { forward: 0, cost: 0, backward: 0, update: 0 };
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          plan.forward(X);
          const t1 = performance.now();
          plan.cost(Y);
          const t2 = performance.now();
          plan.backward(X, Y);
          const t3 = performance.now();
          plan.update(lr);
          const t4 = performance.now();
          t.forward += t1 - t0;
          t.cost += t2 - t1;
          t.backward += t3 - t2;
          t.update += t4 - t3;
        }
        return t;
      },
    };
  });
}

function chunkOf(c: Case, backend: string): number {
  // the loop backend is ~100x slower: time fewer iterations so a round stays short
  return backend === 'loop' ? Math.max(1, Math.round(c.w.chunk / 20)) : c.w.chunk;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const fmt = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);

const cases: Case[] = [];
for (const w of workloads) {
  for (const backend of w.backends) for (const dtype of dtypes) cases.push(makeCase(w, backend, dtype));
}

// warm-up: let V8 tier up every path once
for (const c of cases) {
  const backend = c.label.split(' ')[1];
  c.run(Math.min(chunkOf(c, backend), 50));
  c.fit(Math.min(chunkOf(c, backend), 50));
}
for (let r = 0; r < rounds; r++) {
  for (const c of cases) {
    const n = chunkOf(c, c.label.split(' ')[1]);
    const t0 = performance.now();
    c.run(n);
    c.samples.push(((performance.now() - t0) * 1000) / n);
    const t1 = performance.now();
    c.fit(n);
    c.fitSamples.push(((performance.now() - t1) * 1000) / n);
    if (flag('phases')) {
      const t = c.runPhases(n);
      for (const p of PHASES) c.phases[p].push((t[p] * 1000) / n);
    }
  }
  process.stderr.write(`\rround ${r + 1}/${rounds}`);
}
process.stderr.write('\n');

console.log(`node ${process.version}, ${rounds} rounds, median (best) per iteration`);
const head = ['workload backend dtype', 'plan loop', 'fit()'];
if (flag('phases')) head.push(...PHASES);
const rows = cases.map((c) => {
  const row = [
    c.label,
    `${fmt(median(c.samples))} (${fmt(Math.min(...c.samples))})`,
    `${fmt(median(c.fitSamples))} (${fmt(Math.min(...c.fitSamples))})`,
  ];
  if (flag('phases')) row.push(...PHASES.map((p) => fmt(median(c.phases[p]))));
  return row;
});
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) =>
  r.map((s, i) => (i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
