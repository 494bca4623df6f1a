// Week 4: "Building your Deep Neural Network: Step by Step" (its graded functions and the dnn_utils
// helpers) and "Deep Neural Network for Image Classification: Application" (two_layer_model,
// L_layer_model, predict), as the notebooks write them. Caches are the notebooks' tuples as arrays:
// linear_cache = [A_prev, W, b], activation_cache = Z, cache = [linear_cache, activation_cache].

import { UnaryOp } from '../backend/index.js';
import { type NDArray, tidy, unaryGrad } from '../ndarray/index.js';
import * as np from './np.js';
import { costLineRepr, output, pyRepr } from './print.js';
import { crossEntropyCost, gradientStep } from './steps.js';
import { type ArrayInput, asArray, disposeAll, toNumber } from './values.js';
import { sigmoid as logistic } from './week2.js';

/** Parameters keyed as the notebooks' dictionary: W1, b1, …, WL, bL. */
export type Parameters = Record<string, NDArray>;
/** Gradients keyed as the notebooks' dictionary: dA0, dW1, db1, … */
export type Grads = Record<string, NDArray>;
export type LinearCache = [A_prev: NDArray, W: NDArray, b: NDArray];
export type Cache = [linear_cache: LinearCache, activation_cache: NDArray];
export type Activation = 'sigmoid' | 'relu';

/** `sigmoid(Z)` → `[A, cache]` (dnn_utils): A = 1 / (1 + e^-Z), cache = Z. */
export function sigmoid(Z: ArrayInput): [NDArray, NDArray] {
  const z = asArray(Z, 'Z');
  return [tidy(() => logistic(z) as NDArray), z];
}

/** `relu(Z)` → `[A, cache]` (dnn_utils): A = max(0, Z), cache = Z. */
export function relu(Z: ArrayInput): [NDArray, NDArray] {
  const z = asArray(Z, 'Z');
  return [np.maximum(0, z) as NDArray, z];
}

/** `relu_backward(dA, cache)`: dA where Z > 0, else 0 (cache = Z). */
export function relu_backward(dA: ArrayInput, cache: ArrayInput): NDArray {
  return unaryGrad(UnaryOp.Relu, asArray(cache, 'cache'), asArray(dA, 'dA'));
}

/** `sigmoid_backward(dA, cache)`: dA·s·(1 - s) with s = sigmoid(Z) (cache = Z). */
export function sigmoid_backward(dA: ArrayInput, cache: ArrayInput): NDArray {
  return tidy(() => {
    const s = sigmoid(cache)[0];
    return np.multiply(np.multiply(dA, s), np.subtract(1, s)) as NDArray;
  });
}

/** `initialize_parameters(n_x, n_h, n_y)`: seeds np.random with 1, then randn·0.01 weights, zero biases. */
export function initialize_parameters(n_x: number, n_h: number, n_y: number): Parameters {
  np.random.seed(1);
  const W1 = np.multiply(np.random.randn(n_h, n_x), 0.01) as NDArray;
  const b1 = np.zeros([n_h, 1]);
  const W2 = np.multiply(np.random.randn(n_y, n_h), 0.01) as NDArray;
  const b2 = np.zeros([n_y, 1]);
  return { W1, b1, W2, b2 };
}

/** Weights for layers 1 … L-1 drawn from np.random, each scaled by `scale(n_prev)`; zero biases. */
function deepParameters(
  layer_dims: readonly number[],
  scale: (nPrev: number) => number,
  divide: boolean,
): Parameters {
  const parameters: Parameters = {};
  for (let l = 1; l < layer_dims.length; l++) {
    const draw = np.random.randn(layer_dims[l], layer_dims[l - 1]) as NDArray;
    const s = scale(layer_dims[l - 1]);
    parameters[`W${l}`] = (divide ? np.divide(draw, s) : np.multiply(draw, s)) as NDArray;
    draw.dispose();
    parameters[`b${l}`] = np.zeros([layer_dims[l], 1]);
  }
  return parameters;
}

/** `initialize_parameters_deep(layer_dims)`: seeds np.random with 3, then randn·0.01 per layer. */
export function initialize_parameters_deep(layer_dims: readonly number[]): Parameters {
  np.random.seed(3);
  return deepParameters(layer_dims, () => 0.01, false);
}

