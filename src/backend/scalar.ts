import type { TypedArray } from '../core/index.js';
import type { ActivationOp } from './backend.js';
import { BinaryOp, LossOp, OptimizerOp, UnaryOp } from './ops.js';

// The element-wise maths, once, as scalar functions. `loop` calls them per element; `vectorized`
// inlines them into one loop per op, so the two agree bit for bit.

/** sigmoid without overflow: exp is only taken of a non-positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function binaryFn(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case BinaryOp.Add:
      return (a, b) => a + b;
    case BinaryOp.Sub:
      return (a, b) => a - b;
    case BinaryOp.Mul:
      return (a, b) => a * b;
    case BinaryOp.Div:
      return (a, b) => a / b;
    case BinaryOp.Pow:
      return (a, b) => a ** b;
    // NumPy's maximum/minimum propagate NaN, unlike a bare comparison
    case BinaryOp.Maximum:
      return (a, b) => (a > b || Number.isNaN(a) ? a : b);
    case BinaryOp.Minimum:
      return (a, b) => (a < b || Number.isNaN(a) ? a : b);
    case BinaryOp.Gt:
      return (a, b) => (a > b ? 1 : 0);
    case BinaryOp.Ge:
      return (a, b) => (a >= b ? 1 : 0);
    case BinaryOp.Lt:
      return (a, b) => (a < b ? 1 : 0);
    case BinaryOp.Le:
      return (a, b) => (a <= b ? 1 : 0);
    case BinaryOp.Eq:
      return (a, b) => (a === b ? 1 : 0);
  }
}

export function unaryFn(op: UnaryOp): (x: number, p0: number, p1: number) => number {
  switch (op) {
    case UnaryOp.Neg:
      return (x) => -x;
    case UnaryOp.Abs:
      return (x) => Math.abs(x);
    case UnaryOp.Exp:
      return (x) => Math.exp(x);
    case UnaryOp.Log:
      return (x) => Math.log(x);
    case UnaryOp.Sqrt:
      return (x) => Math.sqrt(x);
    case UnaryOp.Square:
      return (x) => x * x;
    case UnaryOp.Tanh:
      return (x) => Math.tanh(x);
    case UnaryOp.Sigmoid:
      return sigmoid;
    // NumPy's maximum(x, 0), the course's relu: NaN stays NaN, and -0 becomes +0
    case UnaryOp.Relu:
      return (x) => (x <= 0 ? 0 : x);
    case UnaryOp.LeakyRelu:
      return (x, slope) => (x > 0 ? x : slope * x);
    case UnaryOp.Linear:
      return (x) => x;
    case UnaryOp.Clip:
      return (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);
  }
}

/**
 * dy * f'(x). At a kink the derivative taken is the course's: relu'(0) = 0, leaky'(0) = slope,
 * clip' = 0 outside the open interval (lo, hi), abs'(0) = 0.
 */
export function unaryGradFn(op: UnaryOp): (x: number, dy: number, p0: number, p1: number) => number {
  switch (op) {
    case UnaryOp.Neg:
      return (_x, dy) => -dy;
    case UnaryOp.Abs:
      return (x, dy) => (x > 0 ? dy : x < 0 ? -dy : 0);
    case UnaryOp.Exp:
      return (x, dy) => dy * Math.exp(x);
    case UnaryOp.Log:
      return (x, dy) => dy / x;
    case UnaryOp.Sqrt:
      return (x, dy) => dy / (2 * Math.sqrt(x));
    case UnaryOp.Square:
      return (x, dy) => dy * 2 * x;
    case UnaryOp.Tanh:
      return (x, dy) => {
        const t = Math.tanh(x);
        return dy * (1 - t * t);
      };
    case UnaryOp.Sigmoid:
      return (x, dy) => {
        const s = sigmoid(x);
        return dy * s * (1 - s);
      };
    // the course's relu_backward: dZ = dA, then dZ[Z <= 0] = 0 (so a NaN z passes dy on)
    case UnaryOp.Relu:
      return (x, dy) => (x <= 0 ? 0 : dy);
    case UnaryOp.LeakyRelu:
      return (x, dy, slope) => (x > 0 ? dy : dy * slope);
    case UnaryOp.Linear:
      return (_x, dy) => dy;
    case UnaryOp.Clip:
      return (x, dy, lo, hi) => (x > lo && x < hi ? dy : 0);
  }
}

