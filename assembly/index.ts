// The module's export list: thin dtype-suffixed wrappers over the generic kernels. Everything here
// is called from src/backend/wasm/ with byte addresses into the one imported memory.
//
// Conventions for every export: pointers are byte offsets (usize) into memory; sizes, strides and
// counts are in elements (i32); any pointer alignment is accepted, 16 bytes is fastest (the
// TypeScript allocator hands out 16-aligned blocks); kernels never allocate, never throw and never
// trap on valid arguments.

import { unary, unaryGrad } from './activations';
import { binary, binaryNd, copy, fill } from './elementwise';
import { activationGradSum, axpy, biasActivation, loss, sigmoidOutput, subRowSum } from './fused';
import { reduce } from './reduce';

/** First byte above the module's static data: the TypeScript allocator starts here (16-aligned up). */
export function heap_base(): usize {
  return __heap_base;
}

/** out[i] = f(x[i]; p0, p1), i < n, f64. op: UnaryOp. out may alias x exactly. */
export function unary_f64(op: i32, out: usize, x: usize, n: i32, p0: f64, p1: f64): void {
  unary<f64>(op, out, x, n, p0, p1);
}

/** out[i] = f(x[i]; p0, p1), i < n, f32 (p0, p1 as f64: leaky's product is rounded once, as in JS). */
export function unary_f32(op: i32, out: usize, x: usize, n: i32, p0: f64, p1: f64): void {
  unary<f32>(op, out, x, n, p0, p1);
}

/** out[i] = dy[i] · f'(x[i]; p0, p1), i < n, f64. out may alias x or dy exactly. */
export function unary_grad_f64(op: i32, out: usize, x: usize, dy: usize, n: i32, p0: f64, p1: f64): void {
  unaryGrad<f64>(op, out, x, dy, n, p0, p1);
}

/** out[i] = dy[i] · f'(x[i]; p0, p1), i < n, f32. out may alias x or dy exactly. */
export function unary_grad_f32(op: i32, out: usize, x: usize, dy: usize, n: i32, p0: f64, p1: f64): void {
  unaryGrad<f32>(op, out, x, dy, n, p0, p1);
}

/**
 * out (m, n) = a OP b, f64, out contiguous, a[i, j] at a + (i·am + j·an)·8 (b likewise); strides in
 * elements, 0 broadcasts, negative allowed. op: BinaryOp. out may alias a or b exactly.
 */
export function binary_f64(op: i32, out: usize, a: usize, b: usize, m: i32, n: i32, am: i32, an: i32, bm: i32, bn: i32): void {
  binary<f64>(op, out, a, b, m, n, am, an, bm, bn);
}

/** binary_f64 for f32. */
export function binary_f32(op: i32, out: usize, a: usize, b: usize, m: i32, n: i32, am: i32, an: i32, bm: i32, bn: i32): void {
  binary<f32>(op, out, a, b, m, n, am, an, bm, bn);
}

/**
 * out = a OP b over ndim >= 0 dimensions, f64, out contiguous; args holds i32 shape[ndim],
 * aStrides[ndim], bStrides[ndim] back to back (element strides, 4-byte aligned).
 */
export function binary_nd_f64(op: i32, out: usize, a: usize, b: usize, ndim: i32, args: usize): void {
  binaryNd<f64>(op, out, a, b, ndim, args);
}

/** binary_nd_f64 for f32. */
export function binary_nd_f32(op: i32, out: usize, a: usize, b: usize, ndim: i32, args: usize): void {
  binaryNd<f32>(op, out, a, b, ndim, args);
}

/** out[i] = value, i < n, f64. */
export function fill_f64(out: usize, n: i32, value: f64): void {
  fill<f64>(out, n, value);
}

/** out[i] = value, i < n, f32 (value rounded to nearest f32 on the way in). */
export function fill_f32(out: usize, n: i32, value: f32): void {
  fill<f32>(out, n, value);
}

/**
 * out (contiguous, C order) = the strided view of x, f64; args holds i32 shape[ndim] then
 * xStrides[ndim] (elements). out must not overlap x.
 */
export function copy_f64(out: usize, x: usize, ndim: i32, args: usize): void {
  copy<f64>(out, x, ndim, args);
}

/** copy_f64 for f32. */
export function copy_f32(out: usize, x: usize, ndim: i32, args: usize): void {
  copy<f32>(out, x, ndim, args);
}

/**
 * out (outer, inner) = R_k x[(p·len + k)·inner + q], f64, x contiguous (outer, len, inner).
 * op: ReduceOp; Arg* write the index as f64. out must not overlap x.
 */
export function reduce_f64(op: i32, out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  reduce<f64>(op, out, x, outer, len, inner);
}

