// GEMM micro-kernels: one MR x NR tile of C from a packed A strip and a packed B strip (see gemm.ts
// for the blocking scheme). Both kernels hold the whole tile in eight v128 accumulators over the K
// loop: 8 accumulators + 2 B vectors + 1 broadcast A value + 1 product = 12 of the 15 xmm registers V8
// gives wasm on x64, so nothing spills. A 5- or 6-row tile does not fit (checked in the generated
// code: TurboFan hoists the loads of an unrolled body and spills), and unrolling K did not pay off
// for the same reason, so the K loop is one step per iteration with a pointer-compare exit.
//
// Packed layout, k-major: the A strip holds MR values per k (a[k*MR + r] = op(A)[i + r][p + k]), the
// B strip NR values per k (b[k*NR + c] = op(B)[p + k][j + c]); both are zero-padded past the matrix
// edge, so the kernels never branch on the tile size. `c` may be unaligned and strided (ldc in bytes).

// @ts-ignore: decorator
@inline function mulAdd<T>(acc: v128, a: v128, b: v128): v128 {
  return v128.add<T>(acc, v128.mul<T>(a, b));
}

/** Writes one 2-vector row of the tile: c = alpha*acc + beta*c, or alpha*acc when beta == 0 (C unread). */
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
 * C[0..4, 0..8] = alpha * Ap * Bp + beta * C[0..4, 0..8] over `kc` steps (f32).
 * a: packed A strip, 4 floats per k (16-byte aligned); b: packed B strip, 8 floats per k (16-byte
 * aligned); c: tile origin, any 4-byte alignment; ldc: C row stride in bytes. beta == 0 never reads C.
 */
export function gemm_f32_4x8(kc: i32, a: usize, b: usize, c: usize, ldc: usize, alpha: f32, beta: f32): void {
  let acc0x0123 = f32x4.splat(0);
  let acc0x4567 = acc0x0123;
  let acc1x0123 = acc0x0123;
  let acc1x4567 = acc0x0123;
  let acc2x0123 = acc0x0123;
  let acc2x4567 = acc0x0123;
  let acc3x0123 = acc0x0123;
  let acc3x4567 = acc0x0123;
  const bEnd = b + (<usize>kc << 5);
  while (b < bEnd) {
    const vb0123 = v128.load(b);
    const vb4567 = v128.load(b, 16);
    const va0 = v128.load32_splat(a);
    acc0x0123 = mulAdd<f32>(acc0x0123, va0, vb0123);
    acc0x4567 = mulAdd<f32>(acc0x4567, va0, vb4567);
    const va1 = v128.load32_splat(a, 4);
    acc1x0123 = mulAdd<f32>(acc1x0123, va1, vb0123);
    acc1x4567 = mulAdd<f32>(acc1x4567, va1, vb4567);
    const va2 = v128.load32_splat(a, 8);
    acc2x0123 = mulAdd<f32>(acc2x0123, va2, vb0123);
    acc2x4567 = mulAdd<f32>(acc2x4567, va2, vb4567);
    const va3 = v128.load32_splat(a, 12);
    acc3x0123 = mulAdd<f32>(acc3x0123, va3, vb0123);
    acc3x4567 = mulAdd<f32>(acc3x4567, va3, vb4567);
    a += 16;
    b += 32;
  }
  const valpha = f32x4.splat(alpha);
  const vbeta = f32x4.splat(beta);
  const readC = beta != 0;
  storeRow<f32>(c, acc0x0123, acc0x4567, valpha, vbeta, readC);
  storeRow<f32>(c + ldc, acc1x0123, acc1x4567, valpha, vbeta, readC);
  storeRow<f32>(c + 2 * ldc, acc2x0123, acc2x4567, valpha, vbeta, readC);
  storeRow<f32>(c + 3 * ldc, acc3x0123, acc3x4567, valpha, vbeta, readC);
}

/**
 * C[0..4, 0..4] = alpha * Ap * Bp + beta * C[0..4, 0..4] over `kc` steps (f64).
 * a: packed A strip, 4 doubles per k; b: packed B strip, 4 doubles per k (both 16-byte aligned);
 * c: tile origin, any 8-byte alignment; ldc: C row stride in bytes. beta == 0 never reads C.
 */
export function gemm_f64_4x4(kc: i32, a: usize, b: usize, c: usize, ldc: usize, alpha: f64, beta: f64): void {
  let acc0x01 = f64x2.splat(0);
  let acc0x23 = acc0x01;
  let acc1x01 = acc0x01;
  let acc1x23 = acc0x01;
  let acc2x01 = acc0x01;
  let acc2x23 = acc0x01;
  let acc3x01 = acc0x01;
  let acc3x23 = acc0x01;
  const bEnd = b + (<usize>kc << 5);
  while (b < bEnd) {
    const vb01 = v128.load(b);
    const vb23 = v128.load(b, 16);
    const va0 = v128.load64_splat(a);
    acc0x01 = mulAdd<f64>(acc0x01, va0, vb01);
    acc0x23 = mulAdd<f64>(acc0x23, va0, vb23);
    const va1 = v128.load64_splat(a, 8);
    acc1x01 = mulAdd<f64>(acc1x01, va1, vb01);
    acc1x23 = mulAdd<f64>(acc1x23, va1, vb23);
    const va2 = v128.load64_splat(a, 16);
    acc2x01 = mulAdd<f64>(acc2x01, va2, vb01);
    acc2x23 = mulAdd<f64>(acc2x23, va2, vb23);
    const va3 = v128.load64_splat(a, 24);
    acc3x01 = mulAdd<f64>(acc3x01, va3, vb01);
    acc3x23 = mulAdd<f64>(acc3x23, va3, vb23);
    a += 32;
    b += 32;
  }
  const valpha = f64x2.splat(alpha);
  const vbeta = f64x2.splat(beta);
  const readC = beta != 0;
  storeRow<f64>(c, acc0x01, acc0x23, valpha, vbeta, readC);
  storeRow<f64>(c + ldc, acc1x01, acc1x23, valpha, vbeta, readC);
  storeRow<f64>(c + 2 * ldc, acc2x01, acc2x23, valpha, vbeta, readC);
  storeRow<f64>(c + 3 * ldc, acc3x01, acc3x23, valpha, vbeta, readC);
}
