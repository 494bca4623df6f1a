import type { DType, TypedArray } from '../ndarray/dtype.js';
import type { Backend, Buffer } from './backend.js';
import { type BinaryOp, ReduceOp, type UnaryOp } from './ops.js';
import { binaryFn, unaryFn, unaryGradFn } from './scalar.js';
import { dataOf, TypedBuffer } from './typed-buffer.js';

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

  alloc(dtype: DType, length: number): Buffer {
    return new TypedBuffer(dtype, length);
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
    shape: readonly number[],
    x: Buffer,
    xOff: number,
    xStrides: readonly number[],
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
    shape: readonly number[],
    a: Buffer,
    aOff: number,
    aStrides: readonly number[],
    b: Buffer,
    bOff: number,
    bStrides: readonly number[],
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
}
