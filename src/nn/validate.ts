// Input checks shared by the nn functions and models. They run before any work, read arrays through
// the backend's view without copying, and name the argument, the layer and the shapes in the message.
import type { Backend } from '../backend/index.js';
import { BackendMismatchError, DTypeError, formatBytes, formatShape, ShapeError } from '../core/index.js';
import { checkArray, type NDArray } from '../ndarray/index.js';
import type { Activation, InitScheme, OutputActivation } from './types.js';

/** Every activation name, for menus and loops. @example ACTIVATIONS.includes('tanh') // true */
export const ACTIVATIONS: readonly Activation[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'];
/** The output activations: sigmoid (binary cross-entropy), softmax (categorical), linear (MSE). */
export const OUTPUT_ACTIVATIONS: readonly OutputActivation[] = ['sigmoid', 'softmax', 'linear'];
/** Every initialisation scheme. @example INIT_SCHEMES // ['zeros', 'small', 'scaled', 'he', 'xavier'] */
export const INIT_SCHEMES: readonly InitScheme[] = ['zeros', 'small', 'scaled', 'he', 'xavier'];

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

function oneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    const got = typeof value === 'string' ? `'${value}'` : String(value);
    throw new TypeError(`${where}: ${name} must be one of ${quoted(allowed)}, got ${got}`);
  }
  return value as T;
}

export const checkActivation = (where: string, name: string, value: unknown) =>
  oneOf(where, name, value, ACTIVATIONS);
export const checkOutput = (where: string, name: string, value: unknown) =>
  oneOf(where, name, value, OUTPUT_ACTIVATIONS);
export const checkInit = (where: string, value: unknown) => oneOf(where, 'init', value, INIT_SCHEMES);

/** A live NDArray of rank 2; `layout` describes the expected shape in the message, e.g. `(n_x, m)`. */
export function checkMatrix(where: string, name: string, x: unknown, layout: string): asserts x is NDArray {
  checkArray(where, name, x);
  if (x.ndim !== 2) {
    throw new ShapeError(`${where}: ${name} must be 2-D ${layout}, got shape ${formatShape(x.shape)}`);
  }
}

/** The arrays share a backend and a dtype with `like` (named `likeName`). */
export function checkSameEngine(where: string, x: NDArray, name: string, like: NDArray, likeName: string) {
  if (x.dtype !== like.dtype) {
    throw new DTypeError(
      `${where}: ${name} has dtype ${x.dtype} but ${likeName} ${like.dtype} (convert with astype('${like.dtype}'))`,
    );
  }
  if (x.storage.backend !== like.storage.backend) {
    throw new BackendMismatchError(
      `${where}: ${name} lives on backend ${x.backend} but ${likeName} on ${like.backend} (copy with toBackend(${name}, '${like.backend}'))`,
    );
  }
}

/**
 * The first element of a 2-D array (row-major order) that is not finite (`labels`: not 0 or 1), as
 * [value, row, col], or undefined; reads the backend's storage in place. The finite test runs in the
 * backend's SIMD loop where it has one (wasm: the cat images' 2.5M pixels in about 0.1 ms, float32),
 * else in one tight loop per test, no callback (a few ms).
 */
function findInvalid(x: NDArray, labels: boolean): [number, number, number] | undefined {
  const rows = x.shape[0];
  const cols = x.shape[1];
  const rs = x.strides[0];
  const cs = x.strides[1];
  const engine = x.engine;
  if (!labels && engine.firstNonFinite && (cs === 1 || cols === 1)) {
    // the backend's vector loop, over all of X at once when its rows are back to back, else per row
    const buf = x.storage.buffer;
    const whole = rs === cols || rows === 1;
    for (let i = 0; i < (whole ? 1 : rows); i++) {
      const at = engine.firstNonFinite(buf, x.offset + i * rs, whole ? rows * cols : cols);
      if (at >= 0) {
        const [r, c] = whole ? [Math.floor(at / cols), at % cols] : [i, at];
        return [engine.view(buf)[x.offset + r * rs + c * cs], r, c];
      }
    }
    return undefined;
  }
  const data = engine.view(x.storage.buffer);
  for (let i = 0; i < rows; i++) {
    const base = x.offset + i * rs;
    if (labels) {
      for (let j = 0; j < cols; j++) {
        const v = data[base + j * cs];
        if (v !== 0 && v !== 1) return [v, i, j];
      }
    } else {
      for (let j = 0; j < cols; j++) {
        const v = data[base + j * cs];
        if (v - v !== 0) return [v, i, j]; // NaN and ±Infinity: v - v is NaN
      }
    }
  }
  return undefined;
}

