// The training step's fused kernels (Backend.biasActivation … loss in src/backend/backend.ts): each
// does in one sweep what the facade would do in two or three ops, and each is defined as the loop
// backend's (src/backend/loop.ts, with scalar.ts's `activationGradFn` and `lossFn`).
//
// Layout: (rows, cols) blocks are contiguous row-major runs of T (f32 or f64) at byte addresses;
// b and db are contiguous (rows) columns; any alignment works (16 is fastest). Each row is one
// vector loop plus a scalar tail that runs the same vector code on lane 0, so an element's result
// never depends on its position. Outputs may alias inputs exactly where the export says so (each
// vector is read before it is written); partial overlap is undefined.
//
// Rounding, against the loop backend:
// - f64 element results are the same formulas in the same order; they differ only where the vector
//   tanh/sigmoid/exp/log1p differ from Math's (a few ulp);
// - f32 activations are computed in f32 lanes (twice the lanes of f64): within a few ulp; f32
//   gradients are computed in f64 lanes and rounded once, so they equal the loop backend's exactly,
//   as do every bias add, difference and axpy;
// - row sums (db) accumulate in f64 lanes, then round to T and scale in T, as the loop backend's
//   storeScaled; losses compute every term and the compensated sum in f64 lanes for both dtypes;
//   the sigmoid output kernel computes σ and log1p(e^-|z|) in T lanes and sums in f64.

import { LossOp, UnaryOp } from './ops';
import { expV } from './math/exp';
import { log1pF32x4, log1pF64x2 } from './math/log1p';
import { sigmoidV } from './math/sigmoid';
import { tanhV } from './math/tanh';
import { mulByF64, narrow, widenHigh, widenLow } from './math/lanes';

// One @final class per activation, forward beside backward, called on a null instance as in
// activations.ts so each kernel compiles to one loop per activation and dtype. `grad` reads the
// forward cache c that scalar.ts's activationGradFn reads: A for sigmoid and tanh, Z for the others;
// the kernels call it with T = f64 for both dtypes. c64 is the leaky slope as an f64x2 splat.

@final class SigmoidAct {
  @inline fwd<T>(z: v128, c64: v128): v128 { return sigmoidV<T>(z); }
  // (dy·a)·(1 - a), scalar.ts's order
  @inline grad<T>(a: v128, dy: v128, c64: v128): v128 {
    return v128.mul<T>(v128.mul<T>(dy, a), v128.sub<T>(v128.splat<T>(<T>1), a));
  }
}

@final class TanhAct {
  @inline fwd<T>(z: v128, c64: v128): v128 { return tanhV<T>(z); }
  @inline grad<T>(a: v128, dy: v128, c64: v128): v128 {
    return v128.mul<T>(dy, v128.sub<T>(v128.splat<T>(<T>1), v128.mul<T>(a, a)));
  }
}

@final class ReluAct {
  // the mask clears z <= 0 to +0 and keeps NaN, as `z <= 0 ? 0 : z` (NumPy's maximum(z, 0))
  @inline fwd<T>(z: v128, c64: v128): v128 { return v128.andnot(z, v128.le<T>(z, v128.splat<T>(<T>0))); }
  @inline grad<T>(z: v128, dy: v128, c64: v128): v128 {
    return v128.andnot(dy, v128.le<T>(z, v128.splat<T>(<T>0)));
  }
}

@final class LeakyReluAct {
  @inline fwd<T>(z: v128, c64: v128): v128 {
    return v128.bitselect(z, mulByF64<T>(z, c64), v128.gt<T>(z, v128.splat<T>(<T>0)));
  }
  @inline grad<T>(z: v128, dy: v128, c64: v128): v128 {
    return v128.bitselect(dy, mulByF64<T>(dy, c64), v128.gt<T>(z, v128.splat<T>(<T>0)));
  }
}

@final class LinearAct {
  @inline fwd<T>(z: v128, c64: v128): v128 { return z; }
  @inline grad<T>(z: v128, dy: v128, c64: v128): v128 { return dy; }
}

