export type { BackendName } from '../backend/backend.js';
export type { BackendOptions } from '../backend/registry.js';
export { getBackend, ready, setBackend } from '../backend/registry.js';
export { wasmSimdSupported } from '../backend/wasm/index.js';
export { getThreads, setThreads, terminateThreads } from '../backend/wasm/threads.js';
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
export { DTYPES, type DType, type TypedArray } from './dtype.js';
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
} from './elementwise.js';
export { AxisError, BackendMismatchError, DisposedError, DTypeError, ShapeError } from './errors.js';
export { dot, type GemmOptions, gemm, matmul, outer } from './linalg.js';
export { cols, expandDims, flatten, reshape, squeeze, transpose } from './manipulate.js';
export { type ArrayLike, NDArray } from './ndarray.js';
export { argmax, argmin, max, mean, min, sum } from './reduce.js';
export { tidy } from './scope.js';
export { broadcastShapes, formatShape } from './shape.js';
