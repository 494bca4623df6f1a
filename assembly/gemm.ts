/**
 * GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, f32 and f64.
 *
 * Arguments (both dtypes; alpha and beta are f64 in both signatures and rounded once for f32):
 * - transA, transB: 0 or 1. op(A) is (M, K); with transA, A is stored (K, M). op(B) is (K, N); with
 *   transB, B is stored (N, K). The transposes are absorbed by packing, so all four combinations run
 *   the same inner loop at the same speed (the backward pass needs dZ·A_prevᵀ and Wᵀ·dZ).
 * - M, N, K >= 0. M == 0 or N == 0 is a no-op; K == 0 or alpha == 0 gives C = beta*C without reading
 *   A or B (BLAS semantics).
 * - a, b, c: byte offsets into linear memory, element-aligned only (4 or 8 bytes: callers pass offsets
 *   into arrays, so nothing assumes 16-byte alignment; v128 loads and stores are unaligned-safe).
 * - lda, ldb, ldc: row strides of the matrices as stored, in elements; they may exceed the logical
 *   width (sub-views).
 * - beta == 0 overwrites C without reading it, so NaN or garbage already in C never leaks.
 * - scratch: gemm_scratch_bytes() bytes, 16-byte aligned, owned by the kernel for the call (packed
 *   panels); its contents are garbage on entry and on exit.
 * - Aliasing: a, b and c must not overlap each other or scratch. Kernels never allocate or throw.
 *
 * Blocking (Goto / BLIS): the loops, outermost first, are
 *   jc over N by NC  >  pc over K by KC: pack op(B)[pc.., jc..] into Bp (KC x NC, ~1 MB, L2/L3)
 *   >  ic over M by MC: pack op(A)[ic.., pc..] into Ap (MC x KC, 128 KB, L2)
 *   >  jr over NC by NR  >  ir over MC by MR: micro-kernel, one MR x NR tile of C over kc steps,
 *      reading one KC x NR strip of Bp (8 KB, stays in L1 across ir) and one MR x KC strip of Ap.
 * The micro-kernels (gemm/kernels.ts) are gemm_f32_4x8 and gemm_f64_4x4: MR = 4 rows by 32 bytes of
 * columns, eight v128 accumulators held in registers over the K loop, B loaded as two v128 per k and
 * A broadcast with load32_splat / load64_splat. Strips are packed k-major (MR or NR values per k) and
 * zero-padded to whole tiles (gemm/pack.ts), so the kernels never see an edge; an edge tile of C is
 * computed into a small scratch tile and merged with scalar code. The first K block applies beta, later
 * K blocks accumulate (beta = 1).
 *
 * Scratch layout (bytes): [0, A_BYTES) Ap; [A_BYTES, A_BYTES + B_BYTES) Bp; then one MR x 32-byte tile.
 */
import { gemm_f32_4x8, gemm_f64_4x4 } from './gemm/kernels';
import { packStrip } from './gemm/pack';

/** Rows of the micro-tile (both dtypes). */
const MR: i32 = 4;
/** Bytes of one micro-tile row: NR = 8 for f32, 4 for f64. */
const NR_BYTES: i32 = 32;
/** K block, in elements, both dtypes: a 256 x NR strip of Bp is 8 KB and stays in L1. */
const KC: i32 = 256;
/** Ap: MC x KC elements (MC = 128 for f32, 64 for f64). */
const A_BYTES: i32 = 128 * 1024;
/** Bp: KC x NC elements (NC = 1024 for f32, 512 for f64). */
const B_BYTES: i32 = 1024 * 1024;
const TILE_BYTES: i32 = MR * NR_BYTES;

/** Bytes of scratch the caller must reserve (16-byte aligned) for every gemm_f32 / gemm_f64 call. */
export function gemm_scratch_bytes(): i32 {
  return A_BYTES + B_BYTES + TILE_BYTES;
}

/** C = alpha * op(A) * op(B) + beta * C in f32; see the module comment for the argument contract. */
export function gemm_f32(
  transA: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f64,
  c: usize,
  ldc: i32,
  scratch: usize,
): void {
  gemm<f32>(transA, transB, M, N, K, <f32>alpha, a, lda, b, ldb, <f32>beta, c, ldc, scratch);
}

