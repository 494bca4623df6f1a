// Vector exp for f64x2 and f32x4: range reduction x = k·ln2 + r, a polynomial for e^r, then a
// scale by 2^k split into two factors so overflow gives +inf and deep underflow rounds once into the
// subnormals. NaN in, NaN out; +inf → +inf; -inf → 0.

// f64: fdlibm's e_exp.c kernel (the one V8's Math.exp uses): |r| <= ln2/2, rational form
// 1 - ((lo - r·c/(2 - c)) - hi) with a degree-5 Remez polynomial in r² for c. Error < 1 ulp.
const LN2HI_64: f64 = 6.93147180369123816490e-01; // upper bits of ln2, so k·LN2HI_64 is exact
const LN2LO_64: f64 = 1.90821492927058770002e-10;
const INVLN2_64: f64 = 1.44269504088896338700e+00;
const SHIFT_64: f64 = 6755399441055744.0; // 1.5·2^52
const EP1: f64 = 1.66666666666666019037e-01;
const EP2: f64 = -2.77777777770155933842e-03;
const EP3: f64 = 6.61375632143793436117e-05;
const EP4: f64 = -1.65339022054652515390e-06;
const EP5: f64 = 4.13813679705723846039e-08;

/** y · 2^k for i64 lanes k in [-1077, 1025], as two normal factors whose product is 2^k. */
// @ts-ignore: decorator
@inline
function scale2F64x2(y: v128, ki: v128): v128 {
  const k1 = i64x2.shr_s(ki, 1);
  const k2 = i64x2.sub(ki, k1);
  const s1 = i64x2.shl(i64x2.add(k1, i64x2.splat(1023)), 52);
  const s2 = i64x2.shl(i64x2.add(k2, i64x2.splat(1023)), 52);
  return f64x2.mul(f64x2.mul(y, s1), s2);
}

/** e^x per f64 lane, within 1 ulp (bit-identical to fdlibm's exp away from ties). */
// @ts-ignore: decorator
@inline
export function expF64x2(x: v128): v128 {
  // beyond these bounds the result is already inf / 0; clamping keeps k in range. pmax/pmin return
  // their first operand unless the comparison holds, so NaN passes through (and each is one
  // instruction on x86, where min/max need a NaN-propagating sequence)
  x = f64x2.pmin(f64x2.pmax(x, f64x2.splat(-746.0)), f64x2.splat(710.0));
  // k = round-to-nearest-even(x / ln2) by the 1.5·2^52 trick: the integer lands in the low mantissa
  // bits of kd, so k's i64 value is bits(kd) - bits(SHIFT) (no f64 → i64 conversion in SIMD128)
  const kd = f64x2.add(f64x2.mul(x, f64x2.splat(INVLN2_64)), f64x2.splat(SHIFT_64));
  const k = f64x2.sub(kd, f64x2.splat(SHIFT_64));
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2HI_64)));
  const lo = f64x2.mul(k, f64x2.splat(LN2LO_64));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.splat(EP4), f64x2.mul(t, f64x2.splat(EP5)));
  p = f64x2.add(f64x2.splat(EP3), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(EP2), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(EP1), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.sub(lo, q), hi));
  return scale2F64x2(y, i64x2.sub(kd, f64x2.splat(SHIFT_64)));
}

// f32: Cephes expf: two-constant Cody-Waite reduction, degree-6 polynomial, no division. Within
// 1 ulp of the correctly rounded result over the whole range, subnormals included.
const SHIFT_32: f32 = 12582912.0; // 1.5·2^23
const LOG2E_32: f32 = 1.44269504088896341;
const C1_32: f32 = 0.693359375; // 8 significant bits, so k·C1_32 is exact
const C2_32: f32 = -2.12194440e-4;
const FP0: f32 = 1.9875691500e-4;
const FP1: f32 = 1.3981999507e-3;
const FP2: f32 = 8.3334519073e-3;
const FP3: f32 = 4.1665795894e-2;
const FP4: f32 = 1.6666665459e-1;
const FP5: f32 = 5.0000001201e-1;

/** e^x per f32 lane, within 1 ulp of the correctly rounded result. */
// @ts-ignore: decorator
@inline
export function expF32x4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-104.0)), f32x4.splat(89.0)); // NaN passes, as above
  // k = round(x / ln2) by the 1.5·2^23 trick, as in the f64 version
  const kd = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E_32)), f32x4.splat(SHIFT_32));
  const k = f32x4.sub(kd, f32x4.splat(SHIFT_32));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(k, f32x4.splat(C1_32))), f32x4.mul(k, f32x4.splat(C2_32)));
  const z = f32x4.mul(r, r);
  let p = f32x4.add(f32x4.mul(f32x4.splat(FP0), r), f32x4.splat(FP1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(FP2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(FP3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(FP4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(FP5));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, z), r), f32x4.splat(1.0));
  // 2^k as two factors: k in [-150, 128] would leave the normal exponent range in one step
  const ki = i32x4.sub(kd, f32x4.splat(SHIFT_32));
  const k1 = i32x4.shr_s(ki, 1);
  const k2 = i32x4.sub(ki, k1);
  const s1 = i32x4.shl(i32x4.add(k1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(k2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

/** e^x per lane of T's width (f32x4 or f64x2). */
// @ts-ignore: decorator
@inline
export function expV<T>(x: v128): v128 {
  if (sizeof<T>() == 8) return expF64x2(x);
  return expF32x4(x);
}
