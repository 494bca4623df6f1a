import type { TypedArray } from '../../core/index.js';

// The packed path of the vectorized GEMM (see gemm.ts): op(B) in (KC x NC) panels and op(A) in
// (MC x KC) blocks, packed into Float64 scratch as 4-wide slivers that the 4x4 micro-kernel reads with
// stride 1, its 16 accumulators held in locals across the K loop.

/**
 * Micro-tile: 4x4 = 16 accumulators. Among the tiles measured on V8 x64 (2x4 up to 6x2, with and
 * without k-unrolling) 4x4, 3x4 and 3x3 tied for fastest, about 3.5 GFLOP/s in isolation; 4x4 wastes
 * the least on edges of power-of-two sizes.
 */
export const MR = 4;
export const NR = 4;
/** K-block: an A sliver plus a B sliver (2 x 256 x 4 doubles = 16 KiB) stay in L1 across the K loop. */
const KC = 256;
/** M-block: the packed A block (128 x 256 doubles = 256 KiB) stays in L2 while B slivers stream past. */
const MC = 128;
/** N-block: bounds the packed B panel (256 x 1024 doubles = 2 MiB). */
const NC = 1024;
/** Packing buffers and the micro-tile, owned by one backend instance; they only ever grow. */
export class GemmScratch {
  a = new Float64Array(0);
  b = new Float64Array(0);
  readonly tile = new Float64Array(MR * NR);

  /** `directMax`: size limit of the direct path, in multiply-adds (tests lower it to exercise packing). */
  constructor(readonly directMax: number) {}

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

export function gemmPacked(
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
