// How one GEMM is cut into chunks for several threads so that the result is bit for bit the one of a
// single call: every element of C is computed by exactly one chunk, with the same operations in the
// same order as the whole call would use. assembly/gemm.ts picks a path by shape (matrix-vector,
// dot products, blocked) and each path has its own summation order, so a chunk must take the same
// path as the whole: the planner asks the module itself (gemm_path) for each candidate chunk. Within
// a path, an element's arithmetic depends only on its position relative to the micro-tile grid, so
// chunk boundaries fall on whole tiles: multiples of 8 columns (the f32 tile is MR x 8, the f64 MR x 4,
// the dot path works in groups of 4 columns) or of ROW_UNIT = 6 rows (MR is 3 or 6 by build).
// A K-split shape (GemmPath.SplitK) is the one exception, by construction: the whole call computes
// SPLIT_K_PARTS parts of K and adds them in order whatever the thread count, and the plan hands the
// parts to the threads (each part possibly cut along its columns as well). Every chunk runs
// gemm_unsplit, so a chunk never splits K again.

import {
  GemmPath,
  K_BLOCK_MASK,
  NR_BYTES,
  ROW_UNIT,
  SPLIT_K_PARTS,
  SPLIT_K_SHIFT,
} from '../../../../assembly/gemm/params.js';

/** Chunk boundaries fall on multiples of these (columns: the f32 tile's width; rows: ROW_UNIT, whole tiles of either build). */
const COL_UNIT = NR_BYTES / 4;
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

/** gemm_path of the module: the path code (GemmPath) gemm takes for a shape, S bytes per element. */
export type PathOf = (transB: number, M: number, N: number, K: number, S: number) => number;

/**
 * A GEMM cut along C's columns ('n') or rows ('m'): chunk i covers [bounds[i], bounds[i + 1]), i <
 * chunks. Or ('k') its SPLIT_K_PARTS parts of K, part p covering [kBounds[p], kBounds[p + 1]), the
 * first into C and the others into partial sums, each part cut into the same `chunks` column ranges
 * (SPLIT_K_PARTS·chunks calls in all). One is kept by the caller and rewritten by every plan, so
 * planning allocates nothing.
 */
export class GemmSplit {
  axis: 'n' | 'm' | 'k' = 'n';
  chunks = 0;
  readonly kBounds = new Float64Array(SPLIT_K_PARTS + 1);
  /** room for two chunks per thread at most */
  readonly bounds = new Float64Array(2 * 64 + 1);
}

/** Writes `chunks` ranges over [0, extent) on multiples of `unit` to `out`, the remainder going to the last. */
function cut(extent: number, unit: number, chunks: number, out: GemmSplit): void {
  const units = Math.floor(extent / unit);
  out.bounds[0] = 0;
  for (let i = 1; i < chunks; i++) out.bounds[i] = Math.floor((units * i) / chunks) * unit;
  out.bounds[chunks] = extent;
  out.chunks = chunks;
}

function trySplit(
  pathOf: PathOf,
  axis: 'n' | 'm',
  transB: number,
  M: number,
  N: number,
  K: number,
  S: number,
  path: number,
  threads: number,
  minChunkWork: number,
  out: GemmSplit,
): boolean {
  const extent = axis === 'n' ? N : M;
  // a matrix-vector product's output runs along SIMD lanes either way (with a scalar tail that the
  // relaxed build's fused vector lanes would round differently), so its chunks cut on COL_UNIT
  const unit = axis === 'n' || path === GemmPath.Gemv ? COL_UNIT : ROW_UNIT;
  const wanted = Math.min(2 * threads, Math.max(threads, Math.floor(extent / OVERSPLIT_EXTENT)));
  let chunks = Math.min(wanted, Math.floor(extent / unit), Math.floor((M * N * K) / minChunkWork));
  for (; chunks >= 2; chunks--) {
    cut(extent, unit, chunks, out);
    const bounds = out.bounds;
    let same = true;
    for (let i = 0; i < chunks && same; i++) {
      const width = bounds[i + 1] - bounds[i];
      const chunkPath = axis === 'n' ? pathOf(transB, M, width, K, S) : pathOf(transB, width, N, K, S);
      // chunks run gemm_unsplit, which takes a K-split shape blocked
      same = (chunkPath === GemmPath.SplitK ? GemmPath.Blocked : chunkPath) === path;
    }
    if (same) {
      out.axis = axis;
      return true;
    }
  }
  return false;
}

/**
 * How to cut C = op(A)·op(B) (M x N, inner K, S bytes per element) into chunks for `threads` threads
 * (one or two per thread), written to `out`; false when it should run as one call: fewer than
 * `minWork` multiply-adds, alpha == 0. Matrix-vector products split along their output (memory-bound,
 * they gain from the bandwidth a second core adds); the dot path splits along columns only; a K-split
 * shape into its parts of K; the blocked path along the longer side in tiles, the other if that
 * fails.
 */
export function planGemm(
  pathOf: PathOf,
  transB: number,
  M: number,
  N: number,
  K: number,
  S: number,
  alpha: number,
  threads: number,
  minWork: number,
  out: GemmSplit,
): boolean {
  if (threads < 2 || alpha === 0 || M * N * K < minWork) return false;
  const path = pathOf(transB, M, N, K, S);
  if (path === GemmPath.None) return false;
  const chunkWork = Math.max(1, minWork / 4);
  if (path === GemmPath.SplitK) {
    // the parts among the threads, then each part's columns among the threads left over
    const ranges = Math.floor(threads / SPLIT_K_PARTS);
    cut(N, COL_UNIT, Math.max(1, Math.min(ranges, Math.floor(N / COL_UNIT))), out);
    out.axis = 'k';
    for (let p = 1; p < SPLIT_K_PARTS; p++)
      out.kBounds[p] = (((p * K) >> SPLIT_K_SHIFT) & K_BLOCK_MASK) >>> 0;
    out.kBounds[SPLIT_K_PARTS] = K;
    return true;
  }
  // a matrix-vector product is cut along its output: each chunk streams its own part of the matrix
  if (path === GemmPath.Gemv)
    return trySplit(pathOf, M === 1 ? 'n' : 'm', transB, M, N, K, S, path, threads, chunkWork, out);
  if (path === GemmPath.Dots) return trySplit(pathOf, 'n', transB, M, N, K, S, path, threads, chunkWork, out);
  const first = N / COL_UNIT >= M / ROW_UNIT ? 'n' : 'm';
  return (
    trySplit(pathOf, first, transB, M, N, K, S, path, threads, chunkWork, out) ||
    trySplit(pathOf, first === 'n' ? 'm' : 'n', transB, M, N, K, S, path, threads, chunkWork, out)
  );
}
