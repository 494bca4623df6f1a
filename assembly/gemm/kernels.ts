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

import { madd } from '../madd';

/** acc + a·b: one fused multiply-add in the relaxed-SIMD build, a multiply then an add otherwise (../madd.ts). */
// @ts-ignore: decorator
@inline function mulAdd<T>(acc: v128, a: v128, b: v128): v128 {
  return madd<T>(a, b, acc);
}

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
 * C[0..4, 0..8*nt] = alpha * op(A)[4 x kc] * op(B)[kc x 8*nt] + beta * C, in f32.
 * a: packed A strip, 4 floats per k, 16-byte aligned. b: first 8-column strip of B, k-rows bks bytes
 * apart, next strip bstep bytes further, 4-byte aligned. c: tile origin, 4-byte aligned, rows ldc bytes
 * apart.
 */
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
  const aEnd = a + (<usize>kc << 4);
  for (let t = 0; t < nt; t++) {
    let pa = a;
    let pb = b;
    let acc0x0123 = f32x4.splat(0);
    let acc0x4567 = acc0x0123;
    let acc1x0123 = acc0x0123;
    let acc1x4567 = acc0x0123;
    let acc2x0123 = acc0x0123;
    let acc2x4567 = acc0x0123;
    let acc3x0123 = acc0x0123;
    let acc3x4567 = acc0x0123;
    while (pa < aEnd) {
      const vb0123 = v128.load(pb);
      const vb4567 = v128.load(pb, 16);
      const va0 = v128.load32_splat(pa);
      acc0x0123 = mulAdd<f32>(acc0x0123, va0, vb0123);
      acc0x4567 = mulAdd<f32>(acc0x4567, va0, vb4567);
      const va1 = v128.load32_splat(pa, 4);
      acc1x0123 = mulAdd<f32>(acc1x0123, va1, vb0123);
      acc1x4567 = mulAdd<f32>(acc1x4567, va1, vb4567);
      const va2 = v128.load32_splat(pa, 8);
      acc2x0123 = mulAdd<f32>(acc2x0123, va2, vb0123);
      acc2x4567 = mulAdd<f32>(acc2x4567, va2, vb4567);
      const va3 = v128.load32_splat(pa, 12);
      acc3x0123 = mulAdd<f32>(acc3x0123, va3, vb0123);
      acc3x4567 = mulAdd<f32>(acc3x4567, va3, vb4567);
      pa += 16;
      pb += bks;
    }
    const valpha = f32x4.splat(alpha);
    const vbeta = f32x4.splat(beta);
    const readC = beta != 0;
    storeRow<f32>(c, acc0x0123, acc0x4567, valpha, vbeta, readC);
    storeRow<f32>(c + ldc, acc1x0123, acc1x4567, valpha, vbeta, readC);
    storeRow<f32>(c + 2 * ldc, acc2x0123, acc2x4567, valpha, vbeta, readC);
    storeRow<f32>(c + 3 * ldc, acc3x0123, acc3x4567, valpha, vbeta, readC);
    b += bstep;
    c += 32;
  }
}

/**
 * C[0..4, 0..4*nt] = alpha * op(A)[4 x kc] * op(B)[kc x 4*nt] + beta * C, in f64.
 * a: packed A strip, 4 doubles per k, 16-byte aligned. b: first 4-column strip of B, k-rows bks bytes
 * apart, next strip bstep bytes further, 8-byte aligned. c: tile origin, 8-byte aligned, rows ldc bytes
 * apart.
 */
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
  const aEnd = a + (<usize>kc << 5);
  for (let t = 0; t < nt; t++) {
    let pa = a;
    let pb = b;
    let acc0x01 = f64x2.splat(0);
    let acc0x23 = acc0x01;
    let acc1x01 = acc0x01;
    let acc1x23 = acc0x01;
    let acc2x01 = acc0x01;
    let acc2x23 = acc0x01;
    let acc3x01 = acc0x01;
    let acc3x23 = acc0x01;
    while (pa < aEnd) {
      const vb01 = v128.load(pb);
      const vb23 = v128.load(pb, 16);
      const va0 = v128.load64_splat(pa);
      acc0x01 = mulAdd<f64>(acc0x01, va0, vb01);
      acc0x23 = mulAdd<f64>(acc0x23, va0, vb23);
      const va1 = v128.load64_splat(pa, 8);
      acc1x01 = mulAdd<f64>(acc1x01, va1, vb01);
      acc1x23 = mulAdd<f64>(acc1x23, va1, vb23);
      const va2 = v128.load64_splat(pa, 16);
      acc2x01 = mulAdd<f64>(acc2x01, va2, vb01);
      acc2x23 = mulAdd<f64>(acc2x23, va2, vb23);
      const va3 = v128.load64_splat(pa, 24);
      acc3x01 = mulAdd<f64>(acc3x01, va3, vb01);
      acc3x23 = mulAdd<f64>(acc3x23, va3, vb23);
      pa += 32;
      pb += bks;
    }
    const valpha = f64x2.splat(alpha);
    const vbeta = f64x2.splat(beta);
    const readC = beta != 0;
    storeRow<f64>(c, acc0x01, acc0x23, valpha, vbeta, readC);
    storeRow<f64>(c + ldc, acc1x01, acc1x23, valpha, vbeta, readC);
    storeRow<f64>(c + 2 * ldc, acc2x01, acc2x23, valpha, vbeta, readC);
    storeRow<f64>(c + 3 * ldc, acc3x01, acc3x23, valpha, vbeta, readC);
    b += bstep;
    c += 32;
  }
}
