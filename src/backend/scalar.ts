import { BinaryOp, UnaryOp } from './ops.js';

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
    case UnaryOp.Relu:
      return (x) => (x > 0 ? x : 0);
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
    case UnaryOp.Relu:
      return (x, dy) => (x > 0 ? dy : 0);
    case UnaryOp.LeakyRelu:
      return (x, dy, slope) => (x > 0 ? dy : dy * slope);
    case UnaryOp.Linear:
      return (_x, dy) => dy;
    case UnaryOp.Clip:
      return (x, dy, lo, hi) => (x > lo && x < hi ? dy : 0);
  }
}
