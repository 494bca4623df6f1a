// GEMM with B transposed and few rows of C (the backward pass's dW = dZ·A_prevᵀ: M = n[l] is small,
// N = n[l-1] can be 12288, K = m). Both op(A) rows and the stored rows of B run along k, so each C
// element is a dot product of two contiguous rows: these kernels read B in place, four rows at a time,
// in address order (the hardware prefetcher streams them), instead of transposing all of B into packed
// strips that would each be used only M/4 times. Accumulators hold lanes along k and are reduced at
// the end of each K block with a shuffle transpose, so one v128 store writes four (f32) or two (f64)
// results of a row.
//
// Pointers: a (op(A) row 0 at k = 0) and b (B row 0 at k = 0) element-aligned, rows lda / ldb bytes
// apart; c element-aligned, rows ldc bytes apart. C = alpha * A·Bᵀ + beta * C; beta == 0 never reads C.

import { mulAdd } from '../madd';

/** The four lane sums of x0..x3 (f32), or of x0, x1 (f64; x2, x3 ignored), as one vector. */
// @ts-ignore: decorator
@inline function reduce4<T>(x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  if (sizeof<T>() == 4) {
    const t01 = f32x4.add(v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), v128.shuffle<f32>(x0, x1, 2, 6, 3, 7));
    const t23 = f32x4.add(v128.shuffle<f32>(x2, x3, 0, 4, 1, 5), v128.shuffle<f32>(x2, x3, 2, 6, 3, 7));
    return f32x4.add(v128.shuffle<f64>(t01, t23, 0, 2), v128.shuffle<f64>(t01, t23, 1, 3));
  }
  return f64x2.add(v128.shuffle<f64>(x0, x1, 0, 2), v128.shuffle<f64>(x0, x1, 1, 3));
}

/** Scalar dot product of the k in [k0, kc) tails of two rows. */
// @ts-ignore: decorator
@inline export function tailDot<T>(a: usize, b: usize, k0: i32, kc: i32): T {
  let s: T = 0;
  for (let k = k0; k < kc; k++) s += load<T>(a + <usize>k * sizeof<T>()) * load<T>(b + <usize>k * sizeof<T>());
  return s;
}

/** Writes one reduced vector of a C row: c = alpha*v + beta*c, or alpha*v when beta == 0 (C unread). */
// @ts-ignore: decorator
@inline function storeDotRow<T>(c: usize, v: v128, valpha: v128, vbeta: v128, readC: bool): void {
  v = v128.mul<T>(v, valpha);
  if (readC) v = mulAdd<T>(v, vbeta, v128.load(c));
  v128.store(c, v);
}

/**
 * C[0..2, 0..4] (rows ldc apart) = alpha * A[0..2, 0..kc] · B[0..4, 0..kc]ᵀ + beta * C: 2 rows of op(A)
 * by 4 rows of B, eight accumulators along k.
 */
