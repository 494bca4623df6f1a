// The metadata stored with a model, checked field by field when a file is read: `predict` trusts
// what it finds here (class names it prints, an input shape it resizes images to, a preprocessing it
// applies), so nothing malformed, oversized or inconsistent with the architecture gets through.

import { MAX_CLASS_NAMES, MAX_NAME_LENGTH, ModelFormatError } from '../core/index.js';

/** How inputs were transformed before training; `predict` applies the same to new data. */
export type Preprocessing =
  | { type: 'none' }
  | { type: 'scale'; factor: number }
  | { type: 'standardize'; mean: number[]; std: number[] };

/** Optional facts stored with the model (all covered by the checksum). */
export interface ModelMetadata {
  /** Class names, index = label (e.g. ['non-cat', 'cat']). */
  classes?: string[];
  /** Shape of one raw input example before flattening, e.g. [64, 64, 3] for the cat images. */
  inputShape?: number[];
  preprocessing?: Preprocessing;
  /** Free-form training record: data set, learning rate, iterations, accuracies, ... */
  training?: Record<string, string | number | boolean | null>;
  /** The library that wrote the file, e.g. 'vecnet 0.1.0'. */
  createdBy?: string;
}

const MAX_TRAINING_KEYS = 100;
const MAX_INPUT_RANK = 8;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function shortString(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_NAME_LENGTH;
}

/**
 * The metadata of a model file with `nx` inputs, every field checked; a missing metadata object is
 * empty metadata. Unknown fields are an error (a misspelled one would otherwise be ignored).
 *
 * @throws ModelFormatError naming the field and what it should hold.
 */
export function checkMetadata(source: string, value: unknown, nx: number): ModelMetadata {
  if (value === undefined) return {};
  const bad = (field: string, what: string) =>
    new ModelFormatError(source, `invalid metadata "${field}": ${what}`);
  if (!isObject(value)) throw new ModelFormatError(source, 'invalid "metadata": expected an object');
  const out: ModelMetadata = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined) continue; // as JSON.stringify drops it
    switch (key) {
      case 'classes':
        if (!Array.isArray(v) || v.length > MAX_CLASS_NAMES || !v.every(shortString)) {
          throw bad(
            key,
            `expected at most ${MAX_CLASS_NAMES} class names of at most ${MAX_NAME_LENGTH} characters`,
          );
        }
        out.classes = [...v];
        break;
      case 'inputShape': {
        if (
          !Array.isArray(v) ||
          v.length === 0 ||
          v.length > MAX_INPUT_RANK ||
          !v.every((d) => Number.isSafeInteger(d) && d >= 1)
        ) {
          throw bad(key, `expected 1 to ${MAX_INPUT_RANK} positive integers, e.g. [64, 64, 3]`);
        }
        const size = v.reduce((p: number, d: number) => p * d, 1);
        if (size !== nx) {
          throw bad(key, `[${v.join(', ')}] holds ${size} values per example, but the model takes ${nx}`);
        }
        out.inputShape = [...v];
        break;
      }
      case 'preprocessing':
        out.preprocessing = checkPreprocessing(v, nx, (what) => bad(key, what));
        break;
      case 'training':
        if (!isObject(v) || Object.keys(v).length > MAX_TRAINING_KEYS) {
          throw bad(key, `expected an object of at most ${MAX_TRAINING_KEYS} fields`);
        }
        for (const [k, x] of Object.entries(v)) {
          const ok =
            x === null ||
            typeof x === 'boolean' ||
            (typeof x === 'number' && Number.isFinite(x)) ||
            shortString(x);
          if (!ok) throw bad(`training.${k}`, 'expected a string, a finite number, a boolean or null');
        }
        out.training = { ...(v as Record<string, string | number | boolean | null>) };
        break;
      case 'createdBy':
        if (!shortString(v)) throw bad(key, 'expected a string');
        out.createdBy = v;
        break;
      default:
        throw new ModelFormatError(source, `unknown metadata field "${key.slice(0, 60)}"`);
    }
  }
  return out;
}

function checkPreprocessing(v: unknown, nx: number, bad: (what: string) => Error): Preprocessing {
  if (!isObject(v)) throw bad('expected { "type": "none" | "scale" | "standardize", ... }');
  if (v.type === 'none') return { type: 'none' };
  if (v.type === 'scale') {
    if (typeof v.factor !== 'number' || !Number.isFinite(v.factor) || v.factor === 0) {
      throw bad('"scale" needs a finite, non-zero "factor"');
    }
    return { type: 'scale', factor: v.factor };
  }
  if (v.type === 'standardize') {
    const column = (name: string, positive: boolean) => {
      const c = v[name];
      if (
        !Array.isArray(c) ||
        c.length !== nx ||
        !c.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0))
      ) {
        throw bad(
          `"standardize" needs "${name}": ${nx} finite${positive ? ' positive' : ''} numbers, one per input`,
        );
      }
      return [...c] as number[];
    };
    return { type: 'standardize', mean: column('mean', false), std: column('std', true) };
  }
  throw bad(
    `unknown type ${JSON.stringify(v.type)?.slice(0, 40)} (expected "none", "scale" or "standardize")`,
  );
}
