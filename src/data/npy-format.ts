// NumPy's .npy and .npz formats, as bytes (no file system here): a .npy file is the magic string
// "\x93NUMPY", a version, a little-endian header length, a Python-literal header
// `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces to a multiple of
// 64 bytes, then the raw elements. A .npz file is a zip archive of .npy files (fflate reads and
// writes the zip). Float32 and float64 arrays round-trip exactly; integer and boolean arrays are read
// as float64 (every value of up to 53 bits exactly); anything else is refused with the dtype named.

import { unzipSync, zipSync } from 'fflate';
import { DataFileError, limitOf } from '../core/index.js';

/** An array as the files hold it: C-order elements of a float dtype. */
export interface NpyArray {
  dtype: 'float32' | 'float64';
  shape: number[];
  data: Float32Array | Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Element readers of the dtypes NumPy writes: kind and size to a DataView getter. */
const READERS: Record<string, (v: DataView, at: number, little: boolean) => number> = {
  f4: (v, at, le) => v.getFloat32(at, le),
  f8: (v, at, le) => v.getFloat64(at, le),
  i1: (v, at) => v.getInt8(at),
  u1: (v, at) => v.getUint8(at),
  b1: (v, at) => v.getUint8(at),
  i2: (v, at, le) => v.getInt16(at, le),
  u2: (v, at, le) => v.getUint16(at, le),
  i4: (v, at, le) => v.getInt32(at, le),
  u4: (v, at, le) => v.getUint32(at, le),
  i8: (v, at, le) => Number(v.getBigInt64(at, le)),
  u8: (v, at, le) => Number(v.getBigUint64(at, le)),
};

/** The header's Python dict literal, parsed for the three keys NumPy writes. */
function parseHeader(text: string, fail: (why: string) => never) {
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(text);
  const order = /'fortran_order':\s*(True|False)/.exec(text);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(text);
  if (!descr || !order || !shape)
    fail(`header ${JSON.stringify(text.trim().slice(0, 80))} is not a .npy header`);
  const dims = shape[1]
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map((d) => {
      const n = Number(d);
      if (!Number.isSafeInteger(n) || n < 0) fail(`shape (${shape[1]}) holds ${d}`);
      return n;
    });
  return { byteOrder: descr[1], type: descr[2], fortran: order[1] === 'True', shape: dims };
}

/**
 * The array of a .npy file's bytes; `source` names the file in errors (DataFileError): a missing
 * magic string, a truncated header or body, a dtype other than float, int, uint or bool.
 *
 * @example decodeNpy(bytes, 'X.npy') // { dtype: 'float64', shape: [3, 4], data: Float64Array(12) }
 */
export function decodeNpy(bytes: Uint8Array, source: string): NpyArray {
  const fail = (why: string): never => {
    throw new DataFileError(source, `${source}: not a readable .npy file: ${why}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('it does not start with \\x93NUMPY');
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`format version ${major}.${bytes[7]} (vecnet reads 1.0 to 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength =
    major === 1 ? view.getUint16(8, true) : bytes.length >= 12 ? view.getUint32(8, true) : 0;
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length)
    fail(`the header claims ${headerLength} bytes; the file ends first`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(start, start + headerLength),
  );
  const { byteOrder, type, fortran, shape } = parseHeader(header, fail);
  const read = READERS[type];
  if (!read) {
    fail(
      `dtype '${byteOrder}${type}' (vecnet reads float32, float64, integer and bool arrays; convert with astype(np.float64))`,
    );
  }
  const size = Number(type.slice(1));
  const count = shape.reduce((a, b) => a * b, 1);
  const limit = limitOf('dataValues');
  if (count > limit) {
    fail(
      `shape (${shape.join(', ')}) holds ${count} values, more than the limit of ${limit} (VECNET_MAX_DATA_VALUES)`,
    );
  }
  const body = start + headerLength;
  if (body + count * size > bytes.length) {
    fail(
      `shape (${shape.join(', ')}) needs ${count * size} bytes of data; the file has ${bytes.length - body}`,
    );
  }
  const little = byteOrder !== '>';
  const dtype = type === 'f4' ? 'float32' : 'float64';
  const data = dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
  // C order: element i is at i; Fortran order: the index with the first axis fastest
  const strides = fortranToC(shape, fortran);
  for (let i = 0; i < count; i++) data[i] = read(view, body + strides(i) * size, little);
  return { dtype, shape, data };
}

/** Maps a C-order element index to its position in the file (itself unless Fortran order). */
function fortranToC(shape: readonly number[], fortran: boolean): (i: number) => number {
  if (!fortran || shape.length < 2) return (i) => i;
  const n = shape.length;
  const f = new Array<number>(n);
  let s = 1;
  for (let d = 0; d < n; d++) {
    f[d] = s;
    s *= shape[d];
  }
  return (i) => {
    let rest = i;
    let at = 0;
    for (let d = n - 1; d >= 0; d--) {
      const k = rest % shape[d];
      rest = (rest - k) / shape[d];
      at += k * f[d];
    }
    return at;
  };
}

/**
 * The .npy bytes of a C-order float array (version 1.0, little-endian, header padded to 64 bytes as
 * NumPy pads it), which `np.load` reads back exactly.
 *
 * @example encodeNpy({ dtype: 'float64', shape: [2], data: new Float64Array([1, 2]) }).length // 144
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { dtype, shape, data } = array;
  const descr = dtype === 'float32' ? '<f4' : '<f8';
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  const unpadded = 10 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const size = dtype === 'float32' ? 4 : 8;
  const out = new Uint8Array(10 + header.length + data.length * size);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = 10 + header.length;
  for (let i = 0; i < data.length; i++) {
    if (size === 4) view.setFloat32(body + 4 * i, data[i], true);
    else view.setFloat64(body + 8 * i, data[i], true);
  }
  return out;
}

/**
 * The arrays of a .npz file's bytes, by name (the archive's `X.npy` is `X`); `source` names the file
 * in errors.
 *
 * @example Object.keys(decodeNpz(bytes, 'data.npz')) // ['train_x', 'train_y']
 */
export function decodeNpz(bytes: Uint8Array, source: string): Record<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  // a member larger than the largest array allowed is refused before it is inflated
  const maxBytes = limitOf('dataValues') * 8 + 65536;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.originalSize > maxBytes) {
          throw new DataFileError(
            source,
            `${source}: ${f.name} inflates to ${f.originalSize} bytes, more than the limit of ${limitOf('dataValues')} values (VECNET_MAX_DATA_VALUES)`,
          );
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DataFileError) throw e;
    throw new DataFileError(source, `${source}: not a readable .npz file: ${(e as Error).message}`);
  }
  const out: Record<string, NpyArray> = {};
  for (const [name, content] of Object.entries(files)) {
    if (!name.endsWith('.npy')) continue;
    out[name.slice(0, -4)] = decodeNpy(content, `${source}: ${name}`);
  }
  return out;
}

/** The .npz bytes of named arrays (deflated, as `np.savez_compressed`). */
export function encodeNpz(arrays: Record<string, NpyArray>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, a] of Object.entries(arrays)) files[`${name}.npy`] = encodeNpy(a);
  return zipSync(files, { level: 6 });
}