// @ts-ignore: decorator
@inline
function biasActivationRows<T, Op>(z: usize, a: usize, b: usize, rows: i32, cols: i32, p0: f64): void {
  const op = changetype<Op>(0);
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const c64 = f64x2.splat(p0);
  for (let i = 0; i < rows; i++) {
    const bi = v128.splat<T>(load<T>(b + <usize>i * S));
    const zr = z + <usize>i * <usize>cols * S;
    const ar = a + <usize>i * <usize>cols * S;
    let j = 0;
    for (; j + L <= cols; j += L) {
      const o = <usize>j * S;
      const v = v128.add<T>(v128.load(zr + o), bi);
      v128.store(zr + o, v);
      v128.store(ar + o, op.fwd<T>(v, c64));
    }
    for (; j < cols; j++) {
      const o = <usize>j * S;
      const v = v128.add<T>(v128.splat<T>(load<T>(zr + o)), bi);
      store<T>(zr + o, v128.extract_lane<T>(v, 0));
      store<T>(ar + o, v128.extract_lane<T>(op.fwd<T>(v, c64), 0));
    }
  }
}

/** Adds the T lanes of v to an f64x2 accumulator (f32: the low or the high pair of lanes). */
// @ts-ignore: decorator
@inline
function accumulate<T>(acc: v128, v: v128, high: bool): v128 {
  if (sizeof<T>() == 8) return f64x2.add(acc, v);
  return f64x2.add(acc, high ? widenHigh(v) : widenLow(v));
}

/** db[i] = T(sum)·T(scale): the sum rounded to T, then scaled in T (loop.ts's storeScaled). */
// @ts-ignore: decorator
@inline
function storeScaled<T>(db: usize, sum: f64, scale: f64): void {
  store<T>(db, <T>(<T>sum * <T>scale));
}

