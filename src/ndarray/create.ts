import { type Backend, type BackendName, backendByName, currentBackend } from '../backend/index.js';
import { checkShape, type DType, formatShape, isDType, ShapeError, sizeOf } from '../core/index.js';
import { NDArray } from './ndarray.js';
import { checkArray, checkNumberArg, describe } from './operands.js';

/** Options shared by the creation functions. */
export interface CreateOptions {
  /** Element type; default `float64` (or the typed array's own type for `array(typedArray)`). */
  dtype?: DType;
  /** Backend to create the array on; default the current one (see `setBackend`). */
  backend?: BackendName;
}

/** Nested JavaScript arrays of numbers, as `array` accepts them. */
export type NestedArray = number | readonly NestedArray[];

function resolve(op: string, options: CreateOptions = {}): { dtype: DType; engine: Backend } {
  const dtype = options.dtype ?? 'float64';
  if (!isDType(dtype))
    throw new TypeError(`${op}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  const engine = options.backend ? backendByName(options.backend) : currentBackend();
  return { dtype, engine };
}

function toShape(op: string, shape: number | readonly number[]): number[] {
  const s = typeof shape === 'number' ? [shape] : [...shape];
  if (!Array.isArray(s)) throw new TypeError(`${op}: shape must be a number or an array of numbers`);
  checkShape(s, `${op}: shape`);
  return s;
}

function nestedShape(value: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as readonly NestedArray[])[0];
  }
  return shape;
}

function fillNested(value: NestedArray, shape: number[], out: Float64Array): void {
  let pos = 0;
  const walk = (v: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') {
        throw new TypeError(`array: elements must be numbers, got ${describe(v)}`);
      }
      out[pos++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(
        `array: setting an array element with a sequence. The requested array has an inhomogeneous shape after ${dim} dimensions`,
      );
    }
    for (const item of v as readonly NestedArray[]) walk(item, dim + 1);
  };
  walk(value, 0);
}

/**
 * An array from nested JavaScript arrays, a number (0-d), or a typed array (1-D, or `shape` given).
 *
 * @example
 * array([[1, 2], [3, 4]]);                         // shape (2,2), float64
 * array(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }); // float32
 */
export function array(
  values: NestedArray | Float32Array | Float64Array | NDArray,
  options: CreateOptions & { shape?: readonly number[] } = {},
): NDArray {
  if (values instanceof NDArray) {
    checkArray('array', 'values', values);
    const data = values.data;
    return array(data, { dtype: values.dtype, ...options, shape: options.shape ?? values.shape });
  }
  if (values instanceof Float32Array || values instanceof Float64Array) {
    const dtype = options.dtype ?? (values instanceof Float32Array ? 'float32' : 'float64');
    const { engine } = resolve('array', { ...options, dtype });
    const shape = options.shape ? toShape('array', options.shape) : [values.length];
    if (sizeOf(shape) !== values.length) {
      throw new ShapeError(`cannot reshape array of size ${values.length} into shape ${formatShape(shape)}`);
    }
    const out = NDArray.alloc(shape, dtype, engine);
    engine.view(out.storage.buffer).set(values);
    return out;
  }
  if (typeof values !== 'number' && !Array.isArray(values)) {
    throw new TypeError(`array: expected nested arrays of numbers or a typed array, got ${describe(values)}`);
  }
  const { dtype, engine } = resolve('array', options);
  const shape = nestedShape(values);
  const flat = new Float64Array(sizeOf(shape));
  fillNested(values, shape, flat);
  const out = NDArray.alloc(shape, dtype, engine);
  engine.view(out.storage.buffer).set(flat);
  if (options.shape) {
    const r = out.reshape([...options.shape]);
    out.dispose();
    return r;
  }
  return out;
}

/** @example zeros([2, 3]) // 2x3 of 0 */
export function zeros(shape: number | readonly number[], options?: CreateOptions): NDArray {
  const { dtype, engine } = resolve('zeros', options);
  return NDArray.alloc(toShape('zeros', shape), dtype, engine);
}

/** @example ones([2, 1], { dtype: 'float32' }) */
export function ones(shape: number | readonly number[], options?: CreateOptions): NDArray {
  return full(shape, 1, options);
}

/** @example full([2, 2], 7) // [[7, 7], [7, 7]] */
export function full(shape: number | readonly number[], value: number, options?: CreateOptions): NDArray {
  if (typeof value !== 'number') throw new TypeError(`full: value must be a number, got ${describe(value)}`);
  const { dtype, engine } = resolve('full', options);
  const out = NDArray.alloc(toShape('full', shape), dtype, engine);
  engine.fill(out.storage.buffer, 0, out.size, value);
  return out;
}

/** A new zero-filled array with x's shape, dtype and backend. */
export function zerosLike(x: NDArray): NDArray {
  checkArray('zerosLike', 'x', x);
  return NDArray.alloc(x.shape, x.dtype, x.engine);
}

/**
 * Evenly spaced values in [start, stop) as NumPy's arange: `arange(5)` is 0..4.
 *
 * @example arange(1, 2, 0.25) // [1, 1.25, 1.5, 1.75]
 */
export function arange(start: number, stop?: number, step = 1, options?: CreateOptions): NDArray {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  for (const [k, v] of Object.entries({ start, stop, step })) checkNumberArg('arange', k, v);
  if (step === 0) throw new RangeError('arange: step must not be zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const { dtype, engine } = resolve('arange', options);
  const out = NDArray.alloc([n], dtype, engine);
  const v = engine.view(out.storage.buffer);
  for (let i = 0; i < n; i++) v[i] = start + i * step;
  return out;
}

/**
 * `num` evenly spaced values from start to stop, NumPy's formula: `start + i*step`, and the last
 * element exactly `stop` when `endpoint` (default true).
 *
 * @example linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  options: CreateOptions & { endpoint?: boolean } = {},
): NDArray {
  checkNumberArg('linspace', 'start', start);
  checkNumberArg('linspace', 'stop', stop);
  if (!Number.isInteger(num) || num < 0) {
    throw new RangeError(`linspace: num must be a non-negative integer, got ${describe(num)}`);
  }
  const endpoint = options.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : Number.NaN;
  const { dtype, engine } = resolve('linspace', options);
  const out = NDArray.alloc([num], dtype, engine);
  const v = engine.view(out.storage.buffer);
  for (let i = 0; i < num; i++) v[i] = div > 0 ? start + i * step : start;
  if (endpoint && num > 1) v[num - 1] = stop;
  return out;
}

/** The n x m identity-like matrix (ones on the diagonal). @example eye(3) */
export function eye(n: number, m = n, options?: CreateOptions): NDArray {
  const out = zeros(toShape('eye', [n, m]), options);
  const v = out.engine.view(out.storage.buffer);
  for (let i = 0; i < Math.min(n, m); i++) v[i * m + i] = 1;
  return out;
}

/** A copy of x on another backend (arrays on different backends cannot be mixed in one op). */
export function toBackend(x: NDArray, backend: BackendName): NDArray {
  checkArray('toBackend', 'x', x);
  return array(x.data, { shape: x.shape, dtype: x.dtype, backend });
}
