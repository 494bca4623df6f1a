// How one element-wise kernel call is cut into chunks for several threads so that the result is bit
// for bit the one of a single call: every output element is computed by exactly one chunk, by the same
// loop of the kernel, in the same lane group, as in the whole call.
//
// Flat kernels (binary's contiguous and broadcast-scalar runs, unary, unaryGrad, axpy, fill) are one
// loop over n elements: vector steps from the start, then a scalar tail. An element's arithmetic may
// depend on whether a vector or the scalar tail computes it, so a chunk must start where a vector step
// of the whole call starts; then, with chunk lengths multiples of that step (the last chunk excepted),
// every element falls in the same loop as in the whole call. The steps, from assembly/:
//   - elementwise.ts rowVV, rowVS, rowSV and fillRow: two vectors (32 bytes) per step, then one
//     vector (16 bytes), then scalars;
//   - activations.ts mapUnary, mapUnaryGrad and fused.ts axpy: one vector (16 bytes), then scalars;
//   - elementwise.ts rowStrided (binary with other strides): scalars only.
// So a boundary must be a multiple of 32 bytes from the start. We cut on multiples of 64 bytes (16 f32,
// 8 f64), a multiple of every step, and a cache line: where the output is 64-aligned no two threads
// write the same line.
//
// Per-row kernels (binary's (m, n) broadcasts, biasActivation, activationGradSum, subRowSum) restart
// their loops at every row and activationGradSum / subRowSum also write one sum per row, so they are
// cut on whole rows: each row is done by one thread, exactly as in the whole call.

import { BinaryOp, UnaryOp } from '../../ops.js';

/** Flat chunks start on multiples of this many bytes from the start of the call (see above). */
export const UNIT_BYTES = 64;

/**
 * Below this much work (see workOf) an element-wise call stays on the calling thread: 2^17 float32
 * elements of a cheap kernel, 2^16 float64 ones, 2^13 / 2^12 of tanh, sigmoid, exp, log or pow.
 *
 * Measured with bench/threads-threshold.ts (every call split, 1 thread against 2, median of 15
 * interleaved rounds, Node 20.20 on the 2-core Xeon, 0.1% load from other processes during the run);
 * µs per call, 1 thread / 2 threads, * where the default splits:
 *
 *   elements   f32 add       f32 relu      f32 tanh      f32 sigmoid   f64 add       f64 tanh
 *   2^11       0.3 / 1.9     0.4 / 2.0     3.6 / 4.5     5.7 / 5.4     0.7 / 3.0     8.6 / 6.7
 *   2^12       0.7 / 2.4     0.8 / 2.5     7.2 / 7.2     11.0 / 8.8    1.4 / 3.6     *17.9 / 11.8
 *   2^13       1.6 / 4.8     2.1 / 3.9     *14.3 / 12.3  *22.4 / 14.9  2.7 / 5.6     *35.9 / 26.3
 *   2^14       3.2 / 5.0     3.3 / 5.2     *27.7 / 22.2  *45.0 / 27.4  5.3 / 9.2     *71.2 / 49.9
 *   2^15       6.2 / 7.0     6.4 / 7.8     *55.3 / 42.7  *67.7 / 39.9  10.7 / 14.7   *148 / 109
 *   2^16       12.0 / 10.9   12.4 / 12.7   *114 / 89.4   *136 / 78.2   *26.8 / 22.0  *293 / 175
 *   2^17       *29.6 / 23.4  *25.0 / 20.6  *229 / 171    *270 / 151    *118 / 50.7   *595 / 337
 *   2^18       *121 / 52.1   *64.7 / 44.9  *443 / 337    *544 / 311    *266 / 128    *1146 / 596
 *   2^20       *546 / 302    *358 / 207    *1877 / 1359  *2199 / 1161  *1093 / 649   *4348 / 2669
 *
 * A job costs about 2 µs (the 2^10 rows: waking a polling worker, waiting for its chunk). Two threads
 * break even at 12 to 25 µs of one-thread time for the cheap, memory-bound kernels (the arrays sit in
 * the calling core's cache, and the other core must fetch its half) and at 6 to 15 µs for the
 * expensive ones. Time per element differs by dtype (twice the bytes, half the lanes) and kernel
 * (tanh, sigmoid 9 to 14 times add's, and they break even at less time), hence workOf's weights of
 * 2 and 16. The threshold sits at or just above each break-even (2^17 f32 add: 1.26x), not
 * below: on a shared machine a split call may also wait for a worker that another process delays.
 */
export const MIN_THREADED_ELEMENTS = 1 << 17;

/**
 * What one element of exp, log, tanh, sigmoid (forward, or the gradients that call exp) or pow counts
 * for, in elements of a cheap kernel (arithmetic, comparisons, relu, clip, axpy, the fused gradients):
 * 2 to 6 ns against 0.2 to 0.5 ns per element on one thread (pow about 25 ns), and compute-bound work
 * splits from less time (see above).
 */
const EXPENSIVE = 16;

/**
 * The work of `elements` elements of S bytes at `cost` (unaryCost, binaryCost) each, in float32
 * elements of a cheap kernel: a float64 element counts twice, as it moves twice the bytes and the
 * vector math does half the lanes.
 */
export function workOf(elements: number, S: number, cost: number): number {
  return elements * cost * (S / 4);
}

/** Work per element of unary op `op` (its gradient when `grad`): the log gradient is a division. */
export function unaryCost(op: UnaryOp, grad: boolean): number {
  switch (op) {
    case UnaryOp.Exp:
    case UnaryOp.Tanh:
    case UnaryOp.Sigmoid:
      return EXPENSIVE;
    case UnaryOp.Log:
      return grad ? 1 : EXPENSIVE;
    default:
      return 1;
  }
}

/** Work per element of binary op `op`: pow calls Math.pow per lane. */
export function binaryCost(op: BinaryOp): number {
  return op === BinaryOp.Pow ? EXPENSIVE : 1;
}

/** Chunks per thread: two balance the load when a thread is late (a shared machine, a worker waking). */
const CHUNKS_PER_THREAD = 2;

/**
 * Cuts [0, extent) into chunks for `threads` threads, every boundary a multiple of `unit` (the last
 * chunk ends at extent), and writes the boundaries to bounds[0..chunks]; returns the chunk count, or
 * 0 when the call should run as one: one thread, less `work` (workOf the whole call) than `minWork`,
 * or too short to cut. `bounds` holds 2·threads + 1 numbers at least.
 */
export function planChunks(
  extent: number,
  unit: number,
  work: number,
  threads: number,
  minWork: number,
  bounds: Float64Array,
): number {
  if (threads < 2 || work < minWork) return 0;
  const units = Math.ceil(extent / unit);
  const chunks = Math.min(CHUNKS_PER_THREAD * threads, units);
  if (chunks < 2) return 0;
  // units >= chunks, so the boundaries strictly increase: no chunk is empty
  for (let i = 0; i < chunks; i++) bounds[i] = Math.floor((units * i) / chunks) * unit;
  bounds[chunks] = extent;
  return chunks;
}
