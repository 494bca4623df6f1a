import type { TypedArray } from '../../core/index.js';

// C = alpha * op(A) * op(B) + beta * C in pure TypeScript, the Goto/BLIS way.
//
// Large products: op(B) is packed in (KC x NC) panels and op(A) in (MC x KC) blocks into Float64
// scratch, laid out as 4-wide slivers so the micro-kernel reads both with stride 1. Packing absorbs
// the transposes (all four cases run the same micro-kernel at the same speed) and the dtype (f32 is
// widened exactly to f64 while packing, so the micro-kernel only ever sees Float64Array and V8 keeps
// its loads monomorphic). The 4x4 micro-kernel holds its 16 accumulators in locals across the K loop.
//
// Small products (the course's 4x2 . 2x400, called every iteration) skip packing: register-tiled
// kernels read the operands in place through (row, column) strides and write C directly.
//
// Summation order: each C element is summed sequentially over k in JS doubles, like the loop backend,
// then scaled once by alpha. So whenever K <= KC the result equals the loop backend's bit for bit;
// for longer K the partial sums of consecutive KC blocks are added into C.

import { gemmDirect } from './gemm-direct.js';
import { GemmScratch, gemmPacked, MR, NR } from './gemm-packed.js';

export { GemmScratch };

/**
 * Products up to this many multiply-adds (128^3) skip packing. Measured on V8: the in-place kernels
 * match or beat the packed path up to about 192^3 (everything sits in L2, and packing is pure
 * overhead when a panel is used by few tiles); from 512^3 on, strided B reads fall out of cache and
 * the packed path is up to 1.7x faster.
 */
export const DIRECT_MAX_FLOPS = 128 * 128 * 128;

/**
 * C (M, N) with row stride ldc = alpha * op(A) op(B) + beta * C. A and B are given by element strides
 * of op(A) (`ars` down rows, `acs` along columns) and op(B) (`bks` along K, `bjs` along N), which is how
 * both transposes are expressed. beta = 0 overwrites C without reading it, so NaN in C cannot leak.
 */
export function gemmKernel(
  s: GemmScratch,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: TypedArray,
  aOff: number,
  ars: number,
  acs: number,
  B: TypedArray,
  bOff: number,
  bks: number,
  bjs: number,
  beta: number,
  C: TypedArray,
  cOff: number,
  ldc: number,
): void {
  if (M === 0 || N === 0) return;
  if (K === 0) {
    // the loop backend's alpha * 0 + beta * c, kept literally so signs of zero and NaN alphas agree
    for (let i = 0; i < M; i++) {
      const row = cOff + i * ldc;
      if (beta === 0) for (let j = 0; j < N; j++) C[row + j] = alpha * 0;
      else for (let j = 0; j < N; j++) C[row + j] = alpha * 0 + beta * C[row + j];
    }
    return;
  }
  if (M * N * K <= s.directMax || M < MR || N < NR) {
    gemmDirect(M, N, K, alpha, A, aOff, ars, acs, B, bOff, bks, bjs, beta, C, cOff, ldc);
  } else {
    gemmPacked(s, M, N, K, alpha, A, aOff, ars, acs, B, bOff, bks, bjs, beta, C, cOff, ldc);
  }
}
