/**
 * GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, f32 and f64.
 *
 * Arguments (both dtypes; alpha and beta are f64 in both signatures and rounded once for f32):
 * - transA, transB: 0 or 1. op(A) is (M, K); with transA, A is stored (K, M). op(B) is (K, N); with
 *   transB, B is stored (N, K). The transposes are absorbed by packing, so all four combinations run
 *   the same inner loop at the same speed (the backward pass needs dZ·A_prevᵀ and Wᵀ·dZ) and nothing
 *   is ever transposed in memory.
 * - M, N, K >= 0. M == 0 or N == 0 is a no-op; K == 0 or alpha == 0 gives C = beta*C without reading
 *   A or B (BLAS semantics).
 * - a, b, c: byte offsets into linear memory, element-aligned only (4 or 8 bytes: callers pass offsets
 *   into arrays, so nothing assumes 16-byte alignment; v128 loads and stores are unaligned-safe).
 * - lda, ldb, ldc: row strides of the matrices as stored, in elements; they may exceed the logical
 *   width (sub-views).
 * - beta == 0 overwrites C without reading it, so NaN or garbage already in C never leaks.
 * - scratch: gemm_scratch_bytes() bytes (about 1.2 MB), 16-byte aligned, owned by the kernel for the
 *   call (packed panels); its contents are garbage on entry and on exit. One scratch per thread.
 * - Aliasing: a, b and c must not overlap each other or scratch. Kernels never allocate or throw.
 *
 * Blocking (Goto / BLIS):
 *   jc over N by NC  >  pc over K by KC: pack op(B)[pc.., jc..] into Bp (KC x NC, 256 KB)
 *   >  ic over M by MC: pack op(A)[ic.., pc..] into Ap (MC x KC, 128 KB, L2)
 *   >  jr over NC by NR: one micro-kernel call walks down a column of tiles, ir over MC by MR,
 *      keeping its KC x NR strip of B in L1 and streaming the MR x KC strips of Ap from L2.
 * The micro-kernels (gemm/kernels.ts) are MR x 8 (f32) and MR x 4 (f64) tiles: MR = 3 rows in the SIMD128 build and 6
 * in the relaxed-SIMD one (see gemm/kernels.ts), by 32 bytes of columns, two v128 accumulators per row held in registers over the K loop, B loaded as two v128 per k and
 * A broadcast with load32_splat / load64_splat; a short M that 4-row tiles cover exactly and MR-row
 * tiles do not (the course's 20 rows) takes 4-row tiles instead (TILE4_MAX_M). Strips are packed
 * k-major (a tile's height or NR values per k) and zero-padded to whole tiles (gemm/pack.ts): the last
 * M % MR rows take a kernel of their height, straight into C; the last partial column strip goes through a one-tile scratch buffer merged into C with
 * alpha/beta. The first K block applies beta, later ones add (beta = 1).
 * Other paths, chosen by shape before the blocked one:
 * - M == 1 or N == 1: a matrix-vector product (gemm/gemv.ts) streaming the matrix once, unpacked.
 * - B transposed and few rows of C (dW = dZ·A_prevᵀ of a small layer): dot products of contiguous rows
 *   (gemm/dot.ts), B read in place.
 * - Few rows of C (M <= 32) and a small non-transposed B: B read in place by the micro-kernel
 *   (packing it would cost as much as using it); only its partial edge strip is packed.
 * - Few rows of C and a long K, B not transposed: four parts of K, the first into C and the others
 *   into partial areas, then added to C in order (gemm/params.ts, SPLIT_K_*), whatever the number of
 *   threads.
 * A B larger than L2 is first read through once per block, a byte per cache line in address order (the
 * sequential pass the hardware prefetcher streams), before packing or the in-place kernels walk it by
 * strips: measured on the course's X, one thread, W1·X f64 18 -> 22.6 GFLOP/s, dZ1·Xᵀ f32 39.5 -> 46.5.
 * Every path gives the same results up to rounding (f32 sums in f32, f64 in f64), with the same
 * alpha/beta semantics.
 *
 * Scratch layout (bytes): Ap (A_BYTES) | Bp (B_BYTES) | edge tile (TILE_BYTES) | partials (PARTIALS_BYTES).
 */
