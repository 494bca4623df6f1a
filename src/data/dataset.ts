import { array, type CreateOptions, type NDArray } from '../ndarray/index.js';

/** A labelled data set in the course's layout: `X` is (features, m), one column per example; `Y` is (1, m). */
export interface Dataset {
  X: NDArray;
  Y: NDArray;
}

/** Options shared by the generated 2-D data sets. */
export interface ToyOptions extends CreateOptions {
  /** Number of examples m (default 400 for planar, 200 for the others, as in the course). */
  samples?: number;
  /** Standard deviation of the Gaussian noise added to the points (each set has its own default). */
  noise?: number;
  /** Seed for `RandomState` (each set documents its default). */
  seed?: number;
}

/** @internal Checks a positive integer option and returns it (or the default). */
export function positiveInt(op: string, name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`${op}: ${name} must be a positive integer, got ${v}`);
  return v;
}

/** @internal Checks a non-negative finite number option and returns it (or the default). */
export function nonNegative(op: string, name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`${op}: ${name} must be a non-negative finite number, got ${v}`);
  }
  return v;
}

/** @internal Checks a seed: an integer in [0, 2**32). */
export function checkSeed(op: string, seed: number | undefined, fallback: number): number {
  const s = seed ?? fallback;
  if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) {
    throw new RangeError(`${op}: seed must be an integer between 0 and 2**32 - 1, got ${s}`);
  }
  return s;
}

/**
 * @internal Builds `{ X, Y }` from points stored example-major (`xy[2i]`, `xy[2i+1]`) and labels,
 * transposing to the (2, m) layout.
 */
export function fromPoints(xy: Float64Array, labels: Float64Array, options: CreateOptions): Dataset {
  const m = labels.length;
  const x = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    x[i] = xy[2 * i];
    x[m + i] = xy[2 * i + 1];
  }
  return {
    X: array(x, { ...options, shape: [2, m] }),
    Y: array(labels, { ...options, shape: [1, m] }),
  };
}
