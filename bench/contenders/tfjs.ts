// TensorFlow.js 4.x contenders: tfjs-core with its CPU backend (plain JS kernels) and its WASM backend
// (XNNPACK). The same maths written with tfjs ops (training by hand, no autodiff), each call inside
// tf.tidy and finished with dataSync() so the work is complete when the timer stops. float32 only:
// tfjs has no float64 tensors.
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs-core';
import type { Spec } from '../workloads.js';
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
      return trainer(tf, spec);
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

/**
 * Full-batch gradient descent written with ops, as the course's notebooks write it in NumPy:
 * Z = W·A + b, A = g(Z); the cross-entropy from the logits; dZ_L = A_L - Y, dW = dZ·A_prevᵀ / m,
 * db = Σ dZ / m, dA_prev = Wᵀ·dZ, dZ = dA·g'(Z); W -= α dW, b -= α db.
 */
function trainer(tf: Tf, spec: Extract<Spec, { kind: 'train' }>): Prepared {
  const { X: xData, Y: yData } = trainingData(spec);
  const { dims, m, chunk, learningRate } = spec;
  const L = dims.length - 1;
  const X = tf.tensor(Float32Array.from(xData), [dims[0], m], 'float32');
  const Y = tf.tensor(Float32Array.from(yData), [dims[L], m], 'float32');
  // initial weights as vecnet's 'small'/'scaled'/'zeros' schemes scale them (values differ: timing only)
  let W: TF.Tensor[] = [];
  let b: TF.Tensor[] = [];
  for (let l = 1; l <= L; l++) {
    const scale = spec.model === 'logreg' ? 0 : spec.model === 'planar' ? 0.01 : 1 / Math.sqrt(dims[l - 1]);
    const w = randomData(dims[l] * dims[l - 1], 100 + l, -Math.sqrt(3), Math.sqrt(3)).map((v) => v * scale);
    W[l] = tf.tensor(Float32Array.from(w), [dims[l], dims[l - 1]], 'float32');
    b[l] = tf.zeros([dims[l], 1], 'float32');
  }
  const hidden = spec.hidden;
  const step = () =>
    tf.tidy(() => {
      const A: TF.Tensor[] = [X];
      const Z: TF.Tensor[] = [];
      for (let l = 1; l <= L; l++) {
        Z[l] = tf.add(tf.matMul(W[l], A[l - 1]), b[l]);
        A[l] = l === L ? tf.sigmoid(Z[l]) : hidden === 'relu' ? tf.relu(Z[l]) : tf.tanh(Z[l]);
      }
      const ZL = Z[L];
      const loss = tf.sub(tf.add(tf.log1p(tf.exp(tf.neg(tf.abs(ZL)))), tf.relu(ZL)), tf.mul(Y, ZL));
      const cost = tf.div(tf.sum(loss), m);
      const nextW: TF.Tensor[] = [];
      const nextB: TF.Tensor[] = [];
      let dZ = tf.sub(A[L], Y);
      for (let l = L; l >= 1; l--) {
        const dW = tf.div(tf.matMul(dZ, A[l - 1], false, true), m);
        const db = tf.div(tf.sum(dZ, 1, true), m);
        if (l > 1) {
          const dA = tf.matMul(W[l], dZ, true, false);
          dZ =
            hidden === 'relu' ? tf.mul(dA, tf.step(Z[l - 1], 0)) : tf.mul(dA, tf.sub(1, tf.square(A[l - 1])));
        }
        nextW[l] = tf.sub(W[l], tf.mul(dW, learningRate));
        nextB[l] = tf.sub(b[l], tf.mul(db, learningRate));
      }
      return { nextW, nextB, cost };
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
