import type { TypedArray } from '../../core/index.js';
import { ReduceOp } from '../ops.js';

// Reductions over the middle axis of a contiguous (outer, len, inner) view.
//
// Sums are pairwise (NumPy's scheme): error grows like log(len) instead of len, so they are more
// accurate than the loop backend's sequential sum and agree with it only to a tolerance.
// Max/min/arg* use the loop backend's exact comparisons, so they agree bit for bit, NaN included:
// the first NaN met wins and its index is kept; ties keep the first index.
//
// When inner > 1 the reduced axis is strided; rather than walk it once per output element (one cache
// line per element), whole rows of `inner` are accumulated into a scratch row, in chunks of CHUNK
// columns so the scratch stays in L1.

/** Column chunk of the row-accumulating paths; the scratch rows hold this many elements. */
export const CHUNK = 512;
/** NumPy's pairwise block: below it, 8 interleaved partial sums (also what keeps the FPU busy). */
const PAIRWISE_BLOCK = 128;
/** Rows per block when summing whole rows: each block's sum is added to the total once. */
const ROW_BLOCK = 64;
/** Below this inner size a strided pairwise sum per column beats per-row loops of a few elements. */
const NARROW_INNER = 8;

/** Scratch owned by one backend instance, allocated once. */
export class ReduceScratch {
  readonly acc = new Float64Array(CHUNK);
  readonly part = new Float64Array(CHUNK);
  readonly arg = new Int32Array(CHUNK);
}

