import { formatShape, ShapeError } from '../core/index.js';
import { contiguous } from './manipulate.js';
import type { NDArray } from './ndarray.js';
import {
  checkArray,
  checkBoolArg,
  checkNumberArg,
  checkOut,
  commonEngine,
  deliver,
  describe,
  outputFor,
} from './operands.js';

/** How a 2-D array is passed to gemm: its buffer, offset, row stride and whether it is stored transposed. */
interface GemmOperand {
  array: NDArray;
  trans: boolean;
  ld: number;
  temp: boolean;
}

/**
 * A 2-D array as a gemm operand without copying when possible: a C-order matrix (or a column slice
 * of one) goes as is, a transposed view goes with the transpose flag; anything else is copied.
 */
function gemmOperand(x: NDArray): GemmOperand {
  const [rows, cols] = x.shape;
  const [rs, cs] = x.strides;
  // a contiguous column vector goes as a transposed row: the kernels' matrix-vector paths then read
  // it with unit stride (a (K,1) operand otherwise makes the dot product walk it column-wise)
  if (cols === 1 && rs === 1 && rows > 1) return { array: x, trans: true, ld: rows, temp: false };
  if (cs === 1 || cols === 1) return { array: x, trans: false, ld: Math.max(rs, cols, 1), temp: false };
  if (rs === 1 || rows === 1) return { array: x, trans: true, ld: Math.max(cs, rows, 1), temp: false };
  const c = contiguous(x);
  return { array: c, trans: false, ld: Math.max(cols, 1), temp: true };
}

/** Options of `gemm`: C = alpha·op(A)·op(B) + beta·C. */
export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
  out?: NDArray;
}

/**
 * General matrix product of 2-D arrays, BLAS style: `alpha · op(a) · op(b) + beta · out`, where
 * op transposes when asked. Transposed views (`x.T`) are passed to the kernel without a copy. `out`
 * may be one of the operands or overlap them: the product is then computed into a temporary first.
 *
 * @example
 * gemm(dZ, APrev, { transB: true, alpha: 1 / m }); // dW = (1/m) dZ · A_prevᵀ
 */
export function gemm(a: NDArray, b: NDArray, options: GemmOptions = {}): NDArray {
  checkArray('gemm', 'a', a);
  checkArray('gemm', 'b', b);
  const { engine, first } = commonEngine('matmul', [a, b]);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `gemm: options must be an object { transA, transB, alpha, beta, out }, got ${describe(options)}`,
    );
  }
  const { transA = false, transB = false, alpha = 1, beta = 0, out } = options;
  checkBoolArg('gemm', 'transA', transA);
  checkBoolArg('gemm', 'transB', transB);
  checkNumberArg('gemm', 'alpha', alpha);
  checkNumberArg('gemm', 'beta', beta);
  for (const [name, x] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (x.ndim !== 2) throw new ShapeError(`matmul: ${name} must be 2-D, got shape ${formatShape(x.shape)}`);
  }
  const opA = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const opB = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (opA[1] !== opB[0]) {
    throw new ShapeError(
      `matmul: shapes ${formatShape(opA)} and ${formatShape(opB)} not aligned: ${opA[1]} (dim 1) != ${opB[0]} (dim 0)`,
    );
  }
  const [M, K] = opA;
  const N = opB[1];
  if (out) checkOut('matmul', out, [M, N], first);
  else if (beta !== 0) throw new RangeError('matmul: beta != 0 needs an out array to accumulate into');
  const A = gemmOperand(a);
  const B = gemmOperand(b);
  try {
    const c = outputFor(out, [M, N], first.dtype, engine, [A.array, B.array], false);
    // a temporary C that is read (beta != 0) starts as a copy of out
    if (out && c !== out && beta !== 0) {
      engine.copy(c.storage.buffer, 0, out.storage.buffer, out.offset, out.strides, out.shape);
    }
    engine.gemm(
      c.storage.buffer,
      c.offset,
      Math.max(N, 1),
      A.array.storage.buffer,
      A.array.offset,
      A.ld,
      A.trans !== transA,
      B.array.storage.buffer,
      B.array.offset,
      B.ld,
      B.trans !== transB,
      M,
      N,
      K,
      alpha,
      beta,
    );
    return deliver(out, c);
  } finally {
    if (A.temp) A.array.dispose();
    if (B.temp) B.array.dispose();
  }
}

/**
 * Matrix product with NumPy's rules for 1-D and 2-D operands: (n,k)·(k,m) → (n,m); a 1-D left
 * operand is a row, a 1-D right operand a column, and the added axis is removed from the result.
 *
 * @example
 * matmul(array([[1, 2], [3, 4]]), array([1, 1])); // [3, 7]
 */
export function matmul(a: NDArray, b: NDArray): NDArray {
  checkArray('matmul', 'a', a);
  checkArray('matmul', 'b', b);
  commonEngine('matmul', [a, b]);
  for (const [name, x] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (x.ndim === 0)
      throw new ShapeError(`matmul: Input operand ${name === 'a' ? 0 : 1} does not have enough dimensions`);
    if (x.ndim > 2) {
      throw new ShapeError(
        `matmul: ${name} has shape ${formatShape(x.shape)}; vecnet supports 1-D and 2-D operands`,
      );
    }
  }
  const A = a.ndim === 1 ? a.reshape(1, -1) : a;
  const B = b.ndim === 1 ? b.reshape(-1, 1) : b;
  try {
    const c = gemm(A, B);
    if (a.ndim === 2 && b.ndim === 2) return c;
    const shape = a.ndim === 1 && b.ndim === 1 ? [] : a.ndim === 1 ? [c.shape[1]] : [c.shape[0]];
    const r = c.reshape(shape);
    c.dispose();
    return r;
  } finally {
    if (A !== a) A.dispose();
    if (B !== b) B.dispose();
  }
}

/** np.dot for 1-D and 2-D arrays (the same as matmul there); scalars multiply. */
export function dot(a: NDArray, b: NDArray): NDArray {
  return matmul(a, b);
}

/** The outer product of two vectors (flattened first), (n,) x (m,) → (n, m). @example outer(array([1, 2]), array([3, 4])) */
export function outer(a: NDArray, b: NDArray): NDArray {
  checkArray('outer', 'a', a);
  checkArray('outer', 'b', b);
  commonEngine('outer', [a, b]);
  const A = a.reshape(-1, 1);
  const B = b.reshape(1, -1);
  try {
    return gemm(A, B);
  } finally {
    A.dispose();
    B.dispose();
  }
}
