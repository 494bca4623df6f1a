import type { DType, TypedArray } from '../../core/index.js';
import type { ActivationOp, Backend, Buffer, FirstLayerStep } from '../backend.js';
import { firstLayerStepInSequence } from '../first-layer-step.js';
import { type BinaryOp, LossOp, type OptimizerOp, type ReduceOp, type UnaryOp } from '../ops.js';
import { CompensatedSum, gatherColumnsKernel, optimizerStepKernel, softmaxColumns } from '../scalar.js';
import { dataOf, hostMemoryBytes, TypedBuffer } from '../typed-buffer.js';
import { binaryNd } from './binary.js';
import { copyNd } from './copy.js';
import {
  activationGradSumKernel,
  axpyKernel,
  biasActivationKernel,
  crossEntropyLinearSum,
  sigmoidOutputKernel,
  softmaxLinearSum,
  squaredErrorSum,
  squareSum,
  subRowSumKernel,
} from './fused.js';
import { DIRECT_MAX_FLOPS, GemmScratch, gemmKernel } from './gemm.js';
import { ReduceScratch, reduceKernel } from './reduce.js';
import { unaryGradKernel, unaryKernel } from './unary.js';

/**
 * The course's "vectorized" version: whole-array kernels in TypeScript on typed arrays, the fastest
 * engine that needs nothing but JavaScript. Storage is the loop backend's (`TypedBuffer`), so arrays
 * move between the two for free.
 *
 * Element-wise kernels switch on the op once and run one tight loop with the scalar.ts formula inlined,
 * so they equal the loop backend bit for bit; GEMM is cache-blocked and register-tiled (see
 * vectorized/gemm.ts) and equals the loop backend bit for bit while K <= 256; sums are pairwise or
 * blocked, hence slightly more accurate than the loop backend's sequential sum.
 *
 * The instance owns its scratch (GEMM packing panels, reduction rows, odometer counters): allocated
 * once, grown on demand, so a warm training loop allocates nothing here (the one exception: a
 * contiguous copy of 1024+ elements takes a native copy through a throwaway subarray view). An
 * instance must not be re-entered, which JavaScript's single thread already guarantees.
 */
export class VectorizedBackend implements Backend {
  readonly name = 'vectorized';

  private readonly gemmScratch: GemmScratch;
  private readonly reduceScratch = new ReduceScratch();
  /** softmaxOutput's running sum, reused so a call allocates nothing */
  private readonly total = new CompensatedSum();
  /** Odometer counters and collapsed dims/strides for the N-D paths; grown to the largest rank seen. */
  private counter = new Int32Array(8);
  private dims = new Int32Array(8);
  private strides = new Int32Array(8);

  /**
   * `gemmDirectMax`: products of up to this many multiply-adds skip packing (default 128^3, where
   * packing stops paying on V8). A tuning knob; the parity tests set it to 0 to send small, edge-heavy
   * shapes through the packed path as well.
   */
  constructor(options: { gemmDirectMax?: number } = {}) {
    this.gemmScratch = new GemmScratch(options.gemmDirectMax ?? DIRECT_MAX_FLOPS);
  }

  alloc(dtype: DType, length: number): Buffer {
    return new TypedBuffer(dtype, length);
  }

  availableBytes(): number {
    return hostMemoryBytes();
  }

  free(_buffer: Buffer): void {
    // the garbage collector reclaims the typed array
  }

  view(buffer: Buffer): TypedArray {
    return dataOf(buffer);
  }

  fill(out: Buffer, outOff: number, n: number, value: number): void {
    dataOf(out).fill(value, outOff, outOff + n);
  }

