import type { TypedArray } from '../../core/index.js';
import { UnaryOp } from '../ops.js';
import { sigmoid } from '../scalar.js';
import { copyRun } from './copy.js';

// Element-wise activations and their gradients, one loop per op. The formulas are copied from
// scalar.ts (`unaryFn`, `unaryGradFn`) with the same operation order, so results equal the loop
// backend bit for bit; sigmoid is called rather than copied (TurboFan inlines it) so its overflow-safe
// branch cannot drift. `out` may alias the input being read at the same index: each element is read
// before it is written.

/** o[oo+i] = f(x[xo+i]; p0, p1) for i < n. */
export function unaryKernel(
  op: UnaryOp,
  n: number,
  o: TypedArray,
  oo: number,
  x: TypedArray,
  xo: number,
  p0: number,
  p1: number,
): void {
  switch (op) {
    case UnaryOp.Neg:
      for (let i = 0; i < n; i++) o[oo + i] = -x[xo + i];
      return;
    case UnaryOp.Abs:
      for (let i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]);
      return;
    case UnaryOp.Exp:
      for (let i = 0; i < n; i++) o[oo + i] = Math.exp(x[xo + i]);
      return;
    case UnaryOp.Log:
      for (let i = 0; i < n; i++) o[oo + i] = Math.log(x[xo + i]);
      return;
    case UnaryOp.Sqrt:
      for (let i = 0; i < n; i++) o[oo + i] = Math.sqrt(x[xo + i]);
      return;
    case UnaryOp.Square:
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        o[oo + i] = v * v;
      }
      return;
    case UnaryOp.Tanh:
      for (let i = 0; i < n; i++) o[oo + i] = Math.tanh(x[xo + i]);
      return;
    case UnaryOp.Sigmoid:
      for (let i = 0; i < n; i++) o[oo + i] = sigmoid(x[xo + i]);
      return;
    case UnaryOp.Relu:
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        o[oo + i] = v <= 0 ? 0 : v;
      }
      return;
    case UnaryOp.LeakyRelu:
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        o[oo + i] = v > 0 ? v : p0 * v;
      }
      return;
    case UnaryOp.Linear:
      copyRun(n, o, oo, x, xo);
      return;
    case UnaryOp.Clip:
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        o[oo + i] = v < p0 ? p0 : v > p1 ? p1 : v;
      }
      return;
  }
}

/**
 * o[oo+i] = dy[dyo+i] * f'(x[xo+i]; p0, p1) for i < n, in one pass (no temporary for f'). Kinks take
 * the course's derivative, as in scalar.ts: relu'(0) = 0, leaky'(0) = slope, clip' = 0 outside (lo, hi).
 */
export function unaryGradKernel(
  op: UnaryOp,
  n: number,
  o: TypedArray,
  oo: number,
  x: TypedArray,
  xo: number,
  dy: TypedArray,
  dyo: number,
  p0: number,
  p1: number,
): void {
  switch (op) {
    case UnaryOp.Neg:
      for (let i = 0; i < n; i++) o[oo + i] = -dy[dyo + i];
      return;
    case UnaryOp.Abs:
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        const d = dy[dyo + i];
        o[oo + i] = v > 0 ? d : v < 0 ? -d : 0;
      }
      return;
    case UnaryOp.Exp:
      for (let i = 0; i < n; i++) o[oo + i] = dy[dyo + i] * Math.exp(x[xo + i]);
      return;
    case UnaryOp.Log:
      for (let i = 0; i < n; i++) o[oo + i] = dy[dyo + i] / x[xo + i];
      return;
    case UnaryOp.Sqrt:
      for (let i = 0; i < n; i++) o[oo + i] = dy[dyo + i] / (2 * Math.sqrt(x[xo + i]));
      return;
    case UnaryOp.Square:
      for (let i = 0; i < n; i++) o[oo + i] = dy[dyo + i] * 2 * x[xo + i];
      return;
    case UnaryOp.Tanh:
      for (let i = 0; i < n; i++) {
        const t = Math.tanh(x[xo + i]);
        o[oo + i] = dy[dyo + i] * (1 - t * t);
      }
      return;
    case UnaryOp.Sigmoid:
      for (let i = 0; i < n; i++) {
        const s = sigmoid(x[xo + i]);
        o[oo + i] = dy[dyo + i] * s * (1 - s);
      }
      return;
    case UnaryOp.Relu:
      for (let i = 0; i < n; i++) o[oo + i] = x[xo + i] <= 0 ? 0 : dy[dyo + i];
      return;
    case UnaryOp.LeakyRelu:
      for (let i = 0; i < n; i++) {
        const d = dy[dyo + i];
        o[oo + i] = x[xo + i] > 0 ? d : d * p0;
      }
      return;
    case UnaryOp.Linear:
      copyRun(n, o, oo, dy, dyo);
      return;
    case UnaryOp.Clip:
      for (let i = 0; i < n; i++) {
        const v = x[xo + i];
        o[oo + i] = v > p0 && v < p1 ? dy[dyo + i] : 0;
      }
      return;
  }
}
