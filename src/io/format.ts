// The vecnet model file. One JSON document, in one of two versions:
//
// {
//   "format": "vecnet-model",                 constant: identifies the file
//   "version": 1 | 2,                         1: weights inline; 2: weights in a .bin file beside it
//   "model": { "type": "NeuralNetwork", "layerDims": [2, 4, 1], "hidden": "tanh",
//              "output": "sigmoid", "leakySlope": 0.01,
//              "init": "small", "seed": 2 }   (architecture; init and seed say how training started)
//        or  { "type": "LogisticRegression", "nx": 12288 }
//   "dtype": "float64" | "float32",
//   "parameters": version 1: { "W1": { "shape": [4, 2], "data": "<base64>" }, "b1": ..., ... }
//                 version 2: { "W1": { "shape": [4, 2], "offset": 0 }, ... }   (byte offset in the .bin)
//                data = the elements in C order as little-endian IEEE 754 bytes of `dtype`
//                (8 or 4 bytes each), so values round-trip bit for bit, -0 and subnormals included
//   "weights": version 2 only: { "file": "model.3f9a….bin", "bytes": N, "sha256": "<64 hex digits>" }
//   "metadata": { ... }                        optional facts for `predict` (metadata.ts)
//   "checksum": { "algorithm": "sha256", "value": "<64 hex digits>" }
// }
//
// The checksum is SHA-256 of the canonical JSON of the document without "checksum": keys sorted at
// every level, no whitespace, numbers as JSON.stringify writes them. It covers the parameters (or, in
// version 2, the weights file's own SHA-256), the architecture and the metadata, so a flipped bit or an
// edited value anywhere is detected, while re-indenting the file is harmless. Pure TypeScript (no
// node:crypto), so Node and browsers agree. Version 2 exists because base64 text in one JSON string
// cannot hold more than a few hundred megabytes (JavaScript's longest string): weights above
// INLINE_WEIGHTS_MAX_BYTES are written to the .bin file (files.ts).
//
// Every field is checked before anything is built, non-finite weights included: a file that loads
// holds a model that computes.

import { type DType, ModelFormatError } from '../core/index.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { checkJsonShape } from './json-guard.js';
import { checkMetadata, type ModelMetadata } from './metadata.js';
import { sha256 } from './sha256.js';

/** The `format` field of every vecnet model file. */
export const MODEL_FORMAT = 'vecnet-model';
/** The newest format version this vecnet reads and writes (it reads every older one too). */
export const MODEL_FORMAT_VERSION = 2;
/** Weights up to this many bytes are written inline (version 1); larger ones to a .bin file (version 2). */
export const INLINE_WEIGHTS_MAX_BYTES = 64 * 2 ** 20;

/** Activation names as the nn module spells them. */
export type HiddenActivation = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'linear';
export type OutputActivationName = 'sigmoid' | 'softmax' | 'linear';
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

/** Where a version-2 file keeps its weights. */
export interface WeightsFile {
  /** A file name in the model file's own folder. */
  file: string;
  bytes: number;
  sha256: string;
}

/** The JSON document, as written. */
export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  model: Architecture;
  dtype: DType;
  parameters: Record<string, { shape: number[]; data: string } | { shape: number[]; offset: number }>;
  weights?: WeightsFile;
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

function checksumOf(doc: object): string {
  return sha256(canonicalJson(doc));
}

/** True on little-endian machines (all current ones), where typed arrays are the file's byte order. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A parameter's elements as the file's little-endian bytes. */
export function parameterBytes(data: Float64Array | Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const bytes = new Uint8Array(data.byteLength);
  const dv = new DataView(bytes.buffer);
  if (data instanceof Float64Array) for (let i = 0; i < data.length; i++) dv.setFloat64(8 * i, data[i], true);
  else for (let i = 0; i < data.length; i++) dv.setFloat32(4 * i, data[i], true);
  return bytes;
}

function fromBytes(bytes: Uint8Array, dtype: DType): Float64Array | Float32Array {
  const size = dtype === 'float64' ? 8 : 4;
  const Typed = dtype === 'float64' ? Float64Array : Float32Array;
  // aligned little-endian bytes are viewed, not copied: a weights file of gigabytes is read once
  if (LITTLE_ENDIAN && bytes.byteOffset % size === 0) {
    return new Typed(bytes.buffer, bytes.byteOffset, bytes.length / size);
  }
  const out = new Typed(bytes.length / size);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) {
    out[i] = size === 8 ? dv.getFloat64(8 * i, true) : dv.getFloat32(4 * i, true);
  }
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