import { gemmTiles1, gemmTiles2, gemmTiles3, gemmTiles4, gemmTiles5, gemmTiles6, gemmTilesOf4 } from './gemm/kernels';
import { gemmDot1x1, gemmDot2x4 } from './gemm/dot';
import { gemvAxpy, gemvDot } from './gemm/gemv';
import {
  A_BYTES,
  DIRECT_B_MAX_BLOCK_BYTES,
  DIRECT_B_MAX_BYTES,
  DIRECT_B_MAX_M,
  DIRECT_B_MAX_TOTAL_BYTES,
  DOT_MAX_M,
  DOT_MAX_M_CACHED,
  GemmPath,
  KC,
  MC_F32,
  MC_F64,
  MR,
  NC_F32,
  NC_F64,
  K_BLOCK_MASK,
  NR_BYTES,
  PARTIAL_BYTES,
  PARTIALS_BYTES,
  SPLIT_K_MAX_M,
  SPLIT_K_MIN_K,
  SPLIT_K_PARTS,
  SPLIT_K_SHIFT,
  STRIP_PAD,
} from './gemm/params';
import { packBlock } from './gemm/pack';

/**
 * Row strips of a block from which the full tiles are computed column by column (each B strip reused
 * from L1 by every A strip) rather than strip by strip along the rows (one kernel call per strip):
 * measured, 512³ 61 -> 64 GFLOP/s f32 by columns, and a 4x2·2x400 product 2.2x slower by columns.
 */
const COLUMN_WALK_MIN_STRIPS = 3;
/** Bp: NC / NR strips of KC x NR elements plus pads, the larger of the two dtypes' blocks. */
const B_BYTES: i32 = max(NC_F32 / (NR_BYTES / 4), NC_F64 / (NR_BYTES / 8)) * (KC * NR_BYTES + STRIP_PAD);
/**
 * A short M (at most TILE4_MAX_M rows) that 4-row tiles cover exactly and MR-row tiles do not is
 * computed in 4-row tiles: the course's 20 rows as five strips instead of six of 3 rows and a 2-row
 * strip that costs nearly as much as a full one. Measured, one thread, paired runs of two builds:
 * W1·X (20x12288 · 12288x209) 2-3 % faster (SIMD128 build, Node 20) and 2.5-9.5 % (relaxed build,
 * Node 26); a tall M keeps MR, whose tile is the faster one on its own (512³ float64 2.6 % slower
 * when every product used 4-row tiles).
 */
const TILE4_MAX_M = 64;
const TILE_BYTES: i32 = max(MR, 4) * NR_BYTES;

/** The height of the full tiles of a blocked product with M rows (see TILE4_MAX_M). */
// @ts-ignore: decorator
@inline function tileRows(M: i32): i32 {
  return M <= TILE4_MAX_M && M % 4 == 0 && M % MR != 0 ? 4 : MR;
}

/** Outputs per gemvAxpy / gemvDot call: an 8 or 16 KB y stays in L1 while rows of R stream past. */
const GEMV_CHUNK: i32 = 2048;

/** Bytes of scratch the caller must reserve (16-byte aligned) for every gemm call. */
export function gemmScratchBytes(): i32 {
  return A_BYTES + B_BYTES + TILE_BYTES + PARTIALS_BYTES;
}

/**
 * The path gemm takes for a shape, S bytes per element (see the module comment); alpha == 0 aside.
 * The thread planner asks it so that every chunk of a split call takes the path of the whole.
 */
export function gemmPath(transB: i32, M: i32, N: i32, K: i32, S: i32): i32 {
  if (M <= 0 || N <= 0 || K <= 0) return GemmPath.None;
  if ((M == 1 || N == 1) && K <= A_BYTES / S) return GemmPath.Gemv;
  if (transB && (M <= DOT_MAX_M || (M <= DOT_MAX_M_CACHED && <usize>N * K * S <= <usize>DIRECT_B_MAX_BYTES))) {
    return GemmPath.Dots;
  }
  if (!transB && M <= SPLIT_K_MAX_M && K >= SPLIT_K_MIN_K && <usize>M * N * S <= <usize>PARTIAL_BYTES) {
    return GemmPath.SplitK;
  }
  return GemmPath.Blocked;
}

