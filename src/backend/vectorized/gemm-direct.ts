import type { TypedArray } from '../../core/index.js';

// The direct path of the vectorized GEMM (see gemm.ts): small products read op(A) and op(B) in place
// through their strides, register-tiled 4x4 with 4x1, 1x4 and 1x1 edges, and write C directly.

/** Rows and columns of the direct path's register tile. */
const MR = 4;
const NR = 4;

export function gemmDirect(
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
  let i = 0;
  for (; i + MR <= M; i += MR) {
    const ai = aOff + i * ars;
    const ci = cOff + i * ldc;
    let j = 0;
    for (; j + NR <= N; j += NR)
      direct4x4(K, alpha, A, ai, ars, acs, B, bOff + j * bjs, bks, bjs, beta, C, ci + j, ldc);
    for (; j < N; j++) direct4x1(K, alpha, A, ai, ars, acs, B, bOff + j * bjs, bks, beta, C, ci + j, ldc);
  }
  for (; i < M; i++) {
    const ai = aOff + i * ars;
    const ci = cOff + i * ldc;
    let j = 0;
    for (; j + NR <= N; j += NR)
      direct1x4(K, alpha, A, ai, acs, B, bOff + j * bjs, bks, bjs, beta, C, ci + j);
    for (; j < N; j++) direct1x1(K, alpha, A, ai, acs, B, bOff + j * bjs, bks, beta, C, ci + j);
  }
}

/** A 4x4 tile of C from 4 rows of op(A) and 4 columns of op(B), read through their strides. */
function direct4x4(
  K: number,
  alpha: number,
  A: TypedArray,
  ai: number,
  ars: number,
  acs: number,
  B: TypedArray,
  bi: number,
  bks: number,
  bjs: number,
  beta: number,
  C: TypedArray,
  ci: number,
  ldc: number,
): void {
  const ars2 = 2 * ars;
  const ars3 = 3 * ars;
  const bjs2 = 2 * bjs;
  const bjs3 = 3 * bjs;
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c03 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c13 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c23 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  let c33 = 0;
  for (let k = 0; k < K; k++, ai += acs, bi += bks) {
    const a0 = A[ai];
    const a1 = A[ai + ars];
    const a2 = A[ai + ars2];
    const a3 = A[ai + ars3];
    let b = B[bi];
    c00 += a0 * b;
    c10 += a1 * b;
    c20 += a2 * b;
    c30 += a3 * b;
    b = B[bi + bjs];
    c01 += a0 * b;
    c11 += a1 * b;
    c21 += a2 * b;
    c31 += a3 * b;
    b = B[bi + bjs2];
    c02 += a0 * b;
    c12 += a1 * b;
    c22 += a2 * b;
    c32 += a3 * b;
    b = B[bi + bjs3];
    c03 += a0 * b;
    c13 += a1 * b;
    c23 += a2 * b;
    c33 += a3 * b;
  }
  const c1 = ci + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  if (beta === 0) {
    C[ci] = alpha * c00;
    C[ci + 1] = alpha * c01;
    C[ci + 2] = alpha * c02;
    C[ci + 3] = alpha * c03;
    C[c1] = alpha * c10;
    C[c1 + 1] = alpha * c11;
    C[c1 + 2] = alpha * c12;
    C[c1 + 3] = alpha * c13;
    C[c2] = alpha * c20;
    C[c2 + 1] = alpha * c21;
    C[c2 + 2] = alpha * c22;
    C[c2 + 3] = alpha * c23;
    C[c3] = alpha * c30;
    C[c3 + 1] = alpha * c31;
    C[c3 + 2] = alpha * c32;
    C[c3 + 3] = alpha * c33;
  } else {
    C[ci] = alpha * c00 + beta * C[ci];
    C[ci + 1] = alpha * c01 + beta * C[ci + 1];
    C[ci + 2] = alpha * c02 + beta * C[ci + 2];
    C[ci + 3] = alpha * c03 + beta * C[ci + 3];
    C[c1] = alpha * c10 + beta * C[c1];
    C[c1 + 1] = alpha * c11 + beta * C[c1 + 1];
    C[c1 + 2] = alpha * c12 + beta * C[c1 + 2];
    C[c1 + 3] = alpha * c13 + beta * C[c1 + 3];
    C[c2] = alpha * c20 + beta * C[c2];
    C[c2 + 1] = alpha * c21 + beta * C[c2 + 1];
    C[c2 + 2] = alpha * c22 + beta * C[c2 + 2];
    C[c2 + 3] = alpha * c23 + beta * C[c2 + 3];
    C[c3] = alpha * c30 + beta * C[c3];
    C[c3 + 1] = alpha * c31 + beta * C[c3 + 1];
    C[c3 + 2] = alpha * c32 + beta * C[c3 + 2];
    C[c3 + 3] = alpha * c33 + beta * C[c3 + 3];
  }
}

