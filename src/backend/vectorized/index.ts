// The `vectorized` engine: whole-array kernels in TypeScript on typed arrays, the course's
// "vectorized" version and the fastest backend that needs no WebAssembly. backend.ts is the engine;
// the files beside it are its kernel families (binary, unary, reduce, copy, gemm, the fused training
// steps), each a tight loop per op with scalar.ts's formula inlined.
export { VectorizedBackend } from './backend.js';
