// The benchmark workloads, described as plain data so that every contender (vecnet's backends,
// plain JS, TensorFlow.js and the NumPy subprocess) builds the same computation from one spec.
import type { DType } from '../src/core/dtype.js';

export type UnaryName = 'sigmoid' | 'tanh' | 'relu';

export type Spec =
  | { kind: 'dot'; n: number }
  | { kind: 'gemm'; M: number; N: number; K: number; transA: boolean; transB: boolean }
  | { kind: 'bias_add'; n: number; m: number }
  | { kind: 'unary'; op: UnaryName; n: number }
  | { kind: 'unary_grad'; op: UnaryName; n: number }
  | { kind: 'sum'; rows: number; cols: number; axis: 0 | 1 }
  | {
      kind: 'train';
      /** deep_adam: the deep model trained by epochs of shuffled mini-batches with Adam */
      model: 'deep' | 'planar' | 'logreg' | 'deep_adam';
      /** [n_x, n_1, …, n_L] */
      dims: number[];
      hidden: 'relu' | 'tanh';
      m: number;
      learningRate: number;
      /** iterations per timed call */
      chunk: number;
      /** iterations of the course's run (the per-iteration median is also reported scaled to it) */
      iterations: number;
      /** deep_adam: columns per mini-batch (a timed call's `chunk` counts epochs) */
      miniBatchSize?: number;
      /** raw little-endian float64 file holding X (n_x, m) then Y (1, m), the cat data; random when absent */
      data?: string;
    }
  | {
      kind: 'course';
      /** the course's models: logistic regression, the two-layer and L-layer cat models, planar */
      model: CourseModel;
      dims: number[];
      hidden: 'relu' | 'tanh';
      m: number;
      learningRate: number;
      /** iterations of one timed call: the whole run */
      iterations: number;
      /** raw little-endian float64 file holding X (n_x, m) then Y (1, m); random data when absent */
      data?: string;
    };

export type CourseModel = 'logreg' | 'two_layer' | 'deep' | 'planar';

export type Group = 'dot' | 'gemm' | 'elementwise' | 'reduce' | 'training' | 'course';

export interface Workload {
  /** stable id, shared with numpy_bench.py and the results JSON, e.g. `gemm/512x512x512` */
  id: string;
  group: Group;
  title: string;
  spec: Spec;
  /** what the rate column measures per call: flops (GFLOP/s) or bytes moved (GB/s); 0: time only */
  work: (dtype: DType) => number;
  unit: 'GFLOP/s' | 'GB/s' | 'ms/iter' | 'ms/run';
  /** flops per call, to predict the time of slow contenders from their GEMM rate (skip if too slow) */
  flops: number;
}

const bytesOf = (dtype: DType) => (dtype === 'float32' ? 4 : 8);

function gemm(
  id: string,
  title: string,
  M: number,
  N: number,
  K: number,
  transB = false,
  transA = false,
): Workload {
  const flops = 2 * M * N * K;
  return {
    id: `gemm/${id}`,
    group: 'gemm',
    title,
    spec: { kind: 'gemm', M, N, K, transA, transB },
    work: () => flops,
    unit: 'GFLOP/s',
    flops,
  };
}

/** Flops of the GEMMs of one training iteration (forward W·A, backward dZ·Aᵀ and Wᵀ·dZ). */
function trainingFlops(dims: number[], m: number): number {
  let f = 0;
  for (let l = 1; l < dims.length; l++) {
    f += 2 * 2 * dims[l] * dims[l - 1] * m; // W·A and dZ·A_prevᵀ
    if (l > 1) f += 2 * dims[l] * dims[l - 1] * m; // W_lᵀ·dZ_l
  }
  return f;
}

