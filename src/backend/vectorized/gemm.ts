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

/**
 * Micro-tile: 4x4 = 16 accumulators. Among the tiles measured on V8 x64 (2x4 up to 6x2, with and
 * without k-unrolling) 4x4, 3x4 and 3x3 tied for fastest, about 3.5 GFLOP/s in isolation; 4x4 wastes
 * the least on edges of power-of-two sizes.
 */
const MR = 4;
const NR = 4;
/** K-block: an A sliver plus a B sliver (2 x 256 x 4 doubles = 16 KiB) stay in L1 across the K loop. */
const KC = 256;
/** M-block: the packed A block (128 x 256 doubles = 256 KiB) stays in L2 while B slivers stream past. */
const MC = 128;
/** N-block: bounds the packed B panel (256 x 1024 doubles = 2 MiB). */
const NC = 1024;
/**
 * Products up to this many multiply-adds (128^3) skip packing. Measured on V8: the in-place kernels
 * match or beat the packed path up to about 192^3 (everything sits in L2, and packing is pure
 * overhead when a panel is used by few tiles); from 512^3 on, strided B reads fall out of cache and
 * the packed path is up to 1.7x faster.
 */
export const DIRECT_MAX_FLOPS = 128 * 128 * 128;

/** Packing buffers and the micro-tile, owned by one backend instance; they only ever grow. */
export class GemmScratch {
  a = new Float64Array(0);
  b = new Float64Array(0);
  readonly tile = new Float64Array(MR * NR);

  /** `directMax`: size limit of the direct path, in multiply-adds (tests lower it to exercise packing). */
  constructor(readonly directMax = DIRECT_MAX_FLOPS) {}

  /** Grows the packing buffers to hold the blocks of an (M, N, K) product, allocating only on growth. */
  reserve(M: number, N: number, K: number): void {
    const kc = K < KC ? K : KC;
    const mc = roundUp(M < MC ? M : MC, MR);
    const nc = roundUp(N < NC ? N : NC, NR);
    if (this.a.length < mc * kc) this.a = new Float64Array(mc * kc);
    if (this.b.length < kc * nc) this.b = new Float64Array(kc * nc);
  }
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

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

// ---------------------------------------------------------------------------------------------------
// Packed path

/**
 * Packs `w` lines of a `kc`-long panel into 4-wide slivers: sliver s holds, for each k, the 4 values
 * src[off + k*along + (4s + t)*across], t < 4, contiguously; lines past `w` are padded with zeros so
 * the micro-kernel never needs an edge case. Used for A (lines = rows) and for B (lines = columns).
 */
function packPanel(
  dst: Float64Array,
  src: TypedArray,
  off: number,
  along: number,
  across: number,
  kc: number,
  w: number,
): void {
  let d = 0;
  for (let l = 0; l < w; l += 4, off += 4 * across) {
    const r = w - l;
    if (r >= 4) {
      for (let k = 0, p = off; k < kc; k++, p += along, d += 4) {
        dst[d] = src[p];
        dst[d + 1] = src[p + across];
        dst[d + 2] = src[p + 2 * across];
        dst[d + 3] = src[p + 3 * across];
      }
    } else {
      for (let k = 0, p = off; k < kc; k++, p += along, d += 4) {
        dst[d] = src[p];
        dst[d + 1] = r > 1 ? src[p + across] : 0;
        dst[d + 2] = r > 2 ? src[p + 2 * across] : 0;
        dst[d + 3] = 0;
      }
    }
  }
}

/**
 * T (4x4, row-major) = packed A sliver (kc x 4) times packed B sliver (kc x 4). All operands are
 * Float64Array scratch read with stride 1; the 16 sums live in registers (or a spill slot) for the
 * whole K loop. Loading the 4 A values once and each B value in turn measured fastest on V8.
 */
function kernel4x4(
  kc: number,
  A: Float64Array,
  ap: number,
  B: Float64Array,
  bp: number,
  T: Float64Array,
): void {
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
  for (let k = 0; k < kc; k++, ap += 4, bp += 4) {
    const a0 = A[ap];
    const a1 = A[ap + 1];
    const a2 = A[ap + 2];
    const a3 = A[ap + 3];
    let b = B[bp];
    c00 += a0 * b;
    c10 += a1 * b;
    c20 += a2 * b;
    c30 += a3 * b;
    b = B[bp + 1];
    c01 += a0 * b;
    c11 += a1 * b;
    c21 += a2 * b;
    c31 += a3 * b;
    b = B[bp + 2];
    c02 += a0 * b;
    c12 += a1 * b;
    c22 += a2 * b;
    c32 += a3 * b;
    b = B[bp + 3];
    c03 += a0 * b;
    c13 += a1 * b;
    c23 += a2 * b;
    c33 += a3 * b;
  }
  T[0] = c00;
  T[1] = c01;
  T[2] = c02;
  T[3] = c03;
  T[4] = c10;
  T[5] = c11;
  T[6] = c12;
  T[7] = c13;
  T[8] = c20;
  T[9] = c21;
  T[10] = c22;
  T[11] = c23;
  T[12] = c30;
  T[13] = c31;
  T[14] = c32;
  T[15] = c33;
}

/** How a tile's sums reach C: the first K block applies beta (or overwrites), later ones accumulate. */
const OVERWRITE = 0;
const SCALE = 1;
const ACCUMULATE = 2;

/** Writes the valid (mr, nr) corner of tile T into C at ci. */
function storeTile(
  T: Float64Array,
  C: TypedArray,
  ci: number,
  ldc: number,
  mr: number,
  nr: number,
  alpha: number,
  beta: number,
  mode: number,
): void {
  for (let i = 0; i < mr; i++, ci += ldc) {
    const t = i * NR;
    if (mode === OVERWRITE) for (let j = 0; j < nr; j++) C[ci + j] = alpha * T[t + j];
    else if (mode === SCALE) for (let j = 0; j < nr; j++) C[ci + j] = alpha * T[t + j] + beta * C[ci + j];
    else for (let j = 0; j < nr; j++) C[ci + j] += alpha * T[t + j];
  }
}

function gemmPacked(
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
  s.reserve(M, N, K);
  const Ap = s.a;
  const Bp = s.b;
  const T = s.tile;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = jc + NC < N ? NC : N - jc;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = pc + KC < K ? KC : K - pc;
      const mode = pc > 0 ? ACCUMULATE : beta === 0 ? OVERWRITE : SCALE;
      packPanel(Bp, B, bOff + pc * bks + jc * bjs, bks, bjs, kc, nc);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = ic + MC < M ? MC : M - ic;
        packPanel(Ap, A, aOff + ic * ars + pc * acs, acs, ars, kc, mc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = nc - jr < NR ? nc - jr : NR;
          const bp = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = mc - ir < MR ? mc - ir : MR;
            kernel4x4(kc, Ap, ir * kc, Bp, bp, T);
            storeTile(T, C, cOff + (ic + ir) * ldc + jc + jr, ldc, mr, nr, alpha, beta, mode);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Direct path: no packing, operands read in place, C written by the kernels themselves.

function gemmDirect(
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