/** One column of 4 C rows (the N % 4 edge, and the whole product when N < 4, e.g. dW of a 2-input layer). */
function direct4x1(
  K: number,
  alpha: number,
  A: TypedArray,
  ai: number,
  ars: number,
  acs: number,
  B: TypedArray,
  bi: number,
  bks: number,
  beta: number,
  C: TypedArray,
  ci: number,
  ldc: number,
): void {
  const ars2 = 2 * ars;
  const ars3 = 3 * ars;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  for (let k = 0; k < K; k++, ai += acs, bi += bks) {
    const b = B[bi];
    c0 += A[ai] * b;
    c1 += A[ai + ars] * b;
    c2 += A[ai + ars2] * b;
    c3 += A[ai + ars3] * b;
  }
  const i1 = ci + ldc;
  const i2 = i1 + ldc;
  const i3 = i2 + ldc;
  if (beta === 0) {
    C[ci] = alpha * c0;
    C[i1] = alpha * c1;
    C[i2] = alpha * c2;
    C[i3] = alpha * c3;
  } else {
    C[ci] = alpha * c0 + beta * C[ci];
    C[i1] = alpha * c1 + beta * C[i1];
    C[i2] = alpha * c2 + beta * C[i2];
    C[i3] = alpha * c3 + beta * C[i3];
  }
}

/** Four columns of one C row (the M % 4 edge, and the whole product when M < 4, e.g. a 1-unit output layer). */
function direct1x4(
  K: number,
  alpha: number,
  A: TypedArray,
  ai: number,
  acs: number,
  B: TypedArray,
  bi: number,
  bks: number,
  bjs: number,
  beta: number,
  C: TypedArray,
  ci: number,
): void {
  const bjs2 = 2 * bjs;
  const bjs3 = 3 * bjs;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  for (let k = 0; k < K; k++, ai += acs, bi += bks) {
    const a = A[ai];
    c0 += a * B[bi];
    c1 += a * B[bi + bjs];
    c2 += a * B[bi + bjs2];
    c3 += a * B[bi + bjs3];
  }
  if (beta === 0) {
    C[ci] = alpha * c0;
    C[ci + 1] = alpha * c1;
    C[ci + 2] = alpha * c2;
    C[ci + 3] = alpha * c3;
  } else {
    C[ci] = alpha * c0 + beta * C[ci];
    C[ci + 1] = alpha * c1 + beta * C[ci + 1];
    C[ci + 2] = alpha * c2 + beta * C[ci + 2];
    C[ci + 3] = alpha * c3 + beta * C[ci + 3];
  }
}

/** A single dot product: the corner left by both edges. */
function direct1x1(
  K: number,
  alpha: number,
  A: TypedArray,
  ai: number,
  acs: number,
  B: TypedArray,
  bi: number,
  bks: number,
  beta: number,
  C: TypedArray,
  ci: number,
): void {
  let c = 0;
  for (let k = 0; k < K; k++, ai += acs, bi += bks) c += A[ai] * B[bi];
  C[ci] = beta === 0 ? alpha * c : alpha * c + beta * C[ci];
}
