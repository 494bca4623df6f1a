// Reductions over the middle axis of a contiguous (outer, len, inner) view of x (T = f32 | f64):
// out[p·inner + q] = R_k x[(p·len + k)·inner + q], written contiguously as (outer, inner).
//
// Semantics are those of LoopBackend.reduce (the oracle):
// - Sum accumulates in f64 lanes for both dtypes. Along a strided axis (inner > 1) each column is a
//   sequential sum, in the oracle's order; along a contiguous axis (inner == 1) it is a pairwise sum
//   of 256-element blocks (8 partial sums each), error O(log n · eps) rather than O(n · eps).
// - Max/Min keep the first element that attains the extreme (so ±0 ties keep the earlier one) and the
//   first NaN wins; ArgMax/ArgMin write that element's index k as a T.
// Pointers are byte addresses, any alignment (16 fastest); out must not overlap x. len >= 1 except
// for Sum (len 0 sums to 0).

import { ReduceOp } from './ops';

/** Below this many elements a contiguous sum is one blocked loop; above, it splits in halves. */
const SUM_BLOCK: i32 = 256;

/** Sum of n contiguous T, pairwise over blocks, in f64. */
function sumContig<T>(x: usize, n: i32): f64 {
  const S = <usize>sizeof<T>();
  if (n > SUM_BLOCK) {
    const half = (n >> 1) & ~7; // keep the split on a multiple of 8 elements
    return sumContig<T>(x, half) + sumContig<T>(x + <usize>half * S, n - half);
  }
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + <usize>i * S;
    if (sizeof<T>() == 8) {
      a0 = f64x2.add(a0, v128.load(p));
      a1 = f64x2.add(a1, v128.load(p, 16));
      a2 = f64x2.add(a2, v128.load(p, 32));
      a3 = f64x2.add(a3, v128.load(p, 48));
    } else {
      const v = v128.load(p);
      const w = v128.load(p, 16);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      a2 = f64x2.add(a2, f64x2.promote_low_f32x4(w));
      a3 = f64x2.add(a3, f64x2.promote_low_f32x4(v128.shuffle<f32>(w, w, 2, 3, 0, 1)));
    }
  }
  const acc = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) s += <f64>load<T>(x + <usize>i * S);
  return s;
}

