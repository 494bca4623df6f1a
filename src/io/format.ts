// The vecnet model file, format version 1. One JSON document:
//
// {
//   "format": "vecnet-model",                 constant: identifies the file
//   "version": 1,                             bumped on any incompatible change
//   "model": { "type": "NeuralNetwork", "layerDims": [2, 4, 1], "hidden": "tanh",
//              "output": "sigmoid", "leakySlope": 0.01,
//              "init": "small", "seed": 2 }   (architecture; init and seed say how training started)
//        or  { "type": "LogisticRegression", "nx": 12288 }
//   "dtype": "float64" | "float32",
//   "parameters": { "W1": { "shape": [4, 2], "data": "<base64>" }, "b1": ..., ... }
//                data = the elements in C order as little-endian IEEE 754 bytes of `dtype`
//                (8 or 4 bytes each), so values round-trip bit for bit, NaN payloads and -0 included
//   "metadata": { ... }                        optional facts for `predict`: classes, inputShape,
//                                              preprocessing, training settings and results
//   "checksum": { "algorithm": "sha256", "value": "<64 hex digits>" }
// }
//
// The checksum is SHA-256 of the canonical JSON of the document without "checksum": keys sorted at
// every level, no whitespace, numbers as JSON.stringify writes them. It covers the parameters, the
// architecture and the metadata, so a flipped bit or an edited value anywhere is detected, while
// re-indenting the file is harmless. Pure TypeScript (no node:crypto), so Node and browsers agree.

import { type DType, ModelFormatError } from '../core/index.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { sha256 } from './sha256.js';

/** The `format` field of every vecnet model file. */
export const MODEL_FORMAT = 'vecnet-model';
/** The format version this vecnet writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

/** Activation names as the nn module spells them. */
export type HiddenActivation = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'linear';
export type OutputActivationName = 'sigmoid' | 'linear';
export type InitName = 'zeros' | 'small' | 'scaled' | 'he' | 'xavier';

/** What kind of model the file holds and its shape. */
export type Architecture =
  | {
      type: 'NeuralNetwork';
      layerDims: number[];
      hidden: HiddenActivation;
      output: OutputActivationName;
      leakySlope: number;
      /** The initialisation the weights started from (informational; the stored weights are what count). */
      init: InitName;
      seed: number;
    }
  | { type: 'LogisticRegression'; nx: number };

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

/** One parameter array: shape and elements (C order). */
export interface ParameterRecord {
  shape: number[];
  data: Float64Array | Float32Array;
}

/** A model file's contents, decoded and validated. */
export interface ModelRecord {
  architecture: Architecture;
  dtype: DType;
  /** In file order: W1, b1, W2, b2, ... (or w, b for logistic regression). */
  parameters: Map<string, ParameterRecord>;
  metadata: ModelMetadata;
}

/** The JSON document, as written. */
export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  model: Architecture;
  dtype: DType;
  parameters: Record<string, { shape: number[]; data: string }>;
  metadata: ModelMetadata;
  checksum: { algorithm: 'sha256'; value: string };
}

/** JSON with keys sorted at every level: the text the checksum is computed over. @example canonicalJson({ b: 1, a: 2 }) // '{"a":2,"b":1}' */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function checksumOf(doc: Omit<ModelFile, 'checksum'>): string {
  return sha256(canonicalJson(doc));
}

function toBytes(data: Float64Array | Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.length * data.BYTES_PER_ELEMENT);
  const dv = new DataView(bytes.buffer);
  if (data instanceof Float64Array) for (let i = 0; i < data.length; i++) dv.setFloat64(8 * i, data[i], true);
  else for (let i = 0; i < data.length; i++) dv.setFloat32(4 * i, data[i], true);
  return bytes;
}

function fromBytes(bytes: Uint8Array, dtype: DType): Float64Array | Float32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'float64') {
    const out = new Float64Array(bytes.length / 8);
    for (let i = 0; i < out.length; i++) out[i] = dv.getFloat64(8 * i, true);
    return out;
  }
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(4 * i, true);
  return out;
}