/** C = alpha * op(A) * op(B) + beta * C; see the module comment for the argument contract. */
export function gemm<T>(
  c: usize,
  ldc: i32,
  a: usize,
  lda: i32,
  transA: i32,
  b: usize,
  ldb: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: T,
  beta: T,
  scratch: usize,
): void {
  const S = sizeof<T>();
  if (alpha == 0 || gemmPath(transB, M, N, K, <i32>S) != GemmPath.SplitK) {
    gemmUnsplit<T>(c, ldc, a, lda, transA, b, ldb, transB, M, N, K, alpha, beta, scratch);
    return;
  }
  // the thread planner (split-gemm.ts) runs these same calls and merges, possibly on several threads
  const partials = scratch + <usize>gemmScratchBytes() - PARTIALS_BYTES;
  const ak = <usize>(transA ? lda : 1) * S;
  const bk = <usize>(transB ? 1 : ldb) * S;
  let k0 = 0;
  for (let p = 0; p < SPLIT_K_PARTS; p++) {
    const k1 = p == SPLIT_K_PARTS - 1 ? K : (((p + 1) * K) >> SPLIT_K_SHIFT) & K_BLOCK_MASK;
    const out = p == 0 ? c : partials + <usize>(p - 1) * PARTIAL_BYTES;
    const a0 = a + <usize>k0 * ak;
    const b0 = b + <usize>k0 * bk;
    gemmUnsplit<T>(out, p == 0 ? ldc : N, a0, lda, transA, b0, ldb, transB, M, N, k1 - k0, alpha, p == 0 ? beta : <T>0, scratch);
    k0 = k1;
  }
  for (let p = 1; p < SPLIT_K_PARTS; p++) gemmMerge<T>(c, ldc, partials + <usize>(p - 1) * PARTIAL_BYTES, M, N);
}

/**
 * C[i][j] += P[i][j] over (M, N), P's rows N elements apart: a later part of a K-split gemm. The
 * edge-tile merge with alpha = beta = 1, whose products by 1 are exact: C + P, rounded once.
 */
export function gemmMerge<T>(c: usize, ldc: i32, p: usize, M: i32, N: i32): void {
  const S = <usize>sizeof<T>();
  mergeTile<T>(M, N, p, <usize>N * S, c, <usize>ldc * S, <T>1, <T>1);
}

/**
 * gemm without the K split: the path the shape takes otherwise (a SplitK shape runs blocked). The
 * thread pool runs every chunk of a split call with it, the parts of a K split among them.
 */
export function gemmUnsplit<T>(
  c: usize,
  ldc: i32,
  a: usize,
  lda: i32,
  transA: i32,
  b: usize,
  ldb: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: T,
  beta: T,
  scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  let path = alpha == 0 ? GemmPath.None : gemmPath(transB, M, N, K, <i32>sizeof<T>());
  if (path == GemmPath.SplitK) path = GemmPath.Blocked;
  gemmOnPath<T>(path, true, c, ldc, a, lda, transA, b, ldb, transB, M, N, K, alpha, beta, scratch);
}

/**
 * gemm on a given path (not SplitK; None only when alpha == 0 or K == 0): the part of a larger
 * product, computed as that product's path computes it. `touch`: a B beyond L2 is read through in
 * address order first (false when the caller has just brought B into cache).
 */
