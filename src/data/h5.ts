// HDF5 loading through h5wasm (the HDF5 C library compiled to WebAssembly; vecnet does not parse
// HDF5 itself). Node only: h5wasm/node reads the host file system directly.

import { DataFileError, limitOf, MAX_CLASS_NAMES, MAX_NAME_LENGTH } from '../core/index.js';
import { array, type CreateOptions, type NDArray } from '../ndarray/index.js';

/** Which datasets of the file hold the images, the labels and (optionally) the class names. */
export interface H5DatasetNames {
  /** Examples, shape (m, ...) — the course's `train_set_x` is uint8 (m, 64, 64, 3). */
  x: string;
  /** Labels, shape (m,), (1, m) or (m, 1) — the course's `train_set_y` is int64 (m,). */
  y: string;
  /** Class names as byte strings, e.g. `list_classes` = [b'non-cat', b'cat']; optional. */
  classes?: string;
}

/** What `loadH5Dataset` returns. */
export interface H5Dataset {
  /** (features, m): each example flattened in C order, NumPy's `x.reshape(m, -1).T`. Raw values (0..255 for images). */
  X: NDArray;
  /** (1, m) labels. */
  Y: NDArray;
  /** Class names (empty when the file has none). */
  classes: string[];
  /** The shape of one example as stored, e.g. [64, 64, 3]. */
  exampleShape: number[];
  /** The dataset names that were read. */
  names: H5DatasetNames;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

type H5Module = typeof import('h5wasm');
let h5Promise: Promise<H5Module> | undefined;

/** h5wasm's Node build, loaded once. */
async function h5(): Promise<H5Module> {
  h5Promise ??= (async () => {
    const lib: H5Module = await import('h5wasm/node');
    await lib.ready;
    return lib;
  })();
  return h5Promise;
}

/**
 * True when the file starts with the HDF5 signature (at offset 0, or 512, 1024, ... after a user block).
 * Checked before h5wasm opens the file, which on failure would only print HDF5's diagnostics.
 */
async function hasHdf5Signature(path: string): Promise<boolean> {
  const { open } = await import('node:fs/promises');
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buf = new Uint8Array(8);
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      await fh.read(buf, 0, 8, offset);
      if (HDF5_SIGNATURE.every((b, i) => buf[i] === b)) return true;
    }
    return false;
  } finally {
    await fh.close();
  }
}

/**
 * Runs fn with file descriptor 2 captured: HDF5's C library prints multi-line "HDF5-DIAG" reports
 * on failures, written by h5wasm's NODERAWFS layer straight to fd 2 with `fs.writeSync`, which would
 * break the CLI's one-line errors. The report is returned instead (its reason ends up in our error),
 * with what fn returned or threw.
 */
function quietly<T>(
  fs: typeof import('node:fs'),
  fn: () => T,
): { value?: T; error?: unknown; diagnostics: string } {
  const writeSync = fs.writeSync;
  let diagnostics = '';
  fs.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    if (fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    if (typeof data === 'string') {
      diagnostics += data;
      return Buffer.byteLength(data);
    }
    // (fd, buffer, offset, length, position): emscripten passes its whole heap and a window
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const offset = typeof rest[0] === 'number' ? rest[0] : 0;
    const length = typeof rest[1] === 'number' ? rest[1] : bytes.length - offset;
    if (diagnostics.length < 1e5)
      diagnostics += new TextDecoder().decode(bytes.subarray(offset, offset + length));
    return length;
  }) as typeof fs.writeSync;
  try {
    return { value: fn(), diagnostics };
  } catch (error) {
    return { error, diagnostics };
  } finally {
    fs.writeSync = writeSync;
  }
}

/** The first "minor:" reason of an HDF5-DIAG report, e.g. "Unable to open file", or ''. */
function hdf5Reason(diagnostics: string): string {
  const reasons = [...diagnostics.matchAll(/minor: (.+)/g)].map((m) => m[1].trim());
  return reasons.length ? reasons[reasons.length - 1] : '';
}

/** Picks the course's names from what the file holds: `train_set_x`/`train_set_y` or `test_set_*`. */
function defaultNames(keys: string[]): H5DatasetNames {
  const xs = keys.filter((k) => /_x$/.test(k));
  const prefer = xs.find((k) => k === 'train_set_x') ?? xs.find((k) => k === 'test_set_x') ?? xs[0];
  const x = prefer ?? 'train_set_x';
  const y = `${x.slice(0, -2)}_y`;
  return { x, y, classes: keys.includes('list_classes') ? 'list_classes' : undefined };
}

/**
 * A dataset's values as numbers: typed arrays as they are (no float64 copy of a large image set),
 * 64-bit integers converted, a scalar as one value; undefined for anything else (strings, compounds).
 */
function numbers(values: unknown): ArrayLike<number> | undefined {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    return Float64Array.from(values as ArrayLike<bigint>, (v) => Number(v));
  }
  if (ArrayBuffer.isView(values) && !(values instanceof DataView))
    return values as unknown as ArrayLike<number>;
  if (typeof values === 'number' || typeof values === 'bigint') return [Number(values)];
  return undefined;
}

