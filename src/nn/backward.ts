// Backpropagation, step by step as in the notebook: linear ← activation ← L layers. Each function
// reads exactly what its forward twin cached. These allocate their results (wrap them in tidy);
// training uses the planned, allocation-free pass in plan.ts.

import { formatShape, ShapeError, shapesEqual } from '../core/index.js';
import { add, div, eq, gemm, mul, type NDArray, neg, sub, sum, tidy, unaryGrad } from '../ndarray/index.js';
import { activationOps } from './activations.js';
import { probabilityBounds } from './cost.js';
import type { Activation, Grads, LayerCache, LinearCache } from './types.js';
import { checkActivation, checkMatrix, checkOutput, checkSameEngine } from './validate.js';

function checkLinearCache(where: string, cache: unknown): asserts cache is LinearCache {
  if (
    cache === null ||
    typeof cache !== 'object' ||
    !('APrev' in cache) ||
    !('W' in cache) ||
    !('b' in cache)
  ) {
    throw new TypeError(`${where}: cache must be the { APrev, W, b } returned by linearForward`);
  }
}

function checkLayerCache(where: string, cache: unknown): asserts cache is LayerCache {
  if (
    cache === null ||
    typeof cache !== 'object' ||
    !('linearCache' in cache) ||
    !('activationCache' in cache)
  ) {
    throw new TypeError(
      `${where}: cache must be the { linearCache, activationCache, activation } returned by linearActivationForward`,
    );
  }
  checkLinearCache(where, (cache as LayerCache).linearCache);
}

/** dZ must be (n, m): W's rows by A_prev's columns. */
function checkDZ(where: string, name: string, dZ: unknown, cache: LinearCache): asserts dZ is NDArray {
  checkMatrix(where, name, dZ, '(n, m)');
  const { APrev, W } = cache;
  const expected = [W.shape[0], APrev.shape[1]];
  if (!shapesEqual(dZ.shape, expected)) {
    throw new ShapeError(
      `${where}: ${name} has shape ${formatShape(dZ.shape)} but the layer's output is ${formatShape(expected)} (W ${formatShape(W.shape)}, A_prev ${formatShape(APrev.shape)})`,
    );
  }
  checkSameEngine(where, dZ, name, W, 'W');
}

/**
 * The linear part of a layer's backward step (the notebook's `linear_backward`):
 * `dW = (1/m) dZ·A_prevᵀ`, `db = (1/m) Σ_columns dZ`, `dA_prev = Wᵀ·dZ`. No transpose is copied.
 *
 * @example
 * const { Z, cache } = linearForward(A, W, b);
 * const { dAPrev, dW, db } = linearBackward(dZ, cache); // shapes of A, W, b
 */
export function linearBackward(
  dZ: NDArray,
  cache: LinearCache,
): { dAPrev: NDArray; dW: NDArray; db: NDArray } {
  const where = 'linearBackward';
  checkLinearCache(where, cache);
  checkDZ(where, 'dZ', dZ, cache);
  return linearBackwardUnchecked(dZ, cache);
}

function linearBackwardUnchecked(dZ: NDArray, { APrev, W }: LinearCache) {
  const m = APrev.shape[1];
  const dW = gemm(dZ, APrev, { transB: true, alpha: 1 / m });
  const db = sum(dZ, 1, true);
  mul(db, 1 / m, db);
  const dAPrev = gemm(W, dZ, { transA: true });
  return { dAPrev, dW, db };
}

/**
 * One layer's backward step (the notebook's `linear_activation_backward`): `dZ = dA·g'(Z)` from the
 * cached Z, then `linearBackward`. `activation` defaults to the one the forward step used.
 *
 * @example
 * const { A, cache } = linearActivationForward(APrev, W, b, 'relu');
 * const { dAPrev, dW, db } = linearActivationBackward(dA, cache, 'relu');
 */
