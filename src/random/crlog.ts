/**
 * A correctly rounded natural logarithm.
 *
 * NumPy's legacy Gaussian calls the C library's `log`; V8's `Math.log` disagrees with it on about 3% of
 * the draws, which is enough to change most course vectors. A correctly rounded log matches glibc
 * everywhere glibc itself rounds correctly (all but ~0.04% of draws, see NUMPY_RNG.md §5).
 *
 * Ziv's strategy: a table-driven double-double evaluation good to ~2^-74 relative error decides the
 * rounding almost always; when the result is too close to a rounding boundary to be sure, a BigInt
 * fixed-point evaluation at 320+ bits decides instead.
 *
 * @module
 */

const f64 = new Float64Array(1);
// little-endian word order, as on every platform Node runs on
const u32 = new Uint32Array(f64.buffer);

/** Dekker's split constant, 2^27 + 1. */
const SPLIT = 134217729;

/** ln 2 as a double-double. */
const LN2_HI = Math.LN2;
const LN2_LO = 2.3190468138462996e-17;

/** Claimed relative error of the fast path: the analysis gives ~2^-74, the worst measured is 2^-77. */
const FAST_EPS = 2 ** -68;

/** Exact error of the product a*b rounded to p (Dekker; JS has no FMA). */
function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

// ---------------------------------------------------------------------------------------------------
// slow path: fixed-point BigInt, exact up to a few units in the last of `prec` fractional bits

const ln2Cache = new Map<number, bigint>();

/** 2·atanh(s) for s in fixed point at `prec` bits, |s| < 1/2. */
function atanh2(s: bigint, prec: number): bigint {
  // sum on |s| so that truncation drives the terms to 0 rather than to -1
  const neg = s < 0n;
  if (neg) s = -s;
  const p = BigInt(prec);
  const s2 = (s * s) >> p;
  let term = s;
  let acc = s;
  for (let k = 3n; term !== 0n; k += 2n) {
    term = (term * s2) >> p;
    acc += term / k;
  }
  return neg ? -2n * acc : 2n * acc;
}

function ln2Fixed(prec: number): bigint {
  let v = ln2Cache.get(prec);
  if (v === undefined) {
    // ln 2 = 2 atanh(1/3)
    v = atanh2((1n << BigInt(prec)) / 3n, prec);
    ln2Cache.set(prec, v);
  }
  return v;
}

/** ln(m · 2^e) · 2^prec for an integer 2^52 <= m < 2^53; absolute error well below 2^24 units. */
function lnFixed(m: bigint, e: number, prec: number): bigint {
  const p = BigInt(prec);
  const one = 1n << p;
  // fold the mantissa into [sqrt(1/2), sqrt(2)) so the atanh series converges fast
  let y = m << (p - 52n);
  let t = e + 52;
  if (m * m > 1n << 105n) {
    y >>= 1n;
    t += 1;
  }
  const s = ((y - one) << p) / (y + one);
  return atanh2(s, prec) + BigInt(t) * ln2Fixed(prec);
}

/** The double nearest to v · 2^-prec (ties to even). */
function fixedToDouble(v: bigint, prec: number): number {
  const neg = v < 0n;
  let a = neg ? -v : v;
  const shift = a.toString(2).length - 53;
  if (shift > 0) {
    const s = BigInt(shift);
    const rem = a & ((1n << s) - 1n);
    const half = 1n << (s - 1n);
    a >>= s;
    if (rem > half || (rem === half && (a & 1n) === 1n)) a += 1n;
  }
  const r = Number(a) * 2 ** (Math.max(shift, 0) - prec);
  return neg ? -r : r;
}

/**
 * The correctly rounded ln(x) for a positive normal double, by BigInt fixed point.
 *
 * Slow (tens of microseconds); {@link crlog} falls back to it only near rounding boundaries.
 * Exported for tests.
 *
 * @example
 * ```ts
 * logSlow(0.5); // -0.6931471805599453
 * ```
 */
export function logSlow(x: number): number {
  // ln 1 = 0 is exact, so no error interval around it can avoid a rounding boundary
  if (x === 1) return 0;
  // subnormals: scale by 2^54 (exact) and take it back out of the exponent
  const scaled = x < 2 ** -1022;
  const [m, e] = decompose(scaled ? x * 2 ** 54 : x);
  // the series error is below 2^21 units; 2^32 is a margin, not a bound we lean on
  const slack = 1n << 32n;
  for (let prec = 320; ; prec *= 2) {
    const v = lnFixed(m, scaled ? e - 54 : e, prec);
    const lo = fixedToDouble(v - slack, prec);
    if (lo === fixedToDouble(v + slack, prec)) return lo;
  }
}

/** x = m · 2^e with 2^52 <= m < 2^53, for a positive normal double. */
function decompose(x: number): [bigint, number] {
  f64[0] = x;
  const hx = u32[1];
  return [(BigInt((hx & 0xfffff) | 0x100000) << 32n) | BigInt(u32[0]), ((hx >>> 20) & 0x7ff) - 1075];
}

// ---------------------------------------------------------------------------------------------------
// fast path: x = 2^k · z, z in [0.6875, 1.375) split into 128 cells (as in glibc / ARM's log);
// ln x = k ln2 - ln(invc) + log1p(z·invc - 1), with z·invc - 1 computed exactly

const CELLS = 128;
const INVC = new Float64Array(CELLS);
const LOGC_HI = new Float64Array(CELLS);
const LOGC_LO = new Float64Array(CELLS);

