// Vector tanh for f64x2 and f32x4 (Cephes tanh.c / tanhf.c): an odd rational (f64) or polynomial
// (f32) for |x| < 0.625, else 1 - 2/(e^{2|x|} + 1), which saturates to exactly 1 (e^{2|x|} = inf
// gives 2/inf = 0). The sign is copied from x, so tanh(-0) = -0 and tanh(±inf) = ±1; NaN → NaN.

import { expF32x4, expF64x2 } from './exp';

const TP0: f64 = -9.64399179425052238628e-1;
const TP1: f64 = -9.92877231001918586564e1;
const TP2: f64 = -1.61468768441708447952e3;
const TQ0: f64 = 1.12811678491632931402e2;
const TQ1: f64 = 2.23548839060100448583e3;
const TQ2: f64 = 4.84406305325125486048e3;

/** tanh x per f64 lane, within 2 ulp. */
// @ts-ignore: decorator
@inline
export function tanhF64x2(x: v128): v128 {
  const a = f64x2.abs(x);
  // large branch
  const s = expF64x2(f64x2.add(a, a));
  const big = f64x2.sub(f64x2.splat(1.0), f64x2.div(f64x2.splat(2.0), f64x2.add(s, f64x2.splat(1.0))));
  // small branch: a + a·z·P(z)/Q(z), z = a²
  const z = f64x2.mul(a, a);
  const p = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.splat(TP0), z), f64x2.splat(TP1)), z), f64x2.splat(TP2));
  const q = f64x2.add(
    f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(z, f64x2.splat(TQ0)), z), f64x2.splat(TQ1)), z),
    f64x2.splat(TQ2)
  );
  const small = f64x2.add(a, f64x2.mul(f64x2.mul(a, z), f64x2.div(p, q)));
  // NaN compares false, so NaN lanes take the big branch, which is NaN too
  const r = v128.bitselect(small, big, f64x2.lt(a, f64x2.splat(0.625)));
  return v128.or(r, v128.and(x, f64x2.splat(-0.0)));
}

const TF0: f32 = -5.70498872745e-3;
const TF1: f32 = 2.06390887954e-2;
const TF2: f32 = -5.37397155531e-2;
const TF3: f32 = 1.33314422036e-1;
const TF4: f32 = -3.33332819422e-1;

/** tanh x per f32 lane, within 1 ulp of the correctly rounded result. */
// @ts-ignore: decorator
@inline
export function tanhF32x4(x: v128): v128 {
  const a = f32x4.abs(x);
  const s = expF32x4(f32x4.add(a, a));
  const big = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(s, f32x4.splat(1.0))));
  const z = f32x4.mul(a, a);
  let p = f32x4.add(f32x4.mul(f32x4.splat(TF0), z), f32x4.splat(TF1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(TF2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(TF3));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(TF4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), a), a);
  const r = v128.bitselect(small, big, f32x4.lt(a, f32x4.splat(0.625)));
  return v128.or(r, v128.and(x, f32x4.splat(-0.0)));
}

/** tanh x per lane of T's width (f32x4 or f64x2). */
// @ts-ignore: decorator
@inline
export function tanhV<T>(x: v128): v128 {
  if (sizeof<T>() == 8) return tanhF64x2(x);
  return tanhF32x4(x);
}
