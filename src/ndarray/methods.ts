// The NDArray methods, attached in one place: each is the function of the same name in the op files
// (elementwise.ts, reduce.ts, linalg.ts, manipulate.ts) with the array as its first operand. The op
// files import the NDArray class and the class imports none of them, so the methods cannot live in
// the class body without an import circle; the declaration below tells TypeScript they are there.
// The layer's index.ts imports this file, which every other layer reaches the arrays through.

import type { DType, TypedArray } from '../core/index.js';
import {
  abs,
  add,
  clip,
  div,
  eq,
  exp,
  ge,
  gt,
  le,
  leakyRelu,
  log,
  lt,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  square,
  sub,
  tanh,
} from './elementwise.js';
import { format } from './format.js';
import { dot, matmul } from './linalg.js';
import {
  astype,
  cols,
  copy,
  expandDims,
  flatten,
  getItem,
  reshape,
  setItem,
  squeeze,
  toNested,
  toTypedArray,
  transpose,
} from './manipulate.js';
import { type ArrayLike, NDArray } from './ndarray.js';
import { argmax, argmin, max, mean, min, sum } from './reduce.js';

declare module './ndarray.js' {
  interface NDArray {
    /** A copy of the elements in C order, as a typed array of the array's dtype. */
    readonly data: TypedArray;
    /** The elements as nested JavaScript arrays (a number for a 0-d array). */
    toArray(): number | unknown[];
    /** The element at `index` (negative indices count from the end). */
    get(...index: number[]): number;
    /** Writes `value` at `index`. @example a.set([0, 1], 5) */
    set(index: readonly number[], value: number): void;
    /** NumPy-like text: `array([[1., 2.], [3., 4.]])`. */
    toString(): string;

    /** A view (or copy, for a non-contiguous array) with a new shape; one entry may be -1. */
    reshape(...shape: (number | readonly number[])[]): NDArray;
    /** The transpose: reversed axes, as a view. */
    readonly T: NDArray;
    /** Permutes the axes (default: reversed), as a view. */
    transpose(axes?: readonly number[]): NDArray;
    /** A 1-D contiguous copy. */
    flatten(): NDArray;
    /** Removes size-1 axes (all of them, or the one given). */
    squeeze(axis?: number): NDArray;
    /** Inserts a size-1 axis at `axis`. */
    expandDims(axis: number): NDArray;
    /** Columns start … end-1 of a 2-D array as a view: the mini-batch `X[:, start:end]`. */
    cols(start: number, end: number): NDArray;
    /** A contiguous copy on the same backend. */
    copy(): NDArray;
    /** A copy converted to `dtype`. */
    astype(dtype: DType): NDArray;

    add(b: ArrayLike): NDArray;
    sub(b: ArrayLike): NDArray;
    mul(b: ArrayLike): NDArray;
    div(b: ArrayLike): NDArray;
    pow(b: ArrayLike): NDArray;
    maximum(b: ArrayLike): NDArray;
    minimum(b: ArrayLike): NDArray;
    gt(b: ArrayLike): NDArray;
    ge(b: ArrayLike): NDArray;
    lt(b: ArrayLike): NDArray;
    le(b: ArrayLike): NDArray;
    eq(b: ArrayLike): NDArray;
    neg(): NDArray;
    abs(): NDArray;
    exp(): NDArray;
    log(): NDArray;
    sqrt(): NDArray;
    square(): NDArray;
    tanh(): NDArray;
    sigmoid(): NDArray;
    relu(): NDArray;
    leakyRelu(slope?: number): NDArray;
    clip(lo: number, hi: number): NDArray;

    /** Sum over all elements (axis omitted) or one axis; keepdims keeps that axis with size 1. */
    sum(axis?: number | null, keepdims?: boolean): NDArray;
    mean(axis?: number | null, keepdims?: boolean): NDArray;
    max(axis?: number | null, keepdims?: boolean): NDArray;
    min(axis?: number | null, keepdims?: boolean): NDArray;
    /** Index of the largest element (of the flattened array, or along `axis`), as float values. */
    argmax(axis?: number | null, keepdims?: boolean): NDArray;
    argmin(axis?: number | null, keepdims?: boolean): NDArray;

    /** Matrix product with NumPy's rules for 1-D and 2-D operands. */
    matmul(b: NDArray): NDArray;
    /** Same as matmul for 1-D and 2-D arrays (np.dot). */
    dot(b: NDArray): NDArray;
  }
}

type Binary = (a: ArrayLike, b: ArrayLike) => NDArray;
type Unary = (x: NDArray) => NDArray;
type Reduction = (x: NDArray, axis?: number | null, keepdims?: boolean) => NDArray;

const withOperand = (op: Binary) =>
  function (this: NDArray, b: ArrayLike) {
    return op(this, b);
  };
const alone = (op: Unary) =>
  function (this: NDArray) {
    return op(this);
  };
const overAxis = (op: Reduction) =>
  function (this: NDArray, axis?: number | null, keepdims = false) {
    return op(this, axis, keepdims);
  };

const methods = {
  toArray(this: NDArray) {
    return toNested(this);
  },
  get(this: NDArray, ...index: number[]) {
    return getItem(this, index);
  },
  set(this: NDArray, index: readonly number[], value: number) {
    setItem(this, index, value);
  },
  toString(this: NDArray) {
    return format(this);
  },
  reshape(this: NDArray, ...shape: (number | readonly number[])[]) {
    return reshape(this, shape.flat());
  },
  transpose(this: NDArray, axes?: readonly number[]) {
    return transpose(this, axes);
  },
  flatten: alone(flatten),
  squeeze(this: NDArray, axis?: number) {
    return squeeze(this, axis);
  },
  expandDims(this: NDArray, axis: number) {
    return expandDims(this, axis);
  },
  cols(this: NDArray, start: number, end: number) {
    return cols(this, start, end);
  },
  copy: alone(copy),
  astype(this: NDArray, dtype: DType) {
    return astype(this, dtype);
  },
  add: withOperand(add),
  sub: withOperand(sub),
  mul: withOperand(mul),
  div: withOperand(div),
  pow: withOperand(pow),
  maximum: withOperand(maximum),
  minimum: withOperand(minimum),
  gt: withOperand(gt),
  ge: withOperand(ge),
  lt: withOperand(lt),
  le: withOperand(le),
  eq: withOperand(eq),
  neg: alone(neg),
  abs: alone(abs),
  exp: alone(exp),
  log: alone(log),
  sqrt: alone(sqrt),
  square: alone(square),
  tanh: alone(tanh),
  sigmoid: alone(sigmoid),
  relu: alone(relu),
  leakyRelu(this: NDArray, slope = 0.01) {
    return leakyRelu(this, slope);
  },
  clip(this: NDArray, lo: number, hi: number) {
    return clip(this, lo, hi);
  },
  sum: overAxis(sum),
  mean: overAxis(mean),
  max: overAxis(max),
  min: overAxis(min),
  argmax: overAxis(argmax),
  argmin: overAxis(argmin),
  matmul(this: NDArray, b: NDArray) {
    return matmul(this, b);
  },
  dot(this: NDArray, b: NDArray) {
    return dot(this, b);
  },
};

for (const [name, value] of Object.entries(methods)) {
  Object.defineProperty(NDArray.prototype, name, { value, writable: true, configurable: true });
}
Object.defineProperty(NDArray.prototype, 'data', {
  get(this: NDArray) {
    return toTypedArray(this);
  },
  configurable: true,
});
Object.defineProperty(NDArray.prototype, 'T', {
  get(this: NDArray) {
    return transpose(this);
  },
  configurable: true,
});
