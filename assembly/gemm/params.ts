// GEMM's blocking constants and path codes, shared by the AssemblyScript kernels (assembly/gemm.ts)
// and the TypeScript thread planner (src/backend/wasm/threads/split-gemm.ts): plain integer constants,
// valid in both languages (AssemblyScript infers i32), so neither side keeps a copy.

/**
 * Rows of the micro-tile, both dtypes: 3 in the SIMD128 build, 6 in the relaxed-SIMD build, whose
 * fused multiply-add frees a register per row (see gemm/kernels.ts). ASC_FEATURE_RELAXED_SIMD is
 * AssemblyScript's compile-time flag; TypeScript sees the SIMD128 value and plans threads on ROW_UNIT.
 */
export const MR_SIMD128 = 3;
export const MR_RELAXED = 6;
// @ts-ignore: AssemblyScript's compile-time constant; TypeScript code uses ROW_UNIT instead
export const MR = typeof ASC_FEATURE_RELAXED_SIMD !== 'undefined' && ASC_FEATURE_RELAXED_SIMD ? MR_RELAXED : MR_SIMD128;
/** Row boundaries of thread chunks: whole tiles of either build. */
export const ROW_UNIT = MR_RELAXED;
/** Bytes of one micro-tile row: NR = 8 columns for f32, 4 for f64. */
export const NR_BYTES = 32;
/** K block, in elements, both dtypes: a KC x NR strip of B is 8 KB and stays in L1. */
export const KC = 256;
/** M block (rows of Ap, whole micro-tiles) and N block (columns of Bp), in elements, per dtype. */
export const MC_F32 = 126;
export const MC_F64 = 66;
export const NC_F32 = 256;
export const NC_F64 = 256;
/**
 * Bytes between consecutive packed strips beyond the strip itself: full strips are 4 or 8 KB, and the
 * pad keeps A strips, B strips and power-of-two C rows from all sharing an offset modulo 4 KB (4K
 * aliasing between the kernel's C stores and its strip loads).
 */
export const STRIP_PAD = 64;
/** Ap: MC / MR strips of KC x MR elements plus pads, the larger of the two dtypes' blocks. */
const A_BYTES_F32 = ((MC_F32 + MR - 1) / MR) * (KC * MR * 4 + STRIP_PAD);
const A_BYTES_F64 = ((MC_F64 + MR - 1) / MR) * (KC * MR * 8 + STRIP_PAD);
export const A_BYTES = A_BYTES_F32 > A_BYTES_F64 ? A_BYTES_F32 : A_BYTES_F64;
/**
 * A non-transposed B is read in place instead of packed when C has at most DIRECT_B_MAX_M rows (few
 * reuses of each B strip, so packing would mostly copy), and either all of B is at most
 * DIRECT_B_MAX_BYTES, or each KC x NC block of it is at most DIRECT_B_MAX_BLOCK_BYTES, all of B at
 * most DIRECT_B_MAX_TOTAL_BYTES, and its rows are not a multiple of 256 bytes apart (such strides put
 * a strip's rows in a few L1 sets, which then thrash: 30x1024x1024 f32 26 GFLOP/s in place). Blocks of
 * a large B are read through in address order before use (see gemm.ts), which is what makes reading
 * them in place pay. Measured, one thread: W1·X 20x12288x209 f64 (B 20 MB) 22.3 -> 24.2-24.5 GFLOP/s
 * in place.
 */
export const DIRECT_B_MAX_M = 32;
export const DIRECT_B_MAX_BYTES = 256 * 1024;
export const DIRECT_B_MAX_BLOCK_BYTES = 512 * 1024;
export const DIRECT_B_MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/**
 * With B transposed, C is computed as dot products of rows (gemm/dot.ts) when it has at most
 * DOT_MAX_M rows, or at most DOT_MAX_M_CACHED rows and B is small enough to be cached. Measured:
 * 4x400x209 28 vs 17 GFLOP/s and 7x64x209 24 vs 18 for the dots; at 20x12288x209 (B streamed from
 * memory) the packed path wins, 25 vs 24.
 */
export const DOT_MAX_M = 8;
export const DOT_MAX_M_CACHED = 32;

/**
 * Few rows of C and a long K (the course's W1·X: 20 rows, K = 12288 features) are computed as
 * SPLIT_K_PARTS parts of K, the first into C and each other into its own partial area of scratch,
 * then added to C in order: each part streams its own contiguous range of B's rows, so threads each
 * read their part of memory in address order and pack only their part of A, where a cut along N had
 * every thread walk every row of B. The single-threaded call computes the same parts, so results do
 * not depend on the thread count; four parts, not two, so that two threads still share the work
 * when one of them starts late (a worker waking up). A non-transposed B only (the shape that streams
 * B in place), M <= SPLIT_K_MAX_M rows, K at least SPLIT_K_MIN_K, and C within PARTIAL_BYTES. Part p
 * ends at ((p + 1)·K >> SPLIT_K_SHIFT) & K_BLOCK_MASK (the last at K): on a K block boundary.
 */
export const SPLIT_K_MAX_M = 32;
export const SPLIT_K_MIN_K = 4096;
export const SPLIT_K_SHIFT = 2;
export const SPLIT_K_PARTS = 1 << SPLIT_K_SHIFT;
export const PARTIAL_BYTES = 64 * 1024;
/** The partial areas at the end of every thread's scratch: one per part after the first. */
export const PARTIALS_BYTES = (SPLIT_K_PARTS - 1) * PARTIAL_BYTES;
export const K_BLOCK_MASK = ~(KC - 1);

/** The code paths of gemm, as gemm_path reports them. */
export enum GemmPath {
  /** M, N or K is 0, or alpha is 0: C = beta·C only */
  None = 0,
  /** M == 1 or N == 1: a matrix-vector product */
  Gemv = 1,
  /** B transposed and few rows of C: dot products of rows */
  Dots = 2,
  /** the packed, blocked micro-kernel path */
  Blocked = 3,
  /** the blocked path run as SPLIT_K_PARTS parts of K, added in order (SPLIT_K_* above) */
  SplitK = 4,
}
