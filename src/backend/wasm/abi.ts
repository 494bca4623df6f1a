// The exports of build/vecnet.wasm (assembly/index.ts), typed. Every pointer is a byte offset into
// the one imported WebAssembly.Memory; every size, count and stride is in elements (i32, strides may
// be 0 to broadcast or negative); op codes are the shared enums of assembly/ops.ts. Kernels never
// allocate, throw or grow memory, so a view taken before a kernel call stays valid across it.

/** out (m, n), contiguous, = a OP b with a[i, j] at a + (i·am + j·an)·bytes, b likewise. */
export type BinaryKernel = (
  op: number,
  out: number,
  a: number,
  b: number,
  m: number,
  n: number,
  am: number,
  an: number,
  bm: number,
  bn: number,
) => void;

/** out = a OP b over ndim dims; args: i32 shape[ndim], aStrides[ndim], bStrides[ndim]. */
export type BinaryNdKernel = (
  op: number,
  out: number,
  a: number,
  b: number,
  ndim: number,
  args: number,
) => void;

/** out[i] = f(x[i]; p0, p1), i < n. */
export type UnaryKernel = (op: number, out: number, x: number, n: number, p0: number, p1: number) => void;

/** out[i] = dy[i] · f'(x[i]; p0, p1), i < n. */
export type UnaryGradKernel = (
  op: number,
  out: number,
  x: number,
  dy: number,
  n: number,
  p0: number,
  p1: number,
) => void;

/** out (outer, inner) = R over the middle axis of contiguous x (outer, len, inner). */
export type ReduceKernel = (
  op: number,
  out: number,
  x: number,
  outer: number,
  len: number,
  inner: number,
) => void;

/** out[i] = value, i < n. */
export type FillKernel = (out: number, n: number, value: number) => void;

/** out (contiguous) = strided view of x; args: i32 shape[ndim], xStrides[ndim]. */
export type CopyKernel = (out: number, x: number, ndim: number, args: number) => void;

/** C = alpha·op(A)·op(B) + beta·C, row-major; transA/transB 0 or 1; scratch: gemm_scratch_bytes() bytes. */
export type GemmKernel = (
  transA: number,
  transB: number,
  M: number,
  N: number,
  K: number,
  alpha: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  beta: number,
  c: number,
  ldc: number,
  scratch: number,
) => void;

/** z (rows, cols) += b (rows) by column, then a = g(z; p0); op: an activation UnaryOp. */
export type BiasActivationKernel = (
  op: number,
  z: number,
  a: number,
  b: number,
  rows: number,
  cols: number,
  p0: number,
) => void;

/** dz = dy·g'(c) and db (rows) = scale·Σ_j dz over (rows, cols). */
export type ActivationGradSumKernel = (
  op: number,
  dz: number,
  db: number,
  dy: number,
  c: number,
  rows: number,
  cols: number,
  scale: number,
  p0: number,
) => void;

/** dz = a - y and db (rows) = scale·Σ_j dz over (rows, cols). */
export type SubRowSumKernel = (
  dz: number,
  db: number,
  a: number,
  y: number,
  rows: number,
  cols: number,
  scale: number,
) => void;

/** y[i] += alpha·x[i], i < n. */
export type AxpyKernel = (y: number, x: number, n: number, alpha: number) => void;

/** z (rows, cols) += b by column, a = σ(z), t = log1p(e^-|z|); returns Σ t in f64. */
export type SigmoidOutputKernel = (
  z: number,
  a: number,
  t: number,
  b: number,
  rows: number,
  cols: number,
) => number;

/** Σ_i loss(a[i], y[i]), i < n, in f64; op: LossOp. */
export type LossKernel = (op: number, a: number, y: number, n: number) => number;

/** The module's exports (see assembly/index.ts for each kernel's layout and aliasing rules). */
export interface KernelExports {
  /** First free byte above the module's static data. */
  heap_base(): number;
  /** Bytes of 16-aligned scratch every gemm call needs. */
  gemm_scratch_bytes(): number;
  binary_f32: BinaryKernel;
  binary_f64: BinaryKernel;
  binary_nd_f32: BinaryNdKernel;
  binary_nd_f64: BinaryNdKernel;
  unary_f32: UnaryKernel;
  unary_f64: UnaryKernel;
  unary_grad_f32: UnaryGradKernel;
  unary_grad_f64: UnaryGradKernel;
  reduce_f32: ReduceKernel;
  reduce_f64: ReduceKernel;
  fill_f32: FillKernel;
  fill_f64: FillKernel;
  copy_f32: CopyKernel;
  copy_f64: CopyKernel;
  gemm_f32: GemmKernel;
  gemm_f64: GemmKernel;
  bias_activation_f32: BiasActivationKernel;
  bias_activation_f64: BiasActivationKernel;
  activation_grad_sum_f32: ActivationGradSumKernel;
  activation_grad_sum_f64: ActivationGradSumKernel;
  sub_row_sum_f32: SubRowSumKernel;
  sub_row_sum_f64: SubRowSumKernel;
  axpy_f32: AxpyKernel;
  axpy_f64: AxpyKernel;
  sigmoid_output_f32: SigmoidOutputKernel;
  sigmoid_output_f64: SigmoidOutputKernel;
  loss_f32: LossKernel;
  loss_f64: LossKernel;
}

/** Every export the backend calls, checked at load time so a stale build fails loudly. */
export const KERNEL_NAMES: readonly (keyof KernelExports)[] = [
  'heap_base',
  'gemm_scratch_bytes',
  'binary_f32',
  'binary_f64',
  'binary_nd_f32',
  'binary_nd_f64',
  'unary_f32',
  'unary_f64',
  'unary_grad_f32',
  'unary_grad_f64',
  'reduce_f32',
  'reduce_f64',
  'fill_f32',
  'fill_f64',
  'copy_f32',
  'copy_f64',
  'gemm_f32',
  'gemm_f64',
  'bias_activation_f32',
  'bias_activation_f64',
  'activation_grad_sum_f32',
  'activation_grad_sum_f64',
  'sub_row_sum_f32',
  'sub_row_sum_f64',
  'axpy_f32',
  'axpy_f64',
  'sigmoid_output_f32',
  'sigmoid_output_f64',
  'loss_f32',
  'loss_f64',
];