// @ts-ignore: decorator
@inline
function lanesSum(acc0: v128, acc1: v128): f64 {
  const acc = f64x2.add(acc0, acc1);
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

// @ts-ignore: decorator
@inline
function activationGradRows<T, Op>(
  dz: usize, db: usize, dy: usize, c: usize, rows: i32, cols: i32, scale: f64, p0: f64
): void {
  const op = changetype<Op>(0);
  const S = <usize>sizeof<T>();
  const c64 = f64x2.splat(p0);
  for (let i = 0; i < rows; i++) {
    const r = <usize>i * <usize>cols * S;
    // two f64x2 accumulators: f64 alternates vectors between them, f32 splits each vector's halves
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    let j = 0;
    if (sizeof<T>() == 8) {
      for (; j + 4 <= cols; j += 4) {
        const o = r + <usize>j * S;
        const g0 = op.grad<f64>(v128.load(c + o), v128.load(dy + o), c64);
        const g1 = op.grad<f64>(v128.load(c + o, 16), v128.load(dy + o, 16), c64);
        v128.store(dz + o, g0);
        v128.store(dz + o, g1, 16);
        acc0 = f64x2.add(acc0, g0);
        acc1 = f64x2.add(acc1, g1);
      }
    } else {
      // f32: the gradient in f64 lanes and rounded once, exactly as the loop backend stores it (in
      // f32 lanes 1 - a² would round a² first, and cancellation near |a| = 1 magnifies that)
      for (; j + 4 <= cols; j += 4) {
        const o = r + <usize>j * S;
        const cv = v128.load(c + o);
        const dv = v128.load(dy + o);
        const g = narrow(
          op.grad<f64>(widenLow(cv), widenLow(dv), c64),
          op.grad<f64>(widenHigh(cv), widenHigh(dv), c64),
        );
        v128.store(dz + o, g);
        acc0 = f64x2.add(acc0, widenLow(g));
        acc1 = f64x2.add(acc1, widenHigh(g));
      }
    }
    let sum = lanesSum(acc0, acc1);
    for (; j < cols; j++) {
      const o = r + <usize>j * S;
      const g = op.grad<f64>(f64x2.splat(<f64>load<T>(c + o)), f64x2.splat(<f64>load<T>(dy + o)), c64);
      const v = <T>f64x2.extract_lane(g, 0);
      store<T>(dz + o, v);
      sum += <f64>v;
    }
    storeScaled<T>(db + <usize>i * S, sum, scale);
  }
}

/** z[i, j] += b[i]; a[i, j] = g(z[i, j]) for each activation op (default: linear). */
export function biasActivation<T>(op: i32, z: usize, a: usize, b: usize, rows: i32, cols: i32, p0: f64): void {
  switch (op) {
    case UnaryOp.Sigmoid: biasActivationRows<T, SigmoidAct>(z, a, b, rows, cols, p0); break;
    case UnaryOp.Tanh: biasActivationRows<T, TanhAct>(z, a, b, rows, cols, p0); break;
    case UnaryOp.Relu: biasActivationRows<T, ReluAct>(z, a, b, rows, cols, p0); break;
    case UnaryOp.LeakyRelu: biasActivationRows<T, LeakyReluAct>(z, a, b, rows, cols, p0); break;
    default: biasActivationRows<T, LinearAct>(z, a, b, rows, cols, p0); break;
  }
}

/** dz = dy·g'(c); db[i] = scale·Σ_j dz[i, j], for each activation op (default: linear). */
export function activationGradSum<T>(
  op: i32, dz: usize, db: usize, dy: usize, c: usize, rows: i32, cols: i32, scale: f64, p0: f64
): void {
  switch (op) {
    case UnaryOp.Sigmoid: activationGradRows<T, SigmoidAct>(dz, db, dy, c, rows, cols, scale, p0); break;
    case UnaryOp.Tanh: activationGradRows<T, TanhAct>(dz, db, dy, c, rows, cols, scale, p0); break;
    case UnaryOp.Relu: activationGradRows<T, ReluAct>(dz, db, dy, c, rows, cols, scale, p0); break;
    case UnaryOp.LeakyRelu: activationGradRows<T, LeakyReluAct>(dz, db, dy, c, rows, cols, scale, p0); break;
    default: activationGradRows<T, LinearAct>(dz, db, dy, c, rows, cols, scale, p0); break;
  }
}

/** dz = a - y; db[i] = scale·Σ_j dz[i, j]. */
export function subRowSum<T>(dz: usize, db: usize, a: usize, y: usize, rows: i32, cols: i32, scale: f64): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  for (let i = 0; i < rows; i++) {
    const r = <usize>i * <usize>cols * S;
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    let j = 0;
    for (; j + L <= cols; j += L) {
      const o = r + <usize>j * S;
      const d = v128.sub<T>(v128.load(a + o), v128.load(y + o));
      v128.store(dz + o, d);
      acc0 = accumulate<T>(acc0, d, false);
      if (sizeof<T>() == 4) acc1 = accumulate<T>(acc1, d, true);
    }
    let sum = lanesSum(acc0, acc1);
    for (; j < cols; j++) {
      const o = r + <usize>j * S;
      const d = load<T>(a + o) - load<T>(y + o);
      store<T>(dz + o, d);
      sum += <f64>d;
    }
    storeScaled<T>(db + <usize>i * S, sum, scale);
  }
}

