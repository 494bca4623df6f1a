// Vector log(1 + x) in f64 for 0 <= x <= 1 (and NaN → NaN): the range of e^-|z| in the cross-entropy
// from logits, the only caller. fdlibm's s_log1p.c (what V8's Math.log1p runs) restricted to that
// range, so the results agree with Math.log1p to about 1 ulp:
// - x < √2 - 1: f = x, k = 0, no correction;
// - else u = 1 + x lies in [√2, 2], so k = 1, f = u/2 - 1 (exact), and c = (1 - (u - x))/u puts
//   back what rounding 1 + x lost;
// then log1p = k·ln2hi - ((hfsq - (s·(hfsq + R(s²)) + (k·ln2lo + c))) - f), s = f/(2 + f),
// hfsq = f²/2, which for k = 0 is fdlibm's f - (hfsq - s·(hfsq + R)) exactly.

const SQRT2M1: f64 = 0.41421356237309503; // √2 - 1
const LN2HI: f64 = 6.93147180369123816490e-01;
const LN2LO: f64 = 1.90821492927058770002e-10;
// Lp1 … Lp7: fdlibm's minimax coefficients of R(z)
const LP1: f64 = 6.666666666666735130e-01;
const LP2: f64 = 3.999999999940941908e-01;
const LP3: f64 = 2.857142874366239149e-01;
const LP4: f64 = 2.222219843214978396e-01;
const LP5: f64 = 1.818357216161805012e-01;
const LP6: f64 = 1.531383769920937332e-01;
const LP7: f64 = 1.479819860511658591e-01;

/** log(1 + x) per f64 lane for x in [0, 1], within about 1 ulp of fdlibm's log1p. */
// @ts-ignore: decorator
@inline
export function log1pF64x2(x: v128): v128 {
  // NaN compares false and stays NaN through the large branch
  const small = f64x2.lt(x, f64x2.splat(SQRT2M1));
  const u = f64x2.add(f64x2.splat(1.0), x);
  const fBig = f64x2.sub(f64x2.mul(f64x2.splat(0.5), u), f64x2.splat(1.0));
  const cBig = f64x2.div(f64x2.sub(f64x2.splat(1.0), f64x2.sub(u, x)), u);
  const f = v128.bitselect(x, fBig, small);
  const c = v128.andnot(cBig, small);
  const kf = v128.andnot(f64x2.splat(1.0), small); // k as 1.0 or 0.0
  const hfsq = f64x2.mul(f64x2.mul(f64x2.splat(0.5), f), f);
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  // R = z·(Lp1 + z·(Lp2 + … + z·Lp7)), fdlibm's Horner order
  let R = f64x2.add(f64x2.splat(LP6), f64x2.mul(z, f64x2.splat(LP7)));
  R = f64x2.add(f64x2.splat(LP5), f64x2.mul(z, R));
  R = f64x2.add(f64x2.splat(LP4), f64x2.mul(z, R));
  R = f64x2.add(f64x2.splat(LP3), f64x2.mul(z, R));
  R = f64x2.add(f64x2.splat(LP2), f64x2.mul(z, R));
  R = f64x2.add(f64x2.splat(LP1), f64x2.mul(z, R));
  R = f64x2.mul(z, R);
  const inner = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), f64x2.add(f64x2.mul(kf, f64x2.splat(LN2LO)), c));
  return f64x2.sub(f64x2.mul(kf, f64x2.splat(LN2HI)), f64x2.sub(f64x2.sub(hfsq, inner), f));
}