function cellStart(i: number): number {
  // cells below 1 are 2^-8 wide, cells above are 2^-7 wide (the exponent changes at 1)
  return i < 80 ? 0.6875 + i / 256 : 1 + (i - 80) / 128;
}

for (let i = 0; i < CELLS; i++) {
  const width = i < 80 ? 1 / 256 : 1 / 128;
  // the two cells touching 1 use c = 1 exactly, so ln x near 1 keeps its full relative accuracy
  const invc = i === 79 || i === 80 ? 1 : 1 / (cellStart(i) + width / 2);
  INVC[i] = invc;
  if (invc !== 1) {
    // -ln(invc) as a double-double, from the exact slow path
    const prec = 320;
    const [m, e] = decompose(invc);
    const v = -lnFixed(m, e, prec);
    const hi = fixedToDouble(v, prec);
    const [hm, he] = decompose(Math.abs(hi));
    const hiFixed = hm << BigInt(he + prec);
    LOGC_HI[i] = hi;
    LOGC_LO[i] = fixedToDouble(v - (hi < 0 ? -hiFixed : hiFixed), prec);
  }
}

/** Taylor coefficients of log1p from r^4 to r^11; the r^12 term is below 2^-80 relative for |r| < 2^-7. */
const C4 = -1 / 4;
const C5 = 1 / 5;
const C6 = -1 / 6;
const C7 = 1 / 7;
const C8 = -1 / 8;
const C9 = 1 / 9;
const C10 = -1 / 10;
const C11 = 1 / 11;

/**
 * ln(x · 2^kAdj) for a positive normal x as an unevaluated sum hi + lo, relative error below 2^-68.
 * Writes hi and lo to `out`. Exported for tests of the error bound.
 */
export function logFast(x: number, kAdj: number, out: Float64Array): void {
  f64[0] = x;
  const hx = u32[1] | 0;
  const tmp = (hx - 0x3fe60000) | 0;
  const i = (tmp >> 13) & (CELLS - 1);
  const k = (tmp >> 20) + kAdj;
  u32[1] = hx - (tmp & 0xfff00000);
  const z = f64[0];
  const invc = INVC[i];

  // r = z·invc - 1 exactly, as rh + rl: p - 1 is exact by Sterbenz since p is near 1
  const p = z * invc;
  const pe = twoProdErr(z, invc, p);
  const a = p - 1;
  const rh = a + pe;
  let bv = rh - a;
  const rl = a - (rh - bv) + (pe - bv);

  // r^2 and r^3 as double-doubles; |r| < 2^-7
  const s = rh * rh;
  const se = twoProdErr(rh, rh, s) + 2 * rh * rl;
  const c = s * rh;
  const ce = twoProdErr(s, rh, c) + (se * rh + s * rl);
  // r^3/3 as q + qe, with the remainder c - 3q formed exactly
  const q = c / 3;
  const t3 = 3 * q;
  const qe = (c - t3 - twoProdErr(3, q, t3) + ce) / 3;
  // r^4 onwards in plain double: its rounding error is ~2^-74 relative to the result
  const r4 = s * s;
  const tail = r4 * (C4 + rh * (C5 + rh * (C6 + rh * (C7 + rh * (C8 + rh * (C9 + rh * (C10 + rh * C11)))))));

  // hi + lo = k ln2 + ln c + r - r^2/2 + r^3/3 + tail; each addition is an exact two-sum into hi
  let hi = k * LN2_HI;
  let lo = twoProdErr(k, LN2_HI, hi) + k * LN2_LO;
  let sum = hi + LOGC_HI[i];
  bv = sum - hi;
  lo += hi - (sum - bv) + (LOGC_HI[i] - bv) + LOGC_LO[i];
  hi = sum;
  sum = hi + rh;
  bv = sum - hi;
  lo += hi - (sum - bv) + (rh - bv) + rl;
  hi = sum;
  const h2 = -0.5 * s;
  sum = hi + h2;
  bv = sum - hi;
  lo += hi - (sum - bv) + (h2 - bv) - 0.5 * se;
  hi = sum;
  sum = hi + q;
  bv = sum - hi;
  lo += hi - (sum - bv) + (q - bv) + qe + tail;
  hi = sum;
  sum = hi + lo;
  out[0] = sum;
  out[1] = lo - (sum - hi);
}

const fast = new Float64Array(2);

/**
 * The natural logarithm, correctly rounded (round to nearest, ties to even).
 *
 * Unlike `Math.log`, whose last bit is implementation-defined, this returns the double nearest to the
 * true ln(x), so results are reproducible across engines and match C libraries wherever they round
 * correctly. Special values follow C's `log`: NaN for x < 0 or NaN, -Infinity for ±0, Infinity for Infinity.
 *
 * @example
 * ```ts
 * crlog(Math.E); // 1
 * crlog(0.1);    // -2.3025850929940455
 * ```
 */
export function crlog(x: number): number {
  f64[0] = x;
  const hx = u32[1];
  if (hx >= 0x00100000 && hx < 0x7ff00000) logFast(x, 0, fast);
  else if (x > 0 && x < Number.POSITIVE_INFINITY) logFast(x * 2 ** 54, -54, fast);
  else if (x === 0) return Number.NEGATIVE_INFINITY;
  else return x === Number.POSITIVE_INFINITY ? x : Number.NaN;
  const hi = fast[0];
  const lo = fast[1];
  const eps = Math.abs(hi) * FAST_EPS;
  const r = hi + (lo + eps);
  // every value within the error bound rounds to r, so the true ln(x) does too
  return r === hi + (lo - eps) ? r : logSlow(x);
}