/** y += alpha·x, the product rounded to T (alpha first rounded to T) before the sum; no fma. */
export function axpy<T>(y: usize, x: usize, n: i32, alpha: f64): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const a = v128.splat<T>(<T>alpha);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(y + o, v128.add<T>(v128.load(y + o), v128.mul<T>(a, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    store<T>(y + o, load<T>(y + o) + <T>alpha * load<T>(x + o));
  }
}

/** One f64x2 of loss terms: max(z, 0) - z·y (CrossEntropyLinear, scalar.ts's order) or (a - y)². */
// @ts-ignore: decorator
@inline
function lossTerm(op: i32, a: v128, y: v128): v128 {
  if (op == LossOp.CrossEntropyLinear) {
    return f64x2.sub(v128.and(a, f64x2.gt(a, f64x2.splat(0))), f64x2.mul(a, y));
  }
  if (op == LossOp.Square) return f64x2.mul(a, a);
  if (op == LossOp.SoftmaxLinear) return f64x2.mul(f64x2.neg(a), y);
  const d = f64x2.sub(a, y);
  return f64x2.mul(d, d);
}

// Compensated sums in f64x2 lanes, cheaply: terms go into a plain lane sum `blk` for SUM_BLOCK
// vectors, then the block is added to (s, c) by Neumaier's rule (see CompensatedSum in
// src/backend/scalar.ts), and the lanes and the scalar tail meet in the module-level pair at the end.
// The error is that of a 16-vector plain sum, about 16·2^-53 relative to Σ|terms| (2e-15), for about
// one add per vector, where a Neumaier step per vector cost a quarter of the loss kernels' time.
const SUM_BLOCK = 16;
let sumS: f64 = 0;
let sumC: f64 = 0;

// @ts-ignore: decorator
@inline
function addScalar(v: f64): void {
  const t = sumS + v;
  sumC += Math.abs(sumS) >= Math.abs(v) ? sumS - t + v : v - t + sumS;
  sumS = t;
}

/** Starts the module-level compensated sum (for kernels that add scalars one by one). */
export function compensatedReset(): void {
  sumS = 0;
  sumC = 0;
}

/** Adds one term to the module-level compensated sum. */
export function compensatedAdd(v: f64): void {
  addScalar(v);
}

/** The module-level compensated sum's value. */
export function compensatedValue(): f64 {
  return isFinite(sumS) ? sumS + sumC : sumS;
}

/** The compensation Neumaier adds after t = s + v, per lane: the part of s or v that t lost. */
// @ts-ignore: decorator
@inline
function lostPart(s: v128, v: v128, t: v128): v128 {
  const big = f64x2.ge(f64x2.abs(s), f64x2.abs(v));
  return v128.bitselect(f64x2.add(f64x2.sub(s, t), v), f64x2.add(f64x2.sub(v, t), s), big);
}

/** The sum's value: the lanes (s, c) and the block blk folded into the scalar pair. */
// @ts-ignore: decorator
@inline
function finish(s: v128, c: v128, blk: v128): f64 {
  sumC += f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1);
  addScalar(f64x2.extract_lane(s, 0));
  addScalar(f64x2.extract_lane(s, 1));
  addScalar(f64x2.extract_lane(blk, 0));
  addScalar(f64x2.extract_lane(blk, 1));
  return compensatedValue();
}

// @ts-ignore: decorator
@inline
function lossRun<T>(op: i32, a: usize, y: usize, n: i32): f64 {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  let s = f64x2.splat(0);
  let c = f64x2.splat(0);
  let blk = f64x2.splat(0);
  let cnt = 0;
  sumS = 0;
  sumC = 0;
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const av = v128.load(a + o);
    const yv = v128.load(y + o);
    if (sizeof<T>() == 8) {
      blk = f64x2.add(blk, lossTerm(op, av, yv));
    } else {
      // f32: each half widened, the terms computed in f64
      blk = f64x2.add(blk, lossTerm(op, widenLow(av), widenLow(yv)));
      blk = f64x2.add(blk, lossTerm(op, widenHigh(av), widenHigh(yv)));
    }
    if (++cnt == SUM_BLOCK) {
      const u = f64x2.add(s, blk);
      c = f64x2.add(c, lostPart(s, blk, u));
      s = u;
      blk = f64x2.splat(0);
      cnt = 0;
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const v = lossTerm(op, f64x2.splat(<f64>load<T>(a + o)), f64x2.splat(<f64>load<T>(y + o)));
    addScalar(f64x2.extract_lane(v, 0));
  }
  return finish(s, c, blk);
}

