// The multiply-add of the GEMM inner loops, chosen at compile time: `relaxed_madd` (one fused
// multiply-add on hardware with FMA, e.g. vfmadd231ps on x86 with FMA3, fmla on arm64) in the
// relaxed-SIMD build (asconfig.json targets relaxed and relaxed-threads, `--enable relaxed-simd`),
// and a separately rounded multiply then add in the plain SIMD128 build, which every engine with
// SIMD runs. Both are deterministic for a given engine and machine; they differ from each other by
// the product's rounding (the fused form rounds once), which the parity tolerances cover.
//
// ASC_FEATURE_RELAXED_SIMD is a compile-time constant, so the unused branch is never emitted and the
// plain build validates on engines without relaxed SIMD.

/** a·b + c in lanes of T (f32x4 or f64x2): fused where the relaxed-SIMD build runs on FMA hardware. */
// @ts-ignore: decorator
@inline export function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(c, v128.mul<T>(a, b));
}

/** acc + a·b, the accumulating form the GEMM kernels use (see madd). */
// @ts-ignore: decorator
@inline export function mulAdd<T>(acc: v128, a: v128, b: v128): v128 {
  return madd<T>(a, b, acc);
}
