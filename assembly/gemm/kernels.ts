// GEMM micro-kernels: a row of MR x NR tiles of C from one packed A strip (see gemm.ts for the blocking
// scheme). Each tile is held in eight v128 accumulators over the K loop: 8 accumulators + 2 B vectors
// + 1 broadcast A value + 1 product = 12 of the 15 xmm registers V8 gives wasm on x64, so nothing
// spills. Measured and rejected: 5- and 6-row tiles and K unrolled by 2 or 4 (TurboFan hoists the
// loads of a longer body and spills accumulators), so the K loop is one step per iteration with a
// pointer-compare exit.
//
// Layout, k-major: the packed A strip holds MR values per k (a[k*MR + r] = op(A)[i + r][p + k]). B gives
// NR values per k, `bks` bytes apart: either a packed strip (bks = NR*size, strips `bstep` = kc*NR*size
// apart) or, when B is not transposed, B itself (bks = ldb*size, bstep = NR*size). Packed strips are
// zero-padded past the matrix edge, so the kernels never branch on the tile size. The `nt` tiles of a
// row share the A strip (it stays in L1) and are written left to right at c, c + NR*size, ...
// `c` may be unaligned and strided (ldc in bytes); beta == 0 never reads C.

import { mulAdd } from '../madd';

/** Writes one 2-vector row of a tile: c = alpha*acc + beta*c, or alpha*acc when beta == 0 (C unread). */
// @ts-ignore: decorator
@inline function storeRow<T>(c: usize, lo: v128, hi: v128, valpha: v128, vbeta: v128, readC: bool): void {
  lo = v128.mul<T>(lo, valpha);
  hi = v128.mul<T>(hi, valpha);
  if (readC) {
    lo = mulAdd<T>(lo, vbeta, v128.load(c));
    hi = mulAdd<T>(hi, vbeta, v128.load(c, 16));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

/**
 * C[0..4, 0..W*nt] = alpha * op(A)[4 x kc] * op(B)[kc x W*nt] + beta * C, where a tile row is two
 * vectors: W = 8 floats (f32) or 4 doubles (f64), 32 bytes either way.
 * a: packed A strip, 4 values per k, 16-byte aligned. b: first W-column strip of B, k-rows bks bytes
 * apart, next strip bstep bytes further, element-aligned. c: tile origin, element-aligned, rows ldc
 * bytes apart. One generic body serves both dtypes; the two exports below only fix T.
 */
// @ts-ignore: decorator
@inline function microKernel<T>(
  kc: i32,
  nt: i32,
  a: usize,
  b: usize,
  bks: usize,
  bstep: usize,
  c: usize,
  ldc: usize,
  alpha: T,
  beta: T,
): void {
  const size = <usize>sizeof<T>();
  const aEnd = a + <usize>kc * 4 * size;
  for (let t = 0; t < nt; t++) {
    let pa = a;
    let pb = b;
    // row r of the tile in accRlo (its first vector) and accRhi (its second)
    let acc0lo = v128.splat<T>(0);
    let acc0hi = acc0lo;
    let acc1lo = acc0lo;
    let acc1hi = acc0lo;
    let acc2lo = acc0lo;
    let acc2hi = acc0lo;
    let acc3lo = acc0lo;
    let acc3hi = acc0lo;
    while (pa < aEnd) {
      const vblo = v128.load(pb);
      const vbhi = v128.load(pb, 16);
      const va0 = v128.load_splat<T>(pa);
      acc0lo = mulAdd<T>(acc0lo, va0, vblo);
      acc0hi = mulAdd<T>(acc0hi, va0, vbhi);
      const va1 = v128.load_splat<T>(pa, sizeof<T>());
      acc1lo = mulAdd<T>(acc1lo, va1, vblo);
      acc1hi = mulAdd<T>(acc1hi, va1, vbhi);
      const va2 = v128.load_splat<T>(pa, 2 * sizeof<T>());
      acc2lo = mulAdd<T>(acc2lo, va2, vblo);
      acc2hi = mulAdd<T>(acc2hi, va2, vbhi);
      const va3 = v128.load_splat<T>(pa, 3 * sizeof<T>());
      acc3lo = mulAdd<T>(acc3lo, va3, vblo);
      acc3hi = mulAdd<T>(acc3hi, va3, vbhi);
      pa += 4 * size;
      pb += bks;
    }
    const valpha = v128.splat<T>(alpha);
    const vbeta = v128.splat<T>(beta);
    const readC = beta != 0;
    storeRow<T>(c, acc0lo, acc0hi, valpha, vbeta, readC);
    storeRow<T>(c + ldc, acc1lo, acc1hi, valpha, vbeta, readC);
    storeRow<T>(c + 2 * ldc, acc2lo, acc2hi, valpha, vbeta, readC);
    storeRow<T>(c + 3 * ldc, acc3lo, acc3hi, valpha, vbeta, readC);
    b += bstep;
    c += 32;
  }
}

/** The f32 micro-kernel: 4 x 8 tiles (see microKernel). */
export function gemm_f32_4x8(
  kc: i32,
  nt: i32,
  a: usize,
  b: usize,
  bks: usize,
  bstep: usize,
  c: usize,
  ldc: usize,
  alpha: f32,
  beta: f32,
): void {
  microKernel<f32>(kc, nt, a, b, bks, bstep, c, ldc, alpha, beta);
}

/** The f64 micro-kernel: 4 x 4 tiles (see microKernel). */
export function gemm_f64_4x4(
  kc: i32,
  nt: i32,
  a: usize,
  b: usize,
  bks: usize,
  bstep: usize,
  c: usize,
  ldc: usize,
  alpha: f64,
  beta: f64,
): void {
  microKernel<f64>(kc, nt, a, b, bks, bstep, c, ldc, alpha, beta);
}