/** Σ_i loss(a[i], y[i]) in f64 (LossOp; default squared error), compensated. */
export function loss<T>(op: i32, a: usize, y: usize, n: i32): f64 {
  if (op == LossOp.CrossEntropyLinear) return lossRun<T>(LossOp.CrossEntropyLinear, a, y, n);
  if (op == LossOp.Square) return lossRun<T>(LossOp.Square, a, a, n);
  if (op == LossOp.SoftmaxLinear) return lossRun<T>(LossOp.SoftmaxLinear, a, y, n);
  return lossRun<T>(LossOp.SquaredError, a, y, n);
}

/** σ(v) from e = e^-|v|: 1/(1 + e) for v >= 0, else e/(1 + e), as math/sigmoid.ts's sigmoidV. */
// @ts-ignore: decorator
@inline
function sigmoidFromE<T>(v: v128, e: v128): v128 {
  const one = v128.splat<T>(<T>1);
  return v128.div<T>(v128.bitselect(one, e, v128.ge<T>(v, v128.splat<T>(<T>0))), v128.add<T>(one, e));
}

/**
 * z[i, j] += b[i], a = σ(z), t = log1p(e^-|z|), and returns Σ t (compensated, f64): the cross-entropy's
 * transcendental part from the e^-|z| that σ needs anyway. Everything in T lanes (f32 blocks: f32 exp
 * and log1p, four lanes, the terms then summed in f64), so σ is biasActivation's sigmoid bit for bit.
 * Two passes: the first stores e^-|z| in t, the second turns t into log1p(t) and sums it; each loop
 * body then fits V8's registers and the out-of-order window, where one fused body (exp, two
 * divisions, log1p) ran about 20% slower, bound by its dependency chain.
 */
export function sigmoidOutput<T>(z: usize, a: usize, t: usize, b: usize, rows: i32, cols: i32): f64 {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  for (let i = 0; i < rows; i++) {
    const r = <usize>i * <usize>cols * S;
    const bi = v128.splat<T>(load<T>(b + <usize>i * S));
    let j = 0;
    for (; j + L <= cols; j += L) {
      const o = r + <usize>j * S;
      const v = v128.add<T>(v128.load(z + o), bi);
      v128.store(z + o, v);
      const e = expV<T>(v128.neg<T>(v128.abs<T>(v)));
      v128.store(a + o, sigmoidFromE<T>(v, e));
      v128.store(t + o, e);
    }
    for (; j < cols; j++) {
      const o = r + <usize>j * S;
      const v = v128.add<T>(v128.splat<T>(load<T>(z + o)), bi);
      store<T>(z + o, v128.extract_lane<T>(v, 0));
      const e = expV<T>(v128.neg<T>(v128.abs<T>(v)));
      store<T>(a + o, v128.extract_lane<T>(sigmoidFromE<T>(v, e), 0));
      store<T>(t + o, v128.extract_lane<T>(e, 0));
    }
  }
  let s = f64x2.splat(0);
  let c = f64x2.splat(0);
  let blk = f64x2.splat(0);
  let cnt = 0;
  sumS = 0;
  sumC = 0;
  const n = rows * cols;
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    if (sizeof<T>() == 8) {
      const l = log1pF64x2(v128.load(t + o));
      v128.store(t + o, l);
      blk = f64x2.add(blk, l);
    } else {
      const l = log1pF32x4(v128.load(t + o));
      v128.store(t + o, l);
      blk = f64x2.add(blk, f64x2.add(widenLow(l), widenHigh(l)));
    }
    if (++cnt == SUM_BLOCK) {
      const u = f64x2.add(s, blk);
      c = f64x2.add(c, lostPart(s, blk, u));
      s = u;
      blk = f64x2.splat(0);
      cnt = 0;
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const e = v128.splat<T>(load<T>(t + o));
    const l = v128.extract_lane<T>(sizeof<T>() == 8 ? log1pF64x2(e) : log1pF32x4(e), 0);
    store<T>(t + o, l);
    addScalar(<f64>l);
  }
  return finish(s, c, blk);
}
