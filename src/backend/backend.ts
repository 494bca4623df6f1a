import type { DType, TypedArray } from '../ndarray/dtype.js';
import type { BinaryOp, ReduceOp, UnaryOp } from './ops.js';

/** The three interchangeable engines. */
export type BackendName = 'loop' | 'vectorized' | 'wasm';

/**
 * A block of storage owned by one backend. `loop` and `vectorized` keep a typed array; `wasm` keeps an
 * offset into its linear memory. Either way the elements are reached through `Backend.view`.
 */
export interface Buffer {
  readonly dtype: DType;
  readonly length: number;
}

/**
 * The whole contract between the NDArray facade and an engine: a closed set of kernels.
 *
 * Conventions for every kernel:
 * - offsets, strides and sizes are in elements (not bytes); a stride of 0 broadcasts;
 * - all buffers of one call share one dtype; `out` is contiguous (C order) unless strides are given;
 * - arguments are already validated by the facade: kernels never throw and never allocate.
 */
export interface Backend {
  readonly name: BackendName;

  /** A zero-filled buffer of `length` elements. */
  alloc(dtype: DType, length: number): Buffer;
  /** Returns the buffer's storage; the buffer must not be used afterwards. */
  free(buffer: Buffer): void;
  /**
   * A live typed-array view of the buffer's elements. On `wasm` it is invalidated by the next
   * allocation (memory growth detaches it), so take it, use it, drop it.
   */
  view(buffer: Buffer): TypedArray;

  /** out[outOff .. outOff+n) = value */
  fill(out: Buffer, outOff: number, n: number, value: number): void;

  /** Copies a strided view of `x` with the given shape into contiguous `out`. */
  copy(
    out: Buffer,
    outOff: number,
    shape: readonly number[],
    x: Buffer,
    xOff: number,
    xStrides: readonly number[],
  ): void;

  /**
   * out = a OP b over `shape` (out contiguous); a and b are strided views whose broadcast dimensions
   * have stride 0. The facade collapses adjacent dimensions first, so the common cases arrive as
   * ndim 1 (same shape or scalar) or ndim 2 (row or column broadcast).
   */
  binary(
    op: BinaryOp,
    out: Buffer,
    outOff: number,
    shape: readonly number[],
    a: Buffer,
    aOff: number,
    aStrides: readonly number[],
    b: Buffer,
    bOff: number,
    bStrides: readonly number[],
  ): void;

  /** out[i] = f(x[i]; p0, p1) for i < n, contiguous. `out` may alias `x`. */
  unary(
    op: UnaryOp,
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    n: number,
    p0: number,
    p1: number,
  ): void;

  /** out[i] = dy[i] * f'(x[i]; p0, p1) for i < n, contiguous, in one pass. `out` may alias `dy`. */
  unaryGrad(
    op: UnaryOp,
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    dy: Buffer,
    dyOff: number,
    n: number,
    p0: number,
    p1: number,
  ): void;

  /**
   * Reduces the middle axis of the contiguous (outer, len, inner) view of x into out (outer, inner).
   * len >= 1 for Max/Min/ArgMax/ArgMin.
   */
  reduce(
    op: ReduceOp,
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    outer: number,
    len: number,
    inner: number,
  ): void;

  /**
   * C = alpha * op(A) * op(B) + beta * C, row-major; op(A) is (M, K), op(B) is (K, N), C is (M, N).
   * lda, ldb, ldc are row strides of the stored matrices (A stored (M, K) or, transposed, (K, M)).
   * When beta is 0, C is overwritten (NaN in C does not leak through).
   */
  gemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: Buffer,
    aOff: number,
    lda: number,
    b: Buffer,
    bOff: number,
    ldb: number,
    beta: number,
    c: Buffer,
    cOff: number,
    ldc: number,
  ): void;
}