/** Σ x[i0 + k*stride] for k < n, pairwise: 8 running sums up to 128 terms, halving above that. */
export function pairwiseSum(x: TypedArray, i0: number, n: number, stride: number): number {
  if (n < 8) {
    let s = 0;
    for (let k = 0; k < n; k++, i0 += stride) s += x[i0];
    return s;
  }
  if (n <= PAIRWISE_BLOCK) {
    let r0 = x[i0];
    let r1 = x[i0 + stride];
    let r2 = x[i0 + 2 * stride];
    let r3 = x[i0 + 3 * stride];
    let r4 = x[i0 + 4 * stride];
    let r5 = x[i0 + 5 * stride];
    let r6 = x[i0 + 6 * stride];
    let r7 = x[i0 + 7 * stride];
    const n8 = n - (n % 8);
    let i = i0 + 8 * stride;
    for (let k = 8; k < n8; k += 8, i += 8 * stride) {
      r0 += x[i];
      r1 += x[i + stride];
      r2 += x[i + 2 * stride];
      r3 += x[i + 3 * stride];
      r4 += x[i + 4 * stride];
      r5 += x[i + 5 * stride];
      r6 += x[i + 6 * stride];
      r7 += x[i + 7 * stride];
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (let k = n8; k < n; k++, i += stride) s += x[i];
    return s;
  }
  let half = n >> 1;
  half -= half % 8;
  return pairwiseSum(x, i0, half, stride) + pairwiseSum(x, i0 + half * stride, n - half, stride);
}

/** out[p, q] = Σ_k x[p, k, q] for inner > 1: rows summed in blocks of ROW_BLOCK, blocks added up. */
function sumRows(
  o: TypedArray,
  oo: number,
  x: TypedArray,
  xo: number,
  outer: number,
  len: number,
  inner: number,
  s: ReduceScratch,
): void {
  const { acc, part } = s;
  for (let p = 0; p < outer; p++) {
    const base = xo + p * len * inner;
    for (let q0 = 0; q0 < inner; q0 += CHUNK) {
      const w = q0 + CHUNK < inner ? CHUNK : inner - q0;
      acc.fill(0, 0, w);
      for (let k0 = 0; k0 < len; k0 += ROW_BLOCK) {
        const k1 = k0 + ROW_BLOCK < len ? k0 + ROW_BLOCK : len;
        let row = base + k0 * inner + q0;
        for (let q = 0; q < w; q++) part[q] = x[row + q];
        for (let k = k0 + 1; k < k1; k++) {
          row += inner;
          for (let q = 0; q < w; q++) part[q] += x[row + q];
        }
        for (let q = 0; q < w; q++) acc[q] += part[q];
      }
      const out = oo + p * inner + q0;
      for (let q = 0; q < w; q++) o[out + q] = acc[q];
    }
  }
}

/** Index of the max of x[i0 + k*stride], k < len, with the loop backend's NaN and tie rules. */
function argMaxRun(x: TypedArray, i0: number, len: number, stride: number): number {
  let acc = x[i0];
  let arg = 0;
  if (Number.isNaN(acc)) return 0;
  for (let k = 1, i = i0 + stride; k < len; k++, i += stride) {
    const v = x[i];
    if (v > acc) {
      acc = v;
      arg = k;
    } else if (Number.isNaN(v)) {
      return k;
    }
  }
  return arg;
}

/** Index of the min of x[i0 + k*stride], k < len, with the loop backend's NaN and tie rules. */
function argMinRun(x: TypedArray, i0: number, len: number, stride: number): number {
  let acc = x[i0];
  let arg = 0;
  if (Number.isNaN(acc)) return 0;
  for (let k = 1, i = i0 + stride; k < len; k++, i += stride) {
    const v = x[i];
    if (v < acc) {
      acc = v;
      arg = k;
    } else if (Number.isNaN(v)) {
      return k;
    }
  }
  return arg;
}

/**
 * Max/min (and their indices) over rows for inner > 1. The condition `v > a || (Number.isNaN(v) && !Number.isNaN(a))`
 * is the loop backend's "stop at the first NaN, else take a strictly greater value" per column.
 */
function extremumRows(
  op: ReduceOp,
  o: TypedArray,
  oo: number,
  x: TypedArray,
  xo: number,
  outer: number,
  len: number,
  inner: number,
  s: ReduceScratch,
): void {
  const { acc, arg } = s;
  const isMax = op === ReduceOp.Max || op === ReduceOp.ArgMax;
  const wantIndex = op === ReduceOp.ArgMax || op === ReduceOp.ArgMin;
  for (let p = 0; p < outer; p++) {
    const base = xo + p * len * inner;
    for (let q0 = 0; q0 < inner; q0 += CHUNK) {
      const w = q0 + CHUNK < inner ? CHUNK : inner - q0;
      let row = base + q0;
      for (let q = 0; q < w; q++) {
        acc[q] = x[row + q];
        arg[q] = 0;
      }
      if (isMax) {
        for (let k = 1; k < len; k++) {
          row += inner;
          for (let q = 0; q < w; q++) {
            const v = x[row + q];
            const a = acc[q];
            if (v > a || (Number.isNaN(v) && !Number.isNaN(a))) {
              acc[q] = v;
              arg[q] = k;
            }
          }
        }
      } else {
        for (let k = 1; k < len; k++) {
          row += inner;
          for (let q = 0; q < w; q++) {
            const v = x[row + q];
            const a = acc[q];
            if (v < a || (Number.isNaN(v) && !Number.isNaN(a))) {
              acc[q] = v;
              arg[q] = k;
            }
          }
        }
      }
      const out = oo + p * inner + q0;
      if (wantIndex) for (let q = 0; q < w; q++) o[out + q] = arg[q];
      else for (let q = 0; q < w; q++) o[out + q] = acc[q];
    }
  }
}

/** out (outer, inner) = reduce over k of x (outer, len, inner), both contiguous. len >= 1 unless op is Sum. */
export function reduceKernel(
  op: ReduceOp,
  o: TypedArray,
  oo: number,
  x: TypedArray,
  xo: number,
  outer: number,
  len: number,
  inner: number,
  s: ReduceScratch,
): void {
  if (outer === 0 || inner === 0) return;
  if (op === ReduceOp.Sum) {
    if (inner >= NARROW_INNER && len > 1) {
      sumRows(o, oo, x, xo, outer, len, inner, s);
      return;
    }
    for (let p = 0; p < outer; p++) {
      const base = xo + p * len * inner;
      for (let q = 0; q < inner; q++) o[oo + p * inner + q] = pairwiseSum(x, base + q, len, inner);
    }
    return;
  }
  if (inner >= NARROW_INNER) {
    extremumRows(op, o, oo, x, xo, outer, len, inner, s);
    return;
  }
  // inner is small: one strided scan per output element; the index tells where the value is
  const isMax = op === ReduceOp.Max || op === ReduceOp.ArgMax;
  const wantIndex = op === ReduceOp.ArgMax || op === ReduceOp.ArgMin;
  for (let p = 0; p < outer; p++) {
    const base = xo + p * len * inner;
    for (let q = 0; q < inner; q++) {
      const k = isMax ? argMaxRun(x, base + q, len, inner) : argMinRun(x, base + q, len, inner);
      o[oo + p * inner + q] = wantIndex ? k : x[base + q + k * inner];
    }
  }
}
