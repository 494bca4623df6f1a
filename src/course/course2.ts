// Course 2, "Improving Deep Neural Networks": the graded functions of its notebooks
// "Initialization", "Regularization" and "Optimization Methods" as the notebooks write them, over
// vecnet's arrays. Parameters, gradients and moments are dictionaries keyed as in the notebooks
// (W1, b1, … / dW1, db1, …). The update functions return new arrays and leave their inputs as they
// were (the notebooks rebind the names to the results: `parameters, v = update_…(parameters, …)`).

import { gt, lt, type NDArray, NDArray as NDArrayClass, tidy } from '../ndarray/index.js';
import * as np from './np.js';
import { crossEntropyCost } from './steps.js';
import { type ArrayInput, asArray, toNumber } from './values.js';
import { sigmoid as logistic } from './week2.js';

/** A dictionary of arrays keyed as the notebooks' (parameters, grads, v, s). */
export type Dict = Record<string, NDArray>;

/** The layer count L of a parameters dictionary { W1, b1, …, WL, bL }. */
function layers(where: string, parameters: Dict): number {
  if (parameters === null || typeof parameters !== 'object') {
    throw new TypeError(`${where}: parameters must be a dictionary { W1, b1, … }`);
  }
  let L = 0;
  while (`W${L + 1}` in parameters && `b${L + 1}` in parameters) L++;
  if (L === 0) throw new TypeError(`${where}: parameters has no W1 and b1`);
  return L;
}

/** The entry `key` of a dictionary, or an error naming it. */
function entry(where: string, dict: Dict, name: string, key: string): NDArray {
  const x = dict?.[key];
  if (!(x instanceof NDArrayClass)) throw new TypeError(`${where}: ${name} has no array '${key}'`);
  return x;
}

/**
 * `random_mini_batches(X, Y, mini_batch_size=64, seed=0)` → `[[mini_batch_X, mini_batch_Y], …]`:
 * seeds np.random, shuffles the columns of X and Y by `np.random.permutation(m)`, then cuts
 * ⌊m / mini_batch_size⌋ complete batches and one partial batch of the rest.
 */
export function random_mini_batches(
  X: ArrayInput,
  Y: ArrayInput,
  mini_batch_size = 64,
  seed = 0,
): [NDArray, NDArray][] {
  const where = 'random_mini_batches';
  const x = asArray(X, 'X');
  const y = asArray(Y, 'Y');
  if (x.ndim !== 2 || y.ndim !== 2 || x.shape[1] !== y.shape[1]) {
    throw new TypeError(
      `${where}: X (n_x, m) and Y (n_y, m) must share m, got shapes (${x.shape.join(',')}) and (${y.shape.join(',')})`,
    );
  }
  if (!Number.isInteger(mini_batch_size) || mini_batch_size < 1) {
    throw new RangeError(`${where}: mini_batch_size must be a positive integer, got ${mini_batch_size}`);
  }
  np.random.seed(seed);
  const m = x.shape[1];
  const permutation = np.random.permutation(m);
  const order = permutation.data;
  permutation.dispose();
  const batches: [NDArray, NDArray][] = [];
  for (let first = 0; first < m; first += mini_batch_size) {
    const columns = order.subarray(first, Math.min(first + mini_batch_size, m));
    batches.push([takeColumns(x, columns), takeColumns(y, columns)]);
  }
  return batches;
}

/** `a[:, columns]` as a new float64 array. */
function takeColumns(a: NDArray, columns: ArrayLike<number>): NDArray {
  const [rows, m] = a.shape;
  const data = a.data;
  const out = new Float64Array(rows * columns.length);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < columns.length; c++) out[i * columns.length + c] = data[i * m + columns[c]];
  }
  return np.reshape(out as unknown as ArrayInput, [rows, columns.length]);
}

/** Zeros shaped like each parameter, keyed dW1, db1, …: the notebooks' v (and s). */
function zerosLikeGrads(where: string, parameters: Dict): Dict {
  const L = layers(where, parameters);
  const out: Dict = {};
  for (let l = 1; l <= L; l++) {
    for (const p of ['W', 'b'])
      out[`d${p}${l}`] = np.zeros(entry(where, parameters, 'parameters', `${p}${l}`).shape);
  }
  return out;
}

