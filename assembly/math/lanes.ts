// Small lane helpers shared by the kernels. T is f32 or f64; every branch on sizeof<T>() is resolved
// at compile time, so each instantiation carries only its own lane width.

/**
 * v · s per lane, with the product formed in f64 and rounded once to T. For f32 lanes this equals
 * what a JavaScript backend stores (`Math.fround(s * x)` with s a double), where a plain f32x4.mul
 * by an f32-rounded s could differ in the last bit. `s` is an f64x2 splat.
 */
// @ts-ignore: decorator
@inline
export function mulByF64<T>(v: v128, s: v128): v128 {
  if (sizeof<T>() == 8) return f64x2.mul(v, s);
  return narrow(f64x2.mul(widenLow(v), s), f64x2.mul(widenHigh(v), s));
}

/** The largest T not above v (v itself when representable), so `x > v` ⟺ `x > below(v)` for every T x. */
// @ts-ignore: decorator
@inline
export function roundDown<T>(v: f64): T {
  if (sizeof<T>() == 8) return <T>v;
  const r = <f32>v;
  if (<f64>r <= v || isNaN(r)) return <T>r;
  const bits = reinterpret<i32>(r);
  // one step towards -inf: +x shrinks its bits, -x (and -0 → -min subnormal) grows them
  return <T>reinterpret<f32>(r > 0 ? bits - 1 : r == 0 ? <i32>0x80000001 : bits + 1);
}

/** The smallest T not below v, so `x < v` ⟺ `x < above(v)` for every T x. */
// @ts-ignore: decorator
@inline
export function roundUp<T>(v: f64): T {
  if (sizeof<T>() == 8) return <T>v;
  const r = <f32>v;
  if (<f64>r >= v || isNaN(r)) return <T>r;
  const bits = reinterpret<i32>(r);
  return <T>reinterpret<f32>(r < 0 ? bits - 1 : r == 0 ? 1 : bits + 1);
}

/** f32 lanes 0, 1 of v as an f64x2. */
// @ts-ignore: decorator
@inline
export function widenLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** f32 lanes 2, 3 of v as an f64x2. */
// @ts-ignore: decorator
@inline
export function widenHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/** Two f64x2 rounded (to nearest) into one f32x4: lo's lanes, then hi's. */
// @ts-ignore: decorator
@inline
export function narrow(lo: v128, hi: v128): v128 {
  return v128.shuffle<i64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}
