import type { DType, TypedArray } from '../core/index.js';
import type { BinaryOp, LossOp, OptimizerOp, ReduceOp, UnaryOp } from './ops.js';

/** The unary ops that are layer activations: the ones the fused training kernels take. */
export type ActivationOp = UnaryOp.Sigmoid | UnaryOp.Tanh | UnaryOp.Relu | UnaryOp.LeakyRelu | UnaryOp.Linear;

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
 * - arguments in the order of the wasm ABI table (src/backend/wasm/abi.ts): the op code, the outputs,
 *   the inputs, each operand as buffer, element offset and its layout (strides, leading dimension,
 *   transpose flag), then sizes and scalar parameters;
 * - offsets, strides and sizes are in elements (not bytes); a stride of 0 broadcasts;
 * - all buffers of one call share one dtype; `out` is contiguous (C order) unless strides are given;
 * - arguments are validated by the facade, and kernels trust them: on valid arguments a kernel never
 *   throws (the wasm backend's only throws are for a buffer of another backend or more than 64
 *   dimensions, which the facade never passes) and allocates no storage (no backend buffer, no
 *   typed array: the JavaScript backends reuse their scratch, the wasm kernels never touch the heap).
 *   The calls a training iteration makes (gemm and the fused kernels) allocate nothing at all; the
 *   strided paths of copy and binary may create small JavaScript arrays for collapsed shapes.
 *
 * The fused kernels at the end (biasActivation … loss) are the training step's: each does in one
 * sweep what would otherwise be two or three facade ops, and TrainingPlan (src/nn/plan.ts) calls them
 * directly with precomputed offsets, so a small network's iteration costs what its kernels cost.
 * Their (rows, cols) operands are contiguous row-major blocks; b and db are contiguous (rows, 1).
 */
/**
 * The operands of Backend.firstLayerStep: W and dW (n, k) and D, Z (n, m), C-contiguous at their
 * offsets; X (k, m) with row stride ldx, or with transX stored (m, k). None may overlap. A caller keeps
 * one record and rewrites its fields, so a call allocates nothing.
 */
export interface FirstLayerStep {
  dW: Buffer;
  dwOff: number;
  W: Buffer;
  wOff: number;
  Z: Buffer;
  zOff: number;
  D: Buffer;
  dOff: number;
  X: Buffer;
  xOff: number;
  ldx: number;
  transX: boolean;
  n: number;
  k: number;
  m: number;
  alpha: number;
  lr: number;
}

export interface Backend {
  readonly name: BackendName;

  /**
   * A zero-filled buffer of `length` elements.
   *
   * @throws RangeError naming the bytes asked for and what the backend can give, when it cannot.
   */
  alloc(dtype: DType, length: number): Buffer;
  /**
   * Roughly how many more bytes of arrays this backend can hold: the room left under the wasm
   * memory's limit (4 GiB), or the host's memory for the JavaScript backends. Checked before large
   * work (a network's parameters, a training plan), so that it fails at once with the sizes named.
   */
  availableBytes(): number;
  /** Returns the buffer's storage; the buffer must not be used afterwards. */
  free(buffer: Buffer): void;
  /**
   * A live typed-array view of the buffer's elements. On `wasm` it is invalidated by the next
   * allocation (memory growth detaches it), so take it, use it, drop it.
   */
  view(buffer: Buffer): TypedArray;
  /**
   * Optional (the wasm backend, in SIMD): the index of the first element of x[off .. off+n) that is
   * NaN or ±Infinity, or -1. The input checks use it where it exists, a loop over `view` elsewhere.
   */
  firstNonFinite?(x: Buffer, off: number, n: number): number;

  /** out[outOff .. outOff+n) = value */
  fill(out: Buffer, outOff: number, n: number, value: number): void;