/** The number of inputs of an architecture. */
function inputsOf(arch: Architecture): number {
  return arch.type === 'LogisticRegression' ? arch.nx : arch.layerDims[0];
}

/** Total bytes of a record's parameters. */
export function parametersBytes(record: ModelRecord): number {
  let n = 0;
  for (const p of record.parameters.values()) n += p.data.byteLength;
  return n;
}

/**
 * Builds the versioned, checksummed JSON document for a model record: version 1 with the weights
 * inline, or, given `weights` (where files.ts wrote them, parameters back to back in file order),
 * version 2 pointing there. The metadata is checked as a reader will check it.
 *
 * @throws RangeError when the weights are too large to be inline (use `save`, which writes a .bin file).
 * @example
 * const file = encodeModelFile({ architecture, dtype: 'float64', parameters, metadata: {} });
 * JSON.stringify(file);
 */
export function encodeModelFile(record: ModelRecord, weights?: WeightsFile): ModelFile {
  const metadata = checkMetadata('metadata', record.metadata, inputsOf(record.architecture));
  const total = parametersBytes(record);
  if (!weights && total > INLINE_WEIGHTS_MAX_BYTES) {
    throw new RangeError(
      `encodeModelFile: the parameters hold ${total} bytes, more than a JSON document takes inline (${INLINE_WEIGHTS_MAX_BYTES}); save the model to a file (model.save), which writes the weights to a .bin file beside it`,
    );
  }
  const parameters: ModelFile['parameters'] = {};
  let offset = 0;
  for (const [name, p] of record.parameters) {
    if (weights) {
      parameters[name] = { shape: [...p.shape], offset };
      offset += p.data.byteLength;
    } else parameters[name] = { shape: [...p.shape], data: encodeBase64(parameterBytes(p.data)) };
  }
  const doc = {
    format: MODEL_FORMAT,
    version: weights ? 2 : 1,
    model: record.architecture,
    dtype: record.dtype,
    parameters,
    ...(weights ? { weights: { ...weights } } : {}),
    metadata,
  } as const;
  return { ...doc, checksum: { algorithm: 'sha256', value: checksumOf(doc) } };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isPosInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
/** Layer sizes beyond this are no model vecnet can hold (2^31 elements per parameter at most). */
const MAX_DIM = 2 ** 31 - 1;

function checkArchitecture(src: string, model: unknown): Architecture {
  const bad = (what: string) => new ModelFormatError(src, `invalid "model": ${what}`);
  if (!isObject(model)) throw bad('expected an object with the architecture');
  if (model.type === 'LogisticRegression') {
    if (!isPosInt(model.nx) || model.nx > MAX_DIM) throw bad('"nx" must be a positive integer');
    return { type: 'LogisticRegression', nx: model.nx };
  }
  if (model.type !== 'NeuralNetwork') {
    throw bad(
      `unknown model type ${JSON.stringify(model.type)?.slice(0, 40)} (expected "NeuralNetwork" or "LogisticRegression")`,
    );
  }
  const dims = model.layerDims;
  if (
    !Array.isArray(dims) ||
    dims.length < 2 ||
    dims.length > 1000 ||
    !dims.every((d) => isPosInt(d) && d <= MAX_DIM)
  ) {
    throw bad('"layerDims" must list 2 to 1000 positive integers');
  }
  const hidden = model.hidden;
  if (!['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'].includes(hidden as string)) {
    throw bad(`unknown hidden activation ${JSON.stringify(hidden)?.slice(0, 40)}`);
  }
  if (!['sigmoid', 'softmax', 'linear'].includes(model.output as string)) {
    throw bad(`unknown output activation ${JSON.stringify(model.output)?.slice(0, 40)}`);
  }
  const slope = model.leakySlope;
  if (typeof slope !== 'number' || !Number.isFinite(slope)) throw bad('"leakySlope" must be a number');
  if (!['zeros', 'small', 'scaled', 'he', 'xavier'].includes(model.init as string)) {
    throw bad(`unknown init ${JSON.stringify(model.init)?.slice(0, 40)}`);
  }
  const seed = model.seed;
  if (!Number.isSafeInteger(seed) || (seed as number) < 0 || (seed as number) > 0xffffffff) {
    throw bad('"seed" must be an integer in [0, 2**32)');
  }
  return {
    type: 'NeuralNetwork',
    layerDims: [...dims],
    hidden: hidden as HiddenActivation,
    output: model.output as OutputActivationName,
    leakySlope: slope,
    init: model.init as InitName,
    seed: seed as number,
  };
}

/**
 * The header checks every reader runs first, in order: a vecnet model, a supported version, a
 * matching checksum. Returns the document, now known to be intact.
 */
function checkHeader(doc: unknown, source: string): Record<string, unknown> {
  if (!isObject(doc) || doc.format !== MODEL_FORMAT) {
    throw new ModelFormatError(source, `not a vecnet model file (expected "format": "${MODEL_FORMAT}")`);
  }
  if (doc.version !== 1 && doc.version !== 2) {
    const v = JSON.stringify(doc.version)?.slice(0, 20);
    const newer = typeof doc.version === 'number' && doc.version > MODEL_FORMAT_VERSION;
    throw new ModelFormatError(
      source,
      `unsupported model format version ${v}${newer ? ' (written by a newer vecnet)' : ''}; this vecnet reads versions 1 and ${MODEL_FORMAT_VERSION}`,
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
  if (checksumOf(body) !== checksum.value) {
    throw new ModelFormatError(
      source,
      'checksum mismatch: the file was corrupted or edited after it was saved (sha256 of its contents does not match the stored checksum)',
    );
  }
  return doc;
}

/**
 * Where a document's weights are: undefined for version 1 (inline), else its weights file, checked
 * (a plain file name ending in .bin, a byte count, a SHA-256). Runs the header checks first, so a
 * reader never opens a file named by a corrupted document.
 */
export function weightsFileOf(doc: unknown, source = 'model JSON'): WeightsFile | undefined {
  const d = checkHeader(doc, source);
  if (d.version === 1) return undefined;
  const w = d.weights;
  if (
    !isObject(w) ||
    typeof w.file !== 'string' ||
    !/^[\w.-]{1,200}\.bin$/.test(w.file) ||
    w.file.startsWith('.') ||
    !Number.isSafeInteger(w.bytes) ||
    (w.bytes as number) < 0 ||
    typeof w.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(w.sha256)
  ) {
    throw new ModelFormatError(
      source,
      'invalid "weights": expected { "file": "<name>.bin", "bytes": n, "sha256": "<hex>" }',
    );
  }
  return { file: w.file, bytes: w.bytes as number, sha256: w.sha256 };
}

/**
 * Validates a parsed model file and decodes its parameters. Checks, in order: it is a vecnet model,
 * the version is supported, the checksum matches, the architecture is valid, every parameter has the
 * shape the architecture implies and exactly the bytes that shape needs, every weight is finite, and
 * the metadata is well formed and consistent with the architecture. A version-2 document needs its
 * `weights` bytes (read and verified by files.ts).
 *
 * @param source names the file in error messages.
 * @throws ModelFormatError saying what is wrong.
 * @example
 * const record = decodeModelFile(JSON.parse(text), 'out/model.json');
 * record.architecture; // { type: 'NeuralNetwork', layerDims: [2, 4, 1], ... }
 */
export function decodeModelFile(doc: unknown, source = 'model JSON', weights?: Uint8Array): ModelRecord {
  const weightsFile = weightsFileOf(doc, source);
  const d = doc as Record<string, unknown>;
  const external = weightsFile ? weights : undefined;
  if (weightsFile && !weights) {
    throw new ModelFormatError(
      source,
      `keeps its weights in ${weightsFile.file} beside it: load it from its path (loadModel, NeuralNetwork.load), in Node`,
    );
  }
  const architecture = checkArchitecture(source, d.model);
  const dtype = d.dtype;
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new ModelFormatError(
      source,
      `invalid "dtype" ${JSON.stringify(dtype)?.slice(0, 20)} (expected "float64" or "float32")`,
    );
  }
  if (!isObject(d.parameters)) throw new ModelFormatError(source, 'missing "parameters"');
  const params = d.parameters;
  const expected = expectedParameters(architecture);
  const extra = Object.keys(params).filter((k) => !expected.some(([name]) => name === k));
  if (extra.length) {
    throw new ModelFormatError(
      source,
      `unexpected parameter(s) ${extra.slice(0, 5).join(', ')} for this architecture`,
    );
  }
  const parameters = new Map<string, ParameterRecord>();
  const bytesPer = dtype === 'float64' ? 8 : 4;
  let offset = 0;
  for (const [name, shape] of expected) {
    const p = params[name];
    if (!isObject(p)) throw new ModelFormatError(source, `missing parameter ${name}`);
    const fmt = (s: unknown) =>
      Array.isArray(s) ? `(${s.slice(0, 8).join(',')})` : JSON.stringify(s)?.slice(0, 40);
    if (
      !Array.isArray(p.shape) ||
      p.shape.length !== shape.length ||
      p.shape.some((x, i) => x !== shape[i])
    ) {
      throw new ModelFormatError(
        source,
        `parameter ${name} has shape ${fmt(p.shape)}, expected ${fmt(shape)}`,
      );
    }
    const size = shape.reduce((a, x) => a * x, 1);
    let bytes: Uint8Array | undefined;
    if (external) {
      if (p.offset !== offset) {
        throw new ModelFormatError(
          source,
          `parameter ${name} starts at byte ${fmt(p.offset)}, expected ${offset}`,
        );
      }
      if (offset + size * bytesPer > external.length) {
        throw new ModelFormatError(source, `parameter ${name} runs past the end of the weights file`);
      }
      bytes = external.subarray(offset, offset + size * bytesPer);
      offset += size * bytesPer;
    } else {
      bytes = typeof p.data === 'string' ? decodeBase64(p.data) : undefined;
      if (!bytes) throw new ModelFormatError(source, `parameter ${name}: "data" is not valid base64`);
      if (bytes.length !== size * bytesPer) {
        throw new ModelFormatError(
          source,
          `parameter ${name} holds ${bytes.length} bytes, expected ${size * bytesPer} (${size} ${dtype} values)`,
        );
      }
    }
    const data = fromBytes(bytes, dtype);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new ModelFormatError(
          source,
          `parameter ${name} holds ${data[i]} at index ${i}: a model with non-finite weights cannot compute (was it saved after training diverged?)`,
        );
      }
    }
    parameters.set(name, { shape, data });
  }
  if (external && offset !== external.length) {
    throw new ModelFormatError(
      source,
      `the weights file holds ${external.length} bytes, the parameters ${offset}`,
    );
  }
  const metadata = checkMetadata(source, d.metadata, inputsOf(architecture));
  return { architecture, dtype, parameters, metadata };
}

