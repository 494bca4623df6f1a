import { type Backend, type BackendName, currentBackend } from '../backend/index.js';
import {
  contiguousStrides,
  DISPOSE,
  DisposedError,
  type DType,
  formatShape,
  isContiguous,
  type Shape,
  sizeOf,
} from '../core/index.js';
import { arrayCreated, arrayDisposed } from './ledger.js';
import { track } from './scope.js';
import { Storage } from './storage.js';

/** An operand: an array or a plain number (a scalar of the other operand's dtype). */
export type ArrayLike = NDArray | number;

/**
 * An n-dimensional array of float64 or float32 with NumPy's semantics: row-major storage, views
 * with strides, broadcasting, reductions over an axis with keepdims.
 *
 * This file holds the array's state (storage, shape, strides, dtype) and life cycle; the operations
 * are functions in the files beside it, attached as methods in one place (methods.ts).
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
    arrayCreated();
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
    arrayDisposed();
    this.storage.release();
  }
  /** `dispose()`, for `using x = …` (explicit resource management; DISPOSE is Symbol.dispose). */
  [DISPOSE](): void {
    this.dispose();
  }
}
