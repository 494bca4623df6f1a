// The sizes vecnet checks before it starts anything expensive (decoding an image, reading a data set
// or a model file), so that a hostile or mistaken input gets a one-line error instead of exhausting
// the memory. Each has a default and, in Node, an environment variable to raise or lower it; the
// command line also takes the image limit as --max-pixels. docs/limits.md lists them all.

import { envVar } from './env.js';

/** A checked limit: its default and the environment variable that overrides it. */
export interface Limit {
  readonly name: string;
  readonly env: string;
  readonly defaultValue: number;
  readonly unit: string;
}

export const LIMITS = {
  /** Pixels (width × height) of an image to decode: a 64-megapixel photo decodes to 256 MB of RGBA. */
  imagePixels: {
    name: 'image pixels',
    env: 'VECNET_MAX_IMAGE_PIXELS',
    defaultValue: 64_000_000,
    unit: 'pixels',
  },
  /** Values of one dataset read from an HDF5 file (each becomes 8 bytes of float64 while loading). */
  dataValues: {
    name: 'dataset values',
    env: 'VECNET_MAX_DATA_VALUES',
    defaultValue: 2 ** 26,
    unit: 'values',
  },
  /** Bytes of a model file's JSON (weights above 64 MiB go to a .bin file beside it, not counted here). */
  modelJsonBytes: {
    name: 'model JSON size',
    env: 'VECNET_MAX_MODEL_JSON_BYTES',
    defaultValue: 256 * 2 ** 20,
    unit: 'bytes',
  },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** Class names a data set or a model file may hold (a model predicts one of two). */
export const MAX_CLASS_NAMES = 1000;
/** Characters of one class name (or other string) from a file. */
export const MAX_NAME_LENGTH = 1000;

/**
 * The limit in force: $<env> when it is set to a positive integer, else the default.
 *
 * @throws RangeError when the variable is set to anything else (a typo must not lift a limit silently).
 */
export function limitOf(name: LimitName): number {
  const limit = LIMITS[name];
  const raw = envVar(limit.env);
  if (raw === undefined || raw === '') return limit.defaultValue;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`${limit.env} must be a positive integer (${limit.unit}), got '${raw}'`);
  }
  return n;
}

/** A byte count for messages: 1.97 GB, 512 MiB-scale figures in decimal units. */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = -1;
  while (v >= 1e3 && u < units.length - 1) {
    v /= 1e3;
    u++;
  }
  return `${v.toPrecision(3)} ${units[u]}`;
}
