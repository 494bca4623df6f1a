// GEMM micro-kernels: tiles of MR x NR of C from packed A strips (see gemm.ts for the blocking scheme).
// A tile row is two v128 accumulators held over the K loop, next to 2 B vectors and 1 broadcast A
// value. The tile height MR is the build's (params.ts):
// - SIMD128 (a multiply, then an add): 3 rows, 6 accumulators, with 1 product register 10 of the 15
//   xmm registers V8 gives wasm on x64. Measured on V8 x64 (Zen 5), the kernel loop alone with its
//   data in L1/L2, GFLOP/s f32 / f64: 3x8 / 3x4 68 / 33; 4x8 / 4x4 62 / 31; 2x16 / 2x8 61 / 31; 3x12,
//   5x8 and 1x48 spill (27-29 / 13-15).
// - relaxed SIMD (relaxed_madd, fused): no product register, so 6 rows fit, 12 accumulators + 3 = 15.
//   Measured on Node 26: 6x8 / 6x4 68 / 34 where 3x8 / 3x4 reach only 48 / 24 and 4x8 63 / 32 (the
//   fused form needs more independent chains to cover its latency).
// K unrolled by 2 halves every tile (TurboFan hoists the loads of the longer body and spills
// accumulators), so the K loop is one step per iteration with a pointer-compare exit.
//
// Layout, k-major: a packed A strip of h rows holds h values per k (a[k*h + r] = op(A)[i + r][p + k];
// h is the build's MR, or 4 for a short M that 4-row tiles cover exactly: see gemm.ts). B gives
// NR values per k, `bks` bytes apart: either a packed strip (bks = NR*size, strips `bstep` = kc*NR*size
// apart) or, when B is not transposed, B itself (bks = ldb*size, bstep = NR*size). Packed strips are
// zero-padded past the matrix edge, so the kernels never branch on the tile size. The `nt` tiles of a
// row share the A strip (it stays in L1) and are written left to right at c, c + NR*size, ...
// `c` may be unaligned and strided (ldc in bytes); beta == 0 never reads C.