/** `linear_forward(A, W, b)` → `[Z, cache]` with Z = W·A + b, cache = [A, W, b]. */
export function linear_forward(A: ArrayInput, W: ArrayInput, b: ArrayInput): [NDArray, LinearCache] {
  const a = asArray(A, 'A');
  const w = asArray(W, 'W');
  const bb = asArray(b, 'b');
  const Z = tidy(() => np.add(np.dot(w, a), bb) as NDArray);
  return [Z, [a, w, bb]];
}

/** `linear_activation_forward(A_prev, W, b, activation)` → `[A, cache]`. */
export function linear_activation_forward(
  A_prev: ArrayInput,
  W: ArrayInput,
  b: ArrayInput,
  activation: Activation,
): [NDArray, Cache] {
  if (activation !== 'sigmoid' && activation !== 'relu') {
    throw new TypeError(
      `linear_activation_forward: activation must be "sigmoid" or "relu", got ${JSON.stringify(activation)}`,
    );
  }
  const [Z, linear_cache] = linear_forward(A_prev, W, b);
  const [A, activation_cache] = activation === 'sigmoid' ? sigmoid(Z) : relu(Z);
  return [A, [linear_cache, activation_cache]];
}

/** `L_model_forward(X, parameters)` → `[AL, caches]`: relu for layers 1 … L-1, sigmoid for L. */
export function L_model_forward(X: ArrayInput, parameters: Parameters): [NDArray, Cache[]] {
  const caches: Cache[] = [];
  let A = asArray(X, 'X');
  const L = Math.floor(Object.keys(parameters).length / 2);
  for (let l = 1; l < L; l++) {
    const [next, cache] = linear_activation_forward(A, parameters[`W${l}`], parameters[`b${l}`], 'relu');
    caches.push(cache);
    A = next;
  }
  const [AL, cache] = linear_activation_forward(A, parameters[`W${L}`], parameters[`b${L}`], 'sigmoid');
  caches.push(cache);
  return [AL, caches];
}

/** `compute_cost(AL, Y)`: the cross-entropy cost, a number. */
export const compute_cost = (AL: ArrayInput, Y: ArrayInput): number => crossEntropyCost(AL, Y);

/** `linear_backward(dZ, cache)` → `[dA_prev, dW, db]`. */
export function linear_backward(dZ: ArrayInput, cache: LinearCache): [NDArray, NDArray, NDArray] {
  return tidy(() => {
    const [A_prev, W] = cache;
    const dz = asArray(dZ, 'dZ');
    const m = A_prev.shape[1];
    const dW = np.multiply(1 / m, np.dot(dz, A_prev.T)) as NDArray;
    const db = np.multiply(1 / m, np.sum(dz, 1, true)) as NDArray;
    const dA_prev = np.dot(W.T, dz) as NDArray;
    return [dA_prev, dW, db];
  });
}

/** `linear_activation_backward(dA, cache, activation)` → `[dA_prev, dW, db]`. */
export function linear_activation_backward(
  dA: ArrayInput,
  cache: Cache,
  activation: Activation,
): [NDArray, NDArray, NDArray] {
  const [linear_cache, activation_cache] = cache;
  return tidy(() => {
    const dZ =
      activation === 'relu' ? relu_backward(dA, activation_cache) : sigmoid_backward(dA, activation_cache);
    return linear_backward(dZ, linear_cache);
  });
}

/** `L_model_backward(AL, Y, caches)` → `{ dA0, dW1, db1, …, dA(L-1), dWL, dbL }`. */
export function L_model_backward(AL: ArrayInput, Y: ArrayInput, caches: Cache[]): Grads {
  return tidy(() => {
    const grads: Grads = {};
    const L = caches.length;
    const al = asArray(AL, 'AL');
    const y = np.reshape(Y, al.shape);
    const dAL = np.multiply(
      -1,
      np.subtract(np.divide(y, al), np.divide(np.subtract(1, y), np.subtract(1, al))),
    ) as NDArray;
    let [dA, dW, db] = linear_activation_backward(dAL, caches[L - 1], 'sigmoid');
    grads[`dA${L - 1}`] = dA;
    grads[`dW${L}`] = dW;
    grads[`db${L}`] = db;
    for (let l = L - 2; l >= 0; l--) {
      [dA, dW, db] = linear_activation_backward(grads[`dA${l + 1}`], caches[l], 'relu');
      grads[`dA${l}`] = dA;
      grads[`dW${l + 1}`] = dW;
      grads[`db${l + 1}`] = db;
    }
    return grads;
  });
}

