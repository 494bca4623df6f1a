// Vector natural log for f64x2 and f32x4: x = 2^k·m with m in [√2/2, √2), f = m - 1,
// log(1+f) = f - f²/2 + s·(f²/2 + R(s²)) with s = f/(2+f) (fdlibm / FreeBSD e_log.c, e_logf.c).
// Subnormals are rescaled first; log(±0) = -inf, log(x<0) = NaN, log(inf) = inf, NaN → NaN.

const LN2HI_64: f64 = 6.93147180369123816490e-01;
const LN2LO_64: f64 = 1.90821492927058770002e-10;
const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;
const TWO52: f64 = 4503599627370496.0;

/** ln x per f64 lane, within 1 ulp. */
// @ts-ignore: decorator
@inline
export function logF64x2(x: v128): v128 {
  const sub = f64x2.lt(x, f64x2.splat(2.2250738585072014e-308)); // subnormal (or <= 0: fixed below)
  const xs = v128.bitselect(f64x2.mul(x, f64x2.splat(18014398509481984.0)), x, sub); // · 2^54
  const kadj = v128.and(sub, f64x2.splat(-54.0));
  // shift the exponent so m lands in [√2/2, √2): the mantissa's top bits decide the rounding
  const u = i64x2.add(xs, i64x2.splat(0x00095f6200000000));
  // k as f64 without an i64 → f64 conversion: put the 11-bit exponent into the mantissa of 2^52
  const e = v128.or(i64x2.shr_u(u, 52), f64x2.splat(TWO52));
  const dk = f64x2.add(f64x2.sub(e, f64x2.splat(TWO52 + 1023.0)), kadj);
  const m = i64x2.add(v128.and(u, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3fe6a09e00000000));
  const f = f64x2.sub(m, f64x2.splat(1.0));
  const hfsq = f64x2.mul(f64x2.mul(f64x2.splat(0.5), f), f);
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  // t1 = w·(LG2 + w·(LG4 + w·LG6)), t2 = z·(LG1 + w·(LG3 + w·(LG5 + w·LG7)))
  let t1 = f64x2.add(f64x2.splat(LG4), f64x2.mul(w, f64x2.splat(LG6)));
  t1 = f64x2.mul(w, f64x2.add(f64x2.splat(LG2), f64x2.mul(w, t1)));
  let t2 = f64x2.add(f64x2.splat(LG5), f64x2.mul(w, f64x2.splat(LG7)));
  t2 = f64x2.add(f64x2.splat(LG3), f64x2.mul(w, t2));
  t2 = f64x2.mul(z, f64x2.add(f64x2.splat(LG1), f64x2.mul(w, t2)));
  const R = f64x2.add(t2, t1);
  // s·(hfsq + R) + dk·ln2lo - hfsq + f + dk·ln2hi, left to right
  let y = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), f64x2.mul(dk, f64x2.splat(LN2LO_64)));
  y = f64x2.add(f64x2.add(f64x2.sub(y, hfsq), f), f64x2.mul(dk, f64x2.splat(LN2HI_64)));
  // special lanes: 0 → -inf, negative → NaN, +inf and NaN → themselves
  y = v128.bitselect(f64x2.splat(-Infinity), y, f64x2.eq(x, f64x2.splat(0.0)));
  y = v128.bitselect(f64x2.splat(NaN), y, f64x2.lt(x, f64x2.splat(0.0)));
  const passthrough = v128.or(f64x2.eq(x, f64x2.splat(Infinity)), f64x2.ne(x, x));
  return v128.bitselect(x, y, passthrough);
}

const LN2HI_32: f32 = 6.9313812256e-01;
const LN2LO_32: f32 = 9.0580006145e-06;
const LGF1: f32 = 0.66666662693; // 0xaaaaaa.0p-24
const LGF2: f32 = 0.40000972152; // 0xccce13.0p-25
const LGF3: f32 = 0.28498786688; // 0x91e9ee.0p-25
const LGF4: f32 = 0.24279078841; // 0xf89e26.0p-26

/** ln x per f32 lane, within 1 ulp. */
// @ts-ignore: decorator
@inline
export function logF32x4(x: v128): v128 {
  const sub = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(33554432.0)), x, sub); // · 2^25
  const kadj = v128.and(sub, i32x4.splat(-25));
  const ix = i32x4.add(xs, i32x4.splat(0x3f800000 - 0x3f3504f3));
  const k = i32x4.add(i32x4.sub(i32x4.shr_s(ix, 23), i32x4.splat(0x7f)), kadj);
  const dk = f32x4.convert_i32x4_s(k);
  const m = i32x4.add(v128.and(ix, i32x4.splat(0x007fffff)), i32x4.splat(0x3f3504f3));
  const f = f32x4.sub(m, f32x4.splat(1.0));
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2.0), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(f32x4.splat(LGF2), f32x4.mul(w, f32x4.splat(LGF4))));
  const t2 = f32x4.mul(z, f32x4.add(f32x4.splat(LGF1), f32x4.mul(w, f32x4.splat(LGF3))));
  const R = f32x4.add(t2, t1);
  const hfsq = f32x4.mul(f32x4.mul(f32x4.splat(0.5), f), f);
  let y = f32x4.add(f32x4.mul(s, f32x4.add(hfsq, R)), f32x4.mul(dk, f32x4.splat(LN2LO_32)));
  y = f32x4.add(f32x4.add(f32x4.sub(y, hfsq), f), f32x4.mul(dk, f32x4.splat(LN2HI_32)));
  y = v128.bitselect(f32x4.splat(-Infinity), y, f32x4.eq(x, f32x4.splat(0.0)));
  y = v128.bitselect(f32x4.splat(NaN), y, f32x4.lt(x, f32x4.splat(0.0)));
  const passthrough = v128.or(f32x4.eq(x, f32x4.splat(Infinity)), f32x4.ne(x, x));
  return v128.bitselect(x, y, passthrough);
}

/** ln x per lane of T's width (f32x4 or f64x2). */
// @ts-ignore: decorator
@inline
export function logV<T>(x: v128): v128 {
  if (sizeof<T>() == 8) return logF64x2(x);
  return logF32x4(x);
}
