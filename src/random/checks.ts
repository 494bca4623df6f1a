// Argument checks for RandomState, in NumPy's words where NumPy has them, prefixed by the method name.
import type { TypedArray } from '../core/index.js';

const SEED_RANGE = 'seed must be an integer in [0, 2**32 - 1]';

/** A seed from OS entropy for `new RandomState()`, like NumPy's `None` (so not reproducible). */
export function entropySeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}

export function checkSeed(s: unknown): number {
  if (typeof s !== 'number') throw new TypeError(`${SEED_RANGE}, got ${describe(s)}`);
  if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) throw new RangeError(`${SEED_RANGE}, got ${s}`);
  return s;
}

export function checkNumber(op: string, name: string, v: unknown): void {
  if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be a number, got ${describe(v)}`);
}

export function checkSafeInteger(op: string, name: string, v: unknown): void {
  if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be an integer, got ${describe(v)}`);
  if (!Number.isSafeInteger(v)) throw new RangeError(`${op}: ${name} must be a safe integer, got ${v}`);
}

/** A zeroed output array, after checking the count and dtype the caller was given. */
export function alloc(op: string, n: unknown, dtype: unknown): TypedArray {
  const length = count(op, n);
  if (dtype === 'float64') return new Float64Array(length);
  if (dtype === 'float32') return new Float32Array(length);
  throw new TypeError(`${op}: dtype must be 'float32' or 'float64', got ${describe(dtype)}`);
}

export function count(op: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new TypeError(`${op}: n must be a non-negative integer, got ${describe(n)}`);
  }
  if (n < 0) throw new RangeError(`${op}: negative dimensions are not allowed, got n=${n}`);
  return n;
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  try {
    return String(v);
  } catch {
    return typeof v;
  }
}