export function linearActivationBackward(
  dA: NDArray,
  cache: LayerCache,
  activation?: Activation,
): { dAPrev: NDArray; dW: NDArray; db: NDArray } {
  const where = 'linearActivationBackward';
  checkLayerCache(where, cache);
  const act = checkActivation(where, 'activation', activation ?? cache.activation);
  checkDZ(where, 'dA', dA, cache.linearCache);
  return layerBackward(dA, cache, act);
}

function layerBackward(dA: NDArray, cache: LayerCache, activation: Activation) {
  return tidy(() => {
    const dZ = unaryGrad(activationOps[activation], cache.activationCache, dA, cache.leakySlope);
    return linearBackwardUnchecked(dZ, cache.linearCache);
  });
}

/**
 * Backpropagation through an L-layer network (the notebook's `L_model_backward`). The output layer's
 * cost follows its activation: cross-entropy for sigmoid, `dAL = -(Y/AL - (1-Y)/(1-AL))`; MSE for
 * linear, `dAL = AL - Y`. Returns grads `dA0 … dA{L-1}`, `dW1 … dWL`, `db1 … dbL`.
 *
 * An AL of exactly 0 or 1 (a saturated sigmoid) is moved to its nearest neighbour inside (0, 1)
 * before dividing, so the notebook's formula stays finite (its gradient there is 0, as σ' is);
 * every other value, even one outside [0, 1] as in the notebook's own test case, is used as given.
 *
 * @example
 * const { AL, caches } = modelForward(X, parameters);
 * const grads = modelBackward(AL, Y, caches);
 * grads.dW1.shape; // W1's shape
 */
export function modelBackward(AL: NDArray, Y: NDArray, caches: readonly LayerCache[]): Grads {
  const where = 'modelBackward';
  if (!Array.isArray(caches) || caches.length === 0) {
    throw new TypeError(`${where}: caches must be the non-empty array returned by modelForward`);
  }
  caches.forEach((c, l) => {
    checkLayerCache(`${where}: caches[${l}]`, c);
    if (l < caches.length - 1) checkActivation(where, `caches[${l}].activation`, c.activation);
  });
  const L = caches.length;
  const last = caches[L - 1];
  const output = checkOutput(where, 'the output layer activation', last.activation);
  checkDZ(where, 'AL', AL, last.linearCache);
  checkMatrix(where, 'Y', Y, '(n_y, m)');
  if (!shapesEqual(Y.shape, AL.shape)) {
    throw new ShapeError(
      `${where}: AL has shape ${formatShape(AL.shape)} but Y has shape ${formatShape(Y.shape)}`,
    );
  }
  checkSameEngine(where, Y, 'Y', AL, 'AL');
  const grads: Grads = {};
  // softmax with the categorical cross-entropy: dZ[L] = AL - Y, with no element-wise dAL
  const dAL = tidy(() => (output === 'sigmoid' ? crossEntropyGrad(AL, Y) : sub(AL, Y)));
  let dA = dAL;
  for (let l = L; l >= 1; l--) {
    const cache = caches[l - 1];
    const step =
      cache.activation === 'softmax'
        ? linearBackwardUnchecked(dA, cache.linearCache)
        : layerBackward(dA, cache, cache.activation);
    grads[`dA${l - 1}`] = step.dAPrev;
    grads[`dW${l}`] = step.dW;
    grads[`db${l}`] = step.db;
    dA = step.dAPrev;
  }
  dAL.dispose();
  return grads;
}

/** -(Y/AL - (1-Y)/(1-AL)) with an exact 0 or 1 in AL nudged inside (0, 1). */
function crossEntropyGrad(AL: NDArray, Y: NDArray): NDArray {
  const [tiny, belowOne] = probabilityBounds(AL.dtype);
  const a = add(AL, mul(eq(AL, 0), tiny));
  sub(a, mul(eq(a, 1), 1 - belowOne), a);
  return neg(sub(div(Y, a), div(sub(1, Y), sub(1, a))));
}
