// TensorFlow.js 4.x contenders: tfjs-core with its CPU backend (plain JS kernels) and its WASM backend
// (XNNPACK). The same maths written with tfjs ops (training by hand, no autodiff), each call inside
// tf.tidy and finished with dataSync() so the work is complete when the timer stops. float32 only:
// tfjs has no float64 tensors.
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs-core';
import type { Spec } from '../workloads.js';
import { courseData } from './course-data.js';
import { type Contender, type Prepared, randomData, trainingData } from './types.js';

export interface TfjsInfo {
  version: string;
  backends: string[];
  wasm: { simd: boolean; multithread: boolean; threads: number } | null;
  note: string;
}

type Tf = typeof TF;

/** Loads tfjs-core with the cpu and wasm backends (the .wasm files from node_modules). */
export async function loadTfjs(root: string): Promise<{ contenders: Contender[]; info: TfjsInfo }> {
  const tf: Tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const wasmPkg = await import('@tensorflow/tfjs-backend-wasm');
  wasmPkg.setWasmPaths(`${path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  const backends = ['cpu'];
  let wasm: TfjsInfo['wasm'] = null;
  let note = '';
  try {
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const multithread = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
    await tf.ready();
    wasm = { simd, multithread, threads: wasmPkg.getThreadsCount() };
    backends.push('wasm');
  } catch (err) {
    note = `tfjs-wasm unavailable: ${(err as Error).message}`;
  }
  const contenders = backends.map((b) => tfjsContender(tf, b));
  return { contenders, info: { version: tf.version_core, backends, wasm, note } };
}

function tfjsContender(tf: Tf, backend: string): Contender {
  return {
    id: `tfjs-${backend}`,
    label: `tfjs-${backend}`,
    unsupported: (spec, dtype) =>
      dtype === 'float64'
        ? 'tfjs has no float64 tensors'
        : spec.kind === 'course'
          ? 'complete course runs: vecnet and NumPy only'
          : null,
    prepare: async (spec) => {
      if (tf.getBackend() !== backend) {
        await tf.setBackend(backend);
        await tf.ready();
      }
      return prepare(tf, spec);
    },
  };
}

function prepare(tf: Tf, spec: Spec): Prepared {
  const owned: TF.Tensor[] = [];
  const make = (values: Float64Array, shape: number[]) => {
    const t = tf.tensor(Float32Array.from(values), shape, 'float32');
    owned.push(t);
    return t;
  };
  const done = (op: () => TF.Tensor): Prepared => ({
    run: () =>
      tf.tidy(() => {
        op().dataSync();
      }),
    dispose: () => tf.dispose(owned),
  });
  switch (spec.kind) {
    case 'dot': {
      const a = make(randomData(spec.n, 1), [spec.n]);
      const b = make(randomData(spec.n, 2), [spec.n]);
      return done(() => tf.dot(a, b));
    }
    case 'gemm': {
      const { M, N, K, transA, transB } = spec;
      const a = make(randomData(M * K, 1), transA ? [K, M] : [M, K]);
      const b = make(randomData(K * N, 2), transB ? [N, K] : [K, N]);
      return done(() => tf.matMul(a, b, transA, transB));
    }
    case 'bias_add': {
      const z = make(randomData(spec.n * spec.m, 1), [spec.n, spec.m]);
      const b = make(randomData(spec.n, 2), [spec.n, 1]);
      return done(() => tf.add(z, b));
    }
    case 'unary': {
      const x = make(randomData(spec.n, 1, -4, 4), [spec.n]);
      const f = { sigmoid: tf.sigmoid, tanh: tf.tanh, relu: tf.relu }[spec.op];
      return done(() => f(x));
    }
    case 'unary_grad': {
      const x = make(randomData(spec.n, 1, -4, 4), [spec.n]);
      const dy = make(randomData(spec.n, 2), [spec.n]);
      const op = spec.op;
      return done(() => activationGrad(tf, op, x, dy));
    }
    case 'sum': {
      const x = make(randomData(spec.rows * spec.cols, 1), [spec.rows, spec.cols]);
      return done(() => tf.sum(x, spec.axis, true));
    }
    case 'train':
      return spec.model === 'deep_adam' ? adamEpochs(tf, spec) : trainer(tf, spec);
    case 'course':
      throw new Error('tfjs: complete course runs are not implemented');
  }
}

/** dy · g'(x) from the pre-activation x, as vecnet's unaryGrad computes it. */
function activationGrad(tf: Tf, op: 'sigmoid' | 'tanh' | 'relu', x: TF.Tensor, dy: TF.Tensor): TF.Tensor {
  if (op === 'sigmoid') {
    const s = tf.sigmoid(x);
    return tf.mul(dy, tf.mul(s, tf.sub(1, s)));
  }
  if (op === 'tanh') return tf.mul(dy, tf.sub(1, tf.square(tf.tanh(x))));
  return tf.mul(dy, tf.step(x, 0));
}

/** Initial weights, W[l] uniform in ±√3 times `scale(n_{l-1})` (values differ from vecnet's: timing only), zero biases. */
function initialWeights(tf: Tf, dims: number[], scale: (nPrev: number) => number) {
  const W: TF.Tensor[] = [];
  const b: TF.Tensor[] = [];
  for (let l = 1; l < dims.length; l++) {
    const s = scale(dims[l - 1]);
    const w = randomData(dims[l] * dims[l - 1], 100 + l, -Math.sqrt(3), Math.sqrt(3)).map((v) => v * s);
    W[l] = tf.tensor(Float32Array.from(w), [dims[l], dims[l - 1]], 'float32');
    b[l] = tf.zeros([dims[l], 1], 'float32');
  }
  return { W, b };
}

/**
 * One forward and backward pass with ops, as the course's notebooks write it in NumPy (call inside
 * tf.tidy): Z = W·A + b, A = g(Z), the cross-entropy summed from the logits, dZ_L = A_L - Y,
 * dW = dZ·A_prevᵀ / m, db = Σ dZ / m, dA_prev = Wᵀ·dZ, dZ = dA·g'(Z).
 */
function forwardBackward(
  tf: Tf,
  W: TF.Tensor[],
  b: TF.Tensor[],
  X: TF.Tensor,
  Y: TF.Tensor,
  m: number,
  hidden: 'relu' | 'tanh',
) {
  const L = W.length - 1;
  const A: TF.Tensor[] = [X];
  const Z: TF.Tensor[] = [];
  for (let l = 1; l <= L; l++) {
    Z[l] = tf.add(tf.matMul(W[l], A[l - 1]), b[l]);
    A[l] = l === L ? tf.sigmoid(Z[l]) : hidden === 'relu' ? tf.relu(Z[l]) : tf.tanh(Z[l]);
  }
  const ZL = Z[L];
  const costSum = tf.sum(tf.sub(tf.add(tf.log1p(tf.exp(tf.neg(tf.abs(ZL)))), tf.relu(ZL)), tf.mul(Y, ZL)));
  const dW: TF.Tensor[] = [];
  const db: TF.Tensor[] = [];
  let dZ = tf.sub(A[L], Y);
  for (let l = L; l >= 1; l--) {
    dW[l] = tf.div(tf.matMul(dZ, A[l - 1], false, true), m);
    db[l] = tf.div(tf.sum(dZ, 1, true), m);
    if (l > 1) {
      const dA = tf.matMul(W[l], dZ, true, false);
      dZ = hidden === 'relu' ? tf.mul(dA, tf.step(Z[l - 1], 0)) : tf.mul(dA, tf.sub(1, tf.square(A[l - 1])));
    }
  }
  return { costSum, dW, db };
}

/** Full-batch gradient descent with ops: forwardBackward, then W -= α dW, b -= α db. */
function trainer(tf: Tf, spec: Extract<Spec, { kind: 'train' }>): Prepared {
  const { X: xData, Y: yData } = trainingData(spec);
  const { dims, m, chunk, learningRate } = spec;
  const L = dims.length - 1;
  const X = tf.tensor(Float32Array.from(xData), [dims[0], m], 'float32');
  const Y = tf.tensor(Float32Array.from(yData), [dims[L], m], 'float32');
  // scaled as vecnet's 'zeros' / 'small' / 'scaled' schemes
  let { W, b } = initialWeights(tf, dims, (nPrev) =>
    spec.model === 'logreg' ? 0 : spec.model === 'planar' ? 0.01 : 1 / Math.sqrt(nPrev),
  );
  const step = () =>
    tf.tidy(() => {
      const { costSum, dW, db } = forwardBackward(tf, W, b, X, Y, m, spec.hidden);
      const nextW = W.map((w, l) => tf.sub(w, tf.mul(dW[l], learningRate)));
      const nextB = b.map((v, l) => tf.sub(v, tf.mul(db[l], learningRate)));
      return { nextW, nextB, cost: tf.div(costSum, m) };
    });
  return {
    run: () => {
      let last = 0;
      for (let i = 0; i < chunk; i++) {
        const { nextW, nextB, cost } = step();
        tf.dispose([...W.slice(1), ...b.slice(1)]);
        W = nextW;
        b = nextB;
        last = cost.dataSync()[0];
        cost.dispose();
      }
      if (Number.isNaN(last)) throw new Error('tfjs: training diverged (cost NaN)');
    },
    dispose: () => tf.dispose([X, Y, ...W.slice(1), ...b.slice(1)]),
  };
}

/**
 * Epochs of mini-batch Adam with ops, as the course's model() does it in NumPy: per epoch a shuffle
 * of the columns (tf.gather), then per batch of 64 forwardBackward and Adam's moment updates with
 * bias correction.
 */
function adamEpochs(tf: Tf, spec: Extract<Spec, { kind: 'train' }>): Prepared {
  const { X: xData, Y: yData } = courseData(spec);
  const { dims, m, chunk, learningRate } = spec;
  const size = spec.miniBatchSize ?? 64;
  const L = dims.length - 1;
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const X = tf.tensor(Float32Array.from(xData), [dims[0], m], 'float32');
  const Y = tf.tensor(Float32Array.from(yData), [dims[L], m], 'float32');
  let { W, b } = initialWeights(tf, dims, (nPrev) => Math.sqrt(2 / nPrev));
  // moments in the order W1, b1, W2, b2, …
  let v: TF.Tensor[] = [];
  let sq: TF.Tensor[] = [];
  for (let l = 1; l <= L; l++) {
    v.push(tf.zerosLike(W[l]), tf.zerosLike(b[l]));
    sq.push(tf.zerosLike(W[l]), tf.zerosLike(b[l]));
  }
  let t = 0;
  let seed = 10;
  const order = new Int32Array(m);
  const step = (bx: TF.Tensor, by: TF.Tensor, mb: number) =>
    tf.tidy(() => {
      const { costSum, dW, db } = forwardBackward(tf, W, b, bx, by, mb, 'relu');
      const grads = dW.slice(1).flatMap((g, i) => [g, db[i + 1]]);
      const params = W.slice(1).flatMap((w, i) => [w, b[i + 1]]);
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      const nextV = grads.map((g, i) => tf.add(tf.mul(v[i], beta1), tf.mul(g, 1 - beta1)));
      const nextS = grads.map((g, i) => tf.add(tf.mul(sq[i], beta2), tf.mul(tf.square(g), 1 - beta2)));
      const next = params.map((p, i) =>
        tf.sub(
          p,
          tf.div(tf.mul(tf.div(nextV[i], c1), learningRate), tf.add(tf.sqrt(tf.div(nextS[i], c2)), epsilon)),
        ),
      );
      return { next, nextV, nextS, cost: costSum };
    });
  return {
    run: () => {
      let total = 0;
      for (let e = 0; e < chunk; e++) {
        // the epoch's shuffle (a seeded Fisher–Yates; the order only matters for timing)
        seed++;
        const r = randomData(m, seed, 0, 1);
        for (let i = 0; i < m; i++) order[i] = i;
        for (let i = m - 1; i > 0; i--) {
          const j = Math.floor(r[i] * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
        const [xs, ys] = tf.tidy(() => {
          const idx = tf.tensor1d(order, 'int32');
          return [tf.gather(X, idx, 1), tf.gather(Y, idx, 1)];
        });
        total = 0;
        for (let first = 0; first < m; first += size) {
          const mb = Math.min(size, m - first);
          const bx = tf.slice(xs, [0, first], [dims[0], mb]);
          const by = tf.slice(ys, [0, first], [dims[L], mb]);
          t++;
          const { next, nextV, nextS, cost } = step(bx, by, mb);
          tf.dispose([bx, by, ...W.slice(1), ...b.slice(1), ...v, ...sq]);
          W = [W[0], ...next.filter((_, i) => i % 2 === 0)];
          b = [b[0], ...next.filter((_, i) => i % 2 === 1)];
          v = nextV;
          sq = nextS;
          total += cost.dataSync()[0];
          cost.dispose();
        }
        tf.dispose([xs, ys]);
      }
      if (Number.isNaN(total)) throw new Error('tfjs: Adam diverged (cost NaN)');
    },
    dispose: () => tf.dispose([X, Y, ...W.slice(1), ...b.slice(1), ...v, ...sq]),
  };
}
