// The one list of op codes, imported both by the AssemblyScript kernels (assembly/) and by the
// TypeScript backends (src/backend/ops.ts re-exports it): plain enums valid in both languages.

/** Element-wise binary ops: out = a OP b, with NumPy broadcasting resolved by the caller. */
export enum BinaryOp {
  Add = 0,
  Sub = 1,
  Mul = 2,
  Div = 3,
  Pow = 4,
  Maximum = 5,
  Minimum = 6,
  Gt = 7,
  Ge = 8,
  Lt = 9,
  Le = 10,
  Eq = 11,
}

/** Element-wise unary ops: out = f(x; p0, p1). p0 is the leaky-ReLU slope or clip's low bound, p1 clip's high bound. */
export enum UnaryOp {
  Neg = 0,
  Abs = 1,
  Exp = 2,
  Log = 3,
  Sqrt = 4,
  Square = 5,
  Tanh = 6,
  Sigmoid = 7,
  Relu = 8,
  LeakyRelu = 9,
  Linear = 10,
  Clip = 11,
}

/** Reductions over the middle axis of an (outer, len, inner) view. Arg* write the index as a float. */
export enum ReduceOp {
  Sum = 0,
  Max = 1,
  Min = 2,
  ArgMax = 3,
  ArgMin = 4,
}

/**
 * Per-element terms that the `loss` kernel sums (in f64). The binary cross-entropy of sigmoid(z)
 * against y, from the logit z, is max(z, 0) - z·y + log1p(e^-|z|): CrossEntropyLinear is its first
 * part, max(z, 0) - z·y, and the sigmoid output kernel sums the second (it has e^-|z| at hand).
 * SquaredError: (a - y)². Square: a² (y unread: the L2 penalty's Σ W²). SoftmaxLinear: -z·y, the
 * label part of the categorical cross-entropy from the logits (the softmax output kernel sums the
 * other part, each column's log Σ e^z).
 */
export enum LossOp {
  CrossEntropyLinear = 0,
  SquaredError = 1,
  Square = 2,
  SoftmaxLinear = 3,
}

/**
 * The update rules of `optimizer_step` (each product, quotient and sum rounded to the dtype, in the
 * order NumPy evaluates the course's expressions): Momentum v = β1·v + (1-β1)·g, w = w - lr·v;
 * RMSprop s = β2·s + (1-β2)·g², w = w - (lr·g) / (√s + ε); Adam both moments, then
 * w = w - (lr·(v/c1)) / (√(s/c2) + ε) with the bias corrections c1 = 1-β1^t, c2 = 1-β2^t.
 */
export enum OptimizerOp {
  Momentum = 0,
  RMSprop = 1,
  Adam = 2,
}
