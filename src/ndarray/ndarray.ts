import type { Backend, BackendName } from '../backend/backend.js';
import { currentBackend } from '../backend/registry.js';
import type { DType, TypedArray } from './dtype.js';
import * as ew from './elementwise.js';
import { DisposedError } from './errors.js';
import { format } from './format.js';
import * as lin from './linalg.js';
import * as man from './manipulate.js';
import * as red from './reduce.js';
import { track } from './scope.js';
import { contiguousStrides, formatShape, isContiguous, type Shape, sizeOf } from './shape.js';
import { Storage } from './storage.js';

/** An operand: an array or a plain number (a scalar of the other operand's dtype). */
export type ArrayLike = NDArray | number;

/**
 * An n-dimensional array of float64 or float32 with NumPy's semantics: row-major storage, views
 * with strides, broadcasting, reductions over an axis with keepdims.
 *
 * @example
 * const a = array([[1, 2, 3], [4, 5, 6]]);
 * a.shape;               // [2, 3]
 * a.sum(1, true).shape;  // [2, 1]
 * a.T.matmul(a).shape;   // [3, 3]
 */
export class NDArray {
  /** @internal */ readonly storage: Storage;
  /** Element offset of the first element inside the backend buffer. */
  readonly offset: number;
  readonly shape: readonly number[];
  /** Element strides, one per dimension (0 never occurs except for size-1 dimensions). */
  readonly strides: readonly number[];
  readonly dtype: DType;
  private disposed = false;

  /** @internal Use `array`, `zeros` and friends to create arrays. */
  constructor(storage: Storage, shape: Shape, strides: Shape = contiguousStrides(shape), offset = 0) {
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze([...strides]);
    this.offset = offset;
    this.dtype = storage.buffer.dtype;
    track(this);
  }

  /** @internal A fresh zero-filled contiguous array on `backend`. */
  static alloc(shape: Shape, dtype: DType, backend: Backend = currentBackend()): NDArray {
    return new NDArray(new Storage(backend, backend.alloc(dtype, sizeOf(shape))), shape);
  }

  /** @internal The backend that owns this array's memory. */
  get engine(): Backend {
    this.assertLive();
    return this.storage.backend;
  }

  /** Name of the backend that owns this array's memory. */
  get backend(): BackendName {
    return this.storage.backend.name;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  /** True when the elements are laid out in C order without gaps, starting at `offset`. */
  get isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal */
  assertLive(): void {
    if (this.disposed) throw new DisposedError(`array was disposed (shape ${formatShape(this.shape)})`);
  }

  /** Frees the array's memory (shared with its views until the last one is disposed). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.storage.release();
  }

  /** A copy of the elements in C order, as a typed array of the array's dtype. */
  get data(): TypedArray {
    return man.toTypedArray(this);
  }

  /** The elements as nested JavaScript arrays (a number for a 0-d array). */
  toArray(): number | unknown[] {
    return man.toNested(this);
  }

  /** The element at `index` (negative indices count from the end). */
  get(...index: number[]): number {
    return man.getItem(this, index);
  }

  /** Writes `value` at `index`. @example a.set([0, 1], 5) */
  set(index: readonly number[], value: number): void {
    man.setItem(this, index, value);
  }

  toString(): string {
    return format(this);
  }

  // shape and views
  /** A view (or copy, for a non-contiguous array) with a new shape; one entry may be -1. */
  reshape(...shape: (number | readonly number[])[]): NDArray {
    return man.reshape(this, shape.flat());
  }
  /** The transpose: reversed axes, as a view. */
  get T(): NDArray {
    return man.transpose(this);
  }
  /** Permutes the axes (default: reversed), as a view. */
  transpose(axes?: readonly number[]): NDArray {
    return man.transpose(this, axes);
  }
  /** A 1-D contiguous copy. */
  flatten(): NDArray {
    return man.flatten(this);
  }
  /** Removes size-1 axes (all of them, or the one given). */
  squeeze(axis?: number): NDArray {
    return man.squeeze(this, axis);
  }
  /** Inserts a size-1 axis at `axis`. */
  expandDims(axis: number): NDArray {
    return man.expandDims(this, axis);
  }
  /** Columns start … end-1 of a 2-D array as a view: the mini-batch `X[:, start:end]`. */
  cols(start: number, end: number): NDArray {
    return man.cols(this, start, end);
  }
  /** A contiguous copy on the same backend. */
  copy(): NDArray {
    return man.copy(this);
  }
  /** A copy converted to `dtype`. */
  astype(dtype: DType): NDArray {
    return man.astype(this, dtype);
  }

  // element-wise
  add(b: ArrayLike): NDArray {
    return ew.add(this, b);
  }
  sub(b: ArrayLike): NDArray {
    return ew.sub(this, b);
  }
  mul(b: ArrayLike): NDArray {
    return ew.mul(this, b);
  }
  div(b: ArrayLike): NDArray {
    return ew.div(this, b);
  }
  pow(b: ArrayLike): NDArray {
    return ew.pow(this, b);
  }
  maximum(b: ArrayLike): NDArray {
    return ew.maximum(this, b);
  }
  minimum(b: ArrayLike): NDArray {
    return ew.minimum(this, b);
  }
  gt(b: ArrayLike): NDArray {
    return ew.gt(this, b);
  }
  ge(b: ArrayLike): NDArray {
    return ew.ge(this, b);
  }
  lt(b: ArrayLike): NDArray {
    return ew.lt(this, b);
  }
  le(b: ArrayLike): NDArray {
    return ew.le(this, b);
  }
  eq(b: ArrayLike): NDArray {
    return ew.eq(this, b);
  }
  neg(): NDArray {
    return ew.neg(this);
  }
  abs(): NDArray {
    return ew.abs(this);
  }
  exp(): NDArray {
    return ew.exp(this);
  }
  log(): NDArray {
    return ew.log(this);
  }
  sqrt(): NDArray {
    return ew.sqrt(this);
  }
  square(): NDArray {
    return ew.square(this);
  }
  tanh(): NDArray {
    return ew.tanh(this);
  }
  sigmoid(): NDArray {
    return ew.sigmoid(this);
  }
  relu(): NDArray {
    return ew.relu(this);
  }
  leakyRelu(slope = 0.01): NDArray {
    return ew.leakyRelu(this, slope);
  }
  clip(lo: number, hi: number): NDArray {
    return ew.clip(this, lo, hi);
  }

  // reductions
  /** Sum over all elements (axis omitted) or one axis; keepdims keeps that axis with size 1. */
  sum(axis?: number | null, keepdims = false): NDArray {
    return red.sum(this, axis, keepdims);
  }
  mean(axis?: number | null, keepdims = false): NDArray {
    return red.mean(this, axis, keepdims);
  }
  max(axis?: number | null, keepdims = false): NDArray {
    return red.max(this, axis, keepdims);
  }
  min(axis?: number | null, keepdims = false): NDArray {
    return red.min(this, axis, keepdims);
  }
  /** Index of the largest element (of the flattened array, or along `axis`), as float values. */
  argmax(axis?: number | null, keepdims = false): NDArray {
    return red.argmax(this, axis, keepdims);
  }
  argmin(axis?: number | null, keepdims = false): NDArray {
    return red.argmin(this, axis, keepdims);
  }

  // linear algebra
  /** Matrix product with NumPy's rules for 1-D and 2-D operands. */
  matmul(b: NDArray): NDArray {
    return lin.matmul(this, b);
  }
  /** Same as matmul for 1-D and 2-D arrays (np.dot). */
  dot(b: NDArray): NDArray {
    return lin.dot(this, b);
  }
}