/** reduce_f64 for f32 (sums accumulate in f64, then round once). */
export function reduce_f32(op: i32, out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  reduce<f32>(op, out, x, outer, len, inner);
}

// The training step's fused kernels (assembly/fused.ts): (rows, cols) blocks contiguous row-major,
// b and db contiguous columns of rows elements; activation ops are UnaryOp Sigmoid, Tanh, Relu,
// LeakyRelu (slope p0) and Linear.

/** z[i, j] += b[i], then a[i, j] = g(z[i, j]; p0), f64. a may alias z exactly. */
export function bias_activation_f64(op: i32, z: usize, a: usize, b: usize, rows: i32, cols: i32, p0: f64): void {
  biasActivation<f64>(op, z, a, b, rows, cols, p0);
}

/** bias_activation_f64 for f32. */
export function bias_activation_f32(op: i32, z: usize, a: usize, b: usize, rows: i32, cols: i32, p0: f64): void {
  biasActivation<f32>(op, z, a, b, rows, cols, p0);
}

/**
 * dz = dy·g'(c), c = A for sigmoid (A(1 - A)) and tanh (1 - A²), Z for relu/leakyRelu/linear; then
 * db[i] = scale·Σ_j dz[i, j] (summed in f64, rounded to T, scaled in T), f64. dz may alias dy exactly.
 */
export function activation_grad_sum_f64(
  op: i32, dz: usize, db: usize, dy: usize, c: usize, rows: i32, cols: i32, scale: f64, p0: f64
): void {
  activationGradSum<f64>(op, dz, db, dy, c, rows, cols, scale, p0);
}

/** activation_grad_sum_f64 for f32 (the gradient in f32 lanes, the row sums in f64). */
export function activation_grad_sum_f32(
  op: i32, dz: usize, db: usize, dy: usize, c: usize, rows: i32, cols: i32, scale: f64, p0: f64
): void {
  activationGradSum<f32>(op, dz, db, dy, c, rows, cols, scale, p0);
}

/** dz = a - y, then db[i] = scale·Σ_j dz[i, j] as activation_grad_sum_f64, f64. dz may alias a exactly. */
export function sub_row_sum_f64(dz: usize, db: usize, a: usize, y: usize, rows: i32, cols: i32, scale: f64): void {
  subRowSum<f64>(dz, db, a, y, rows, cols, scale);
}

/** sub_row_sum_f64 for f32. */
export function sub_row_sum_f32(dz: usize, db: usize, a: usize, y: usize, rows: i32, cols: i32, scale: f64): void {
  subRowSum<f32>(dz, db, a, y, rows, cols, scale);
}

/** y[i] += alpha·x[i], i < n, f64, the product rounded before the sum (no fma). y must not overlap x. */
export function axpy_f64(y: usize, x: usize, n: i32, alpha: f64): void {
  axpy<f64>(y, x, n, alpha);
}

/** axpy_f64 for f32 (alpha rounded to f32 first, the product rounded to f32). */
export function axpy_f32(y: usize, x: usize, n: i32, alpha: f64): void {
  axpy<f32>(y, x, n, alpha);
}

/**
 * The sigmoid output layer: z[i, j] += b[i], a = σ(z), t = log1p(e^-|z|), and returns Σ t (f64,
 * compensated), f64. z, a and t must not overlap.
 */
export function sigmoid_output_f64(z: usize, a: usize, t: usize, b: usize, rows: i32, cols: i32): f64 {
  return sigmoidOutput<f64>(z, a, t, b, rows, cols);
}

/** sigmoid_output_f64 for f32 (σ and t in f32 lanes, summed in f64). */
export function sigmoid_output_f32(z: usize, a: usize, t: usize, b: usize, rows: i32, cols: i32): f64 {
  return sigmoidOutput<f32>(z, a, t, b, rows, cols);
}

/** Σ_i loss(a[i], y[i]), i < n, f64 input; op: LossOp. Terms and the compensated sum in f64. */
export function loss_f64(op: i32, a: usize, y: usize, n: i32): f64 {
  return loss<f64>(op, a, y, n);
}

/** loss_f64 for f32 input (each term computed in f64 from the f32 values). */
export function loss_f32(op: i32, a: usize, y: usize, n: i32): f64 {
  return loss<f32>(op, a, y, n);
}

// GEMM (assembly/gemm.ts, its own contract there): gemm_f64 / gemm_f32 (transA, transB, M, N, K,
// alpha, a, lda, b, ldb, beta, c, ldc, scratch) and gemm_scratch_bytes(), the bytes of 16-aligned
// scratch the caller reserves once and passes to every call.
export { gemm_f32, gemm_f64, gemm_scratch_bytes } from './gemm';
