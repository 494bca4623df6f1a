// Unary ops out = f(x; p0, p1) and their fused gradients out = dy · f'(x; p0, p1), each defined
// exactly as src/backend/scalar.ts (the oracle): kinks relu'(0) = 0, leaky'(0) = slope, abs'(0) = 0,
// clip' = 0 outside the open interval (lo, hi); sigmoid never takes exp of a positive number.
//
// Layout: x, dy and out are contiguous runs of n elements of T (f32 or f64) at byte addresses;
// any alignment works (16 is fastest). out may alias x or dy exactly (each vector is read before it
// is written); partial overlap is undefined. Each op is one vector loop plus a scalar tail that runs
// the same vector code on lane 0, so an element's result never depends on its position.

import { UnaryOp } from './ops';
import { expF64x2, expV } from './math/exp';
import { logV } from './math/log';
import { tanhV } from './math/tanh';
import { sigmoidV, tanhGradFactorV } from './math/sigmoid';
import { mulByF64, narrow, roundDown, roundUp, widenHigh, widenLow } from './math/lanes';

// One @final class per op, forward beside backward. The loops below are generic over the class and
// call its methods on a null instance (changetype<Op>(0)): the methods never touch `this`, and this
// makes the compiler emit one fully specialised loop per op and dtype (an op code tested inside the
// loop would cost a branch chain per vector). Constants: c64 is p0 as an f64x2 splat (the leaky
// slope); lo/hi are p0/p1 as T, rounded to nearest for clip's forward and outwards for its gradient.

@final class NegOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 { return v128.neg<T>(v); }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 { return v128.neg<T>(dy); }
}

@final class AbsOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 { return v128.abs<T>(v); }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 {
    const zero = v128.splat<T>(<T>0);
    return v128.bitselect(dy, v128.and(v128.neg<T>(dy), v128.lt<T>(x, zero)), v128.gt<T>(x, zero));
  }
}

@final class ExpOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 { return expV<T>(v); }
  // f32 works in f64, as JS does: exp(x) would overflow (x > 88.7) or flush to a subnormal before
  // a small or large dy scales it back into range
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 {
    if (sizeof<T>() == 8) return v128.mul<T>(dy, expV<T>(x));
    const l = f64x2.mul(widenLow(dy), expF64x2(widenLow(x)));
    const h = f64x2.mul(widenHigh(dy), expF64x2(widenHigh(x)));
    return narrow(l, h);
  }
}

@final class LogOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 { return logV<T>(v); }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 { return v128.div<T>(dy, x); }
}

@final class SqrtOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 { return v128.sqrt<T>(v); }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 {
    return v128.div<T>(dy, v128.mul<T>(v128.splat<T>(<T>2), v128.sqrt<T>(x)));
  }
}

@final class SquareOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 { return v128.mul<T>(v, v); }
  // (dy·2)·x, in scalar.ts's order: dy·2 is exact, so one rounding, as in JS
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 {
    return v128.mul<T>(v128.mul<T>(dy, v128.splat<T>(<T>2)), x);
  }
}

@final class TanhOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 { return tanhV<T>(v); }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 {
    return v128.mul<T>(dy, tanhGradFactorV<T>(x));
  }
}

@final class SigmoidOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 { return sigmoidV<T>(v); }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 {
    // the course's sigmoid_backward, dA·s·(1 - s), in the loop backend's order: near saturation
    // (|x| > 36) 1 - s is rounding, and NumPy's numbers are the ones the course prints
    const s = sigmoidV<T>(x);
    return v128.mul<T>(v128.mul<T>(dy, s), v128.sub<T>(v128.splat<T>(<T>1), s));
  }
}

@final class ReluOp {
  // the mask clears x <= 0 to +0 and keeps NaN, as `x <= 0 ? 0 : x` (NumPy's maximum(x, 0))
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 {
    return v128.andnot(v, v128.le<T>(v, v128.splat<T>(<T>0)));
  }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 {
    return v128.andnot(dy, v128.le<T>(x, v128.splat<T>(<T>0)));
  }
}

@final class LeakyReluOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 {
    return v128.bitselect(v, mulByF64<T>(v, c64), v128.gt<T>(v, v128.splat<T>(<T>0)));
  }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 {
    return v128.bitselect(dy, mulByF64<T>(dy, c64), v128.gt<T>(x, v128.splat<T>(<T>0)));
  }
}

@final class LinearOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 { return v; }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 { return dy; }
}