/** `update_parameters(params, grads, learning_rate)`: new parameters; the inputs are untouched. */
export function update_parameters(params: Parameters, grads: Grads, learning_rate: number): Parameters {
  return gradientStep(params, grads, learning_rate);
}

/**
 * The application notebook's loop: prints "Cost after iteration i: <repr>" every 100 iterations
 * with print_cost, and at the last iteration in any case (the notebook's `print_cost and i % 100 == 0
 * or i == num_iterations - 1`); records the cost every 100 iterations.
 */
function train(
  parameters: Parameters,
  num_iterations: number,
  print_cost: boolean,
  step: (parameters: Parameters) => { cost: number; next: Parameters },
): [Parameters, number[]] {
  const costs: number[] = [];
  for (let i = 0; i < num_iterations; i++) {
    const { cost, next } = step(parameters);
    disposeAll(parameters);
    parameters = next;
    if ((print_cost && i % 100 === 0) || i === num_iterations - 1) output.write(costLineRepr(i, cost));
    if (i % 100 === 0) costs.push(cost);
  }
  return [parameters, costs];
}

/**
 * `two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=false)` →
 * `[parameters, costs]`: LINEAR → RELU → LINEAR → SIGMOID from the application's initialisation.
 */
export function two_layer_model(
  X: ArrayInput,
  Y: ArrayInput,
  layers_dims: readonly [number, number, number],
  learning_rate = 0.0075,
  num_iterations = 3000,
  print_cost = false,
): [Parameters, number[]] {
  np.random.seed(1);
  const [n_x, n_h, n_y] = layers_dims;
  const x = asArray(X, 'X');
  const y = asArray(Y, 'Y');
  return train(initialize_parameters(n_x, n_h, n_y), num_iterations, print_cost, (p) =>
    tidy(() => {
      const [A1, cache1] = linear_activation_forward(x, p.W1, p.b1, 'relu');
      const [A2, cache2] = linear_activation_forward(A1, p.W2, p.b2, 'sigmoid');
      const cost = compute_cost(A2, y);
      const dA2 = np.multiply(
        -1,
        np.subtract(np.divide(y, A2), np.divide(np.subtract(1, y), np.subtract(1, A2))),
      );
      const [dA1, dW2, db2] = linear_activation_backward(dA2, cache2, 'sigmoid');
      const [, dW1, db1] = linear_activation_backward(dA1, cache1, 'relu');
      return { cost, next: update_parameters(p, { dW1, db1, dW2, db2 }, learning_rate) };
    }),
  );
}

/**
 * `L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=false)` →
 * `[parameters, costs]`: [LINEAR → RELU]×(L-1) → LINEAR → SIGMOID, from the application's
 * initialisation (np.random seeded with 1, weights randn / sqrt(n_prev)).
 */
export function L_layer_model(
  X: ArrayInput,
  Y: ArrayInput,
  layers_dims: readonly number[],
  learning_rate = 0.0075,
  num_iterations = 3000,
  print_cost = false,
): [Parameters, number[]] {
  np.random.seed(1);
  const x = asArray(X, 'X');
  const y = asArray(Y, 'Y');
  const initial = deepParameters(layers_dims, Math.sqrt, true);
  return train(initial, num_iterations, print_cost, (p) =>
    tidy(() => {
      const [AL, caches] = L_model_forward(x, p);
      const cost = compute_cost(AL, y);
      const grads = L_model_backward(AL, y, caches);
      return { cost, next: update_parameters(p, grads, learning_rate) };
    }),
  );
}

/** `predict(X, y, parameters)`: 0/1 predictions of the L-layer network; prints the accuracy. */
export function predict(X: ArrayInput, y: ArrayInput, parameters: Parameters): NDArray {
  return tidy(() => {
    const x = asArray(X, 'X');
    const m = x.shape[1];
    const [probas] = L_model_forward(x, parameters);
    const p = probas.gt(0.5);
    output.write(`Accuracy: ${pyRepr(toNumber(np.sum(np.divide(p.eq(asArray(y, 'y')), m))))}`);
    return p;
  });
}