/** The parameter names and shapes an architecture must have, in order. @example expectedParameters({ type: 'LogisticRegression', nx: 3 }) // [['w', [3, 1]], ['b', [1, 1]]] */
export function expectedParameters(arch: Architecture): [string, number[]][] {
  if (arch.type === 'LogisticRegression') {
    return [
      ['w', [arch.nx, 1]],
      ['b', [1, 1]],
    ];
  }
  const out: [string, number[]][] = [];
  for (let l = 1; l < arch.layerDims.length; l++) {
    out.push([`W${l}`, [arch.layerDims[l], arch.layerDims[l - 1]]]);
    out.push([`b${l}`, [arch.layerDims[l], 1]]);
  }
  return out;
}

/**
 * Builds the versioned, checksummed JSON document for a model record.
 *
 * @example
 * const file = encodeModelFile({ architecture, dtype: 'float64', parameters, metadata: {} });
 * JSON.stringify(file);
 */
export function encodeModelFile(record: ModelRecord): ModelFile {
  const parameters: ModelFile['parameters'] = {};
  for (const [name, p] of record.parameters) {
    parameters[name] = { shape: [...p.shape], data: encodeBase64(toBytes(p.data)) };
  }
  const doc = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    model: record.architecture,
    dtype: record.dtype,
    parameters,
    metadata: record.metadata,
  } as const;
  return { ...doc, checksum: { algorithm: 'sha256', value: checksumOf(doc) } };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isPosInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

function checkArchitecture(src: string, model: unknown): Architecture {
  const bad = (what: string) => new ModelFormatError(src, `invalid "model": ${what}`);
  if (!isObject(model)) throw bad('expected an object with the architecture');
  if (model.type === 'LogisticRegression') {
    if (!isPosInt(model.nx)) throw bad('"nx" must be a positive integer');
    return { type: 'LogisticRegression', nx: model.nx };
  }
  if (model.type !== 'NeuralNetwork') {
    throw bad(
      `unknown model type ${JSON.stringify(model.type)} (expected "NeuralNetwork" or "LogisticRegression")`,
    );
  }
  const dims = model.layerDims;
  if (!Array.isArray(dims) || dims.length < 2 || !dims.every(isPosInt)) {
    throw bad('"layerDims" must list at least two positive integers');
  }
  const hidden = model.hidden;
  if (!['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'].includes(hidden as string)) {
    throw bad(`unknown hidden activation ${JSON.stringify(hidden)}`);
  }
  if (model.output !== 'sigmoid' && model.output !== 'linear') {
    throw bad(`unknown output activation ${JSON.stringify(model.output)}`);
  }
  const slope = model.leakySlope;
  if (typeof slope !== 'number' || !Number.isFinite(slope)) throw bad('"leakySlope" must be a number');
  if (!['zeros', 'small', 'scaled', 'he', 'xavier'].includes(model.init as string)) {
    throw bad(`unknown init ${JSON.stringify(model.init)}`);
  }
  const seed = model.seed;
  if (!Number.isSafeInteger(seed) || (seed as number) < 0 || (seed as number) > 0xffffffff) {
    throw bad('"seed" must be an integer in [0, 2**32)');
  }
  return {
    type: 'NeuralNetwork',
    layerDims: [...dims],
    hidden: hidden as HiddenActivation,
    output: model.output,
    leakySlope: slope,
    init: model.init as InitName,
    seed: seed as number,
  };
}

/**
 * Validates a parsed model file and decodes its parameters. Checks, in order: it is a vecnet model,
 * the version is supported, the checksum matches, the architecture is valid, and every parameter
 * has the shape the architecture implies and exactly the bytes that shape needs.
 *
 * @param source names the file in error messages.
 * @throws ModelFormatError saying what is wrong.
 * @example
 * const record = decodeModelFile(JSON.parse(text), 'out/model.json');
 * record.architecture; // { type: 'NeuralNetwork', layerDims: [2, 4, 1], ... }
 */