export function gemmOnPath<T>(
  path: i32,
  touch: bool,
  c: usize,
  ldc: i32,
  a: usize,
  lda: i32,
  transA: i32,
  b: usize,
  ldb: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: T,
  beta: T,
  scratch: usize,
): void {
  const S = sizeof<T>();
  const ldcb = <usize>ldc * S;
  if (path == GemmPath.None) {
    scaleC<T>(M, N, beta, c, ldcb);
    return;
  }
  if (path == GemmPath.Gemv) {
    gemv<T>(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, scratch);
    return;
  }
  if (path == GemmPath.Dots) {
    gemmDots<T>(transA, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, scratch);
    return;
  }
  const NR = NR_BYTES / <i32>S;
  const MC = S == 4 ? MC_F32 : MC_F64;
  const NC = S == 4 ? NC_F32 : NC_F64;
  // full tiles of h rows from strips of h rows (MR, or 4: see TILE4_MAX_M); M <= MC whenever h != MR
  const h = tileRows(M);
  // op(A)[i][k] = a[i*ai + k*ak], op(B)[k][j] = b[k*bk + j*bj] (elements)
  const ai = transA ? 1 : lda;
  const ak = transA ? lda : 1;
  const bk = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  // A row-major B with few rows of C to reuse it is read in place: packing would copy all of B
  // (K*N elements, often the largest operand) to use each strip only M/MR times
  const bBytes = <usize>K * N * S;
  const blockBytes = <usize>min(K, KC) * min(N, NC) * S;
  const directB =
    !transB &&
    M <= DIRECT_B_MAX_M &&
    (bBytes <= <usize>DIRECT_B_MAX_BYTES ||
      (blockBytes <= <usize>DIRECT_B_MAX_BLOCK_BYTES &&
        bBytes <= <usize>DIRECT_B_MAX_TOTAL_BYTES &&
        ((<usize>ldb * S) & 255) != 0));
  const ap = scratch;
  const bp = scratch + A_BYTES;
  const tile = bp + B_BYTES;

  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    const ntFull = nc / NR;
    const ncFull = ntFull * NR;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const stripB = <usize>kc * NR_BYTES + STRIP_PAD;
      const stripA = <usize>kc * h * S + STRIP_PAD;
      const bBlock = b + (<usize>pc * bk + <usize>jc * bj) * S;
      // full column strips: packed at bp, or B itself; the zero-padded edge strip is always packed
      let pbFull = bp;
      let bks: usize = NR_BYTES;
      let bstep = stripB;
      let pbEdge = bp + <usize>ntFull * stripB;
      // a B beyond L2 is read block by block in address order first, a line at a time: the hardware
      // prefetcher streams such a pass, where packing or the kernels' walk down strips of columns
      // stall on each line that comes from L3 or memory
      if (touch && bBytes > <usize>TOUCH_MIN_BYTES) {
        if (transB) touchRows(bBlock, nc, <usize>kc * S, <usize>ldb * S);
        else touchRows(bBlock, kc, <usize>nc * S, <usize>ldb * S);
      }
      if (directB) {
        pbFull = bBlock;
        bks = <usize>ldb * S;
        bstep = NR_BYTES;
        pbEdge = bp;
        if (ncFull < nc) packBlock<T>(bp, NR, stripB, bBlock + <usize>ncFull * S, bk, bj, kc, nc - ncFull);
      } else {
        packBlock<T>(bp, NR, stripB, bBlock, bk, bj, kc, nc);
      }
      const betaK = pc == 0 ? beta : <T>1;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packBlock<T>(ap, h, stripA, a + (<usize>ic * ai + <usize>pc * ak) * S, ak, ai, kc, mc);
        const mtFull = mc / h;
        const mr = mc - mtFull * h;
        const cBlock = c + (<usize>ic * ldcb + <usize>jc * S);
        const ldcStrip = <usize>h * ldcb;
        const cLast = cBlock + <usize>mtFull * ldcStrip;
        const paLast = ap + <usize>mtFull * stripA;
        // full tiles: with enough row strips, column by column (the B strip stays in L1 while the A
        // strips stream past it), else strip by strip along the row (one call per strip, not per
        // tile); the last, shorter rows (M % MR) by a kernel of their height along the row
        if (mtFull >= COLUMN_WALK_MIN_STRIPS) {
          for (let t = 0; t < ntFull; t++) {
            const ct = <usize>t * NR_BYTES;
            tiles<T>(h, kc, mtFull, h, ap, stripA, pbFull + <usize>t * bstep, bks, 0, cBlock + ct, ldcStrip, ldcb, alpha, betaK);
          }
        } else if (ntFull > 0) {
          for (let i = 0; i < mtFull; i++) {
            const pa = ap + <usize>i * stripA;
            tiles<T>(h, kc, ntFull, h, pa, 0, pbFull, bks, bstep, cBlock + <usize>i * ldcStrip, NR_BYTES, ldcb, alpha, betaK);
          }
        }
        if (mr > 0 && ntFull > 0) tiles<T>(mr, kc, ntFull, h, paLast, 0, pbFull, bks, bstep, cLast, NR_BYTES, ldcb, alpha, betaK);
        // the zero-padded edge strip of B (N % NR columns) through the scratch tile
        if (ncFull < nc) {
          let pa = ap;
          const ce = <usize>ncFull * S;
          for (let i = 0; i < mtFull; i++) {
            tiles<T>(h, kc, 1, h, pa, 0, pbEdge, NR_BYTES, 0, tile, 0, NR_BYTES, <T>1, <T>0);
            mergeTile<T>(h, nc - ncFull, tile, NR_BYTES, cBlock + <usize>i * ldcStrip + ce, ldcb, alpha, betaK);
            pa += stripA;
          }
          if (mr > 0) {
            tiles<T>(mr, kc, 1, h, paLast, 0, pbEdge, NR_BYTES, 0, tile, 0, NR_BYTES, <T>1, <T>0);
            mergeTile<T>(mr, nc - ncFull, tile, NR_BYTES, cLast + ce, ldcb, alpha, betaK);
          }
        }
      }
    }
  }
}

