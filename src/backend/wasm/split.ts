// How one GEMM is cut into chunks for several threads so that the result is bit for bit the one of a
// single call: every element of C is computed by exactly one chunk, with the same operations in the
// same order as the whole call would use. assembly/gemm.ts picks a path by shape (matrix-vector,
// dot products, blocked) and each path has its own summation order, so a chunk must take the same
// path as the whole; within a path, an element's arithmetic depends only on its position relative to
// the micro-tile grid, so chunk boundaries fall on whole tiles: multiples of 8 columns (the f32 tile
// is 4 x 8, the f64 4 x 4, the dot path works in groups of 4 columns) or of 4 rows (MR = 4).
//
// The path rule below mirrors gemm()'s dispatch in assembly/gemm.ts; keep the two in step (the
// threaded parity tests in test/threads.test.ts sweep shapes around each threshold and catch a drift).

/** assembly/gemm.ts: Ap area bytes, (MC_F32 / MR) strips of KC x MR f32 plus STRIP_PAD. */
const A_BYTES = (128 / 4) * (256 * 4 * 4 + 64);
/** assembly/gemm.ts: DOT_MAX_M, DOT_MAX_M_CACHED, DIRECT_B_MAX_BYTES. */
const DOT_MAX_M = 8;
const DOT_MAX_M_CACHED = 32;
const DIRECT_B_MAX_BYTES = 256 * 1024;

/** Chunk boundaries fall on multiples of these (columns, rows). */
const COL_UNIT = 8;
const ROW_UNIT = 4;
/**
 * Every chunk packs the whole of the operand that is not split (op(A) for a column split, op(B) for a
 * row split), at roughly 15 multiply-adds' cost per element. Up to two chunks per thread balance
 * load when a thread is late (a shared machine, a worker still waking), but only while each chunk
 * stays at least this wide, so the repeated packing stays near a tenth of a chunk's time.
 */
const OVERSPLIT_EXTENT = 128;

/**
 * Below this many multiply-adds (M·N·K) a GEMM stays on the calling thread: waking a worker costs
 * about 10 µs, a quarter of a 1M multiply-add GEMM; no chunk gets less than a quarter of it.
 */
export const MIN_THREADED_WORK = 1 << 20;

/** The code path assembly/gemm.ts takes for a shape (S: bytes per element). */
export type GemmPath = 'none' | 'gemv' | 'dots' | 'blocked';

export function gemmPath(transB: boolean, M: number, N: number, K: number, S: number): GemmPath {
  if (M <= 0 || N <= 0 || K <= 0) return 'none';
  if ((M === 1 || N === 1) && K <= A_BYTES / S) return 'gemv';
  if (transB && (M <= DOT_MAX_M || (M <= DOT_MAX_M_CACHED && N * K * S <= DIRECT_B_MAX_BYTES))) return 'dots';
  return 'blocked';
}

/** A GEMM cut along C's columns ('n') or rows ('m'): chunk i covers [bounds[i], bounds[i + 1]). */
export interface GemmSplit {
  axis: 'n' | 'm';
  bounds: number[];
}

/** `chunks` ranges over [0, extent) on multiples of `unit`, the remainder going to the last. */
function cut(extent: number, unit: number, chunks: number): number[] {
  const units = Math.floor(extent / unit);
  const bounds = [0];
  for (let i = 1; i < chunks; i++) bounds.push(Math.floor((units * i) / chunks) * unit);
  bounds.push(extent);
  return bounds;
}

function trySplit(
  axis: 'n' | 'm',
  transB: boolean,
  M: number,
  N: number,
  K: number,
  S: number,
  path: GemmPath,
  threads: number,
  minChunkWork: number,
): GemmSplit | undefined {
  const extent = axis === 'n' ? N : M;
  const unit = axis === 'n' ? COL_UNIT : ROW_UNIT;
  const wanted = Math.min(2 * threads, Math.max(threads, Math.floor(extent / OVERSPLIT_EXTENT)));
  let chunks = Math.min(wanted, Math.floor(extent / unit), Math.floor((M * N * K) / minChunkWork));
  for (; chunks >= 2; chunks--) {
    const bounds = cut(extent, unit, chunks);
    let same = true;
    for (let i = 0; i < chunks && same; i++) {
      const width = bounds[i + 1] - bounds[i];
      same =
        axis === 'n' ? gemmPath(transB, M, width, K, S) === path : gemmPath(transB, width, N, K, S) === path;
    }
    if (same) return { axis, bounds };
  }
  return undefined;
}

/**
 * How to cut C = op(A)·op(B) (M x N, inner K, S bytes per element) into chunks for `threads` threads
 * (one or two per thread), or undefined when it should run as one call: fewer than `minWork` multiply-adds,
 * matrix-vector products (memory-bound, and their chunks would change path), alpha == 0. The dot path
 * splits along columns only; the blocked path along the longer side in tiles, the other if that fails.
 */
export function planGemm(
  transB: boolean,
  M: number,
  N: number,
  K: number,
  S: number,
  alpha: number,
  threads: number,
  minWork = MIN_THREADED_WORK,
): GemmSplit | undefined {
  if (threads < 2 || alpha === 0 || M * N * K < minWork) return undefined;
  const path = gemmPath(transB, M, N, K, S);
  if (path === 'none' || path === 'gemv') return undefined;
  const chunkWork = Math.max(1, minWork / 4);
  if (path === 'dots') return trySplit('n', transB, M, N, K, S, path, threads, chunkWork);
  const first = N / COL_UNIT >= M / ROW_UNIT ? 'n' : 'm';
  return (
    trySplit(first, transB, M, N, K, S, path, threads, chunkWork) ??
    trySplit(first === 'n' ? 'm' : 'n', transB, M, N, K, S, path, threads, chunkWork)
  );
}