export function decodeModelFile(doc: unknown, source = 'model JSON'): ModelRecord {
  if (!isObject(doc) || doc.format !== MODEL_FORMAT) {
    throw new ModelFormatError(source, `not a vecnet model file (expected "format": "${MODEL_FORMAT}")`);
  }
  if (doc.version !== MODEL_FORMAT_VERSION) {
    const v = JSON.stringify(doc.version);
    const newer = typeof doc.version === 'number' && doc.version > MODEL_FORMAT_VERSION;
    throw new ModelFormatError(
      source,
      `unsupported model format version ${v}${newer ? ' (written by a newer vecnet)' : ''}; this vecnet reads version ${MODEL_FORMAT_VERSION}`,
    );
  }
  const checksum = doc.checksum;
  if (!isObject(checksum) || checksum.algorithm !== 'sha256' || typeof checksum.value !== 'string') {
    throw new ModelFormatError(
      source,
      'missing checksum (expected "checksum": { "algorithm": "sha256", "value": ... })',
    );
  }
  const { checksum: _, ...body } = doc;
  const actual = checksumOf(body as Omit<ModelFile, 'checksum'>);
  if (actual !== checksum.value) {
    throw new ModelFormatError(
      source,
      'checksum mismatch: the file was corrupted or edited after it was saved (sha256 of its contents does not match the stored checksum)',
    );
  }
  const architecture = checkArchitecture(source, doc.model);
  const dtype = doc.dtype;
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new ModelFormatError(
      source,
      `invalid "dtype" ${JSON.stringify(dtype)} (expected "float64" or "float32")`,
    );
  }
  if (!isObject(doc.parameters)) throw new ModelFormatError(source, 'missing "parameters"');
  const params = doc.parameters;
  const expected = expectedParameters(architecture);
  const extra = Object.keys(params).filter((k) => !expected.some(([name]) => name === k));
  if (extra.length)
    throw new ModelFormatError(source, `unexpected parameter(s) ${extra.join(', ')} for this architecture`);
  const parameters = new Map<string, ParameterRecord>();
  const bytesPer = dtype === 'float64' ? 8 : 4;
  for (const [name, shape] of expected) {
    const p = params[name];
    if (!isObject(p)) throw new ModelFormatError(source, `missing parameter ${name}`);
    const fmt = (s: unknown) => (Array.isArray(s) ? `(${s.join(',')})` : JSON.stringify(s));
    if (
      !Array.isArray(p.shape) ||
      p.shape.length !== shape.length ||
      p.shape.some((d, i) => d !== shape[i])
    ) {
      throw new ModelFormatError(
        source,
        `parameter ${name} has shape ${fmt(p.shape)}, expected ${fmt(shape)}`,
      );
    }
    const bytes = typeof p.data === 'string' ? decodeBase64(p.data) : undefined;
    if (!bytes) throw new ModelFormatError(source, `parameter ${name}: "data" is not valid base64`);
    const size = shape.reduce((a, d) => a * d, 1);
    if (bytes.length !== size * bytesPer) {
      throw new ModelFormatError(
        source,
        `parameter ${name} holds ${bytes.length} bytes, expected ${size * bytesPer} (${size} ${dtype} values)`,
      );
    }
    parameters.set(name, { shape, data: fromBytes(bytes, dtype) });
  }
  const metadata = isObject(doc.metadata) ? (doc.metadata as ModelMetadata) : {};
  return { architecture, dtype, parameters, metadata };
}

/**
 * Parses model-file text: JSON errors (most often a truncated file) become a ModelFormatError.
 *
 * @example
 * const record = parseModelFile(await readFile('out/model.json', 'utf8'), 'out/model.json');
 */
export function parseModelFile(text: string, source = 'model JSON'): ModelRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const hint = text.trim() === '' ? 'the file is empty' : 'the file is truncated or is not JSON';
    throw new ModelFormatError(source, `${hint} (${(e as Error).message})`);
  }
  return decodeModelFile(doc, source);
}
