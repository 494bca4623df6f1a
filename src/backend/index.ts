// The engines layer: the Backend contract (backend.ts), a closed set of kernels that each of the
// three engines implements — loop.ts (scalar loops, the reference), vectorized.ts (typed-array
// kernels in TypeScript) and wasm/ (AssemblyScript SIMD kernels in one linear memory, with worker
// threads) — and the registry that says which one new arrays use. It may import core/ and the
// op codes and constants of assembly/; nothing above it.
export type { ActivationOp, Backend, BackendName, Buffer, FirstLayerStep } from './backend.js';
export { ready, registerBuiltinBackends } from './builtin.js';
export { type BackendInfo, backendInfo } from './info.js';
export { LoopBackend } from './loop.js';
export { BinaryOp, LossOp, OptimizerOp, ReduceOp, UnaryOp } from './ops.js';
export {
  type BackendFactory,
  type BackendOptions,
  backendByName,
  backendCreated,
  currentBackend,
  getBackend,
  registerBackend,
  setBackend,
} from './registry.js';
export { gradReadsOutput } from './scalar.js';
export { VectorizedBackend } from './vectorized/index.js';
export {
  createWasmBackend,
  createWasmBackendSync,
  getThreads,
  MAX_THREADS,
  relaxedSimdSupported,
  setThreads,
  terminateThreads,
  threadsSupported,
  type WasmBackend,
  type WasmBackendOptions,
  type WasmInstructionSet,
  type WasmSource,
  type WasmStats,
  wasmBackendFactory,
  wasmBuildOf,
  wasmSimdSupported,
} from './wasm/index.js';