export function workloads(quick: boolean): Workload[] {
  const n = 1_000_000;
  const [rows, cols] = [1000, 1000];
  const list: Workload[] = [
    {
      id: 'dot/1e6',
      group: 'dot',
      title: 'dot product of two 10⁶-element vectors',
      spec: { kind: 'dot', n },
      work: () => 2 * n,
      unit: 'GFLOP/s',
      flops: 2 * n,
    },
    ...[64, 128, 256, 512, 1024].map((s) => gemm(`${s}x${s}x${s}`, `GEMM ${s}³`, s, s, s)),
    gemm('W1X', 'GEMM W1·X 20x12288 · 12288x209', 20, 209, 12288),
    gemm('dZ1XT', 'GEMM dZ1·Xᵀ 20x209 · (12288x209)ᵀ', 20, 12288, 209, true),
    gemm('W2A1', 'GEMM 7x20 · 20x209', 7, 209, 20),
    gemm('W2TdZ2', 'GEMM W2ᵀ·dZ2 (7x20)ᵀ · 7x209', 20, 209, 7, false, true),
    {
      id: `elementwise/bias_add`,
      group: 'elementwise',
      title: `bias add (${rows},${cols}) + (${rows},1)`,
      spec: { kind: 'bias_add', n: rows, m: cols },
      work: (d) => (2 * rows * cols + rows) * bytesOf(d),
      unit: 'GB/s',
      flops: rows * cols,
    },
  ];
  for (const op of ['sigmoid', 'tanh', 'relu'] as const) {
    list.push({
      id: `elementwise/${op}`,
      group: 'elementwise',
      title: `${op}(x), 10⁶ elements`,
      spec: { kind: 'unary', op, n },
      work: (d) => 2 * n * bytesOf(d),
      unit: 'GB/s',
      flops: 10 * n,
    });
  }
  for (const op of ['sigmoid', 'tanh', 'relu'] as const) {
    list.push({
      id: `elementwise/${op}_grad`,
      group: 'elementwise',
      title: `${op} gradient dy·g'(x), 10⁶ elements`,
      spec: { kind: 'unary_grad', op, n },
      work: (d) => 3 * n * bytesOf(d),
      unit: 'GB/s',
      flops: 10 * n,
    });
  }
  for (const axis of [0, 1] as const) {
    list.push({
      id: `reduce/sum_axis${axis}`,
      group: 'reduce',
      title: `sum over axis ${axis}, keepdims, (${rows},${cols})`,
      spec: { kind: 'sum', rows, cols, axis },
      work: (d) => rows * cols * bytesOf(d),
      unit: 'GB/s',
      flops: rows * cols,
    });
  }
  const train = (
    id: string,
    title: string,
    model: 'deep' | 'planar' | 'logreg' | 'deep_adam',
    dims: number[],
    hidden: 'relu' | 'tanh',
    m: number,
    learningRate: number,
    chunk: number,
    iterations: number,
  ): Workload => ({
    id: `train/${id}`,
    group: 'training',
    title,
    spec: { kind: 'train', model, dims, hidden, m, learningRate, chunk, iterations },
    work: () => 0,
    unit: 'ms/iter',
    flops: trainingFlops(dims, m) * chunk,
  });
  list.push(
    train(
      'deep_cat',
      'deep cat [12288,20,7,5,1] ReLU, one iteration, m=209',
      'deep',
      [12288, 20, 7, 5, 1],
      'relu',
      209,
      0.0075,
      1,
      1,
    ),
    {
      ...train(
        'adam_epoch',
        'deep cat [12288,20,7,5,1] ReLU, one epoch of mini-batch Adam (batches of 64), m=209',
        'deep_adam',
        [12288, 20, 7, 5, 1],
        'relu',
        209,
        0.0075,
        quick ? 1 : 5,
        quick ? 1 : 5,
      ),
      spec: {
        kind: 'train',
        model: 'deep_adam',
        dims: [12288, 20, 7, 5, 1],
        hidden: 'relu',
        m: 209,
        learningRate: 0.0075,
        chunk: quick ? 1 : 5,
        iterations: quick ? 1 : 5,
        miniBatchSize: 64,
      },
    },
    train(
      'planar',
      'planar [2,4,1] tanh, m=400',
      'planar',
      [2, 4, 1],
      'tanh',
      400,
      1.2,
      quick ? 50 : 1000,
      quick ? 100 : 10_000,
    ),
    train(
      'logreg',
      'logistic regression 12288x209',
      'logreg',
      [12288, 1],
      'relu',
      209,
      0.005,
      quick ? 2 : 20,
      quick ? 4 : 2000,
    ),
  );
  list.push(...courseRuns(quick));
  return list;
}

/**
 * The course's complete runs, timed whole (model creation, every iteration with its cost, the
 * recorded costs) against NumPy running the notebooks' code: logistic regression on the cat data
 * (2,000 iterations), the two-layer (12288, 7, 1) and L-layer [12288, 20, 7, 5, 1] models (2,500
 * each) and the planar [2, 4, 1] model (10,000). A quick run does a fiftieth of the iterations.
 */
function courseRuns(quick: boolean): Workload[] {
  const run = (
    model: CourseModel,
    title: string,
    dims: number[],
    hidden: 'relu' | 'tanh',
    m: number,
    learningRate: number,
    iterations: number,
  ): Workload => {
    const its = quick ? Math.max(1, Math.round(iterations / 50)) : iterations;
    return {
      id: `course/${model}`,
      group: 'course',
      title: `${title}, ${its} iterations`,
      spec: { kind: 'course', model, dims, hidden, m, learningRate, iterations: its },
      work: () => 0,
      unit: 'ms/run',
      flops: trainingFlops(dims, m) * its,
    };
  };
  return [
    run('logreg', 'course run: logistic regression on cat data', [12288, 1], 'relu', 209, 0.005, 2000),
    run('two_layer', 'course run: two-layer model (12288, 7, 1)', [12288, 7, 1], 'relu', 209, 0.0075, 2500),
    run(
      'deep',
      'course run: L-layer model [12288, 20, 7, 5, 1]',
      [12288, 20, 7, 5, 1],
      'relu',
      209,
      0.0075,
      2500,
    ),
    run('planar', 'course run: planar model [2, 4, 1]', [2, 4, 1], 'tanh', 400, 1.2, 10_000),
  ];
}

/** A workload's line of text for tables: the title and, for rates, what is counted. */
export function describeWork(w: Workload, dtype: DType): string {
  if (w.unit === 'GFLOP/s')
    return `${w.title} · ${dtype} · ${(w.work(dtype) / 1e6).toFixed(1)} MFLOP per call`;
  if (w.unit === 'GB/s')
    return `${w.title} · ${dtype} · ${(w.work(dtype) / 1e6).toFixed(1)} MB moved per call`;
  if (w.spec.kind === 'course')
    return `${w.title} · ${dtype} · one timed call is the whole run${w.spec.data ? ' (cat data)' : ' (random data of the same shape)'}`;
  const s = w.spec as Extract<Spec, { kind: 'train' }>;
  const scaled = s.iterations > 1 ? `; ${s.iterations} iterations = ${s.iterations / s.chunk} calls` : '';
  return `${w.title} · ${dtype} · ${s.chunk} iteration${s.chunk === 1 ? '' : 's'} per timed call${scaled}`;
}