@final class ClipOp {
  @inline fwd<T>(v: v128, c64: v128, lo: v128, hi: v128): v128 {
    return v128.bitselect(lo, v128.bitselect(hi, v, v128.gt<T>(v, hi)), v128.lt<T>(v, lo));
  }
  @inline grad<T>(x: v128, dy: v128, c64: v128, lo: v128, hi: v128): v128 {
    return v128.and(dy, v128.and(v128.gt<T>(x, lo), v128.lt<T>(x, hi)));
  }
}

// @ts-ignore: decorator
@inline
function mapUnary<T, Op>(out: usize, x: usize, n: i32, p0: f64, p1: f64): void {
  const op = changetype<Op>(0);
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const c64 = f64x2.splat(p0);
  const lo = v128.splat<T>(<T>p0);
  const hi = v128.splat<T>(<T>p1);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(out + o, op.fwd<T>(v128.load(x + o), c64, lo, hi));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const r = op.fwd<T>(v128.splat<T>(load<T>(x + o)), c64, lo, hi);
    store<T>(out + o, v128.extract_lane<T>(r, 0));
  }
}

// @ts-ignore: decorator
@inline
function mapUnaryGrad<T, Op>(out: usize, x: usize, dy: usize, n: i32, p0: f64, p1: f64): void {
  const op = changetype<Op>(0);
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const c64 = f64x2.splat(p0);
  const lo = v128.splat<T>(roundDown<T>(p0));
  const hi = v128.splat<T>(roundUp<T>(p1));
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(out + o, op.grad<T>(v128.load(x + o), v128.load(dy + o), c64, lo, hi));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const r = op.grad<T>(v128.splat<T>(load<T>(x + o)), v128.splat<T>(load<T>(dy + o)), c64, lo, hi);
    store<T>(out + o, v128.extract_lane<T>(r, 0));
  }
}

/** out[i] = f(x[i]; p0, p1) for i < n; one specialised loop per op. */
export function unary<T>(op: i32, out: usize, x: usize, n: i32, p0: f64, p1: f64): void {
  switch (op) {
    case UnaryOp.Neg: mapUnary<T, NegOp>(out, x, n, p0, p1); break;
    case UnaryOp.Abs: mapUnary<T, AbsOp>(out, x, n, p0, p1); break;
    case UnaryOp.Exp: mapUnary<T, ExpOp>(out, x, n, p0, p1); break;
    case UnaryOp.Log: mapUnary<T, LogOp>(out, x, n, p0, p1); break;
    case UnaryOp.Sqrt: mapUnary<T, SqrtOp>(out, x, n, p0, p1); break;
    case UnaryOp.Square: mapUnary<T, SquareOp>(out, x, n, p0, p1); break;
    case UnaryOp.Tanh: mapUnary<T, TanhOp>(out, x, n, p0, p1); break;
    case UnaryOp.Sigmoid: mapUnary<T, SigmoidOp>(out, x, n, p0, p1); break;
    case UnaryOp.Relu: mapUnary<T, ReluOp>(out, x, n, p0, p1); break;
    case UnaryOp.LeakyRelu: mapUnary<T, LeakyReluOp>(out, x, n, p0, p1); break;
    case UnaryOp.Clip: mapUnary<T, ClipOp>(out, x, n, p0, p1); break;
    default: mapUnary<T, LinearOp>(out, x, n, p0, p1); break;
  }
}

/** out[i] = dy[i] · f'(x[i]; p0, p1) for i < n, in one pass. */
export function unaryGrad<T>(op: i32, out: usize, x: usize, dy: usize, n: i32, p0: f64, p1: f64): void {
  switch (op) {
    case UnaryOp.Neg: mapUnaryGrad<T, NegOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.Abs: mapUnaryGrad<T, AbsOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.Exp: mapUnaryGrad<T, ExpOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.Log: mapUnaryGrad<T, LogOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.Sqrt: mapUnaryGrad<T, SqrtOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.Square: mapUnaryGrad<T, SquareOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.Tanh: mapUnaryGrad<T, TanhOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.Sigmoid: mapUnaryGrad<T, SigmoidOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.Relu: mapUnaryGrad<T, ReluOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.LeakyRelu: mapUnaryGrad<T, LeakyReluOp>(out, x, dy, n, p0, p1); break;
    case UnaryOp.Clip: mapUnaryGrad<T, ClipOp>(out, x, dy, n, p0, p1); break;
    default: mapUnaryGrad<T, LinearOp>(out, x, dy, n, p0, p1); break;
  }
}
