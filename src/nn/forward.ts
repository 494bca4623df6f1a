// The forward pass, step by step as in the notebook: linear → linear+activation → L layers.
// These allocate their results (wrap them in tidy); training uses the planned, allocation-free pass in plan.ts.

import { formatShape, ShapeError } from '../core/index.js';
import { add, div, exp, gemm, max, type NDArray, sub, sum, tidy, unary } from '../ndarray/index.js';
import { activationOps, checkSlope, DEFAULT_LEAKY_SLOPE } from './activations.js';
import type { Activation, LayerCache, LinearCache, OutputActivation, Parameters } from './types.js';
import { checkActivation, checkMatrix, checkOutput, checkSameEngine } from './validate.js';

/**
 * Checks one layer's operands: A_prev (n_prev, m), W (n, n_prev), b (n, 1), all 2-D, one backend
 * and dtype. `where` prefixes the message (`modelForward: layer 2`).
 */
export function checkLayer(where: string, APrev: unknown, W: unknown, b: unknown): void {
  checkMatrix(where, 'A_prev', APrev, '(n_prev, m)');
  checkMatrix(where, 'W', W, '(n, n_prev)');
  checkMatrix(where, 'b', b, '(n, 1)');
  if (W.shape[1] !== APrev.shape[0]) {
    throw new ShapeError(
      `${where}: W has shape ${formatShape(W.shape)} but A_prev has ${APrev.shape[0]} rows (A_prev has shape ${formatShape(APrev.shape)}; W needs ${APrev.shape[0]} columns)`,
    );
  }
  if (b.shape[0] !== W.shape[0] || b.shape[1] !== 1) {
    throw new ShapeError(
      `${where}: b has shape ${formatShape(b.shape)} but W has shape ${formatShape(W.shape)}: b must be (${W.shape[0]}, 1)`,
    );
  }
  checkSameEngine(where, W, 'W', APrev, 'A_prev');
  checkSameEngine(where, b, 'b', APrev, 'A_prev');
}

/**
 * Z = W·A_prev + b, the linear part of a layer. Returns Z and the cache `{ APrev, W, b }` that
 * `linearBackward` needs (the notebook's `linear_forward`).
 *
 * @example
 * const { Z, cache } = linearForward(A, W, b); // A (3,2), W (1,3), b (1,1) → Z (1,2)
 */
export function linearForward(A: NDArray, W: NDArray, b: NDArray): { Z: NDArray; cache: LinearCache } {
  checkLayer('linearForward', A, W, b);
  return linearForwardUnchecked(A, W, b);
}

function linearForwardUnchecked(A: NDArray, W: NDArray, b: NDArray): { Z: NDArray; cache: LinearCache } {
  const Z = gemm(W, A);
  add(Z, b, Z); // b (n,1) broadcasts over the m columns
  return { Z, cache: { APrev: A, W, b } };
}

/** Options of the forward functions. */
export interface ForwardOptions {
  /** Slope of leaky ReLU for z <= 0; default 0.01. */
  leakySlope?: number;
}

/**
 * A = g(W·A_prev + b) for one layer, with the cache `{ linearCache, activationCache: Z, activation }`
 * (the notebook's `linear_activation_forward`).
 *
 * @example
 * const { A, cache } = linearActivationForward(APrev, W, b, 'relu');
 */
export function linearActivationForward(
  APrev: NDArray,
  W: NDArray,
  b: NDArray,
  activation: Activation,
  options: ForwardOptions = {},
): { A: NDArray; cache: LayerCache } {
  const where = 'linearActivationForward';
  checkActivation(where, 'activation', activation);
  const leakySlope = checkSlope(where, options.leakySlope ?? DEFAULT_LEAKY_SLOPE);
  checkLayer(where, APrev, W, b);
  return layerForward(APrev, W, b, activation, leakySlope);
}

function layerForward(
  APrev: NDArray,
  W: NDArray,
  b: NDArray,
  activation: Activation | 'softmax',
  leakySlope: number,
) {
  const { Z, cache: linearCache } = linearForwardUnchecked(APrev, W, b);
  const A = activation === 'softmax' ? softmax(Z) : unary(activationOps[activation], Z, leakySlope);
  return { A, cache: { linearCache, activationCache: Z, activation, leakySlope } };
}

/**
 * The softmax of each column of Z (classes, m), computed stably: `e = exp(Z - max(Z, axis 0))`,
 * `e / sum(e, axis 0)`.
 *
 * @example
 * softmax(array([[1, 0], [1, 0]])).toArray(); // [[0.5, 0.5], [0.5, 0.5]]
 */