  copy(
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    xStrides: readonly number[],
    shape: readonly number[],
  ): void {
    this.reserveRank(shape.length);
    copyNd(dataOf(out), outOff, shape, dataOf(x), xOff, xStrides, this.dims, this.strides, this.counter);
  }

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
  ): void {
    this.reserveRank(shape.length);
    binaryNd(
      op,
      shape,
      dataOf(out),
      outOff,
      dataOf(a),
      aOff,
      aStrides,
      dataOf(b),
      bOff,
      bStrides,
      this.counter,
    );
  }

  unary(
    op: UnaryOp,
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    n: number,
    p0: number,
    p1: number,
  ): void {
    unaryKernel(op, n, dataOf(out), outOff, dataOf(x), xOff, p0, p1);
  }

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
  ): void {
    unaryGradKernel(op, n, dataOf(out), outOff, dataOf(x), xOff, dataOf(dy), dyOff, p0, p1);
  }

  reduce(
    op: ReduceOp,
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    outer: number,
    len: number,
    inner: number,
  ): void {
    reduceKernel(op, dataOf(out), outOff, dataOf(x), xOff, outer, len, inner, this.reduceScratch);
  }

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
  ): void {
    // a transpose is only a swap of the element strides of op(A) / op(B)
    const ars = transA ? 1 : lda;
    const acs = transA ? lda : 1;
    const bks = transB ? 1 : ldb;
    const bjs = transB ? ldb : 1;
    gemmKernel(
      this.gemmScratch,
      M,
      N,
      K,
      alpha,
      dataOf(a),
      aOff,
      ars,
      acs,
      dataOf(b),
      bOff,
      bks,
      bjs,
      beta,
      dataOf(c),
      cOff,
      ldc,
    );
  }

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
  ): void {
    biasActivationKernel(op, rows, cols, dataOf(z), zOff, dataOf(a), aOff, dataOf(b), bOff, p0);
  }

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
  ): void {
    activationGradSumKernel(
      op,
      rows,
      cols,
      dataOf(dz),
      dzOff,
      dataOf(dy),
      dyOff,
      dataOf(c),
      cOff,
      dataOf(db),
      dbOff,
      scale,
      p0,
    );
  }

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
  ): void {
    subRowSumKernel(
      rows,
      cols,
      dataOf(dz),
      dzOff,
      dataOf(a),
      aOff,
      dataOf(y),
      yOff,
      dataOf(db),
      dbOff,
      scale,
    );
  }

  firstLayerStep(s: FirstLayerStep): void {
    firstLayerStepInSequence(this, s);
  }

  axpy(y: Buffer, yOff: number, x: Buffer, xOff: number, n: number, alpha: number): void {
    axpyKernel(n, dataOf(y), yOff, dataOf(x), xOff, alpha);
  }

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
  ): number {
    const ts = dataOf(t);
    return sigmoidOutputKernel(rows, cols, dataOf(z), zOff, dataOf(a), aOff, ts, tOff, dataOf(b), bOff);
  }

  loss(op: LossOp, a: Buffer, aOff: number, y: Buffer, yOff: number, n: number): number {
    switch (op) {
      case LossOp.CrossEntropyLinear:
        return crossEntropyLinearSum(n, dataOf(a), aOff, dataOf(y), yOff);
      case LossOp.SquaredError:
        return squaredErrorSum(n, dataOf(a), aOff, dataOf(y), yOff);
      case LossOp.Square:
        return squareSum(n, dataOf(a), aOff);
      case LossOp.SoftmaxLinear:
        return softmaxLinearSum(n, dataOf(a), aOff, dataOf(y), yOff);
    }
  }

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
  ): void {
    optimizerStepKernel(
      op,
      dataOf(w),
      wOff,
      dataOf(g),
      gOff,
      dataOf(v),
      vOff,
      dataOf(s),
      sOff,
      n,
      lr,
      beta1,
      beta2,
      eps,
      c1,
      c2,
    );
  }

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
  ): void {
    gatherColumnsKernel(dataOf(out), outOff, dataOf(x), xOff, dataOf(idx), idxOff, rows, ld, count, size);
  }

  softmaxOutput(
    z: Buffer,
    zOff: number,
    a: Buffer,
    aOff: number,
    b: Buffer,
    bOff: number,
    rows: number,
    cols: number,
  ): number {
    return softmaxColumns(rows, cols, dataOf(z), zOff, dataOf(a), aOff, dataOf(b), bOff, this.total);
  }

  private reserveRank(ndim: number): void {
    if (this.counter.length < ndim) {
      this.counter = new Int32Array(ndim);
      this.dims = new Int32Array(ndim);
      this.strides = new Int32Array(ndim);
    }
  }
}