/** `initialize_velocity(parameters)` → v with zeros shaped like each dW, db. */
export function initialize_velocity(parameters: Dict): Dict {
  return zerosLikeGrads('initialize_velocity', parameters);
}

/** `initialize_adam(parameters)` → `[v, s]`, both zeros shaped like each dW, db. */
export function initialize_adam(parameters: Dict): [Dict, Dict] {
  return [zerosLikeGrads('initialize_adam', parameters), zerosLikeGrads('initialize_adam', parameters)];
}

/**
 * `update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)` → `[parameters, v]`:
 * v = β·v + (1 - β)·grad, then W = W - learning_rate·v, for every W and b.
 */
export function update_parameters_with_momentum(
  parameters: Dict,
  grads: Dict,
  v: Dict,
  beta: number,
  learning_rate: number,
): [Dict, Dict] {
  const where = 'update_parameters_with_momentum';
  const L = layers(where, parameters);
  return tidy(() => {
    const next: Dict = {};
    const velocity: Dict = {};
    for (let l = 1; l <= L; l++) {
      for (const p of ['W', 'b']) {
        const k = `d${p}${l}`;
        const g = entry(where, grads, 'grads', k);
        velocity[k] = np.add(np.multiply(beta, entry(where, v, 'v', k)), np.multiply(1 - beta, g)) as NDArray;
        const w = entry(where, parameters, 'parameters', `${p}${l}`);
        next[`${p}${l}`] = np.subtract(w, np.multiply(learning_rate, velocity[k])) as NDArray;
      }
    }
    return [next, velocity];
  });
}

/**
 * `update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9,
 * beta2=0.999, epsilon=1e-8)` → `[parameters, v, s, v_corrected, s_corrected]`: the moments, their
 * bias corrections by 1 - β^t, and W = W - learning_rate·v_corrected / (√s_corrected + ε).
 */
export function update_parameters_with_adam(
  parameters: Dict,
  grads: Dict,
  v: Dict,
  s: Dict,
  t: number,
  learning_rate = 0.01,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon = 1e-8,
): [Dict, Dict, Dict, Dict, Dict] {
  const where = 'update_parameters_with_adam';
  const L = layers(where, parameters);
  if (!Number.isInteger(t) || t < 1) throw new RangeError(`${where}: t must be a positive integer, got ${t}`);
  return tidy(() => {
    const out: [Dict, Dict, Dict, Dict, Dict] = [{}, {}, {}, {}, {}];
    const [next, v1, s1, vc, sc] = out;
    for (let l = 1; l <= L; l++) {
      for (const p of ['W', 'b']) {
        const k = `d${p}${l}`;
        const g = entry(where, grads, 'grads', k);
        v1[k] = np.add(np.multiply(beta1, entry(where, v, 'v', k)), np.multiply(1 - beta1, g)) as NDArray;
        vc[k] = np.divide(v1[k], 1 - beta1 ** t) as NDArray;
        s1[k] = np.add(
          np.multiply(beta2, entry(where, s, 's', k)),
          np.multiply(1 - beta2, np.power(g, 2)),
        ) as NDArray;
        sc[k] = np.divide(s1[k], 1 - beta2 ** t) as NDArray;
        const step = np.divide(np.multiply(learning_rate, vc[k]), np.add(np.sqrt(sc[k]), epsilon));
        next[`${p}${l}`] = np.subtract(entry(where, parameters, 'parameters', `${p}${l}`), step) as NDArray;
      }
    }
    return out;
  });
}

/** `update_lr(learning_rate0, epoch_num, decay_rate)`: learning_rate0 / (1 + decay_rate·epoch_num). */
export function update_lr(learning_rate0: number, epoch_num: number, decay_rate: number): number {
  return learning_rate0 / (1 + decay_rate * epoch_num);
}

/**
 * `schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000)`:
 * learning_rate0 / (1 + decay_rate·⌊epoch_num / time_interval⌋).
 */
export function schedule_lr_decay(
  learning_rate0: number,
  epoch_num: number,
  decay_rate: number,
  time_interval = 1000,
): number {
  return learning_rate0 / (1 + decay_rate * Math.floor(epoch_num / time_interval));
}