/**
 * dy · g'(z) for an activation, written in terms of the forward cache `c` that gives it exactly: the
 * output a = g(z) for sigmoid, a(1 - a), and tanh, 1 - a², which are the course's own formulas (its
 * NumPy computes `dA * (1 - np.power(A, 2))`) and cost no second exp; the input z for relu, leakyRelu
 * and linear, whose derivative needs the sign of z (a leaky slope may be 0 or negative). With c = g(z)
 * from `unaryFn`, the results equal `unaryGradFn`'s bit for bit.
 */
export function activationGradFn(op: ActivationOp): (c: number, dy: number, p0: number) => number {
  switch (op) {
    case UnaryOp.Sigmoid:
      return (a, dy) => dy * a * (1 - a);
    case UnaryOp.Tanh:
      return (a, dy) => dy * (1 - a * a);
    case UnaryOp.Relu:
      return (z, dy) => (z <= 0 ? 0 : dy);
    case UnaryOp.LeakyRelu:
      return (z, dy, slope) => (z > 0 ? dy : dy * slope);
    case UnaryOp.Linear:
      return (_z, dy) => dy;
  }
}

/** Whether `activationGradFn(op)` reads the activation's output A (else its input Z). */
export function gradReadsOutput(op: ActivationOp): boolean {
  return op === UnaryOp.Sigmoid || op === UnaryOp.Tanh;
}

/**
 * The cross-entropy of sigmoid(z) against y from the logit z, -(y log σ(z) + (1-y) log(1 - σ(z))), is
 * max(z, 0) - z·y + log1p(e^-|z|): finite for every z, exp only ever sees -|z|, and log1p keeps the
 * last term accurate where e^-|z| is tiny (a confident prediction; log(1 + e) would round it to 0).
 * Both parts are non-negative for y in [0, 1], so they can be summed apart without cancellation:
 * this is the second, summed where e^-|z| is computed anyway (Backend.sigmoidOutput); the first is
 * LossOp.CrossEntropyLinear.
 */
export function logisticTail(z: number): number {
  return Math.log1p(Math.exp(-Math.abs(z)));
}

/** One term of a loss (LossOp): max(z, 0) - z·y (see logisticTail), (a - y)², a², or -z·y. */
export function lossFn(op: LossOp): (a: number, y: number) => number {
  switch (op) {
    case LossOp.CrossEntropyLinear:
      return (z, y) => (z > 0 ? z : 0) - z * y;
    case LossOp.SquaredError:
      return (a, y) => {
        const d = a - y;
        return d * d;
      };
    case LossOp.Square:
      return (a) => a * a;
    case LossOp.SoftmaxLinear:
      return (z, y) => -z * y;
  }
}

/**
 * Neumaier's compensated sum: s + c carries the rounding error of every addition, so the result is
 * the exactly rounded sum for all but pathological inputs, independent of the order of the terms.
 * An infinite or NaN sum is returned as is (its compensation would be NaN).
 */
export class CompensatedSum {
  s = 0;
  c = 0;

  /** Starts a new sum (the kernels keep one instance each, so a call allocates nothing). */
  reset(): this {
    this.s = 0;
    this.c = 0;
    return this;
  }

  add(v: number): void {
    const t = this.s + v;
    this.c += Math.abs(this.s) >= Math.abs(v) ? this.s - t + v : v - t + this.s;
    this.s = t;
  }