/** Throws on the first NaN or ±Infinity in x, naming its position. */
export function checkFinite(where: string, name: string, x: NDArray): void {
  const bad = findInvalid(x, false);
  if (bad) {
    const [v, i, j] = bad;
    throw new RangeError(`${where}: ${name} must hold finite numbers, found ${v} at (${i},${j})`);
  }
}

/** Throws on the first label that is neither 0 nor 1. */
export function checkLabels(where: string, name: string, y: NDArray): void {
  const bad = findInvalid(y, true);
  if (bad) {
    const [v, i, j] = bad;
    throw new RangeError(
      `${where}: ${name} must hold labels 0 or 1 for a sigmoid output, found ${v} at (${i},${j})`,
    );
  }
}

/** X is (n_x, m) and Y is (n_y, m) with the same m, on one backend and dtype, X finite. */
export function checkXY(where: string, X: unknown, Y: unknown, output: OutputActivation): void {
  checkMatrix(where, 'X', X, '(n_x, m)');
  checkMatrix(where, 'Y', Y, '(n_y, m)');
  if (X.shape[1] === 0)
    throw new ShapeError(`${where}: X has no examples (shape ${formatShape(X.shape)}, m = 0)`);
  if (X.shape[1] !== Y.shape[1]) {
    throw new ShapeError(
      `${where}: X has shape ${formatShape(X.shape)} and Y has shape ${formatShape(Y.shape)}: both need m = ${X.shape[1]} columns (one per example)`,
    );
  }
  checkSameEngine(where, Y, 'Y', X, 'X');
  checkFinite(where, 'X', X);
  if (output === 'sigmoid') checkLabels(where, 'Y', Y);
  else if (output === 'softmax') checkOneHot(where, 'Y', Y);
  else checkFinite(where, 'Y', Y);
}

/** Throws unless every column of y holds one 1 and otherwise 0s (softmax labels). */
export function checkOneHot(where: string, name: string, y: NDArray): void {
  const bad = findInvalid(y, true);
  if (bad) {
    const [v, i, j] = bad;
    throw new RangeError(
      `${where}: ${name} must be one-hot (classes, m) for a softmax output (see oneHot), found ${v} at (${i},${j})`,
    );
  }
  const data = y.engine.view(y.storage.buffer);
  const [rows, cols] = y.shape;
  const [rs, cs] = y.strides;
  for (let j = 0; j < cols; j++) {
    let ones = 0;
    for (let i = 0; i < rows; i++) ones += data[y.offset + i * rs + j * cs];
    if (ones !== 1) {
      throw new RangeError(
        `${where}: ${name} must be one-hot (classes, m) for a softmax output (see oneHot): column ${j} holds ${ones} ones`,
      );
    }
  }
}

/** A positive finite number. */
export function checkPositive(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${where}: ${name} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

/** A non-negative finite number. */
export function checkNonNegative(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a non-negative finite number, got ${String(value)}`);
  }
  return value;
}

/** An integer >= min. */
export function checkInteger(where: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    const what =
      min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer >= ${min}`;
    throw new RangeError(`${where}: ${name} must be ${what}, got ${String(value)}`);
  }
  return value;
}

/** layerDims: at least two positive integers [n_x, n_1, …, n_L]. */
export function checkLayerDims(where: string, layerDims: unknown): number[] {
  if (!Array.isArray(layerDims) || layerDims.length < 2) {
    throw new TypeError(
      `${where}: layerDims must be an array [n_x, n_1, …, n_L] of at least two sizes, got ${JSON.stringify(layerDims)}`,
    );
  }
  layerDims.forEach((n, l) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new RangeError(`${where}: layerDims[${l}] must be a positive integer, got ${String(n)}`);
    }
  });
  return [...layerDims];
}

/** A seed NumPy's legacy generator accepts: an integer in [0, 2^32). */
export function checkSeed(where: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new RangeError(`${where}: seed must be an integer in [0, 2**32), got ${String(seed)}`);
  }
  return seed;
}

/**
 * Refuses work whose arrays would not fit: `bytes` needed for `what` against what the backend can
 * still hold, so that an impossible network fails at once with the sizes named instead of after
 * minutes of drawing weights, or in the middle of training.
 */
export function checkFits(where: string, what: string, bytes: number, engine: Backend, hint: string): void {
  const available = engine.availableBytes();
  if (bytes > available) {
    throw new RangeError(
      `${where}: ${what} need ${formatBytes(bytes)}, more than the ${engine.name} backend can hold (${formatBytes(available)}); ${hint}`,
    );
  }
}