/** `initialize_parameters_he(layers_dims)`: seeds np.random with 3, then randn·√(2 / n_prev) per layer. */
export function initialize_parameters_he(layers_dims: readonly number[]): Dict {
  np.random.seed(3);
  const parameters: Dict = {};
  for (let l = 1; l < layers_dims.length; l++) {
    const draw = np.random.randn(layers_dims[l], layers_dims[l - 1]) as NDArray;
    parameters[`W${l}`] = np.multiply(draw, Math.sqrt(2 / layers_dims[l - 1])) as NDArray;
    draw.dispose();
    parameters[`b${l}`] = np.zeros([layers_dims[l], 1]);
  }
  return parameters;
}

/**
 * `compute_cost_with_regularization(A3, Y, parameters, lambd)`: the cross-entropy plus
 * (1/m)·(λ/2)·Σ_l Σ W[l]² over every layer of `parameters`.
 */
export function compute_cost_with_regularization(
  A3: ArrayInput,
  Y: ArrayInput,
  parameters: Dict,
  lambd: number,
): number {
  const where = 'compute_cost_with_regularization';
  const L = layers(where, parameters);
  const m = asArray(Y, 'Y').shape[1];
  const cross_entropy_cost = crossEntropyCost(A3, Y);
  let squares = 0;
  for (let l = 1; l <= L; l++) {
    squares += tidy(() => toNumber(np.sum(np.power(entry(where, parameters, 'parameters', `W${l}`), 2))));
  }
  return cross_entropy_cost + (1 / m) * (lambd / 2) * squares;
}

/** The notebooks' 3-layer cache of forward_propagation_with_dropout. */
export type DropoutCache = [
  Z1: NDArray,
  D1: NDArray,
  A1: NDArray,
  W1: NDArray,
  b1: NDArray,
  Z2: NDArray,
  D2: NDArray,
  A2: NDArray,
  W2: NDArray,
  b2: NDArray,
  Z3: NDArray,
  A3: NDArray,
  W3: NDArray,
  b3: NDArray,
];

/**
 * `forward_propagation_with_dropout(X, parameters, keep_prob=0.5)` → `[A3, cache]`: LINEAR → RELU →
 * dropout → LINEAR → RELU → dropout → LINEAR → SIGMOID. Seeds np.random with 1 on every call, as
 * the notebook does, so every call draws the same masks D1, D2 (`rand(…) < keep_prob`).
 */
export function forward_propagation_with_dropout(
  X: ArrayInput,
  parameters: Dict,
  keep_prob = 0.5,
): [NDArray, DropoutCache] {
  const where = 'forward_propagation_with_dropout';
  np.random.seed(1);
  const x = asArray(X, 'X');
  const [W1, b1, W2, b2, W3, b3] = ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'].map((k) =>
    entry(where, parameters, 'parameters', k),
  );
  const layer = (W: NDArray, A: NDArray, b: NDArray) => np.add(np.dot(W, A), b) as NDArray;
  // D = (rand(…) < keep_prob), A = A * D, A = A / keep_prob
  const dropped = (A: NDArray): [NDArray, NDArray] =>
    tidy(() => {
      const D = lt(np.random.rand(A.shape[0], A.shape[1]) as NDArray, keep_prob);
      return [D, np.divide(np.multiply(A, D), keep_prob) as NDArray];
    });
  const Z1 = layer(W1, x, b1);
  const [D1, A1] = dropped(np.maximum(0, Z1) as NDArray);
  const Z2 = layer(W2, A1, b2);
  const [D2, A2] = dropped(np.maximum(0, Z2) as NDArray);
  const Z3 = layer(W3, A2, b3);
  const A3 = logistic(Z3) as NDArray;
  return [A3, [Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3]];
}

/**
 * The notebooks' 3-layer backward pass (LINEAR → RELU → LINEAR → RELU → LINEAR → SIGMOID): dZ3 = A3 - Y,
 * dW = 1/m · dZ·A_prevᵀ (plus (λ·W) / m with L2), db = 1/m · Σ dZ, dA = Wᵀ·dZ (times D, divided by
 * keep_prob, with dropout masks), dZ = dA · (A > 0). `W` is [W1, W2, W3], `A` is [A1, A2, A3] as the
 * forward pass cached them.
 */