  get value(): number {
    return Number.isFinite(this.s) ? this.s + this.c : this.s;
  }
}

/**
 * Z[i, j] += b[i], then A's column j = the softmax of Z's column j (max subtracted; e^(z - max) and
 * the column's sum in f64); returns Σ_j log Σ_i e^Z[i, j] into `sum`. Shared by the JavaScript
 * backends (the layer has few rows: a small share of an iteration), the wasm kernel's formula.
 */
export function softmaxColumns(
  rows: number,
  cols: number,
  z: TypedArray,
  zo: number,
  a: TypedArray,
  ao: number,
  b: TypedArray,
  bo: number,
  sum: CompensatedSum,
): number {
  sum.reset();
  for (let j = 0; j < cols; j++) {
    let top = -Infinity;
    for (let i = 0; i < rows; i++) {
      const k = zo + i * cols + j;
      z[k] = z[k] + b[bo + i];
      if (z[k] > top) top = z[k];
    }
    let total = 0;
    for (let i = 0; i < rows; i++) total += Math.exp(z[zo + i * cols + j] - top);
    for (let i = 0; i < rows; i++) a[ao + i * cols + j] = Math.exp(z[zo + i * cols + j] - top) / total;
    sum.add(top + Math.log(total));
  }
  return sum.value;
}

/** Backend.gatherColumns for the JavaScript backends: the batch blocks, rows outermost. */
export function gatherColumnsKernel(
  out: TypedArray,
  outOff: number,
  x: TypedArray,
  xOff: number,
  idx: TypedArray,
  idxOff: number,
  rows: number,
  ld: number,
  count: number,
  size: number,
): void {
  for (let i = 0; i < rows; i++) {
    const row = xOff + i * ld;
    for (let first = 0; first < count; first += size) {
      const width = Math.min(size, count - first);
      const o = outOff + first * rows + i * width;
      const ix = idxOff + first;
      for (let c = 0; c < width; c++) out[o + c] = x[row + idx[ix + c]];
    }
  }
}

/**
 * Backend.optimizerStep for the JavaScript backends: every operation rounded to the dtype (float32
 * products, quotients, sums and square roots are exact when computed in float64 and rounded once),
 * in the order of NumPy's expressions, so it equals the wasm kernel bit for bit.
 */
export function optimizerStepKernel(
  op: OptimizerOp,
  ws: TypedArray,
  wOff: number,
  gs: TypedArray,
  gOff: number,
  vs: TypedArray,
  vOff: number,
  ss: TypedArray,
  sOff: number,
  n: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  c1: number,
  c2: number,
): void {
  // every operation rounds to the dtype, as NumPy's float32 arrays with Python scalars do
  const r = ws instanceof Float32Array ? Math.fround : (x: number) => x;
  const LR = r(lr);
  const B1 = r(beta1);
  const OB1 = r(1 - beta1);
  const B2 = r(beta2);
  const OB2 = r(1 - beta2);
  const E = r(eps);
  const C1 = r(c1);
  const C2 = r(c2);
  for (let i = 0; i < n; i++) {
    const gi = gs[gOff + i];
    let vi = 0;
    let si = 0;
    if (op !== OptimizerOp.RMSprop) {
      vi = r(r(B1 * vs[vOff + i]) + r(OB1 * gi));
      vs[vOff + i] = vi;
    }
    if (op !== OptimizerOp.Momentum) {
      si = r(r(B2 * ss[sOff + i]) + r(OB2 * r(gi * gi)));
      ss[sOff + i] = si;
    }
    let step: number;
    if (op === OptimizerOp.Momentum) step = r(LR * vi);
    else if (op === OptimizerOp.RMSprop) step = r(r(LR * gi) / r(r(Math.sqrt(si)) + E));
    else step = r(r(LR * r(vi / C1)) / r(r(Math.sqrt(r(si / C2))) + E));
    ws[wOff + i] = r(ws[wOff + i] - step);
  }
}
