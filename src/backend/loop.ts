import type { DType, TypedArray } from '../core/index.js';
import type { ActivationOp, Backend, Buffer, FirstLayerStep } from './backend.js';
import { firstLayerStepInSequence } from './first-layer-step.js';
import { type BinaryOp, type LossOp, type OptimizerOp, ReduceOp, type UnaryOp } from './ops.js';
import {
  activationGradFn,
  binaryFn,
  CompensatedSum,
  gatherColumnsKernel,
  logisticTail,
  lossFn,
  optimizerStepKernel,
  sigmoid,
  softmaxColumns,
  unaryFn,
  unaryGradFn,
} from './scalar.js';
import { dataOf, hostMemoryBytes, TypedBuffer } from './typed-buffer.js';

/** Calls fn(outIndex, offsets...) for every element of `shape`, walking each operand by its strides. */
function forEachIndex(
  shape: readonly number[],
  strides: (readonly number[])[],
  fn: (i: number, offs: number[]) => void,
) {
  const ndim = shape.length;
  const index = new Array<number>(ndim).fill(0);
  const offs = strides.map(() => 0);
  let total = 1;
  for (const d of shape) total *= d;
  for (let i = 0; i < total; i++) {
    fn(i, offs);
    // odometer increment, last axis fastest (C order)
    for (let ax = ndim - 1; ax >= 0; ax--) {
      index[ax]++;
      for (let k = 0; k < offs.length; k++) offs[k] += strides[k][ax];
      if (index[ax] < shape[ax]) break;
      for (let k = 0; k < offs.length; k++) offs[k] -= strides[k][ax] * shape[ax];
      index[ax] = 0;
    }
  }
}

/**
 * The reference backend: one scalar at a time, written to be read — the course's "for loop" version.
 * Every other backend is tested against it.
 */