/** C = alpha * op(A) * op(B) + beta * C in f64; see the module comment for the argument contract. */
export function gemm_f64(
  transA: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f64,
  c: usize,
  ldc: i32,
  scratch: usize,
): void {
  gemm<f64>(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, scratch);
}

function gemm<T>(
  transA: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: T,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: T,
  c: usize,
  ldc: i32,
  scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  const S = sizeof<T>();
  const ldcb = <usize>ldc * S;
  if (K <= 0 || alpha == 0) {
    scaleC<T>(M, N, beta, c, ldcb);
    return;
  }
  const NR = NR_BYTES / <i32>S;
  const MC = A_BYTES / (KC * <i32>S);
  const NC = B_BYTES / (KC * <i32>S);
  // op(A)[i][k] = a[i*ai + k*ak], op(B)[k][j] = b[k*bk + j*bj] (elements)
  const ai = transA ? 1 : lda;
  const ak = transA ? lda : 1;
  const bk = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  const ap = scratch;
  const bp = scratch + A_BYTES;
  const tile = bp + B_BYTES;

  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const stripB = <usize>kc * NR_BYTES;
      const stripA = <usize>kc * MR * S;
      for (let j = 0; j < nc; j += NR) {
        const src = b + (<usize>pc * bk + <usize>(jc + j) * bj) * S;
        packStrip<T>(bp + <usize>(j / NR) * stripB, NR, src, bk, bj, kc, min(NR, nc - j));
      }
      const betaK = pc == 0 ? beta : <T>1;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        for (let i = 0; i < mc; i += MR) {
          const src = a + (<usize>(ic + i) * ai + <usize>pc * ak) * S;
          packStrip<T>(ap + <usize>(i / MR) * stripA, MR, src, ak, ai, kc, min(MR, mc - i));
        }
        for (let j = 0; j < nc; j += NR) {
          const nr = min(NR, nc - j);
          const pb = bp + <usize>(j / NR) * stripB;
          let cij = c + (<usize>ic * ldcb + <usize>(jc + j) * S);
          let pa = ap;
          for (let i = 0; i < mc; i += MR) {
            const mr = min(MR, mc - i);
            if (mr == MR && nr == NR) {
              microTile<T>(kc, pa, pb, cij, ldcb, alpha, betaK);
            } else {
              microTile<T>(kc, pa, pb, tile, NR_BYTES, <T>1, <T>0);
              mergeTile<T>(mr, nr, tile, cij, ldcb, alpha, betaK);
            }
            pa += stripA;
            cij += ldcb * MR;
          }
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function microTile<T>(kc: i32, pa: usize, pb: usize, c: usize, ldcb: usize, alpha: T, beta: T): void {
  if (sizeof<T>() == 4) gemm_f32_4x8(kc, pa, pb, c, ldcb, <f32>alpha, <f32>beta);
  else gemm_f64_4x4(kc, pa, pb, c, ldcb, <f64>alpha, <f64>beta);
}

/** C[0..mr, 0..nr] = alpha * tile + beta * C (C unread when beta == 0); tile rows are NR_BYTES apart. */
function mergeTile<T>(mr: i32, nr: i32, tile: usize, c: usize, ldcb: usize, alpha: T, beta: T): void {
  const S = sizeof<T>();
  for (let r = 0; r < mr; r++) {
    const t = tile + <usize>r * NR_BYTES;
    const cr = c + <usize>r * ldcb;
    for (let x = 0; x < nr; x++) {
      const o = <usize>x * S;
      const v = alpha * load<T>(t + o);
      store<T>(cr + o, beta == 0 ? v : v + beta * load<T>(cr + o));
    }
  }
}

/** C = beta * C for the K == 0 / alpha == 0 cases; beta == 0 writes zeros without reading C. */
function scaleC<T>(M: i32, N: i32, beta: T, c: usize, ldcb: usize): void {
  if (beta == 1) return;
  const S = sizeof<T>();
  for (let i = 0; i < M; i++) {
    const cr = c + <usize>i * ldcb;
    for (let j = 0; j < N; j++) {
      const p = cr + <usize>j * S;
      store<T>(p, beta == 0 ? <T>0 : beta * load<T>(p));
    }
  }
}