/**
 * Parses model-file text, checking its size, nesting and value count before JSON.parse, so that no
 * file can exhaust the memory or the stack; JSON errors (most often a truncated file) become a
 * ModelFormatError.
 *
 * @example
 * const doc = parseModelJson(await readFile('out/model.json', 'utf8'), 'out/model.json');
 */
export function parseModelJson(
  text: string,
  source = 'model JSON',
  maxBytes = Number.POSITIVE_INFINITY,
): unknown {
  if (text.length > maxBytes) {
    throw new ModelFormatError(
      source,
      `is ${text.length} characters long, more than a model file's JSON may be (${maxBytes})`,
    );
  }
  checkJsonShape(text, source);
  try {
    return JSON.parse(text);
  } catch (e) {
    const hint = text.trim() === '' ? 'the file is empty' : 'the file is truncated or is not JSON';
    throw new ModelFormatError(source, `${hint} (${(e as Error).message.slice(0, 200)})`);
  }
}

/**
 * Parses and decodes model-file text (version 1, or version 2 with its weights bytes).
 *
 * @example
 * const record = parseModelFile(await readFile('out/model.json', 'utf8'), 'out/model.json');
 */
export function parseModelFile(text: string, source = 'model JSON', weights?: Uint8Array): ModelRecord {
  return decodeModelFile(parseModelJson(text, source), source, weights);
}
