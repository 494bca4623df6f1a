import {
  contiguousStrides,
  type DType,
  formatShape,
  isDType,
  normalizeAxis,
  ShapeError,
  sizeOf,
  type TypedArray,
  typedArray,
} from '../core/index.js';
import { NDArray } from './ndarray.js';
import { checkArray, checkAxisArg, checkIndexArg, checkNumberArg } from './operands.js';

/** x itself when contiguous, else a contiguous copy (the caller disposes a copy). */
export function contiguous(x: NDArray): NDArray {
  return x.isContiguous ? x : copy(x);
}

/** A contiguous copy of x on the same backend. */
export function copy(x: NDArray): NDArray {
  checkArray('copy', 'x', x);
  const out = NDArray.alloc(x.shape, x.dtype, x.engine);
  x.engine.copy(out.storage.buffer, 0, x.storage.buffer, x.offset, x.strides, x.shape);
  return out;
}

function view(x: NDArray, shape: readonly number[], strides: readonly number[], offset = x.offset): NDArray {
  return new NDArray(x.storage.retain(), shape, strides, offset);
}

/** A new shape for the same elements; one entry may be -1 (inferred). A view when x is contiguous. */
export function reshape(x: NDArray, shape: readonly number[]): NDArray {
  checkArray('reshape', 'x', x);
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw new ShapeError('reshape: can only specify one unknown dimension');
  for (const d of shape) {
    if (!Number.isInteger(d) || d < -1) {
      throw new ShapeError(
        `reshape: dimensions must be non-negative integers or -1, got ${formatShape(shape)}`,
      );
    }
  }
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  let target = [...shape];
  if (inferred === 1) {
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(`cannot reshape array of size ${x.size} into shape ${formatShape(shape)}`);
    }
    target = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (sizeOf(target) !== x.size) {
    throw new ShapeError(`cannot reshape array of size ${x.size} into shape ${formatShape(target)}`);
  }
  if (x.isContiguous) return view(x, target, contiguousStrides(target));
  const c = copy(x);
  const r = view(c, target, contiguousStrides(target), 0);
  c.dispose();
  return r;
}

/** Axes permuted (reversed by default) as a view: no data moves. */
export function transpose(x: NDArray, axes?: readonly number[]): NDArray {
  checkArray('transpose', 'x', x);
  if (axes !== undefined) checkIndexArg('transpose', axes);
  const perm = axes ? axes.map((a) => normalizeAxis(a, x.ndim)) : [...x.shape.keys()].reverse();
  if (perm.length !== x.ndim || new Set(perm).size !== x.ndim) {
    throw new ShapeError(
      `transpose: axes don't match array: got ${formatShape(axes ?? [])} for ${x.ndim} dimensions`,
    );
  }
  return view(
    x,
    perm.map((a) => x.shape[a]),
    perm.map((a) => x.strides[a]),
  );
}

export function flatten(x: NDArray): NDArray {
  checkArray('flatten', 'x', x);
  const c = copy(x);
  const r = view(c, [x.size], [1], 0);
  c.dispose();
  return r;
}

export function squeeze(x: NDArray, axis?: number): NDArray {
  checkArray('squeeze', 'x', x);
  checkAxisArg('squeeze', axis);
  if (axis !== undefined && axis !== null) {
    const ax = normalizeAxis(axis, x.ndim);
    if (x.shape[ax] !== 1)
      throw new ShapeError('cannot select an axis to squeeze out which has size not equal to one');
    return view(
      x,
      x.shape.filter((_, i) => i !== ax),
      x.strides.filter((_, i) => i !== ax),
    );
  }
  const keep = [...x.shape.keys()].filter((i) => x.shape[i] !== 1);
  return view(
    x,
    keep.map((i) => x.shape[i]),
    keep.map((i) => x.strides[i]),
  );
}

export function expandDims(x: NDArray, axis: number): NDArray {
  checkArray('expandDims', 'x', x);
  if (axis === null || axis === undefined) throw new TypeError('expandDims: axis is required (an integer)');
  checkAxisArg('expandDims', axis);
  const ax = normalizeAxis(axis, x.ndim + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(ax, 0, 1);
  strides.splice(ax, 0, 0);
  return view(x, shape, strides);
}

/** Columns [start, end) of a 2-D array as a view (the mini-batch `X[:, start:end]`). */
export function cols(x: NDArray, start: number, end: number): NDArray {
  checkArray('cols', 'x', x);
  if (x.ndim !== 2) throw new ShapeError(`cols: expected a 2-D array, got shape ${formatShape(x.shape)}`);
  const m = x.shape[1];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > m || start > end) {
    throw new RangeError(`cols: need integers 0 <= start <= end <= ${m}, got start=${start} end=${end}`);
  }
  return view(x, [x.shape[0], end - start], x.strides, x.offset + start * x.strides[1]);
}

/** The elements in C order as a fresh typed array of `dtype` (default x's). */
export function toTypedArray(x: NDArray, dtype: DType = x.dtype): TypedArray {
  x.assertLive();
  const c = contiguous(x);
  const src = c.engine.view(c.storage.buffer).subarray(c.offset, c.offset + c.size);
  const out = typedArray(dtype, c.size);
  out.set(src);
  if (c !== x) c.dispose();
  return out;
}

export function astype(x: NDArray, dtype: DType): NDArray {
  checkArray('astype', 'x', x);
  if (!isDType(dtype))
    throw new TypeError(`astype: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  const data = toTypedArray(x, dtype);
  const out = NDArray.alloc(x.shape, dtype, x.engine);
  out.engine.view(out.storage.buffer).set(data);
  return out;
}

export function toNested(x: NDArray): number | unknown[] {
  const data = toTypedArray(x);
  if (x.ndim === 0) return data[0];
  let pos = 0;
  const build = (dim: number): unknown[] => {
    const n = x.shape[dim];
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = dim === x.ndim - 1 ? data[pos++] : build(dim + 1);
    return out;
  };
  return build(0);
}

function flatIndex(x: NDArray, index: readonly number[], op: string): number {
  x.assertLive();
  checkIndexArg(op, index);
  if (index.length !== x.ndim) {
    throw new RangeError(
      `${op}: expected ${x.ndim} indices for shape ${formatShape(x.shape)}, got ${index.length}`,
    );
  }
  let off = x.offset;
  index.forEach((i, ax) => {
    const n = x.shape[ax];
    if (!Number.isInteger(i) || i < -n || i >= n) {
      throw new RangeError(`index ${i} is out of bounds for axis ${ax} with size ${n}`);
    }
    off += (i < 0 ? i + n : i) * x.strides[ax];
  });
  return off;
}

export function getItem(x: NDArray, index: readonly number[]): number {
  return x.engine.view(x.storage.buffer)[flatIndex(x, index, 'get')];
}

export function setItem(x: NDArray, index: readonly number[], value: number): void {
  checkIndexArg('set', index);
  checkNumberArg('set', 'value', value, false);
  x.engine.view(x.storage.buffer)[flatIndex(x, index, 'set')] = value;
}
