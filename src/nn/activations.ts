// Each activation g and its derivative g' side by side, as one UnaryOp: the backends compute g(Z) with
// `unary` and dA·g'(Z) with `unaryGrad` in one pass (src/backend/scalar.ts holds the maths).
import { UnaryOp } from '../backend/index.js';
import { checkArray, checkOut, mayOverlap, NDArray, unary, unaryGrad } from '../ndarray/index.js';
import type { Activation } from './types.js';
import { checkActivation, checkSameEngine } from './validate.js';

/** The kernel op of each activation. */
export const activationOps: Readonly<Record<Activation, UnaryOp>> = {
  sigmoid: UnaryOp.Sigmoid, // g = 1/(1+e^-z)        g' = g(1-g)
  tanh: UnaryOp.Tanh, //       g = tanh z            g' = 1 - g²
  relu: UnaryOp.Relu, //       g = max(0, z)         g' = 1 if z > 0 else 0 (0 at z = 0, as the course)
  leakyRelu: UnaryOp.LeakyRelu, // g = z if z > 0 else slope·z   g' = 1 if z > 0 else slope
  linear: UnaryOp.Linear, //   g = z                 g' = 1
};

/** Options of the activation functions. */
export interface ActivationOptions {
  /** Slope of leaky ReLU for z <= 0; default 0.01. */
  leakySlope?: number;
  /** Write the result here (same shape, contiguous; may be the input array) instead of a new array. */
  out?: NDArray;
}

export const DEFAULT_LEAKY_SLOPE = 0.01;

export function checkSlope(where: string, slope: unknown): number {
  if (typeof slope !== 'number' || !Number.isFinite(slope)) {
    throw new RangeError(`${where}: leakySlope must be a finite number, got ${String(slope)}`);
  }
  return slope;
}

/**
 * A = g(Z) for the named activation.
 *
 * @example
 * activationForward('sigmoid', array([[0, 2]])); // [[0.5, 0.8807970779778823]]
 * activationForward('leakyRelu', array([[-1, 3]]), { leakySlope: 0.1 }); // [[-0.1, 3]]
 */
export function activationForward(
  activation: Activation,
  Z: NDArray,
  options: ActivationOptions = {},
): NDArray {
  const where = 'activationForward';
  checkActivation(where, 'activation', activation);
  checkArray(where, 'Z', Z);
  const slope = checkSlope(where, options.leakySlope ?? DEFAULT_LEAKY_SLOPE);
  return unary(activationOps[activation], Z, slope, 0, options.out);
}

/**
 * dZ = dA · g'(Z), the backward step of an activation: the notebook's `sigmoid_backward(dA, Z)`,
 * `relu_backward(dA, Z)` and their siblings, in one pass.
 *
 * @example
 * activationBackward('tanh', array([[1, 1]]), array([[0, 1]])); // [[1, 0.41997434161402614]]
 * activationBackward('relu', array([[5, 5]]), array([[-1, 0]])); // [[0, 0]]: relu'(0) = 0
 */
export function activationBackward(
  activation: Activation,
  dA: NDArray,
  Z: NDArray,
  options: ActivationOptions = {},
): NDArray {
  const where = 'activationBackward';
  checkActivation(where, 'activation', activation);
  checkArray(where, 'dA', dA);
  checkArray(where, 'Z', Z);
  checkSameEngine(where, dA, 'dA', Z, 'Z');
  const slope = checkSlope(where, options.leakySlope ?? DEFAULT_LEAKY_SLOPE);
  return unaryGrad(activationOps[activation], Z, dA, slope, 0, options.out);
}

/**
 * g'(Z) itself (dA = 1): s(1-s), 1-t², the ReLU step, and so on.
 *
 * @example
 * activationDerivative('sigmoid', array([[0]])); // [[0.25]]
 */
export function activationDerivative(activation: Activation, Z: NDArray, options: ActivationOptions = {}) {
  const where = 'activationDerivative';
  checkActivation(where, 'activation', activation);
  checkArray(where, 'Z', Z);
  const { out } = options;
  if (out) checkOut(where, out, Z.shape, Z);
  // g'(Z) = 1·g'(Z): fill an array with ones, then let the one-pass kernel scale it in place. When
  // `out` shares memory with Z, the ones go to a temporary: filling `out` would overwrite Z first.
  const ones = out && !mayOverlap(out, Z) ? out : NDArray.alloc(Z.shape, Z.dtype, Z.engine);
  ones.engine.fill(ones.storage.buffer, ones.offset, ones.size, 1);
  try {
    return activationBackward(activation, ones, Z, { ...options, out: out ?? ones });
  } finally {
    if (out && ones !== out) ones.dispose();
  }
}

/** The notebook's `sigmoid_backward(dA, cache)`: dA·s(1-s) with s = sigmoid(Z). @example sigmoidBackward(dA, Z) */
export const sigmoidBackward = (dA: NDArray, Z: NDArray) => activationBackward('sigmoid', dA, Z);
/** The notebook's `relu_backward(dA, cache)`: dA where Z > 0, else 0. @example reluBackward(dA, Z) */
export const reluBackward = (dA: NDArray, Z: NDArray) => activationBackward('relu', dA, Z);
/** dA·(1 - tanh²Z). @example tanhBackward(dA, Z) */
export const tanhBackward = (dA: NDArray, Z: NDArray) => activationBackward('tanh', dA, Z);
/** dA where Z > 0, else slope·dA. @example leakyReluBackward(dA, Z, 0.01) */
export const leakyReluBackward = (dA: NDArray, Z: NDArray, leakySlope = DEFAULT_LEAKY_SLOPE) =>
  activationBackward('leakyRelu', dA, Z, { leakySlope });