/** Column sums: out[q] = Σ_k x[k·inner + q] for q < inner, each column sequential in f64. */
function sumColumns<T>(out: usize, x: usize, len: i32, inner: i32): void {
  const S = <usize>sizeof<T>();
  const row = <usize>inner * S;
  let q = 0;
  // 8 columns at a time in four f64x2 accumulators (two f32x4 loads, or four f64x2 loads, per row)
  for (; q + 8 <= inner; q += 8) {
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let p = x + <usize>q * S;
    for (let k = 0; k < len; k++) {
      if (sizeof<T>() == 8) {
        a0 = f64x2.add(a0, v128.load(p));
        a1 = f64x2.add(a1, v128.load(p, 16));
        a2 = f64x2.add(a2, v128.load(p, 32));
        a3 = f64x2.add(a3, v128.load(p, 48));
      } else {
        const v = v128.load(p);
        const w = v128.load(p, 16);
        a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
        a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
        a2 = f64x2.add(a2, f64x2.promote_low_f32x4(w));
        a3 = f64x2.add(a3, f64x2.promote_low_f32x4(v128.shuffle<f32>(w, w, 2, 3, 0, 1)));
      }
      p += row;
    }
    const o = out + <usize>q * S;
    if (sizeof<T>() == 8) {
      v128.store(o, a0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
    } else {
      v128.store(o, v128.shuffle<i64>(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 2));
      v128.store(o, v128.shuffle<i64>(f32x4.demote_f64x2_zero(a2), f32x4.demote_f64x2_zero(a3), 0, 2), 16);
    }
  }
  for (; q < inner; q++) {
    let s: f64 = 0;
    let p = x + <usize>q * S;
    for (let k = 0; k < len; k++) {
      s += <f64>load<T>(p);
      p += row;
    }
    store<T>(out + <usize>q * S, <T>s);
  }
}

// The comparison that makes an element the new extreme: `v > acc` for Max/ArgMax, `v < acc` for Min.
@final class Above {
  @inline vec<T>(v: v128, acc: v128): v128 { return v128.gt<T>(v, acc); }
  /** the NaN-propagating lane-wise extreme (wasm's max: NaN wins, +0 > -0) */
  @inline ext<T>(a: v128, b: v128): v128 { return v128.max<T>(a, b); }
  @inline one<T>(v: T, acc: T): bool { return v > acc; }
}

@final class Below {
  @inline vec<T>(v: v128, acc: v128): v128 { return v128.lt<T>(v, acc); }
  @inline ext<T>(a: v128, b: v128): v128 { return v128.min<T>(a, b); }
  @inline one<T>(v: T, acc: T): bool { return v < acc; }
}

/** Lanes where v replaces acc: v beats acc, or v is the first NaN (acc not NaN yet). */
// @ts-ignore: decorator
@inline
function takes<T, Cmp>(v: v128, acc: v128): v128 {
  const cmp = changetype<Cmp>(0);
  return v128.and(v128.or(cmp.vec<T>(v, acc), v128.ne<T>(v, v)), v128.eq<T>(acc, acc));
}

/** Integer lanes as wide as T's (i64x2 for f64, i32x4 for f32) holding k. */
// @ts-ignore: decorator
@inline
function splatIndex<T>(k: i32): v128 {
  if (sizeof<T>() == 8) return i64x2.splat(<i64>k);
  return i32x4.splat(k);
}

/** Lanes where (v, i) is the better candidate than (b, bi) under the oracle's order. */
// @ts-ignore: decorator
@inline
function betterLanes<T, Cmp>(v: v128, i: v128, b: v128, bi: v128): v128 {
  const cmp = changetype<Cmp>(0);
  const earlier = sizeof<T>() == 8 ? i64x2.lt_s(i, bi) : i32x4.lt_s(i, bi);
  const vNaN = v128.ne<T>(v, v);
  const ifNumber = v128.or(v128.or(vNaN, cmp.vec<T>(v, b)), v128.and(v128.eq<T>(v, b), earlier));
  return v128.bitselect(v128.and(vNaN, earlier), ifNumber, v128.ne<T>(b, b));
}

/** Max/Min (or Arg*) of n contiguous T by the oracle's rule; returns the value, or the index when arg. */
function extremeContig<T, Cmp>(x: usize, n: i32, arg: bool): f64 {
  const cmp = changetype<Cmp>(0);
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  let best = load<T>(x);
  let bi = 0;
  let i = 1;
  if (!arg && n >= 4 * L) {
    // the value alone: wasm's max/min already make any NaN win, four accumulators hide the latency,
    // and a zero result is fixed up below (the lanes cannot tell -0 from +0 apart by order)
    let a0 = v128.load(x);
    let a1 = v128.load(x, 16);
    let a2 = v128.load(x, 32);
    let a3 = v128.load(x, 48);
    for (i = 4 * L; i + 4 * L <= n; i += 4 * L) {
      const p = x + <usize>i * S;
      a0 = cmp.ext<T>(a0, v128.load(p));
      a1 = cmp.ext<T>(a1, v128.load(p, 16));
      a2 = cmp.ext<T>(a2, v128.load(p, 32));
      a3 = cmp.ext<T>(a3, v128.load(p, 48));
    }
    a0 = cmp.ext<T>(cmp.ext<T>(a0, a1), cmp.ext<T>(a2, a3));
    a0 = cmp.ext<T>(a0, v128.shuffle<i64>(a0, a0, 1, 0));
    if (sizeof<T>() == 4) a0 = cmp.ext<T>(a0, v128.shuffle<i32>(a0, a0, 1, 0, 3, 2));
    best = v128.extract_lane<T>(a0, 0);
  } else if (n >= 2 * L) {
    // each lane keeps the first extreme of its own elements, with its index ...
    let acc = v128.load(x);
    let idx = sizeof<T>() == 8 ? i64x2(0, 1) : i32x4(0, 1, 2, 3);
    let cur = sizeof<T>() == 8 ? i64x2(2, 3) : i32x4(4, 5, 6, 7);
    const step = splatIndex<T>(L);
    for (i = L; i + L <= n; i += L) {
      const v = v128.load(x + <usize>i * S);
      const m = takes<T, Cmp>(v, acc);
      acc = v128.bitselect(v, acc, m);
      idx = v128.bitselect(cur, idx, m);
      cur = sizeof<T>() == 8 ? i64x2.add(cur, step) : i32x4.add(cur, step);
    }
    // ... then the lanes merge pairwise (NaN first, then the better value, then the lower index)
    let v = v128.shuffle<i64>(acc, acc, 1, 0);
    let vi = v128.shuffle<i64>(idx, idx, 1, 0);
    let m = betterLanes<T, Cmp>(v, vi, acc, idx);
    acc = v128.bitselect(v, acc, m);
    idx = v128.bitselect(vi, idx, m);
    if (sizeof<T>() == 4) {
      v = v128.shuffle<i32>(acc, acc, 1, 0, 3, 2);
      vi = v128.shuffle<i32>(idx, idx, 1, 0, 3, 2);
      m = betterLanes<T, Cmp>(v, vi, acc, idx);
      acc = v128.bitselect(v, acc, m);
      idx = v128.bitselect(vi, idx, m);
    }
    best = v128.extract_lane<T>(acc, 0);
    bi = sizeof<T>() == 8 ? <i32>i64x2.extract_lane(idx, 0) : i32x4.extract_lane(idx, 0);
  }
  // the tail (or a short run), one element at a time exactly as the oracle
  for (; i < n; i++) {
    if (isNaN(best)) break;
    const v = load<T>(x + <usize>i * S);
    if (cmp.one<T>(v, best) || isNaN(v)) {
      best = v;
      bi = i;
    }
  }
  if (arg) return <f64>bi;
  if (best == 0) {
    // ±0: the lanes cannot tell which zero came first, the oracle keeps the first one
    for (let k = 0; k < n; k++) {
      const v = load<T>(x + <usize>k * S);
      if (v == 0) return <f64>v;
    }
  }
  return <f64>best;
}

/** Column extremes: out[q] = the extreme (or its index) of x[k·inner + q] over k < len, the oracle's rule per lane. */
function extremeColumns<T, Cmp>(out: usize, x: usize, len: i32, inner: i32, arg: bool): void {
  const cmp = changetype<Cmp>(0);
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const row = <usize>inner * S;
  let q = 0;
  for (; q + L <= inner; q += L) {
    let p = x + <usize>q * S;
    let acc = v128.load(p);
    let idx = splatIndex<T>(0);
    for (let k = 1; k < len; k++) {
      p += row;
      const v = v128.load(p);
      const m = takes<T, Cmp>(v, acc);
      acc = v128.bitselect(v, acc, m);
      if (arg) idx = v128.bitselect(splatIndex<T>(k), idx, m);
    }
    if (arg) {
      // indices to T: exact below 2^31 for f64, rounded as a Float32Array store would for f32
      if (sizeof<T>() == 8) acc = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(idx, idx, 0, 2, 0, 2));
      else acc = f32x4.convert_i32x4_s(idx);
    }
    v128.store(out + <usize>q * S, acc);
  }
  for (; q < inner; q++) {
    let p = x + <usize>q * S;
    let best = load<T>(p);
    let bi = 0;
    for (let k = 1; k < len; k++) {
      if (isNaN(best)) break;
      p += row;
      const v = load<T>(p);
      if (cmp.one<T>(v, best) || isNaN(v)) {
        best = v;
        bi = k;
      }
    }
    store<T>(out + <usize>q * S, arg ? <T>bi : best);
  }
}

/** out (outer, inner) = R over the middle axis of x (outer, len, inner). op: ReduceOp. */
export function reduce<T>(op: i32, out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  const S = <usize>sizeof<T>();
  const slab = <usize>len * <usize>inner * S; // bytes of x per outer index
  const outRow = <usize>inner * S;
  for (let p = 0; p < outer; p++) {
    if (op == ReduceOp.Sum) {
      if (inner == 1) store<T>(out, <T>sumContig<T>(x, len));
      else sumColumns<T>(out, x, len, inner);
    } else if (len > 0) {
      const arg = op == ReduceOp.ArgMax || op == ReduceOp.ArgMin;
      const above = op == ReduceOp.Max || op == ReduceOp.ArgMax;
      if (inner == 1) {
        store<T>(out, <T>(above ? extremeContig<T, Above>(x, len, arg) : extremeContig<T, Below>(x, len, arg)));
      } else if (above) extremeColumns<T, Above>(out, x, len, inner, arg);
      else extremeColumns<T, Below>(out, x, len, inner, arg);
    }
    x += slab;
    out += outRow;
  }
}