/**
 * B transposed and few rows of C: every C element is a dot product of an op(A) row and a B row, both
 * contiguous along k (gemm/dot.ts). B is read in place, four rows at a time; op(A) is read in place
 * too, or (transA) copied per K block into row-major scratch. 2 x 4 tiles, single rows and columns at
 * the edges.
 */
function gemmDots<T>(
  transA: i32,
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
  const S = sizeof<T>();
  const ldcb = <usize>ldc * S;
  const ldbb = <usize>ldb * S;
  // a transposed A is copied per K block: M <= DOT_MAX_M_CACHED rows of KC elements fit the Ap area
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    const betaK = pc == 0 ? beta : <T>1;
    let ar = a + <usize>pc * S;
    let ldar = <usize>lda * S;
    if (transA) {
      // op(A)[i][pc + k] = A[pc + k][i], copied to M rows of kc elements, 16-byte aligned rows
      ldar = (<usize>kc * S + 15) & ~15;
      for (let k = 0; k < kc; k++) {
        const src = a + (<usize>(pc + k) * lda) * S;
        for (let i = 0; i < M; i++) store<T>(scratch + <usize>i * ldar + <usize>k * S, load<T>(src + <usize>i * S));
      }
      ar = scratch;
    }
    const br = b + <usize>pc * S;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const bj = br + <usize>j * ldbb;
      const cj = c + <usize>j * S;
      let i = 0;
      for (; i + 2 <= M; i += 2) {
        gemmDot2x4<T>(kc, ar + <usize>i * ldar, ldar, bj, ldbb, cj + <usize>i * ldcb, ldcb, alpha, betaK);
      }
      if (i < M) {
        for (let x = 0; x < 4; x++) {
          const cx = cj + <usize>i * ldcb + <usize>x * S;
          gemmDot1x1<T>(kc, ar + <usize>i * ldar, bj + <usize>x * ldbb, cx, alpha, betaK);
        }
      }
    }
    // the last N % 4 columns: column j of C is op(A)'s rows dotted with B's row j, 4 rows at a time
    for (; j < N; j++) {
      const y = scratch + A_BYTES;
      gemvDot<T>(M, kc, br + <usize>j * ldbb, ar, ldar, y);
      const cj = c + <usize>j * S;
      for (let i = 0; i < M; i++) {
        const p = cj + <usize>i * ldcb;
        const v = alpha * load<T>(y + <usize>i * S);
        store<T>(p, betaK == 0 ? v : v + betaK * load<T>(p));
      }
    }
  }
}

/**
 * The M == 1 or N == 1 case as a matrix-vector product (gemm/gemv.ts): the vector is op(A)'s row or
 * op(B)'s column (gathered into scratch if strided, at most A_BYTES), the matrix is the other operand,
 * read in place; y is computed in chunks of GEMV_CHUNK in the Bp area and merged into C's row or column.
 */
function gemv<T>(
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
  const S = sizeof<T>();
  let x: usize;
  let xs: i32;
  let r: usize;
  let ldr: usize;
  let dot: bool;
  let n: i32;
  let cs: usize;
  if (M == 1) {
    // C[0][j] = sum_k A(0, k) * op(B)[k][j]: B stored (N, K) has rows along k
    x = a;
    xs = transA ? lda : 1;
    r = b;
    ldr = <usize>ldb * S;
    dot = transB != 0;
    n = N;
    cs = S;
  } else {
    // C[i][0] = sum_k op(A)[i][k] * B(k, 0): A stored (M, K) has rows along k
    x = b;
    xs = transB ? 1 : ldb;
    r = a;
    ldr = <usize>lda * S;
    dot = transA == 0;
    n = M;
    cs = <usize>ldc * S;
  }
  if (xs != 1) {
    const xsb = <usize>xs * S;
    for (let k = 0; k < K; k++) store<T>(scratch + <usize>k * S, load<T>(x + <usize>k * xsb));
    x = scratch;
  }
  const y = scratch + A_BYTES;
  for (let j0 = 0; j0 < n; j0 += GEMV_CHUNK) {
    const nj = min(GEMV_CHUNK, n - j0);
    if (dot) gemvDot<T>(nj, K, x, r + <usize>j0 * ldr, ldr, y);
    else gemvAxpy<T>(nj, K, x, r + <usize>j0 * S, ldr, y);
    const cj = c + <usize>j0 * cs;
    if (cs == S) {
      mergeTile<T>(1, nj, y, 0, cj, 0, alpha, beta);
    } else {
      for (let j = 0; j < nj; j++) {
        const p = cj + <usize>j * cs;
        const v = alpha * load<T>(y + <usize>j * S);
        store<T>(p, beta == 0 ? v : v + beta * load<T>(p));
      }
    }
  }
}

