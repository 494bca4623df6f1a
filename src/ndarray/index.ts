// The arrays layer: NDArray with NumPy's semantics (views with strides, broadcasting, reductions
// with keepdims, matmul), creation functions, and the dispose/tidy life cycle. Every op checks its
// operands here, once, and then calls one Backend kernel. It may import core/ and backend/.
//
// Importing this file attaches the NDArray methods (methods.ts): other layers import the arrays from
// here, never from the files beside it.
import './methods.js';

export {
  arange,
  array,
  type CreateOptions,
  eye,
  full,
  linspace,
  type NestedArray,
  ones,
  toBackend,
  zeros,
  zerosLike,
} from './create.js';
export {
  abs,
  add,
  clip,
  div,
  eq,
  exp,
  ge,
  gt,
  le,
  leakyRelu,
  log,
  lt,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  square,
  sub,
  tanh,
  unary,
  unaryGrad,
} from './elementwise.js';
export { type MemoryInfo, memory } from './ledger.js';
export { dot, type GemmOptions, gemm, matmul, outer } from './linalg.js';
export { astype, cols, copy, expandDims, flatten, reshape, squeeze, transpose } from './manipulate.js';
export { type ArrayLike, NDArray } from './ndarray.js';
export { checkArray, checkOut, mayOverlap } from './operands.js';
export { argmax, argmin, max, mean, min, sum } from './reduce.js';
export { type Disposable, leakedBy, tidy, track, untracked } from './scope.js';