  /** Copies a strided view of `x` with the given shape into contiguous `out`. */
  copy(
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    xStrides: readonly number[],
    shape: readonly number[],
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
    a: Buffer,
    aOff: number,
    aStrides: readonly number[],
    b: Buffer,
    bOff: number,
    bStrides: readonly number[],
    shape: readonly number[],
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
   * When beta is 0, C is overwritten (NaN in C does not leak through). C must not overlap A or B.
   */
  gemm(
    c: Buffer,
    cOff: number,
    ldc: number,
    a: Buffer,
    aOff: number,
    lda: number,
    transA: boolean,
    b: Buffer,
    bOff: number,
    ldb: number,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    alpha: number,
    beta: number,
  ): void;

  /**
   * A layer's forward step after its GEMM: Z[i, j] += b[i], then A[i, j] = g(Z[i, j]; p0), one sweep
   * (the facade's `add(Z, b, Z)` and `unary(op, Z, A)` with the same rounding). `a` may alias `z`
   * exactly, which leaves only A.
   */
  biasActivation(
    op: ActivationOp,
    z: Buffer,
    zOff: number,
    a: Buffer,
    aOff: number,
    b: Buffer,
    bOff: number,
    rows: number,
    cols: number,
    p0: number,
  ): void;

  /**
   * A layer's backward step before its GEMMs: dZ = dA · g'(·), and db[i] = scale · Σ_j dZ[i, j] from
   * the dZ values as stored (sum in f64, rounded to the dtype, then scaled in the dtype), one sweep.
   * g' is read from the forward cache that gives it exactly (see `activationGradFn` in scalar.ts):
   * `c` is A for sigmoid (A(1 - A)) and tanh (1 - A²), as the course writes them, and Z for relu,
   * leakyRelu (slope p0) and linear, whose derivative needs the sign of z. `dz` may alias `dy`.
   */
  activationGradSum(
    op: ActivationOp,
    dz: Buffer,
    dzOff: number,
    db: Buffer,
    dbOff: number,
    dy: Buffer,
    dyOff: number,
    c: Buffer,
    cOff: number,
    rows: number,
    cols: number,
    scale: number,
    p0: number,
  ): void;

  /**
   * The output layer's dZ = A - Y (sigmoid with cross-entropy, linear with MSE) and its
   * db[i] = scale · Σ_j dZ[i, j], rounded as in activationGradSum, one sweep. `dz` may alias `a`.
   */
  subRowSum(
    dz: Buffer,
    dzOff: number,
    db: Buffer,
    dbOff: number,
    a: Buffer,
    aOff: number,
    y: Buffer,
    yOff: number,
    rows: number,
    cols: number,
    scale: number,
  ): void;

  /**
   * y[i] = y[i] + alpha · x[i] for i < n, without a fused multiply-add: each product is rounded to the
   * dtype (alpha first rounded to it, like a NumPy scalar), so `axpy(W, dW, -lr)` equals NumPy's
   * `W - lr * dW` bit for bit. `y` must not overlap `x`.
   */
  axpy(y: Buffer, yOff: number, x: Buffer, xOff: number, n: number, alpha: number): void;

  /**
   * The first layer's end of a gradient-descent iteration and the next iteration's first product:
   * dW = alpha·D·Xᵀ, then W -= lr·dW, then Z = W·X with the updated W, exactly as `gemm`, `axpy`
   * and `gemm` compute them one after the other (`firstLayerStepInSequence`), bit for bit; operands
   * as FirstLayerStep describes them. A backend may read X once for both products (wasm does, block
   * by block).
   */
  firstLayerStep(s: FirstLayerStep): void;

  /**
   * The sigmoid output layer's forward step for the cross-entropy cost: Z += b, A = σ(Z), and
   * T = log1p(e^-|Z|), the cost's transcendental, label-free part (see `logisticTail` in scalar.ts),
   * from the e^-|Z| that σ needs anyway, so the cost needs no second exp and log. Returns Σ T as
   * stored, in f64, compensated as in `loss`. Float32 blocks may compute σ and T in float32 (the wasm
   * backend does, four lanes at a time), so T and its sum are float32-accurate.
   */
  sigmoidOutput(
    z: Buffer,
    zOff: number,
    a: Buffer,
    aOff: number,
    t: Buffer,
    tOff: number,
    b: Buffer,
    bOff: number,
    rows: number,
    cols: number,
  ): number;

  /**
   * Σ_i loss(a[i], y[i]) for i < n (LossOp), each term and the sum in f64 whatever the dtype, the sum
   * compensated (Neumaier's rule, per term or per short plain block: within a few 1e-15 of Σ|terms|),
   * so backends agree to about 1e-14 whatever their summation order.
   */
  loss(op: LossOp, a: Buffer, aOff: number, y: Buffer, yOff: number, n: number): number;

  /**
   * One optimizer update (OptimizerOp) of the n contiguous parameters w from their gradient g and
   * moment arrays v (momentum, Adam) and s (RMSprop, Adam), all updated in place; v and s are unread
   * where the rule has none (pass w's buffer). Each product, quotient, square root and sum rounds to
   * the dtype, every scalar first rounded to it, in the order of NumPy's expressions: Adam is
   * `v = β1·v + (1-β1)·g; s = β2·s + (1-β2)·g²; w = w - lr·(v/c1) / (√(s/c2) + ε)`, with c1 = 1 - β1^t
   * and c2 = 1 - β2^t passed in. Arrays must not overlap.
   */
  optimizerStep(
    op: OptimizerOp,
    w: Buffer,
    wOff: number,
    g: Buffer,
    gOff: number,
    v: Buffer,
    vOff: number,
    s: Buffer,
    sOff: number,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void;

  /**
   * The softmax output layer's forward step: Z[i, j] += b[i], then each column of A is the softmax of
   * Z's, computed stably (max subtracted, exponentials and their sum in f64). Returns
   * Σ_j log Σ_i e^Z[i, j] (compensated), the categorical cross-entropy's label-free part, so the cost
   * is (that - Σ Y·Z) / m for one-hot Y. `a` must not overlap `z`.
   */
  softmaxOutput(
    z: Buffer,
    zOff: number,
    a: Buffer,
    aOff: number,
    b: Buffer,
    bOff: number,
    rows: number,
    cols: number,
  ): number;

  /**
   * The mini-batch shuffle's gather: the `count` columns of x at the element offsets in idx, cut into
   * batches of `size` columns, batch k a contiguous (rows, width_k) block from out[outOff +
   * k·size·rows]: out[outOff + k·size·rows + i·width_k + c] = x[xOff + i·ld + idx[idxOff + k·size + c]].
   * `idx` is a float64 buffer of element offsets (exact integers) whatever the dtype of out and x (the
   * one exception to one dtype per call), so one index array serves both dtypes. Rows are the outer
   * loop: x is read once for all batches. out must not overlap x.
   */
  gatherColumns(
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    idx: Buffer,
    idxOff: number,
    rows: number,
    ld: number,
    count: number,
    size: number,
  ): void;
}