export function softmax(Z: NDArray): NDArray {
  checkMatrix('softmax', 'Z', Z, '(classes, m)');
  return tidy(() => {
    const e = exp(sub(Z, max(Z, 0, true)));
    return div(e, sum(e, 0, true));
  });
}

/** Options of `modelForward` and `predict`. */
export interface ModelOptions extends ForwardOptions {
  /** Activation of the hidden layers 1 … L-1; default `relu`. */
  hidden?: Activation;
  /** Activation of layer L; default `sigmoid`. */
  output?: OutputActivation;
}

/**
 * The number of layers L of a parameters object, checking that W1, b1, …, WL, bL are all there and
 * chain: W[l] is (n[l], n[l-1]), b[l] is (n[l], 1).
 */
export function layerCount(where: string, parameters: Parameters): number {
  if (parameters === null || typeof parameters !== 'object') {
    throw new TypeError(
      `${where}: parameters must be an object { W1, b1, W2, b2, … }, got ${String(parameters)}`,
    );
  }
  let L = 0;
  while (`W${L + 1}` in parameters) L++;
  if (L === 0) throw new TypeError(`${where}: parameters has no W1 (expected keys W1, b1, W2, b2, …)`);
  for (const key of Object.keys(parameters)) {
    const m = /^([Wb])(\d+)$/.exec(key);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > L) {
      throw new TypeError(
        `${where}: unexpected key '${key}' in parameters (a ${L}-layer network has W1…W${L}, b1…b${L})`,
      );
    }
  }
  for (let l = 1; l <= L; l++) {
    if (!(`b${l}` in parameters)) throw new TypeError(`${where}: parameters has W${l} but no b${l}`);
    checkMatrix(`${where}: layer ${l}`, 'W', parameters[`W${l}`], '(n, n_prev)');
    checkMatrix(`${where}: layer ${l}`, 'b', parameters[`b${l}`], '(n, 1)');
  }
  return L;
}

/**
 * Checks, before any computing, that the layers chain from X: W[l] has n[l-1] columns (n[0] = X's
 * rows), b[l] is (n[l], 1), and every parameter shares X's backend and dtype.
 */
export function checkChain(where: string, parameters: Parameters, L: number, X: NDArray): void {
  let rows = X.shape[0];
  for (let l = 1; l <= L; l++) {
    const W = parameters[`W${l}`];
    const b = parameters[`b${l}`];
    const at = `${where}: layer ${l}`;
    if (W.shape[1] !== rows) {
      throw new ShapeError(
        `${at}: W has shape ${formatShape(W.shape)} but A_prev has ${rows} rows${l === 1 ? ' (A_prev is X)' : ''}`,
      );
    }
    if (b.shape[0] !== W.shape[0] || b.shape[1] !== 1) {
      throw new ShapeError(
        `${at}: b has shape ${formatShape(b.shape)} but W has shape ${formatShape(W.shape)}: b must be (${W.shape[0]}, 1)`,
      );
    }
    checkSameEngine(at, W, `W${l}`, X, 'X');
    checkSameEngine(at, b, `b${l}`, X, 'X');
    rows = W.shape[0];
  }
}

/**
 * The forward pass of an L-layer network: [LINEAR → hidden] × (L-1) → LINEAR → output. Returns the
 * output activations AL (n_L, m) and one cache per layer for `modelBackward` (the notebook's
 * `L_model_forward`). X is (n_x, m), one column per example.
 *
 * @example
 * const parameters = initializeParametersDeep([5, 4, 3, 1], { seed: 1, init: 'scaled' });
 * const { AL, caches } = modelForward(X, parameters, { hidden: 'relu', output: 'sigmoid' });
 */
export function modelForward(
  X: NDArray,
  parameters: Parameters,
  options: ModelOptions = {},
): { AL: NDArray; caches: LayerCache[] } {
  const where = 'modelForward';
  const hidden = checkActivation(where, 'hidden', options.hidden ?? 'relu');
  const output = checkOutput(where, 'output', options.output ?? 'sigmoid');
  const leakySlope = checkSlope(where, options.leakySlope ?? DEFAULT_LEAKY_SLOPE);
  checkMatrix(where, 'X', X, '(n_x, m)');
  const L = layerCount(where, parameters);
  checkChain(where, parameters, L, X);
  const caches: LayerCache[] = [];
  let A = X;
  for (let l = 1; l <= L; l++) {
    const step = layerForward(
      A,
      parameters[`W${l}`],
      parameters[`b${l}`],
      l < L ? hidden : output,
      leakySlope,
    );
    caches.push(step.cache);
    A = step.A;
  }
  return { AL: A, caches };
}