export function gemmDot2x4<T>(
  kc: i32,
  a: usize,
  lda: usize,
  b: usize,
  ldb: usize,
  c: usize,
  ldc: usize,
  alpha: T,
  beta: T,
): void {
  const S = sizeof<T>();
  const L = 16 / <i32>S;
  const kv = kc - kc % L;
  const a1 = a + lda;
  const b1 = b + ldb;
  const b2 = b1 + ldb;
  const b3 = b2 + ldb;
  let acc0x0 = v128.splat<T>(0);
  let acc0x1 = acc0x0;
  let acc0x2 = acc0x0;
  let acc0x3 = acc0x0;
  let acc1x0 = acc0x0;
  let acc1x1 = acc0x0;
  let acc1x2 = acc0x0;
  let acc1x3 = acc0x0;
  let pa0 = a;
  let pa1 = a1;
  let pb0 = b;
  let pb1 = b1;
  let pb2 = b2;
  let pb3 = b3;
  const aEnd = a + <usize>kv * S;
  while (pa0 < aEnd) {
    const va0 = v128.load(pa0);
    const va1 = v128.load(pa1);
    const vb0 = v128.load(pb0);
    acc0x0 = mulAdd<T>(acc0x0, va0, vb0);
    acc1x0 = mulAdd<T>(acc1x0, va1, vb0);
    const vb1 = v128.load(pb1);
    acc0x1 = mulAdd<T>(acc0x1, va0, vb1);
    acc1x1 = mulAdd<T>(acc1x1, va1, vb1);
    const vb2 = v128.load(pb2);
    acc0x2 = mulAdd<T>(acc0x2, va0, vb2);
    acc1x2 = mulAdd<T>(acc1x2, va1, vb2);
    const vb3 = v128.load(pb3);
    acc0x3 = mulAdd<T>(acc0x3, va0, vb3);
    acc1x3 = mulAdd<T>(acc1x3, va1, vb3);
    pa0 += 16;
    pa1 += 16;
    pb0 += 16;
    pb1 += 16;
    pb2 += 16;
    pb3 += 16;
  }
  const valpha = v128.splat<T>(alpha);
  const vbeta = v128.splat<T>(beta);
  const readC = beta != 0;
  const c1 = c + ldc;
  if (S == 4) {
    storeDotRow<T>(c, reduce4<T>(acc0x0, acc0x1, acc0x2, acc0x3), valpha, vbeta, readC);
    storeDotRow<T>(c1, reduce4<T>(acc1x0, acc1x1, acc1x2, acc1x3), valpha, vbeta, readC);
  } else {
    storeDotRow<T>(c, reduce4<T>(acc0x0, acc0x1, acc0x0, acc0x0), valpha, vbeta, readC);
    storeDotRow<T>(c + 16, reduce4<T>(acc0x2, acc0x3, acc0x0, acc0x0), valpha, vbeta, readC);
    storeDotRow<T>(c1, reduce4<T>(acc1x0, acc1x1, acc1x0, acc1x0), valpha, vbeta, readC);
    storeDotRow<T>(c1 + 16, reduce4<T>(acc1x2, acc1x3, acc1x0, acc1x0), valpha, vbeta, readC);
  }
  if (kv < kc) {
    // the last kc % L steps, added to the stored results
    for (let r = 0; r < 2; r++) {
      const ar = a + <usize>r * lda;
      const cr = c + <usize>r * ldc;
      for (let x = 0; x < 4; x++) {
        const p = cr + <usize>x * S;
        store<T>(p, load<T>(p) + alpha * tailDot<T>(ar, b + <usize>x * ldb, kv, kc));
      }
    }
  }
}

/** One C element per call: C[i][j] = alpha * dot(A row, B row) + beta * C[i][j], for the edges. */
export function gemmDot1x1<T>(kc: i32, a: usize, b: usize, c: usize, alpha: T, beta: T): void {
  const S = sizeof<T>();
  const L = 16 / <i32>S;
  const kv = kc - kc % (2 * L);
  let acclo = v128.splat<T>(0);
  let acchi = acclo;
  const aEnd = a + <usize>kv * S;
  let pa = a;
  let pb = b;
  while (pa < aEnd) {
    acclo = mulAdd<T>(acclo, v128.load(pa), v128.load(pb));
    acchi = mulAdd<T>(acchi, v128.load(pa, 16), v128.load(pb, 16));
    pa += 32;
    pb += 32;
  }
  const h = v128.add<T>(acclo, acchi);
  let s: T;
  if (S == 4) {
    const q = f32x4.add(h, v128.shuffle<f32>(h, h, 2, 3, 0, 1));
    s = <T>(f32x4.extract_lane(q, 0) + f32x4.extract_lane(q, 1));
  } else {
    s = <T>(f64x2.extract_lane(h, 0) + f64x2.extract_lane(h, 1));
  }
  s += tailDot<T>(a, b, kv, kc);
  const v = alpha * s;
  store<T>(c, beta == 0 ? v : v + beta * load<T>(c));
}
