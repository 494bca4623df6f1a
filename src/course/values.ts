// How the course module takes and gives values: NumPy accepts arrays, nested lists and Python numbers
// alike, and hands back a Python float where a result is a scalar. Here: NDArray, nested arrays or
// numbers in (as `np.array` would convert them, float64), and a JS number out where NumPy returns a
// scalar (a cost, `np.sum(x)` without an axis, the dot product of two vectors).

import { array, type NDArray, NDArray as NDArrayClass, type NestedArray } from '../ndarray/index.js';

/** What the course functions accept where NumPy takes an array: an NDArray, nested arrays, a number. */
export type ArrayInput = NDArray | NestedArray | number;

/** `x` as an NDArray (itself when it is one; a float64 array otherwise, as `np.asarray`). */
export function asArray(x: ArrayInput, name = 'x'): NDArray {
  if (x instanceof NDArrayClass) return x;
  if (typeof x === 'number') return array(x);
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return array(x as NestedArray);
  throw new TypeError(`${name} must be an array or a number, got ${x === null ? 'null' : typeof x}`);
}

/** A 0-d result as a JS number (NumPy's scalar), any other array as it is. */
export function scalarOr(x: NDArray): NDArray | number {
  if (x.ndim !== 0) return x;
  const v = x.get();
  x.dispose();
  return v;
}

/** A size-1 array's one value (NumPy's `float(np.squeeze(x))`). */
export function toNumber(x: NDArray | number): number {
  if (typeof x === 'number') return x;
  if (x.size !== 1)
    throw new TypeError(`expected a single value, got an array of shape (${x.shape.join(',')})`);
  return x.data[0];
}

/** Frees every array of a dictionary of them (a training loop's previous parameters). */
export function disposeAll(values: object): void {
  for (const v of Object.values(values)) (v as NDArray).dispose();
}
