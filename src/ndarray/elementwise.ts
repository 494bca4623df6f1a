import { type Backend, BinaryOp, UnaryOp } from '../backend/index.js';
import {
  broadcastShapes,
  broadcastStrides,
  collapseDims,
  type DType,
  formatShape,
  ShapeError,
  shapesEqual,
} from '../core/index.js';
import { contiguous } from './manipulate.js';
import { type ArrayLike, NDArray } from './ndarray.js';
import { checkArray, checkNumberArg, checkOut, commonEngine, deliver, outputFor } from './operands.js';
import { untracked } from './scope.js';

const binaryNames: Record<BinaryOp, string> = {
  [BinaryOp.Add]: 'add',
  [BinaryOp.Sub]: 'sub',
  [BinaryOp.Mul]: 'mul',
  [BinaryOp.Div]: 'div',
  [BinaryOp.Pow]: 'pow',
  [BinaryOp.Maximum]: 'maximum',
  [BinaryOp.Minimum]: 'minimum',
  [BinaryOp.Gt]: 'gt',
  [BinaryOp.Ge]: 'ge',
  [BinaryOp.Lt]: 'lt',
  [BinaryOp.Le]: 'le',
  [BinaryOp.Eq]: 'eq',
};

/**
 * a OP b with NumPy broadcasting, into a new array or into `out`. `out` may be one of the operands or
 * overlap them in any way (a transposed view of itself, a shifted slice): the result is NumPy's, as if
 * the operands were read before anything is written. A number operand is a scalar of the other's dtype.
 */
export function binary(op: BinaryOp, a: ArrayLike, b: ArrayLike, out?: NDArray): NDArray {
  const name = binaryNames[op];
  const { engine, first } = commonEngine(name, [a, b]);
  const A = typeof a === 'number' ? scalarSlot(engine, first.dtype, 0, a) : a;
  const B = typeof b === 'number' ? scalarSlot(engine, first.dtype, 1, b) : b;
  const shape = broadcastShapes(name, A.shape, B.shape);
  if (out) checkOut(name, out, shape, first);
  const result = outputFor(out, shape, first.dtype, engine, [A, B]);
  const c = collapseDims(shape, [
    broadcastStrides(A.shape, A.strides, shape),
    broadcastStrides(B.shape, B.strides, shape),
  ]);
  engine.binary(
    op,
    result.storage.buffer,
    result.offset,
    A.storage.buffer,
    A.offset,
    c.strides[0],
    B.storage.buffer,
    B.offset,
    c.strides[1],
    c.shape,
  );
  return deliver(out, result);
}

// One persistent 0-d array per backend, dtype and operand position holds a scalar operand, so
// `x.mul(2)` inside a training iteration allocates nothing.
const scalarSlots = new WeakMap<Backend, NDArray[]>();

function scalarSlot(engine: Backend, dtype: DType, position: 0 | 1, value: number): NDArray {
  let slots = scalarSlots.get(engine);
  if (!slots) scalarSlots.set(engine, (slots = []));
  const key = (dtype === 'float32' ? 2 : 0) + position;
  let slot = slots[key];
  if (!slot) {
    slot = untracked(() => NDArray.alloc([], dtype, engine));
    slots[key] = slot;
  }
  engine.fill(slot.storage.buffer, 0, 1, value);
  return slot;
}

const unaryNames: Record<UnaryOp, string> = {
  [UnaryOp.Neg]: 'neg',
  [UnaryOp.Abs]: 'abs',
  [UnaryOp.Exp]: 'exp',
  [UnaryOp.Log]: 'log',
  [UnaryOp.Sqrt]: 'sqrt',
  [UnaryOp.Square]: 'square',
  [UnaryOp.Tanh]: 'tanh',
  [UnaryOp.Sigmoid]: 'sigmoid',
  [UnaryOp.Relu]: 'relu',
  [UnaryOp.LeakyRelu]: 'leakyRelu',
  [UnaryOp.Linear]: 'linear',
  [UnaryOp.Clip]: 'clip',
};

/** f(x) element-wise, into a new array or `out` (same shape; it may be x or overlap it). */
export function unary(op: UnaryOp, x: NDArray, p0 = 0, p1 = 0, out?: NDArray): NDArray {
  const name = unaryNames[op];
  checkArray(name, 'x', x);
  if (out) checkOut(name, out, x.shape, x);
  const src = contiguous(x);
  try {
    const result = outputFor(out, x.shape, x.dtype, x.engine, [src]);
    x.engine.unary(op, result.storage.buffer, result.offset, src.storage.buffer, src.offset, x.size, p0, p1);
    return deliver(out, result);
  } finally {
    if (src !== x) src.dispose();
  }
}

