// `np`: the NumPy calls the course's notebooks make around their graded functions, over vecnet's
// arrays. `np.random` draws from one module-level legacy RandomState, as NumPy's module functions do,
// so `np.random.seed(1); np.random.randn(3, 2)` gives NumPy's numbers bit for bit.

import {
  abs as absOp,
  add as addOp,
  array as arrayOp,
  div,
  dot as dotOp,
  exp as expOp,
  le,
  log as logOp,
  maximum as maximumOp,
  mean as meanOp,
  mul,
  type NDArray,
  ones as onesOp,
  pow,
  reshape as reshapeOp,
  sqrt as sqrtOp,
  squeeze as squeezeOp,
  sub,
  sum as sumOp,
  tanh as tanhOp,
  tidy,
  transpose as transposeOp,
  zeros as zerosOp,
} from '../ndarray/index.js';
import { RandomState } from '../random/index.js';
import { type ArrayInput, asArray, scalarOr } from './values.js';

const state = new RandomState();

/** Dimensions as NumPy's `randn(d0, d1, …)` takes them. */
function dims(name: string, d: number[]): number[] {
  for (const n of d) {
    if (!Number.isInteger(n) || n < 0)
      throw new TypeError(`np.random.${name}: dimensions must be non-negative integers, got ${String(n)}`);
  }
  return d;
}

/** `np.random`: the module-level legacy RandomState. */
export const random = {
  /** `np.random.seed(n)`. @example np.random.seed(1) */
  seed(n: number): void {
    state.seed(n);
  },
  /** Standard normals of shape (d0, d1, …); a number with no dimensions. @example np.random.randn(2, 3) */
  randn(...d: number[]): NDArray | number {
    return d.length === 0 ? state.standardNormal() : state.randn(...dims('randn', d));
  },
  /** Uniform [0, 1) of shape (d0, d1, …); a number with no dimensions. @example np.random.rand(3) */
  rand(...d: number[]): NDArray | number {
    return d.length === 0 ? state.random() : state.rand(...dims('rand', d));
  },
  /** A random permutation of 0 … m-1 (float64 values). @example np.random.permutation(5) */
  permutation(m: number): NDArray {
    return state.permutation(m);
  },
};

type Shape = number | readonly number[];
const shapeOf = (s: Shape) => (typeof s === 'number' ? [s] : [...s]);

/** A new float64 array from nested arrays, a number or an NDArray (copied, as `np.array`). */
export const array = (x: ArrayInput): NDArray => arrayOp(asArray(x) as never);
export const zeros = (shape: Shape): NDArray => zerosOp(shapeOf(shape));
export const ones = (shape: Shape): NDArray => onesOp(shapeOf(shape));

/** Applies a two-operand op; two numbers give a number, as NumPy's scalars do. */
function both(op: (a: NDArray, b: NDArray) => NDArray, a: ArrayInput, b: ArrayInput): NDArray | number {
  if (typeof a === 'number' && typeof b === 'number') return scalarOr(op(asArray(a), asArray(b)));
  return op(asArray(a, 'x1'), asArray(b, 'x2'));
}
/** Applies a one-operand op; a number gives a number. */
function one(op: (x: NDArray) => NDArray, x: ArrayInput): NDArray | number {
  return typeof x === 'number' ? scalarOr(op(asArray(x))) : op(asArray(x));
}

export const add = (a: ArrayInput, b: ArrayInput) => both(addOp, a, b);
export const subtract = (a: ArrayInput, b: ArrayInput) => both(sub, a, b);
export const multiply = (a: ArrayInput, b: ArrayInput) => both(mul, a, b);
export const divide = (a: ArrayInput, b: ArrayInput) => both(div, a, b);
export const power = (a: ArrayInput, b: ArrayInput) => both(pow, a, b);
export const maximum = (a: ArrayInput, b: ArrayInput) => both(maximumOp, a, b);
export const exp = (x: ArrayInput) => one(expOp, x);
export const log = (x: ArrayInput) => one(logOp, x);
export const tanh = (x: ArrayInput) => one(tanhOp, x);
export const abs = (x: ArrayInput) => one(absOp, x);
export const sqrt = (x: ArrayInput) => one(sqrtOp, x);

/** `np.dot`: matrix product of 2-D arrays, inner product of vectors (a number), scaling by a number. */
export function dot(a: ArrayInput, b: ArrayInput): NDArray | number {
  if (typeof a === 'number' || typeof b === 'number') return multiply(a, b);
  return scalarOr(dotOp(asArray(a, 'a'), asArray(b, 'b')));
}

/** `np.sum(x, axis, keepdims)`: a number without an axis (and without keepdims). */
export function sum(x: ArrayInput, axis?: number | null, keepdims = false): NDArray | number {
  return scalarOr(sumOp(asArray(x), axis, keepdims));
}

/** `np.mean(x, axis, keepdims)`: a number without an axis (and without keepdims). */
export function mean(x: ArrayInput, axis?: number | null, keepdims = false): NDArray | number {
  return scalarOr(meanOp(asArray(x), axis, keepdims));
}

/** `np.squeeze(x)`: size-1 axes removed; a number when nothing is left. */
export function squeeze(x: ArrayInput, axis?: number): NDArray | number {
  return scalarOr(squeezeOp(asArray(x), axis));
}

/** `np.transpose(x, axes)`: a view. */
export const transpose = (x: ArrayInput, axes?: readonly number[]): NDArray => transposeOp(asArray(x), axes);

/** `np.reshape(x, shape)`: a view where the layout allows. */
export const reshape = (x: ArrayInput, shape: Shape): NDArray => reshapeOp(asArray(x), shapeOf(shape));

/** Round half to even, as NumPy's rint. */
function rint(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `np.round(x, decimals)`: x·10^d rounded half to even, divided back, as NumPy computes it. */
export function round(x: ArrayInput, decimals = 0): NDArray | number {
  const f = 10 ** decimals;
  const r = (v: number) => (decimals >= 0 ? rint(v * f) / f : rint(v / 10 ** -decimals) * 10 ** -decimals);
  if (typeof x === 'number') return r(x);
  const a = asArray(x);
  return arrayOp(Float64Array.from(a.data, r), { shape: a.shape, dtype: a.dtype });
}

/** `np.allclose(a, b, rtol, atol)`: |a - b| <= atol + rtol·|b| everywhere (NaN is never close). */
export function allclose(a: ArrayInput, b: ArrayInput, rtol = 1e-5, atol = 1e-8): boolean {
  return tidy(() => {
    const x = asArray(a, 'a');
    const y = asArray(b, 'b');
    const close = le(absOp(sub(x, y)), addOp(mul(absOp(y), rtol), atol));
    return Array.from(close.data).every((v) => v === 1);
  });
}
