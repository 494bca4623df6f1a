// The logistic function and tanh's derivative factor, written so no lane ever sees exp of a positive
// number: e = exp(-|x|) lies in [0, 1], so ±800 or ±inf give exactly 1 / 0. (Sigmoid's derivative is
// the course's s·(1 - s), in activations.ts, so that every backend gives NumPy's numbers.)

import { expV } from './exp';

/** 1 / (1 + e^-x): for x >= 0 it is 1/(1+e), else e/(1+e), with e = exp(-|x|) (as scalar.ts). */
// @ts-ignore: decorator
@inline
export function sigmoidV<T>(x: v128): v128 {
  const e = expV<T>(v128.neg<T>(v128.abs<T>(x)));
  const one = v128.splat<T>(<T>1);
  // NaN >= 0 is false, so a NaN lane divides e = NaN
  const num = v128.bitselect(one, e, v128.ge<T>(x, v128.splat<T>(<T>0)));
  return v128.div<T>(num, v128.add<T>(one, e));
}

/** tanh'(x) = 1 - tanh²x = 4u / (1 + u)², u = exp(-2|x|). */
// @ts-ignore: decorator
@inline
export function tanhGradFactorV<T>(x: v128): v128 {
  const a = v128.abs<T>(x);
  const u = expV<T>(v128.neg<T>(v128.add<T>(a, a)));
  const q = v128.add<T>(v128.splat<T>(<T>1), u);
  return v128.div<T>(v128.mul<T>(v128.splat<T>(<T>4), u), v128.mul<T>(q, q));
}
