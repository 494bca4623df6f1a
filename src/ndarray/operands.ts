import type { Backend } from '../backend/index.js';
import {
  BackendMismatchError,
  DTypeError,
  formatShape,
  type Shape,
  ShapeError,
  shapesEqual,
} from '../core/index.js';
import type { ArrayLike, NDArray } from './ndarray.js';

// Checks shared by every op: live arrays, one dtype, one backend. Messages start with the op's name.

export function checkArray(op: string, name: string, x: unknown): asserts x is NDArray {
  if (x === null || typeof x !== 'object' || !('storage' in x) || !('shape' in x)) {
    throw new TypeError(`${op}: ${name} must be an NDArray, got ${describe(x)}`);
  }
  (x as NDArray).assertLive();
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a JavaScript array (wrap it with array(...))';
  return typeof x === 'object' ? (x.constructor?.name ?? 'object') : `${typeof x} ${String(x)}`;
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
