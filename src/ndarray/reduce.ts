import { ReduceOp } from '../backend/index.js';
import { normalizeAxis, sizeOf } from '../core/index.js';
import { div } from './elementwise.js';
import { contiguous } from './manipulate.js';
import type { NDArray } from './ndarray.js';
import { checkArray, checkAxisArg, checkBoolArg, checkOut, deliver, outputFor } from './operands.js';

const names: Record<ReduceOp, string> = {
  [ReduceOp.Sum]: 'sum',
  [ReduceOp.Max]: 'max',
  [ReduceOp.Min]: 'min',
  [ReduceOp.ArgMax]: 'argmax',
  [ReduceOp.ArgMin]: 'argmin',
};
const numpyNames: Partial<Record<ReduceOp, string>> = {
  [ReduceOp.Max]: 'maximum',
  [ReduceOp.Min]: 'minimum',
  [ReduceOp.ArgMax]: 'argmax',
  [ReduceOp.ArgMin]: 'argmin',
};

/** The shape of a reduction's result over `axis` (null: all axes). */
export function reducedShape(shape: readonly number[], axis: number | null, keepdims: boolean): number[] {
  if (axis === null) return keepdims ? shape.map(() => 1) : [];
  return keepdims ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);
}

/**
 * Reduces x over one axis (or all, when axis is null/undefined) into a new array or `out`.
 * The kernel sees x as (outer, len, inner) with len the reduced axis.
 */
export function reduce(
  op: ReduceOp,
  x: NDArray,
  axis: number | null | undefined,
  keepdims: boolean,
  out?: NDArray,
): NDArray {
  const name = names[op];
  checkArray(name, 'x', x);
  checkAxisArg(name, axis);
  checkBoolArg(name, 'keepdims', keepdims);
  const ax = axis === undefined || axis === null ? null : normalizeAxis(axis, x.ndim);
  const len = ax === null ? x.size : x.shape[ax];
  if (len === 0 && op !== ReduceOp.Sum) {
    throw new RangeError(
      ax === null
        ? `zero-size array to reduction operation ${numpyNames[op]} which has no identity`
        : `${name}: zero-size axis ${ax} has no ${numpyNames[op]}`,
    );
  }
  const shape = reducedShape(x.shape, ax, keepdims);
  if (out) checkOut(name, out, shape, x);
  const outer = ax === null ? 1 : sizeOf(x.shape.slice(0, ax));
  const inner = ax === null ? 1 : sizeOf(x.shape.slice(ax + 1));
  const src = contiguous(x);
  try {
    const result = outputFor(out, shape, x.dtype, x.engine, [src], false);
    x.engine.reduce(
      op,
      result.storage.buffer,
      result.offset,
      src.storage.buffer,
      src.offset,
      outer,
      len,
      inner,
    );
    return deliver(out, result);
  } finally {
    if (src !== x) src.dispose();
  }
}

/** @example array([[1, 2], [3, 4]]).sum(0) // [4, 6] */
export const sum = (x: NDArray, axis?: number | null, keepdims = false, out?: NDArray) =>
  reduce(ReduceOp.Sum, x, axis, keepdims, out);
/** @example array([[1, 2], [3, 4]]).max(1, true) // [[2], [4]] */
export const max = (x: NDArray, axis?: number | null, keepdims = false, out?: NDArray) =>
  reduce(ReduceOp.Max, x, axis, keepdims, out);
/** @example array([3, 1, 2]).min() // 1 */
export const min = (x: NDArray, axis?: number | null, keepdims = false, out?: NDArray) =>
  reduce(ReduceOp.Min, x, axis, keepdims, out);
/** @example array([3, 1, 5]).argmax() // 2 */
export const argmax = (x: NDArray, axis?: number | null, keepdims = false) =>
  reduce(ReduceOp.ArgMax, x, axis, keepdims);
/** @example array([3, 1, 5]).argmin() // 1 */
export const argmin = (x: NDArray, axis?: number | null, keepdims = false) =>
  reduce(ReduceOp.ArgMin, x, axis, keepdims);

/** The arithmetic mean over all elements or one axis. @example array([1, 2, 3, 4]).mean() // 2.5 */
export function mean(x: NDArray, axis?: number | null, keepdims = false): NDArray {
  checkArray('mean', 'x', x);
  checkAxisArg('mean', axis);
  const s = sum(x, axis, keepdims);
  const count = axis === undefined || axis === null ? x.size : x.shape[normalizeAxis(axis, x.ndim)];
  return div(s, count, s);
}
