// Vector log(1 + x) for 0 <= x <= 1 (and NaN → NaN): the range of e^-|z| in the cross-entropy
// from logits, the only caller. fdlibm's s_log1p.c (what V8's Math.log1p runs) restricted to that
// range, so the results agree with Math.log1p to about 1 ulp:
// - x < √2 - 1: f = x, k = 0, no correction;
// - else u = 1 + x lies in [√2, 2], so k = 1, f = u/2 - 1 (exact), and c = (1 - (u - x))/u puts
//   back what rounding 1 + x lost;
// then log1p = k·ln2hi - ((hfsq - (s·(hfsq + R(s²)) + (k·ln2lo + c))) - f), s = f/(2 + f),
// hfsq = f²/2, which for k = 0 is fdlibm's f - (hfsq - s·(hfsq + R)) exactly. R is evaluated in
// e_log.c's two-chain order rather than s_log1p.c's Horner order (a last-bit difference at most).
// The f32 version is the same on e_logf.c's four-coefficient R, for float32 blocks.

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
  // R = z·Lp1 + z²·Lp2 + … + z⁷·Lp7 split as e_log.c does, odd and even powers in two chains of w = z²
  // (half the dependency chain of s_log1p.c's single Horner; the kernel is latency-bound)
  const w = f64x2.mul(z, z);
  let t1 = f64x2.add(f64x2.splat(LP4), f64x2.mul(w, f64x2.splat(LP6)));
  t1 = f64x2.mul(w, f64x2.add(f64x2.splat(LP2), f64x2.mul(w, t1)));
  let t2 = f64x2.add(f64x2.splat(LP5), f64x2.mul(w, f64x2.splat(LP7)));
  t2 = f64x2.add(f64x2.splat(LP3), f64x2.mul(w, t2));
  t2 = f64x2.mul(z, f64x2.add(f64x2.splat(LP1), f64x2.mul(w, t2)));
  const R = f64x2.add(t2, t1);
  const inner = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), f64x2.add(f64x2.mul(kf, f64x2.splat(LN2LO)), c));
  return f64x2.sub(f64x2.mul(kf, f64x2.splat(LN2HI)), f64x2.sub(f64x2.sub(hfsq, inner), f));
}

const SQRT2M1_32: f32 = 0.41421356237; // √2 - 1
const LN2HI_32: f32 = 6.9313812256e-01;
const LN2LO_32: f32 = 9.0580006145e-06;
const LGF1: f32 = 0.66666662693; // e_logf.c's minimax R(z) = z·LGF1 + z²·LGF2 + z³·LGF3 + z⁴·LGF4
const LGF2: f32 = 0.40000972152;
const LGF3: f32 = 0.28498786688;
const LGF4: f32 = 0.24279078841;

/** log(1 + x) per f32 lane for x in [0, 1], within about 1 ulp. */
// @ts-ignore: decorator
@inline
export function log1pF32x4(x: v128): v128 {
  const small = f32x4.lt(x, f32x4.splat(SQRT2M1_32));
  const u = f32x4.add(f32x4.splat(1.0), x);
  const fBig = f32x4.sub(f32x4.mul(f32x4.splat(0.5), u), f32x4.splat(1.0));
  const cBig = f32x4.div(f32x4.sub(f32x4.splat(1.0), f32x4.sub(u, x)), u);
  const f = v128.bitselect(x, fBig, small);
  const c = v128.andnot(cBig, small);
  const kf = v128.andnot(f32x4.splat(1.0), small);
  const hfsq = f32x4.mul(f32x4.mul(f32x4.splat(0.5), f), f);
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2.0), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(f32x4.splat(LGF2), f32x4.mul(w, f32x4.splat(LGF4))));
  const t2 = f32x4.mul(z, f32x4.add(f32x4.splat(LGF1), f32x4.mul(w, f32x4.splat(LGF3))));
  const R = f32x4.add(t2, t1);
  const inner = f32x4.add(f32x4.mul(s, f32x4.add(hfsq, R)), f32x4.add(f32x4.mul(kf, f32x4.splat(LN2LO_32)), c));
  return f32x4.sub(f32x4.mul(kf, f32x4.splat(LN2HI_32)), f32x4.sub(f32x4.sub(hfsq, inner), f));
}
