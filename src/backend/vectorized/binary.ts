import type { TypedArray } from '../../core/index.js';
import type { BinaryOp } from '../ops.js';
import { binaryContig, binaryScalarA, binaryScalarB, binaryStrided } from './binary-loops.js';

// The element-wise binary kernels of the vectorized backend over any shape: 1-D runs, 2-D blocks
// (row and column broadcasts) and an odometer over higher ranks, each run going to the cheapest of
// the four loop shapes in binary-loops.ts.

/** One 1-D run: picks the cheapest loop shape for the strides (out stride `os`). */
export function binaryRun(
  op: BinaryOp,
  n: number,
  o: TypedArray,
  oo: number,
  os: number,
  a: TypedArray,
  ao: number,
  as: number,
  b: TypedArray,
  bo: number,
  bs: number,
): void {
  if (os === 1 && as === 1 && bs === 1) binaryContig(op, n, o, oo, a, ao, b, bo);
  else if (os === 1 && as === 1 && bs === 0) binaryScalarB(op, n, o, oo, a, ao, b[bo]);
  else if (os === 1 && as === 0 && bs === 1) binaryScalarA(op, n, o, oo, a[ao], b, bo);
  else binaryStrided(op, n, o, oo, os, a, ao, as, b, bo, bs);
}

/** Rows shorter than this are walked column by column instead, so a per-row call is not paid per few elements. */
const SHORT_ROW = 8;

/**
 * out (m, n) contiguous = a OP b with 2-D strides: the row broadcast `(m,n) + (1,n)` arrives as
 * contiguous rows and the column broadcast (the bias add `Z + b`, b of shape (m,1)) as rows with a scalar.
 */
export function binary2d(
  op: BinaryOp,
  m: number,
  n: number,
  o: TypedArray,
  oo: number,
  a: TypedArray,
  ao: number,
  as0: number,
  as1: number,
  b: TypedArray,
  bo: number,
  bs0: number,
  bs1: number,
): void {
  if (n >= SHORT_ROW || m <= n) {
    for (let r = 0; r < m; r++, oo += n, ao += as0, bo += bs0)
      binaryRun(op, n, o, oo, 1, a, ao, as1, b, bo, bs1);
  } else {
    for (let c = 0; c < n; c++, oo++, ao += as1, bo += bs1)
      binaryRun(op, m, o, oo, n, a, ao, as0, b, bo, bs0);
  }
}

/**
 * Any rank: an odometer over the leading dimensions drives 2-D runs over the last two, so the
 * per-element work stays in the tight loops above. `counter` is caller-owned scratch of length >= ndim.
 */
export function binaryNd(
  op: BinaryOp,
  shape: readonly number[],
  o: TypedArray,
  oo: number,
  a: TypedArray,
  ao: number,
  aStrides: readonly number[],
  b: TypedArray,
  bo: number,
  bStrides: readonly number[],
  counter: Int32Array,
): void {
  const nd = shape.length;
  for (let d = 0; d < nd; d++) if (shape[d] === 0) return;
  if (nd === 0) {
    binaryContig(op, 1, o, oo, a, ao, b, bo);
    return;
  }
  if (nd === 1) {
    binaryRun(op, shape[0], o, oo, 1, a, ao, aStrides[0], b, bo, bStrides[0]);
    return;
  }
  const m = shape[nd - 2];
  const n = shape[nd - 1];
  const as0 = aStrides[nd - 2];
  const as1 = aStrides[nd - 1];
  const bs0 = bStrides[nd - 2];
  const bs1 = bStrides[nd - 1];
  if (nd === 2) {
    binary2d(op, m, n, o, oo, a, ao, as0, as1, b, bo, bs0, bs1);
    return;
  }
  const lead = nd - 2;
  for (let d = 0; d < lead; d++) counter[d] = 0;
  const block = m * n;
  for (;;) {
    binary2d(op, m, n, o, oo, a, ao, as0, as1, b, bo, bs0, bs1);
    oo += block;
    // odometer increment over the leading axes, last fastest (C order)
    let d = lead - 1;
    for (; d >= 0; d--) {
      ao += aStrides[d];
      bo += bStrides[d];
      if (++counter[d] < shape[d]) break;
      ao -= aStrides[d] * shape[d];
      bo -= bStrides[d] * shape[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}