function decodeClasses(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) =>
    (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)).replace(/\0+$/, ''),
  );
}

/**
 * Reads a labelled data set from an HDF5 file in the course's cat-vs-non-cat layout and flattens each
 * example in C order (NumPy's `x.reshape(m, -1).T`): `train_set_x` uint8 (m, 64, 64, 3) becomes
 * `X` (12288, m); `train_set_y` (m,) becomes `Y` (1, m); `list_classes` the class names.
 *
 * Without `names`, the file's `train_set_x`/`train_set_y` (or `test_set_x`/`test_set_y`) and
 * `list_classes` are used. Values are not scaled: apply `scale(X, 1 / 255)` as the course does.
 *
 * @throws DataFileError naming the file and what was expected, for a missing file, a file that is
 * not HDF5, a missing dataset, a dataset of the wrong rank, or x and y with different example counts.
 * @example
 * const train = await loadH5Dataset('datasets/train_catvnoncat.h5');
 * train.X.shape;   // [12288, 209]
 * train.classes;   // ['non-cat', 'cat']
 * const test = await loadH5Dataset('datasets/test_catvnoncat.h5', { x: 'test_set_x', y: 'test_set_y' });
 */
export async function loadH5Dataset(
  path: string,
  names?: Partial<H5DatasetNames>,
  options: CreateOptions = {},
): Promise<H5Dataset> {
  const { resolve } = await import('node:path');
  const { stat } = await import('node:fs/promises');
  const abs = resolve(path);
  const st = await stat(abs).catch(() => undefined);
  if (!st) throw new DataFileError(path, `${path}: no such file (expected an HDF5 data set)`);
  if (!st.isFile()) throw new DataFileError(path, `${path}: not a file (expected an HDF5 data set)`);
  if (!(await hasHdf5Signature(abs))) {
    throw new DataFileError(
      path,
      `${path}: not an HDF5 file (expected an .h5 file such as train_catvnoncat.h5)`,
    );
  }
  const lib = await h5();
  // the CommonJS fs object h5wasm requires (a namespace import would be read-only)
  const fs = (await import('node:fs')).default;
  // the whole HDF5 session is synchronous: run it with the library's diagnostics captured, so a
  // damaged file gives one line of ours, with HDF5's own reason in it
  const session = quietly(fs, () => readCourseDatasets(lib, abs, path, names));
  if (session.error !== undefined) {
    if (session.error instanceof DataFileError) throw session.error;
    const why = hdf5Reason(session.diagnostics) || (session.error as Error).message;
    throw new DataFileError(
      path,
      `${path}: HDF5 could not read the file${why ? ` (${why.toLowerCase().slice(0, 200)})` : ''}; it may be truncated or damaged`,
    );
  }
  const { xv, yv, xShape, classes, picked } = session.value as CourseDatasets;
  const m = xShape[0];
  const n = xv.length / Math.max(m, 1);
  // (m, n) row-major -> (n, m): X[k, i] = x[i, k]
  const xt = new Float64Array(xv.length);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let k = 0; k < n; k++) xt[k * m + i] = xv[row + k];
  }
  return {
    X: array(xt, { ...options, shape: [n, m] }),
    Y: array(Float64Array.from(yv), { ...options, shape: [1, m] }),
    classes,
    exampleShape: xShape.slice(1),
    names: picked,
  };
}

interface CourseDatasets {
  xv: ArrayLike<number>;
  yv: ArrayLike<number>;
  xShape: number[];
  classes: string[];
  picked: H5DatasetNames;
}

/**
 * Opens the file and reads the course's datasets, checking each one's declared shape (and so its
 * size, against $VECNET_MAX_DATA_VALUES) before its values are read: a small file can declare a
 * dataset of any size. Synchronous, for `quietly`.
 */
