import type { Backend } from '../backend/index.js';
import {
  BackendMismatchError,
  contiguousStrides,
  type DType,
  DTypeError,
  formatShape,
  type Shape,
  ShapeError,
  shapesEqual,
} from '../core/index.js';
import { type ArrayLike, NDArray } from './ndarray.js';

// Checks shared by every op (live arrays, one dtype, one backend; messages start with the op's name),
// and where an op writes its result when `out` overlaps an input.

export function checkArray(op: string, name: string, x: unknown): asserts x is NDArray {
  if (x === null || typeof x !== 'object' || !('storage' in x) || !('shape' in x)) {
    throw new TypeError(`${op}: ${name} must be an NDArray, got ${describe(x)}`);
  }
  (x as NDArray).assertLive();
}

/** A value as an error message shows it: its type, and its text for primitives (strings quoted). */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return 'a JavaScript array (wrap it with array(...))';
  if (typeof x === 'string') return `string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
  if (typeof x === 'function') return 'a function';
  return typeof x === 'object' ? (x.constructor?.name ?? 'object') : `${typeof x} ${String(x)}`;
}

/** An axis argument: undefined or null (all axes), or an integer (range-checked by normalizeAxis). */
export function checkAxisArg(op: string, axis: unknown): asserts axis is number | null | undefined {
  if (axis !== undefined && axis !== null && !Number.isInteger(axis)) {
    throw new TypeError(`${op}: axis must be an integer or null, got ${describe(axis)}`);
  }
}

/** A boolean argument (undefined allowed). */
export function checkBoolArg(op: string, name: string, value: unknown): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${op}: ${name} must be true or false, got ${describe(value)}`);
  }
}

/** A number argument; `finite` also refuses NaN and ±Infinity. */
export function checkNumberArg(
  op: string,
  name: string,
  value: unknown,
  finite = true,
): asserts value is number {
  if (typeof value !== 'number' || (finite && !Number.isFinite(value))) {
    throw new TypeError(`${op}: ${name} must be a ${finite ? 'finite ' : ''}number, got ${describe(value)}`);
  }
}

/** An index argument: an array of integers. */
export function checkIndexArg(op: string, index: unknown): asserts index is readonly number[] {
  if (!Array.isArray(index) || !index.every((i) => Number.isInteger(i))) {
    const shown = Array.isArray(index)
      ? `[${index.map((i) => (typeof i === 'string' ? JSON.stringify(i) : String(i))).join(', ')}]`
      : describe(index);
    throw new TypeError(`${op}: index must be an array of integers, got ${shown}`);
  }
}

/** The common backend of the array operands, checking dtypes and backends agree. */
export function commonEngine(
  op: string,
  operands: readonly ArrayLike[],
): { engine: Backend; first: NDArray } {
  let first: NDArray | undefined;
  for (const [i, x] of operands.entries()) {
    if (typeof x === 'number') continue;
    checkArray(op, `operand ${i}`, x);
    if (!first) {
      first = x;
      continue;
    }
    if (x.dtype !== first.dtype) {
      throw new DTypeError(
        `${op}: dtype mismatch: ${first.dtype} and ${x.dtype} (vecnet never promotes silently; convert one with astype)`,
      );
    }
    if (x.storage.backend !== first.storage.backend) {
      throw new BackendMismatchError(
        `${op}: operands live on different backends: ${first.backend} and ${x.backend} (copy one with toBackend)`,
      );
    }
  }
  if (!first) throw new TypeError(`${op}: at least one operand must be an NDArray`);
  return { engine: first.storage.backend, first };
}

/** Validates a caller-supplied output array: live, contiguous, same dtype/backend, exact shape. */
export function checkOut(op: string, out: NDArray, shape: Shape, like: NDArray): void {
  checkArray(op, 'out', out);
  if (out.dtype !== like.dtype)
    throw new DTypeError(`${op}: out has dtype ${out.dtype}, expected ${like.dtype}`);
  if (out.storage.backend !== like.storage.backend) {
    throw new BackendMismatchError(`${op}: out lives on backend ${out.backend}, operands on ${like.backend}`);
  }
  if (!shapesEqual(out.shape, shape)) {
    throw new ShapeError(`${op}: out has shape ${formatShape(out.shape)}, expected ${formatShape(shape)}`);
  }
  if (!out.isContiguous) throw new ShapeError(`${op}: out must be contiguous`);
}

/** The first and last element (inclusive) a view reaches in its storage, or undefined when it is empty. */
function extent(x: NDArray): [number, number] | undefined {
  let lo = x.offset;
  let hi = x.offset;
  for (let i = 0; i < x.ndim; i++) {
    const d = x.shape[i];
    if (d === 0) return undefined;
    const span = (d - 1) * x.strides[i];
    if (span < 0) lo += span;
    else hi += span;
  }
  return [lo, hi];
}

/**
 * True when the two views may share elements: the same storage and intersecting element ranges (a
 * conservative test: interleaved views that never touch the same element also count as overlapping).
 */
export function mayOverlap(a: NDArray, b: NDArray): boolean {
  if (a.storage !== b.storage) return false;
  const ea = extent(a);
  const eb = extent(b);
  return ea !== undefined && eb !== undefined && ea[0] <= eb[1] && eb[0] <= ea[1];
}

/** True when both views read the same elements in the same order: the one overlap kernels accept. */
export function sameLayout(a: NDArray, b: NDArray): boolean {
  return (
    a.storage === b.storage &&
    a.offset === b.offset &&
    a.ndim === b.ndim &&
    a.shape.every((d, i) => d === b.shape[i] && (d === 1 || a.strides[i] === b.strides[i]))
  );
}

/**
 * Whether writing `out` while reading `input` would read an element after it was overwritten: they
 * overlap without being the very same elements in the same order (NumPy then works on a copy, and so
 * do the ops here).
 */
export function clobbers(out: NDArray, input: NDArray): boolean {
  return mayOverlap(out, input) && !sameLayout(out, input);
}

/**
 * The array an op writes its result to: a new one when there is no `out`; `out` itself when that is
 * safe; a temporary when writing `out` would clobber one of `inputs` (`deliver` then copies it over).
 * `exact`: whether the op's kernel accepts `out` being exactly an input (element-wise kernels do;
 * reductions and products do not).
 */
export function outputFor(
  out: NDArray | undefined,
  shape: Shape,
  dtype: DType,
  engine: Backend,
  inputs: readonly NDArray[],
  exact = true,
): NDArray {
  const unsafe = (x: NDArray) => (exact ? clobbers(out!, x) : mayOverlap(out!, x));
  if (out && !inputs.some(unsafe)) return out;
  return NDArray.alloc(shape, dtype, engine);
}

/** The op's result: `written`, copied into `out` (and freed) when it was a temporary for it. */
export function deliver(out: NDArray | undefined, written: NDArray): NDArray {
  if (!out || written === out) return written;
  out.engine.copy(
    out.storage.buffer,
    out.offset,
    written.storage.buffer,
    written.offset,
    contiguousStrides(written.shape),
    written.shape,
  );
  written.dispose();
  return out;
}