/** B larger than this (bytes, about L2) is touched block by block before the kernels read it in place. */
const TOUCH_MIN_BYTES: i32 = 1 << 20;

/** Keeps the touch loads alive: their sum is stored, so no optimizer drops them. */
let touchSink: u32 = 0;

/** Reads one byte per 64-byte line of `rows` rows of `width` bytes, `stride` bytes apart, in address order. */
export function touchRows(p: usize, rows: i32, width: usize, stride: usize): void {
  let sum: u32 = 0;
  for (let k = 0; k < rows; k++) {
    const row = p + <usize>k * stride;
    for (let o: usize = 0; o < width; o += 64) sum += load<u8>(row + o);
  }
  touchSink += sum;
}

/** nt rows x NR tiles (rows <= h, the strip height: MR, or 4 with rows == 4) along a row or down a column of C (see gemm/kernels.ts). */
// @ts-ignore: decorator
@inline function tiles<T>(
  rows: i32,
  kc: i32,
  nt: i32,
  h: i32,
  pa: usize,
  astep: usize,
  pb: usize,
  bks: usize,
  bstep: usize,
  c: usize,
  cstep: usize,
  ldcb: usize,
  alpha: T,
  beta: T,
): void {
  if (h != MR) gemmTilesOf4<T>(kc, nt, pa, astep, pb, bks, bstep, c, cstep, ldcb, alpha, beta);
  else if (rows == 6) gemmTiles6<T>(kc, nt, pa, astep, pb, bks, bstep, c, cstep, ldcb, alpha, beta);
  else if (rows == 5) gemmTiles5<T>(kc, nt, pa, astep, pb, bks, bstep, c, cstep, ldcb, alpha, beta);
  else if (rows == 4) gemmTiles4<T>(kc, nt, pa, astep, pb, bks, bstep, c, cstep, ldcb, alpha, beta);
  else if (rows == 3) gemmTiles3<T>(kc, nt, pa, astep, pb, bks, bstep, c, cstep, ldcb, alpha, beta);
  else if (rows == 2) gemmTiles2<T>(kc, nt, pa, astep, pb, bks, bstep, c, cstep, ldcb, alpha, beta);
  else gemmTiles1<T>(kc, nt, pa, astep, pb, bks, bstep, c, cstep, ldcb, alpha, beta);
}

/** C[0..mr, 0..nr] = alpha * T + beta * C (C unread when beta == 0); T's rows are ldt bytes apart. */
function mergeTile<T>(mr: i32, nr: i32, t: usize, ldt: usize, c: usize, ldcb: usize, alpha: T, beta: T): void {
  const S = sizeof<T>();
  const L = 16 / <i32>S;
  const valpha = v128.splat<T>(alpha);
  const vbeta = v128.splat<T>(beta);
  for (let r = 0; r < mr; r++) {
    const tr = t + <usize>r * ldt;
    const cr = c + <usize>r * ldcb;
    let x = 0;
    if (beta == 0) {
      for (; x + L <= nr; x += L) {
        const o = <usize>x * S;
        v128.store(cr + o, v128.mul<T>(valpha, v128.load(tr + o)));
      }
      for (; x < nr; x++) {
        const o = <usize>x * S;
        store<T>(cr + o, alpha * load<T>(tr + o));
      }
    } else {
      for (; x + L <= nr; x += L) {
        const o = <usize>x * S;
        const v = v128.mul<T>(valpha, v128.load(tr + o));
        v128.store(cr + o, v128.add<T>(v, v128.mul<T>(vbeta, v128.load(cr + o))));
      }
      for (; x < nr; x++) {
        const o = <usize>x * S;
        store<T>(cr + o, alpha * load<T>(tr + o) + beta * load<T>(cr + o));
      }
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