import { mulAdd } from '../madd';
import { MR } from './params';

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
 * nt tiles, each C[0..R, 0..W] = alpha * op(A)[R x kc] * op(B)[kc x W] + beta * C, R = rows (1 to 6,
 * a constant in every caller, so the unused rows fold away), where a tile row is two vectors: W = 8
 * floats (f32) or 4 doubles (f64), 32 bytes either way. After each tile the A strip, the B strip and
 * the C origin advance by astep, bstep and cstep bytes: along a row of C (astep 0, cstep 32) or down
 * a column of tiles (bstep 0, cstep one strip's rows).
 * a: packed A strip, h values per k (the strip's height, a constant too, zero-padded past the last
 * row), of which the first R are read.
 * b: W-column strip of B, k-rows bks bytes apart, element-aligned. c: tile origin, element-aligned,
 * rows ldc bytes apart. One generic body serves both dtypes and all heights; the exports below fix them.
 */
// @ts-ignore: decorator
@inline function microKernel<T>(
  rows: i32,
  kc: i32,
  nt: i32,
  h: i32,
  a: usize,
  astep: usize,
  b: usize,
  bks: usize,
  bstep: usize,
  c: usize,
  cstep: usize,
  ldc: usize,
  alpha: T,
  beta: T,
): void {
  const size = <usize>sizeof<T>();
  for (let t = 0; t < nt; t++) {
    let pa = a;
    let pb = b;
    const aEnd = a + <usize>kc * <usize>h * size;
    // row r of the tile in accRlo (its first vector) and accRhi (its second)
    let acc0lo = v128.splat<T>(0);
    let acc0hi = acc0lo;
    let acc1lo = acc0lo;
    let acc1hi = acc0lo;
    let acc2lo = acc0lo;
    let acc2hi = acc0lo;
    let acc3lo = acc0lo;
    let acc3hi = acc0lo;
    let acc4lo = acc0lo;
    let acc4hi = acc0lo;
    let acc5lo = acc0lo;
    let acc5hi = acc0lo;
    while (pa < aEnd) {
      const vblo = v128.load(pb);
      const vbhi = v128.load(pb, 16);
      const va0 = v128.load_splat<T>(pa);
      acc0lo = mulAdd<T>(acc0lo, va0, vblo);
      acc0hi = mulAdd<T>(acc0hi, va0, vbhi);
      if (rows > 1) {
        const va1 = v128.load_splat<T>(pa, sizeof<T>());
        acc1lo = mulAdd<T>(acc1lo, va1, vblo);
        acc1hi = mulAdd<T>(acc1hi, va1, vbhi);
      }
      if (rows > 2) {
        const va2 = v128.load_splat<T>(pa, 2 * sizeof<T>());
        acc2lo = mulAdd<T>(acc2lo, va2, vblo);
        acc2hi = mulAdd<T>(acc2hi, va2, vbhi);
      }
      if (rows > 3) {
        const va3 = v128.load_splat<T>(pa, 3 * sizeof<T>());
        acc3lo = mulAdd<T>(acc3lo, va3, vblo);
        acc3hi = mulAdd<T>(acc3hi, va3, vbhi);
      }
      if (rows > 4) {
        const va4 = v128.load_splat<T>(pa, 4 * sizeof<T>());
        acc4lo = mulAdd<T>(acc4lo, va4, vblo);
        acc4hi = mulAdd<T>(acc4hi, va4, vbhi);
      }
      if (rows > 5) {
        const va5 = v128.load_splat<T>(pa, 5 * sizeof<T>());
        acc5lo = mulAdd<T>(acc5lo, va5, vblo);
        acc5hi = mulAdd<T>(acc5hi, va5, vbhi);
      }
      pa += <usize>h * size;
      pb += bks;
    }
    const valpha = v128.splat<T>(alpha);
    const vbeta = v128.splat<T>(beta);
    const readC = beta != 0;
    storeRow<T>(c, acc0lo, acc0hi, valpha, vbeta, readC);
    if (rows > 1) storeRow<T>(c + ldc, acc1lo, acc1hi, valpha, vbeta, readC);
    if (rows > 2) storeRow<T>(c + 2 * ldc, acc2lo, acc2hi, valpha, vbeta, readC);
    if (rows > 3) storeRow<T>(c + 3 * ldc, acc3lo, acc3hi, valpha, vbeta, readC);
    if (rows > 4) storeRow<T>(c + 4 * ldc, acc4lo, acc4hi, valpha, vbeta, readC);
    if (rows > 5) storeRow<T>(c + 5 * ldc, acc5lo, acc5hi, valpha, vbeta, readC);
    a += astep;
    b += bstep;
    c += cstep;
  }
}

// One function per tile height, compiled once per dtype (AssemblyScript instantiates generics): the
// full MR-row tiles and the shorter ones of the last M % MR rows, from MR-row strips; and 4-row tiles
// from 4-row strips, for a short M that they cover exactly (gemm.ts). The strip height is a constant
// in each: as a run-time stride it cost the kernel 3-4 % (measured, SIMD128 build).

export function gemmTiles6<T>(kc: i32, nt: i32, a: usize, astep: usize, b: usize, bks: usize, bstep: usize, c: usize, cstep: usize, ldc: usize, alpha: T, beta: T): void {
  microKernel<T>(6, kc, nt, MR, a, astep, b, bks, bstep, c, cstep, ldc, alpha, beta);
}

export function gemmTiles5<T>(kc: i32, nt: i32, a: usize, astep: usize, b: usize, bks: usize, bstep: usize, c: usize, cstep: usize, ldc: usize, alpha: T, beta: T): void {
  microKernel<T>(5, kc, nt, MR, a, astep, b, bks, bstep, c, cstep, ldc, alpha, beta);
}

export function gemmTiles4<T>(kc: i32, nt: i32, a: usize, astep: usize, b: usize, bks: usize, bstep: usize, c: usize, cstep: usize, ldc: usize, alpha: T, beta: T): void {
  microKernel<T>(4, kc, nt, MR, a, astep, b, bks, bstep, c, cstep, ldc, alpha, beta);
}

export function gemmTiles3<T>(kc: i32, nt: i32, a: usize, astep: usize, b: usize, bks: usize, bstep: usize, c: usize, cstep: usize, ldc: usize, alpha: T, beta: T): void {
  microKernel<T>(3, kc, nt, MR, a, astep, b, bks, bstep, c, cstep, ldc, alpha, beta);
}

export function gemmTiles2<T>(kc: i32, nt: i32, a: usize, astep: usize, b: usize, bks: usize, bstep: usize, c: usize, cstep: usize, ldc: usize, alpha: T, beta: T): void {
  microKernel<T>(2, kc, nt, MR, a, astep, b, bks, bstep, c, cstep, ldc, alpha, beta);
}

export function gemmTilesOf4<T>(kc: i32, nt: i32, a: usize, astep: usize, b: usize, bks: usize, bstep: usize, c: usize, cstep: usize, ldc: usize, alpha: T, beta: T): void {
  microKernel<T>(4, kc, nt, 4, a, astep, b, bks, bstep, c, cstep, ldc, alpha, beta);
}

export function gemmTiles1<T>(kc: i32, nt: i32, a: usize, astep: usize, b: usize, bks: usize, bstep: usize, c: usize, cstep: usize, ldc: usize, alpha: T, beta: T): void {
  microKernel<T>(1, kc, nt, MR, a, astep, b, bks, bstep, c, cstep, ldc, alpha, beta);
}
