// Week 3, "Planar data classification with one hidden layer": the graded functions as the notebook
// writes them (tanh hidden layer, sigmoid output), over vecnet's arrays.

import { type NDArray, tidy } from '../ndarray/index.js';
import * as np from './np.js';
import { costLineF, output } from './print.js';
import { crossEntropyCost, gradientStep } from './steps.js';
import { type ArrayInput, asArray, disposeAll } from './values.js';
import { sigmoid } from './week2.js';

/** The parameters of the two-layer network, keyed as the notebook's dictionary. */
export interface TwoLayerParameters {
  W1: NDArray;
  b1: NDArray;
  W2: NDArray;
  b2: NDArray;
}

/** `layer_sizes(X, Y)` → `[n_x, n_h, n_y]` with n_h = 4. */
export function layer_sizes(X: ArrayInput, Y: ArrayInput): [number, number, number] {
  return [asArray(X, 'X').shape[0], 4, asArray(Y, 'Y').shape[0]];
}

/** `initialize_parameters(n_x, n_h, n_y)`: randn·0.01 weights from the current np.random state, zero biases. */
export function initialize_parameters(n_x: number, n_h: number, n_y: number): TwoLayerParameters {
  const W1 = np.multiply(np.random.randn(n_h, n_x), 0.01) as NDArray;
  const b1 = np.zeros([n_h, 1]);
  const W2 = np.multiply(np.random.randn(n_y, n_h), 0.01) as NDArray;
  const b2 = np.zeros([n_y, 1]);
  return { W1, b1, W2, b2 };
}

/** The forward pass's cache, keyed as the notebook's dictionary. */
export interface PlanarCache {
  Z1: NDArray;
  A1: NDArray;
  Z2: NDArray;
  A2: NDArray;
}

/** `forward_propagation(X, parameters)` → `[A2, cache]`. */
export function forward_propagation(X: ArrayInput, parameters: TwoLayerParameters): [NDArray, PlanarCache] {
  const { W1, b1, W2, b2 } = parameters;
  const Z1 = np.add(np.dot(W1, X), b1) as NDArray;
  const A1 = np.tanh(Z1) as NDArray;
  const Z2 = np.add(np.dot(W2, A1), b2) as NDArray;
  const A2 = sigmoid(Z2) as NDArray;
  return [A2, { Z1, A1, Z2, A2 }];
}

/** `compute_cost(A2, Y)`: the cross-entropy cost, a number. */
export const compute_cost = (A2: ArrayInput, Y: ArrayInput): number => crossEntropyCost(A2, Y);

/** The gradients of the two-layer network. */
export interface TwoLayerGrads {
  dW1: NDArray;
  db1: NDArray;
  dW2: NDArray;
  db2: NDArray;
}

/** `backward_propagation(parameters, cache, X, Y)` → `{ dW1, db1, dW2, db2 }`. */
export function backward_propagation(
  parameters: TwoLayerParameters,
  cache: PlanarCache,
  X: ArrayInput,
  Y: ArrayInput,
): TwoLayerGrads {
  return tidy(() => {
    const x = asArray(X, 'X');
    const m = x.shape[1];
    const { W2 } = parameters;
    const { A1, A2 } = cache;
    const dZ2 = np.subtract(A2, Y) as NDArray;
    const dW2 = np.multiply(1 / m, np.dot(dZ2, A1.T)) as NDArray;
    const db2 = np.multiply(1 / m, np.sum(dZ2, 1, true)) as NDArray;
    const dZ1 = np.multiply(np.dot(W2.T, dZ2), np.subtract(1, np.power(A1, 2))) as NDArray;
    const dW1 = np.multiply(1 / m, np.dot(dZ1, x.T)) as NDArray;
    const db1 = np.multiply(1 / m, np.sum(dZ1, 1, true)) as NDArray;
    return { dW1, db1, dW2, db2 };
  });
}

/** `update_parameters(parameters, grads, learning_rate=1.2)`: new parameters; the inputs are untouched. */
export function update_parameters(
  parameters: TwoLayerParameters,
  grads: TwoLayerGrads,
  learning_rate = 1.2,
): TwoLayerParameters {
  return gradientStep(parameters, grads, learning_rate);
}

/**
 * `nn_model(X, Y, n_h, num_iterations=10000, print_cost=false)`: seeds np.random with 3 as the
 * notebook does, then trains; prints the cost every 1000 iterations with print_cost.
 */
export function nn_model(
  X: ArrayInput,
  Y: ArrayInput,
  n_h: number,
  num_iterations = 10000,
  print_cost = false,
): TwoLayerParameters {
  np.random.seed(3);
  const [n_x, , n_y] = layer_sizes(X, Y);
  let parameters = initialize_parameters(n_x, n_h, n_y);
  for (let i = 0; i < num_iterations; i++) {
    const next = tidy(() => {
      const [A2, cache] = forward_propagation(X, parameters);
      const cost = compute_cost(A2, Y);
      const grads = backward_propagation(parameters, cache, X, Y);
      if (print_cost && i % 1000 === 0) output.write(costLineF(i, cost));
      return update_parameters(parameters, grads);
    });
    disposeAll(parameters);
    parameters = next;
  }
  return parameters;
}

/** `predict(parameters, X)`: 1 where A2 > 0.5, else 0. */
export function predict(parameters: TwoLayerParameters, X: ArrayInput): NDArray {
  return tidy(() => forward_propagation(X, parameters)[0].gt(0.5));
}
