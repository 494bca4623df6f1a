// NumPy files as NDArrays: `.npy` for one array, `.npz` for several by name, in Node (loadNpy,
// saveNpy, loadNpz, saveNpz) and from or to bytes anywhere (fromNpy, toNpy, fromNpz, toNpz: a
// browser's fetch or file input). The format itself is in npy-format.ts.

import { DataFileError } from '../core/index.js';
import { array, type CreateOptions, checkArray, type NDArray } from '../ndarray/index.js';
import { decodeNpy, decodeNpz, encodeNpy, encodeNpz, type NpyArray } from './npy-format.js';

function toArray(a: NpyArray, options: CreateOptions): NDArray {
  return array(a.data, { dtype: a.dtype, ...options, shape: a.shape });
}

function toNpyArray(where: string, name: string, x: NDArray): NpyArray {
  checkArray(where, name, x);
  return { dtype: x.dtype, shape: [...x.shape], data: x.data as Float32Array | Float64Array };
}

/**
 * The array in a .npy file's bytes: float32 and float64 as they are (unless `options.dtype` says
 * otherwise), integer and bool arrays as float64; C or Fortran order, 0-d to n-d.
 *
 * @example const X = fromNpy(new Uint8Array(await (await fetch('X.npy')).arrayBuffer()));
 */
export function fromNpy(bytes: Uint8Array, options: CreateOptions = {}, source = 'npy bytes'): NDArray {
  return toArray(decodeNpy(bytes, source), options);
}

/** The .npy bytes of x (C order, its dtype), which `np.load` reads back exactly. @example toNpy(x).length */
export function toNpy(x: NDArray): Uint8Array {
  return encodeNpy(toNpyArray('toNpy', 'x', x));
}

/** The arrays in a .npz file's bytes, by name. @example fromNpz(bytes).train_x.shape */
export function fromNpz(
  bytes: Uint8Array,
  options: CreateOptions = {},
  source = 'npz bytes',
): Record<string, NDArray> {
  const decoded = decodeNpz(bytes, source);
  const out: Record<string, NDArray> = {};
  for (const [name, a] of Object.entries(decoded)) out[name] = toArray(a, options);
  return out;
}

/** The .npz bytes (deflated) of named arrays. @example toNpz({ X, Y }) */
export function toNpz(arrays: Record<string, NDArray>): Uint8Array {
  const out: Record<string, NpyArray> = {};
  for (const [name, x] of Object.entries(arrays)) out[name] = toNpyArray('toNpz', name, x);
  return encodeNpz(out);
}

async function readBytes(path: string, kind: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  return readFile(path).catch((e: NodeJS.ErrnoException) => {
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a directory' : e.message;
    throw new DataFileError(path, `${path}: ${why} (expected a ${kind} file)`);
  });
}

async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  const { writeFile, mkdir } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/**
 * Reads a .npy file (Node): see `fromNpy`. A missing, truncated or foreign file is a DataFileError
 * naming it.
 *
 * @example const X = await loadNpy('train_x.npy');
 */
export async function loadNpy(path: string, options: CreateOptions = {}): Promise<NDArray> {
  return fromNpy(await readBytes(path, '.npy'), options, path);
}

/** Writes x to a .npy file (Node), creating its folder. @example await saveNpy('out/W1.npy', W1); */
export async function saveNpy(path: string, x: NDArray): Promise<void> {
  await writeBytes(path, toNpy(x));
}

/** Reads a .npz file's arrays by name (Node). @example const { X, Y } = await loadNpz('data.npz'); */
export async function loadNpz(path: string, options: CreateOptions = {}): Promise<Record<string, NDArray>> {
  return fromNpz(await readBytes(path, '.npz'), options, path);
}

/** Writes named arrays to a .npz file (Node). @example await saveNpz('out/data.npz', { X, Y }); */
export async function saveNpz(path: string, arrays: Record<string, NDArray>): Promise<void> {
  await writeBytes(path, toNpz(arrays));
}