export class LoopBackend implements Backend {
  readonly name = 'loop';
  /** the running sum of `loss` and `sigmoidOutput`, reused so a call allocates nothing */
  private readonly total = new CompensatedSum();

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
    const o = dataOf(out);
    for (let i = 0; i < n; i++) o[outOff + i] = value;
  }

  copy(
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    xStrides: readonly number[],
    shape: readonly number[],
  ): void {
    const o = dataOf(out);
    const xs = dataOf(x);
    forEachIndex(shape, [xStrides], (i, [xi]) => {
      o[outOff + i] = xs[xOff + xi];
    });
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
    const o = dataOf(out);
    const as = dataOf(a);
    const bs = dataOf(b);
    const f = binaryFn(op);
    forEachIndex(shape, [aStrides, bStrides], (i, [ai, bi]) => {
      o[outOff + i] = f(as[aOff + ai], bs[bOff + bi]);
    });
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
    const o = dataOf(out);
    const xs = dataOf(x);
    const f = unaryFn(op);
    for (let i = 0; i < n; i++) o[outOff + i] = f(xs[xOff + i], p0, p1);
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
    const o = dataOf(out);
    const xs = dataOf(x);
    const ds = dataOf(dy);
    const f = unaryGradFn(op);
    for (let i = 0; i < n; i++) o[outOff + i] = f(xs[xOff + i], ds[dyOff + i], p0, p1);
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
    const o = dataOf(out);
    const xs = dataOf(x);
    for (let p = 0; p < outer; p++) {
      for (let q = 0; q < inner; q++) {
        const base = xOff + p * len * inner + q;
        let acc = op === ReduceOp.Sum ? 0 : xs[base];
        let arg = 0;
        for (let k = op === ReduceOp.Sum ? 0 : 1; k < len; k++) {
          const v = xs[base + k * inner];
          if (op === ReduceOp.Sum) acc += v;
          else if (Number.isNaN(acc))
            break; // NaN wins, as in NumPy; its index is kept
          else if ((op === ReduceOp.Max || op === ReduceOp.ArgMax) && (v > acc || Number.isNaN(v))) {
            acc = v;
            arg = k;
          } else if ((op === ReduceOp.Min || op === ReduceOp.ArgMin) && (v < acc || Number.isNaN(v))) {
            acc = v;
            arg = k;
          }
        }
        o[outOff + p * inner + q] = op === ReduceOp.ArgMax || op === ReduceOp.ArgMin ? arg : acc;
      }
    }
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
    const as = dataOf(a);
    const bs = dataOf(b);
    const cs = dataOf(c);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let sum = 0;
        for (let p = 0; p < K; p++) {
          const aip = transA ? as[aOff + p * lda + i] : as[aOff + i * lda + p];
          const bpj = transB ? bs[bOff + j * ldb + p] : bs[bOff + p * ldb + j];
          sum += aip * bpj;
        }
        const ci = cOff + i * ldc + j;
        cs[ci] = beta === 0 ? alpha * sum : alpha * sum + beta * cs[ci];
      }
    }
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
    const zs = dataOf(z);
    const as = dataOf(a);
    const bs = dataOf(b);
    const g = unaryFn(op);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        zs[zOff + k] = zs[zOff + k] + bs[bOff + i];
        as[aOff + k] = g(zs[zOff + k], p0, 0); // the stored (rounded) z, as unary would read it
      }
    }
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
    const dzs = dataOf(dz);
    const dys = dataOf(dy);
    const cs = dataOf(c);
    const dbs = dataOf(db);
    const f = activationGradFn(op);
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        dzs[dzOff + k] = f(cs[cOff + k], dys[dyOff + k], p0);
        sum += dzs[dzOff + k];
      }
      storeScaled(dbs, dbOff + i, sum, scale);
    }
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
    const dzs = dataOf(dz);
    const as = dataOf(a);
    const ys = dataOf(y);
    const dbs = dataOf(db);
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        dzs[dzOff + k] = as[aOff + k] - ys[yOff + k];
        sum += dzs[dzOff + k];
      }
      storeScaled(dbs, dbOff + i, sum, scale);
    }
  }

  firstLayerStep(s: FirstLayerStep): void {
    firstLayerStepInSequence(this, s);
  }

  axpy(y: Buffer, yOff: number, x: Buffer, xOff: number, n: number, alpha: number): void {
    const ys = dataOf(y);
    const xs = dataOf(x);
    // a float32 product is rounded before the sum, as NumPy's float32 `alpha * x` array would be
    const round = y.dtype === 'float32' ? Math.fround : (v: number) => v;
    const a = round(alpha);
    for (let i = 0; i < n; i++) ys[yOff + i] = ys[yOff + i] + round(a * xs[xOff + i]);
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
    const zs = dataOf(z);
    const as = dataOf(a);
    const ts = dataOf(t);
    const bs = dataOf(b);
    const sum = this.total.reset();
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        zs[zOff + k] = zs[zOff + k] + bs[bOff + i];
        as[aOff + k] = sigmoid(zs[zOff + k]);
        ts[tOff + k] = logisticTail(zs[zOff + k]);
        sum.add(ts[tOff + k]); // as stored (float32: rounded)
      }
    }
    return sum.value;
  }

  loss(op: LossOp, a: Buffer, aOff: number, y: Buffer, yOff: number, n: number): number {
    const as = dataOf(a);
    const ys = dataOf(y);
    const f = lossFn(op);
    const sum = this.total.reset();
    for (let i = 0; i < n; i++) sum.add(f(as[aOff + i], ys[yOff + i]));
    return sum.value;
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
}

/**
 * out[i] = scale · sum, as `sum(dZ, 1)` then `mul(db, scale)` would store it: the sum rounded to the
 * array's dtype first (by the store), then the product (scale rounded likewise) rounded again.
 */
function storeScaled(out: TypedArray, i: number, sum: number, scale: number): void {
  out[i] = sum;
  out[i] = out[i] * (out instanceof Float32Array ? Math.fround(scale) : scale);
}
