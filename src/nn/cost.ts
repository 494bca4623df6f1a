// Costs: binary cross-entropy for a sigmoid output, mean squared error for a linear one.
//
// Stability. The notebook's J = -(1/m) Σ (y log a + (1-y) log(1-a)) is infinite (or NaN) once a
// sigmoid saturates to exactly 0 or 1. Two cures, both here:
// - from the pre-activation z (training): y log σ(z) + (1-y) log(1-σ(z)) = y·z - max(z, 0) - log(1 + e^-|z|),
//   finite for every z and accurate where σ(z) has rounded to 1;
// - from AL (computeCost, which only sees AL): a is clipped to [tiny, 1 - δ], where tiny is the smallest
//   normal number and 1 - δ the largest number below 1 (δ = 2^-53 in float64, 2^-24 in float32). Only the
//   values whose log is infinite move, so every finite notebook cost is unchanged, and a saturated
//   output costs at most -log δ (≈ 36.7 in float64, 16.6 in float32) instead of ∞.

import { type DType, formatShape, ShapeError, shapesEqual } from '../core/index.js';
import {
  abs,
  add,
  clip,
  exp,
  log,
  mul,
  type NDArray,
  neg,
  relu,
  square,
  sub,
  sum,
  tidy,
  zerosLike,
} from '../ndarray/index.js';
import type { OutputActivation } from './types.js';
import { checkMatrix, checkOutput, checkSameEngine } from './validate.js';

/** The clip bounds of `computeCost` for a dtype: [smallest normal, largest number below 1]. */
export function probabilityBounds(dtype: DType): [number, number] {
  return dtype === 'float32' ? [2 ** -126, 1 - 2 ** -24] : [2 ** -1022, 1 - 2 ** -53];
}

function checkPair(where: string, A: unknown, Y: unknown, aName: string): asserts A is NDArray {
  checkMatrix(where, aName, A, '(n_y, m)');
  checkMatrix(where, 'Y', Y, '(n_y, m)');
  if (!shapesEqual(A.shape, Y.shape)) {
    throw new ShapeError(
      `${where}: ${aName} has shape ${formatShape(A.shape)} but Y has shape ${formatShape(Y.shape)}`,
    );
  }
  checkSameEngine(where, Y, 'Y', A, aName);
}

/**
 * The cost of predictions AL against labels Y, both (n_y, m): binary cross-entropy
 * `-(1/m) Σ (y log a + (1-y) log(1-a))` for a sigmoid output (the default), or mean squared error
 * `(1/2m) Σ (a - y)²` for `{ output: 'linear' }`. A number, like the notebook's `np.squeeze(cost)`.
 * AL is clipped to [tiny, 1 - δ] so a saturated output gives a large finite cost, never ∞ or NaN.
 *
 * @example
 * computeCost(array([[0.8, 0.9, 0.4]]), array([[1, 1, 0]])); // 0.2797765635793422
 */
export function computeCost(AL: NDArray, Y: NDArray, options: { output?: OutputActivation } = {}): number {
  const where = 'computeCost';
  const output = checkOutput(where, 'output', options.output ?? 'sigmoid');
  checkPair(where, AL, Y, 'AL');
  if (output === 'linear') return meanSquaredError(AL, Y);
  const m = AL.shape[1];
  const [lo, hi] = probabilityBounds(AL.dtype);
  return tidy(() => {
    const a = clip(AL, lo, hi);
    const yLogA = mul(Y, log(a));
    const notYLogNotA = mul(sub(1, Y), log(sub(1, a)));
    return (-1 / m) * sum(add(yLogA, notYLogNotA)).get();
  });
}

/**
 * Binary cross-entropy from the output layer's pre-activation ZL (AL = σ(ZL)), finite for every z:
 * `(1/m) Σ max(z, 0) - y·z + log(1 + e^-|z|)`. This is what training reports.
 *
 * @example
 * computeCostFromLogits(array([[40, -3]]), array([[1, 0]])); // ≈ 0.0243, where σ(40) is exactly 1
 */
export function computeCostFromLogits(ZL: NDArray, Y: NDArray): number {
  const where = 'computeCostFromLogits';
  checkPair(where, ZL, Y, 'ZL');
  return tidy(() => {
    const t = zerosLike(ZL);
    const u = zerosLike(ZL);
    const total = sum(t); // a 0-d array of ZL's dtype and backend
    return crossEntropyFromLogitsInto(ZL, Y, t, u, total);
  });
}

/**
 * The allocation-free cross-entropy of training: t and u are scratch arrays of ZL's shape, total a 0-d
 * array; all are overwritten. Every op writes into them, so a planned iteration allocates nothing.
 */
export function crossEntropyFromLogitsInto(ZL: NDArray, Y: NDArray, t: NDArray, u: NDArray, total: NDArray) {
  const m = ZL.shape[1];
  abs(ZL, t);
  neg(t, t);
  exp(t, t);
  add(t, 1, t);
  log(t, t); //      t = log(1 + e^-|z|)
  relu(ZL, u);
  add(t, u, t); //   t += max(z, 0)
  mul(Y, ZL, u);
  sub(t, u, t); //   t -= y·z
  sum(t, null, false, total);
  return total.get() / m;
}

/**
 * Mean squared error `(1/2m) Σ (a - y)²` over all n_y·m entries, the cost of a linear output
 * (the 1/2 makes its gradient dZ = AL - Y, the same form as the sigmoid/cross-entropy pair).
 *
 * @example
 * meanSquaredError(array([[1, 2]]), array([[0, 2]])); // 0.25
 */
export function meanSquaredError(AL: NDArray, Y: NDArray): number {
  checkPair('meanSquaredError', AL, Y, 'AL');
  return tidy(() => {
    const t = sub(AL, Y);
    return squaredErrorInto(AL, Y, t, sum(t));
  });
}

/** The allocation-free MSE of training: t is scratch of AL's shape, total a 0-d array. */
export function squaredErrorInto(AL: NDArray, Y: NDArray, t: NDArray, total: NDArray): number {
  sub(AL, Y, t);
  square(t, t);
  sum(t, null, false, total);
  return total.get() / (2 * AL.shape[1]);
}