function backward3(
  X: ArrayInput,
  Y: ArrayInput,
  W: readonly NDArray[],
  A: readonly NDArray[],
  options: { lambd?: number; D?: readonly NDArray[]; keep_prob?: number },
): Dict {
  const x = asArray(X, 'X');
  const y = asArray(Y, 'Y');
  const m = x.shape[1];
  const { lambd, D, keep_prob = 1 } = options;
  return tidy(() => {
    const grads: Dict = {};
    let dZ = np.subtract(A[2], y) as NDArray;
    for (let l = 3; l >= 1; l--) {
      const A_prev = l === 1 ? x : A[l - 2];
      grads[`dZ${l}`] = dZ;
      const dW = np.multiply(1 / m, np.dot(dZ, A_prev.T));
      grads[`dW${l}`] = (
        lambd === undefined ? dW : np.add(dW, np.divide(np.multiply(lambd, W[l - 1]), m))
      ) as NDArray;
      grads[`db${l}`] = np.multiply(1 / m, np.sum(dZ, 1, true)) as NDArray;
      if (l === 1) break;
      let dA = np.dot(W[l - 1].T, dZ) as NDArray;
      if (D) dA = np.divide(np.multiply(dA, D[l - 2]), keep_prob) as NDArray;
      grads[`dA${l - 1}`] = dA;
      dZ = np.multiply(dA, gt(A_prev, 0)) as NDArray;
    }
    return grads;
  });
}

/**
 * `backward_propagation_with_dropout(X, Y, cache, keep_prob)` → grads (dZ3, dW3, db3, dA2, dZ2, …):
 * backpropagation through the 3-layer net, each dA masked by the forward pass's D and divided by
 * keep_prob.
 */
export function backward_propagation_with_dropout(
  X: ArrayInput,
  Y: ArrayInput,
  cache: DropoutCache,
  keep_prob: number,
): Dict {
  const [, D1, A1, W1, , , D2, A2, W2, , , A3, W3] = cache;
  return backward3(X, Y, [W1, W2, W3], [A1, A2, A3], { D: [D1, D2], keep_prob });
}

/**
 * `backward_propagation_with_regularization(X, Y, cache, lambd)` → grads: backpropagation through
 * the 3-layer net of `forward_propagation`, each dW plus (λ·W) / m.
 */
export function backward_propagation_with_regularization(
  X: ArrayInput,
  Y: ArrayInput,
  cache: RegularizationCache,
  lambd: number,
): Dict {
  const [, A1, W1, , , A2, W2, , , A3, W3] = cache;
  return backward3(X, Y, [W1, W2, W3], [A1, A2, A3], { lambd });
}

/** The notebooks' 3-layer cache of forward_propagation (reg_utils / opt_utils). */
export type RegularizationCache = [
  Z1: NDArray,
  A1: NDArray,
  W1: NDArray,
  b1: NDArray,
  Z2: NDArray,
  A2: NDArray,
  W2: NDArray,
  b2: NDArray,
  Z3: NDArray,
  A3: NDArray,
  W3: NDArray,
  b3: NDArray,
];

/**
 * `forward_propagation(X, parameters)` of the course-2 notebooks (reg_utils, opt_utils) → `[A3,
 * cache]`: LINEAR → RELU → LINEAR → RELU → LINEAR → SIGMOID.
 */
export function forward_propagation(X: ArrayInput, parameters: Dict): [NDArray, RegularizationCache] {
  const where = 'forward_propagation';
  const x = asArray(X, 'X');
  const [W1, b1, W2, b2, W3, b3] = ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'].map((k) =>
    entry(where, parameters, 'parameters', k),
  );
  const Z1 = np.add(np.dot(W1, x), b1) as NDArray;
  const A1 = np.maximum(0, Z1) as NDArray;
  const Z2 = np.add(np.dot(W2, A1), b2) as NDArray;
  const A2 = np.maximum(0, Z2) as NDArray;
  const Z3 = np.add(np.dot(W3, A2), b3) as NDArray;
  const A3 = logistic(Z3) as NDArray;
  return [A3, [Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3]];
}