function readCourseDatasets(
  lib: H5Module,
  abs: string,
  path: string,
  names: Partial<H5DatasetNames> | undefined,
): CourseDatasets {
  const file = new lib.File(abs, 'r');
  if (Number(file.file_id) < 0) throw new Error('HDF5 could not open the file');
  try {
    const keys = file.keys();
    const picked = { ...defaultNames(keys), ...names } as H5DatasetNames;
    const get = (name: string, role: string) => {
      const entity = file.get(name);
      if (!entity || !(entity instanceof lib.Dataset)) {
        if (keys.includes(name)) {
          throw new DataFileError(path, `${path}: dataset '${name}' cannot be read; the file may be damaged`);
        }
        const have = keys.length ? keys.slice(0, 20).join(', ') : 'nothing';
        throw new DataFileError(
          path,
          `${path}: no dataset '${name}' (expected the ${role}; the file has ${have})`,
        );
      }
      return entity;
    };
    const maxValues = limitOf('dataValues');
    // the declared element size counts too: a string type can declare gigabytes per element
    const sized = (d: InstanceType<H5Module['Dataset']>, name: string, maxElementBytes = 8) => {
      const shape = (d.shape ?? []).map(Number);
      const values = shape.reduce((p, x) => p * x, 1);
      if (!shape.every((x) => Number.isSafeInteger(x) && x >= 0) || values > maxValues) {
        throw new DataFileError(
          path,
          `${path}: dataset '${name}' declares shape (${shape.join(',')}), ${values} values, more than vecnet reads from one dataset (${maxValues}, $VECNET_MAX_DATA_VALUES)`,
        );
      }
      const elementBytes = Number(d.metadata?.size ?? 0);
      if (!(elementBytes <= maxElementBytes)) {
        throw new DataFileError(
          path,
          `${path}: dataset '${name}' declares ${elementBytes}-byte elements, expected at most ${maxElementBytes}`,
        );
      }
      return shape;
    };
    const xd = get(picked.x, 'examples, shape (m, ...)');
    const yd = get(picked.y, 'labels, shape (m,)');
    const xShape = sized(xd, picked.x);
    const yShape = sized(yd, picked.y);
    if (xShape.length < 2) {
      throw new DataFileError(
        path,
        `${path}: dataset '${picked.x}' has shape (${xShape.join(',')}${xShape.length === 1 ? ',' : ''}), expected rank >= 2: (m, ...) such as (m, 64, 64, 3)`,
      );
    }
    const m = xShape[0];
    const yOk =
      (yShape.length === 1 && yShape[0] === m) ||
      (yShape.length === 2 && ((yShape[0] === 1 && yShape[1] === m) || (yShape[0] === m && yShape[1] === 1)));
    if (!yOk) {
      const fmt = `(${yShape.join(',')}${yShape.length === 1 ? ',' : ''})`;
      throw new DataFileError(
        path,
        `${path}: dataset '${picked.y}' has shape ${fmt}, expected (${m},), (1, ${m}) or (${m}, 1) to match '${picked.x}' with ${m} examples`,
      );
    }
    const xv = numbers(xd.value);
    const yv = numbers(yd.value);
    if (!xv || !yv || xv.length !== xShape.reduce((p, x) => p * x, 1) || yv.length !== m) {
      throw new DataFileError(path, `${path}: datasets '${picked.x}' and '${picked.y}' must be numeric`);
    }
    let classes: string[] = [];
    if (picked.classes) {
      const cd = file.get(picked.classes);
      if (!cd || !(cd instanceof lib.Dataset)) {
        throw new DataFileError(path, `${path}: no dataset '${picked.classes}' (expected the class names)`);
      }
      const shape = sized(cd, picked.classes, MAX_NAME_LENGTH * 4);
      if (shape.reduce((p, x) => p * x, 1) > MAX_CLASS_NAMES) {
        throw new DataFileError(
          path,
          `${path}: dataset '${picked.classes}' holds more than ${MAX_CLASS_NAMES} class names`,
        );
      }
      classes = decodeClasses(cd.value).map((c) => c.slice(0, MAX_NAME_LENGTH));
    }
    return { xv, yv, xShape, classes, picked };
  } finally {
    file.close();
  }
}

/**
 * Writes a data set in the course's HDF5 layout: `<prefix>_x` uint8 (m, ...exampleShape) from `images`
 * (values 0..255, example-major, C order), `<prefix>_y` int64 (m,), and `list_classes` as fixed-length
 * byte strings. Used by the tests and handy for making small course-style files.
 *
 * @example
 * await writeH5Dataset('tiny.h5', { prefix: 'train_set', images, exampleShape: [4, 4, 3], labels: [0, 1], classes: ['non-cat', 'cat'] });
 */
export async function writeH5Dataset(
  path: string,
  data: {
    prefix?: string;
    images: Uint8Array;
    exampleShape: number[];
    labels: ArrayLike<number>;
    classes?: string[];
  },
): Promise<void> {
  const { resolve } = await import('node:path');
  const lib = await h5();
  const m = data.labels.length;
  const size = data.exampleShape.reduce((p, d) => p * d, 1);
  if (data.images.length !== m * size) {
    throw new RangeError(
      `writeH5Dataset: images has ${data.images.length} values, expected ${m} x ${size} = ${m * size}`,
    );
  }
  const prefix = data.prefix ?? 'train_set';
  const file = new lib.File(resolve(path), 'w');
  try {
    file.create_dataset({
      name: `${prefix}_x`,
      data: data.images,
      shape: [m, ...data.exampleShape],
      dtype: '<B',
    });
    file.create_dataset({
      name: `${prefix}_y`,
      data: BigInt64Array.from(Array.from(data.labels), (v) => BigInt(v)),
      shape: [m],
      dtype: '<q',
    });
    if (data.classes) {
      const width = Math.max(1, ...data.classes.map((c) => new TextEncoder().encode(c).length));
      file.create_dataset({
        name: 'list_classes',
        data: data.classes,
        shape: [data.classes.length],
        dtype: `S${width}`,
      });
    }
  } finally {
    file.close();
  }
}