/** dy * f'(x) element-wise in one pass (x and dy of one shape), into a new array or `out`. */
export function unaryGrad(op: UnaryOp, x: NDArray, dy: NDArray, p0 = 0, p1 = 0, out?: NDArray): NDArray {
  const name = `${unaryNames[op]}Grad`;
  const { engine } = commonEngine(name, [x, dy]);
  // gradients never broadcast: the cache and the incoming gradient have one shape
  if (!shapesEqual(x.shape, dy.shape)) {
    throw new ShapeError(
      `${name}: x has shape ${formatShape(x.shape)} but dy has shape ${formatShape(dy.shape)}`,
    );
  }
  if (out) checkOut(name, out, x.shape, x);
  const xs = contiguous(x);
  const ds = contiguous(dy);
  try {
    const result = outputFor(out, x.shape, x.dtype, engine, [xs, ds]);
    engine.unaryGrad(
      op,
      result.storage.buffer,
      result.offset,
      xs.storage.buffer,
      xs.offset,
      ds.storage.buffer,
      ds.offset,
      x.size,
      p0,
      p1,
    );
    return deliver(out, result);
  } finally {
    if (xs !== x) xs.dispose();
    if (ds !== dy) ds.dispose();
  }
}

/** @example add(array([1, 2]), 1) // [2, 3] */
export const add = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Add, a, b, out);
/** @example sub(array([3, 2]), array([1])) // [2, 1] */
export const sub = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Sub, a, b, out);
/** @example mul(array([[1], [2]]), array([10, 20])) // [[10, 20], [20, 40]] */
export const mul = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Mul, a, b, out);
/** @example div(1, array([2, 4])) // [0.5, 0.25] */
export const div = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Div, a, b, out);
/** @example pow(array([2, 3]), 2) // [4, 9] */
export const pow = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Pow, a, b, out);
/** Element-wise larger value; NaN propagates. @example maximum(array([-1, 2]), 0) // [0, 2] */
export const maximum = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Maximum, a, b, out);
/** Element-wise smaller value; NaN propagates. @example minimum(array([-1, 2]), 0) // [-1, 0] */
export const minimum = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Minimum, a, b, out);
/** 1 where a > b, else 0. @example gt(array([0.2, 0.7]), 0.5) // [0, 1] */
export const gt = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Gt, a, b, out);
/** 1 where a >= b, else 0. */
export const ge = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Ge, a, b, out);
/** 1 where a < b, else 0. */
export const lt = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Lt, a, b, out);
/** 1 where a <= b, else 0. */
export const le = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Le, a, b, out);
/** 1 where a == b, else 0. @example eq(array([1, 2]), 2) // [0, 1] */
export const eq = (a: ArrayLike, b: ArrayLike, out?: NDArray) => binary(BinaryOp.Eq, a, b, out);

/** @example neg(array([1, -2])) // [-1, 2] */
export const neg = (x: NDArray, out?: NDArray) => unary(UnaryOp.Neg, x, 0, 0, out);
/** @example abs(array([-1.5])) // [1.5] */
export const abs = (x: NDArray, out?: NDArray) => unary(UnaryOp.Abs, x, 0, 0, out);
/** @example exp(array([0])) // [1] */
export const exp = (x: NDArray, out?: NDArray) => unary(UnaryOp.Exp, x, 0, 0, out);
/** Natural logarithm. @example log(array([1])) // [0] */
export const log = (x: NDArray, out?: NDArray) => unary(UnaryOp.Log, x, 0, 0, out);
/** @example sqrt(array([4])) // [2] */
export const sqrt = (x: NDArray, out?: NDArray) => unary(UnaryOp.Sqrt, x, 0, 0, out);
/** @example square(array([3])) // [9] */
export const square = (x: NDArray, out?: NDArray) => unary(UnaryOp.Square, x, 0, 0, out);
/** @example tanh(array([0])) // [0] */
export const tanh = (x: NDArray, out?: NDArray) => unary(UnaryOp.Tanh, x, 0, 0, out);
/** 1 / (1 + e^-x), computed without overflow. @example sigmoid(array([0, 2])) // [0.5, 0.8807970779778823] */
export const sigmoid = (x: NDArray, out?: NDArray) => unary(UnaryOp.Sigmoid, x, 0, 0, out);
/** max(x, 0). @example relu(array([-1, 2])) // [0, 2] */
export const relu = (x: NDArray, out?: NDArray) => unary(UnaryOp.Relu, x, 0, 0, out);
/** x for x > 0, else slope·x. @example leakyRelu(array([-1, 2]), 0.1) // [-0.1, 2] */
export const leakyRelu = (x: NDArray, slope = 0.01, out?: NDArray) => {
  checkNumberArg('leakyRelu', 'slope', slope);
  return unary(UnaryOp.LeakyRelu, x, slope, 0, out);
};
/** Limits values to [lo, hi]. @example clip(array([-2, 0.5, 3]), 0, 1) // [0, 0.5, 1] */
export const clip = (x: NDArray, lo: number, hi: number, out?: NDArray) => {
  checkNumberArg('clip', 'lo', lo, false);
  checkNumberArg('clip', 'hi', hi, false);
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) {
    throw new RangeError(`clip: need lo <= hi, got lo=${lo} hi=${hi}`);
  }
  return unary(UnaryOp.Clip, x, lo, hi, out);
};
