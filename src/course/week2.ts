// Week 2, "Logistic Regression with a Neural Network mindset": the graded functions as the notebook
// writes them, over vecnet's arrays.

import { type NDArray, tidy } from '../ndarray/index.js';
import * as np from './np.js';
import { costLineF, output, pyRepr } from './print.js';
import { crossEntropyCost } from './steps.js';
import { type ArrayInput, asArray, toNumber } from './values.js';

/** `sigmoid(z)`: 1 / (1 + e^-z); a number for a number. @example sigmoid(0) // 0.5 */
export function sigmoid(z: ArrayInput): NDArray | number {
  return np.divide(1, np.add(1, np.exp(np.multiply(-1, z))));
}

/** `initialize_with_zeros(dim)` → `[w, b]`: w zeros of shape (dim, 1), b = 0. */
export function initialize_with_zeros(dim: number): [NDArray, number] {
  if (!Number.isInteger(dim) || dim < 1)
    throw new RangeError(`initialize_with_zeros: dim must be a positive integer, got ${String(dim)}`);
  return [np.zeros([dim, 1]), 0];
}

/** `propagate(w, b, X, Y)` → `[grads, cost]` with `grads = { dw, db }` (db and cost numbers). */
export function propagate(
  w: ArrayInput,
  b: number,
  X: ArrayInput,
  Y: ArrayInput,
): [{ dw: NDArray; db: number }, number] {
  return tidy(() => {
    const x = asArray(X, 'X');
    const y = asArray(Y, 'Y');
    const m = x.shape[1];
    const A = sigmoid(np.add(np.dot(np.transpose(w), x), b)) as NDArray;
    const cost = crossEntropyCost(A, y);
    const dZ = np.subtract(A, y) as NDArray;
    const dw = np.multiply(1 / m, np.dot(x, dZ.T)) as NDArray;
    const db = (1 / m) * toNumber(np.sum(dZ));
    return [{ dw, db }, cost];
  });
}

/**
 * `optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=false)` →
 * `[params, grads, costs]`: gradient descent, the cost recorded every 100 iterations.
 */
export function optimize(
  w: ArrayInput,
  b: number,
  X: ArrayInput,
  Y: ArrayInput,
  num_iterations = 100,
  learning_rate = 0.009,
  print_cost = false,
): [{ w: NDArray; b: number }, { dw: NDArray; db: number }, number[]] {
  let wc = np.array(w);
  let bc = b;
  const costs: number[] = [];
  let grads: { dw: NDArray; db: number } | undefined;
  for (let i = 0; i < num_iterations; i++) {
    grads?.dw.dispose();
    const [g, cost] = propagate(wc, bc, X, Y);
    grads = g;
    const next = np.subtract(wc, np.multiply(learning_rate, g.dw)) as NDArray;
    wc.dispose();
    wc = next;
    bc = bc - learning_rate * g.db;
    if (i % 100 === 0) {
      costs.push(cost);
      if (print_cost) output.write(costLineF(i, cost));
    }
  }
  return [{ w: wc, b: bc }, grads ?? { dw: np.zeros(asArray(w).shape), db: 0 }, costs];
}

/** `predict(w, b, X)`: 1 where sigmoid(wᵀX + b) > 0.5, else 0, shape (1, m). */
export function predict(w: ArrayInput, b: number, X: ArrayInput): NDArray {
  return tidy(() => {
    const x = asArray(X, 'X');
    const wr = np.reshape(w, [x.shape[0], 1]);
    const A = sigmoid(np.add(np.dot(np.transpose(wr), x), b)) as NDArray;
    return A.gt(0.5);
  });
}

/** What `model` returns, keyed as the notebook's dictionary `d`. */
export interface LogisticModel {
  costs: number[];
  Y_prediction_test: NDArray;
  Y_prediction_train: NDArray;
  w: NDArray;
  b: number;
  learning_rate: number;
  num_iterations: number;
}

/** 100 - mean(|prediction - Y|)·100, as the notebook prints it. */
function accuracy(prediction: NDArray, Y: ArrayInput): number {
  return tidy(() => 100 - toNumber(np.mean(np.abs(np.subtract(prediction, Y)))) * 100);
}

/**
 * `model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=false)`:
 * logistic regression from zeros; with print_cost, the costs and both accuracies are printed.
 */
export function model(
  X_train: ArrayInput,
  Y_train: ArrayInput,
  X_test: ArrayInput,
  Y_test: ArrayInput,
  num_iterations = 2000,
  learning_rate = 0.5,
  print_cost = false,
): LogisticModel {
  const [w0, b0] = initialize_with_zeros(asArray(X_train, 'X_train').shape[0]);
  const [params, grads, costs] = optimize(
    w0,
    b0,
    X_train,
    Y_train,
    num_iterations,
    learning_rate,
    print_cost,
  );
  w0.dispose();
  grads.dw.dispose();
  const Y_prediction_test = predict(params.w, params.b, X_test);
  const Y_prediction_train = predict(params.w, params.b, X_train);
  if (print_cost) {
    output.write(`train accuracy: ${pyRepr(accuracy(Y_prediction_train, Y_train))} %`);
    output.write(`test accuracy: ${pyRepr(accuracy(Y_prediction_test, Y_test))} %`);
  }
  return {
    costs,
    Y_prediction_test,
    Y_prediction_train,
    w: params.w,
    b: params.b,
    learning_rate,
    num_iterations,
  };
}
