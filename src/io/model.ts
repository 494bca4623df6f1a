// Model <-> file. `toModelFile`/`fromModelFile` are pure (browser-safe); `saveModel`/`loadModel`
// add the file system (Node), importing node:fs lazily.

import type { NDArray } from '../ndarray/ndarray.js';
import { LogisticRegression } from '../nn/logistic-regression.js';
import { NeuralNetwork } from '../nn/neural-network.js';
import { ModelFormatError } from './errors.js';
import {
  type Architecture,
  decodeModelFile,
  encodeModelFile,
  type ModelFile,
  type ModelMetadata,
  type ModelRecord,
  type ParameterRecord,
  parseModelFile,
} from './format.js';

/** A model vecnet can save. */
export type SavableModel = NeuralNetwork | LogisticRegression;

/** A loaded model and the metadata saved with it. */
export interface LoadedModel<M extends SavableModel = SavableModel> {
  model: M;
  metadata: ModelMetadata;
  architecture: Architecture;
}

function architectureOf(model: SavableModel): Architecture {
  if (model instanceof LogisticRegression)
    return { type: 'LogisticRegression', nx: model.parameters.w.shape[0] };
  return {
    type: 'NeuralNetwork',
    layerDims: [...model.layerDims],
    hidden: model.hidden,
    output: model.output,
    leakySlope: model.leakySlope,
    init: model.init,
    seed: model.seed,
  };
}

/**
 * The model as a versioned, checksummed JSON document (see src/io/format.ts for the layout): what
 * `model.toJSON()` returns and `JSON.stringify(model)` writes. Parameters are copied, bit for bit.
 *
 * @example
 * const doc = toModelFile(net, { classes: ['non-cat', 'cat'] });
 * localStorage.setItem('net', JSON.stringify(doc));
 */
export function toModelFile(model: SavableModel, metadata: ModelMetadata = {}): ModelFile {
  if (!(model instanceof NeuralNetwork) && !(model instanceof LogisticRegression)) {
    throw new TypeError('toModelFile: expected a NeuralNetwork or LogisticRegression');
  }
  if (model.isDisposed) throw new TypeError('toModelFile: the model was disposed');
  const parameters = new Map<string, ParameterRecord>();
  if (model instanceof LogisticRegression) {
    const { w, b } = model.parameters; // throws "call fit(X, Y) first" for an untrained model
    parameters.set('w', { shape: [...w.shape], data: w.data });
    parameters.set('b', { shape: [...b.shape], data: b.data });
  } else {
    const params = model.parameters as Record<string, NDArray>;
    for (let l = 1; l < model.layerDims.length; l++) {
      for (const name of [`W${l}`, `b${l}`]) {
        const p = params[name];
        parameters.set(name, { shape: [...p.shape], data: p.data });
      }
    }
  }
  const record: ModelRecord = {
    architecture: architectureOf(model),
    dtype: model.dtype,
    parameters,
    metadata: { createdBy: 'vecnet 0.1.0', ...metadata },
  };
  return encodeModelFile(record);
}

/** Copies decoded values into a freshly built model's parameter array (same dtype and size). */
function writeInto(target: NDArray, values: Float64Array | Float32Array): void {
  if (target.size !== values.length) {
    throw new Error(`internal: cannot write ${values.length} values into shape (${target.shape.join(',')})`);
  }
  if (target.isContiguous) {
    target.engine.view(target.storage.buffer).set(values, target.offset);
    return;
  }
  const [rows, cols] = target.shape;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) target.set([i, j], values[i * cols + j]);
}

/** Builds the model of a validated record; on any failure the partly built model is disposed. */
function build(record: ModelRecord, backend: LoadOptions['backend']): SavableModel {
  const arch = record.architecture;
  const values = (name: string) => record.parameters.get(name)!.data;
  if (arch.type === 'LogisticRegression') {
    const model = new LogisticRegression({ nx: arch.nx, dtype: record.dtype, backend });
    try {
      writeInto(model.parameters.w, values('w'));
      writeInto(model.parameters.b, values('b'));
      return model;
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
  const model = new NeuralNetwork({
    layerDims: arch.layerDims,
    hidden: arch.hidden,
    output: arch.output,
    leakySlope: arch.leakySlope,
    init: arch.init,
    seed: arch.seed,
    dtype: record.dtype,
    backend,
  });
  try {
    const params = model.parameters as Record<string, NDArray>;
    for (const [name, p] of record.parameters) writeInto(params[name], p.data);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Options of the loaders. */
export interface LoadOptions {
  /** Backend to create the model on; default the current one. */
  backend?: 'loop' | 'vectorized' | 'wasm';
}

/**
 * Rebuilds a model from a document made by `toModelFile` (an object or its JSON text). Everything is
 * checked — format, version, checksum, shapes — before the model is built, so a bad document never
 * yields a half-built model.
 *
 * @throws ModelFormatError saying what is wrong.
 * @example
 * const { model, metadata } = fromModelFile(JSON.parse(localStorage.getItem('net')!));
 */
export function fromModelFile(doc: unknown, options: LoadOptions & { source?: string } = {}): LoadedModel {
  const source = options.source ?? 'model JSON';
  const record = typeof doc === 'string' ? parseModelFile(doc, source) : decodeModelFile(doc, source);
  return {
    model: build(record, options.backend),
    metadata: record.metadata,
    architecture: record.architecture,
  };
}

/**
 * Writes the model to `path` as JSON (format version 1). The file is written to a temporary name
 * and renamed, so an interrupted save never leaves a truncated model behind.
 *
 * @example
 * await saveModel(net, 'out/model.json', { classes: ['non-cat', 'cat'], inputShape: [64, 64, 3] });
 */
export async function saveModel(
  model: SavableModel,
  path: string,
  metadata: ModelMetadata = {},
): Promise<void> {
  const { writeFile, rename, mkdir } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const text = `${JSON.stringify(toModelFile(model, metadata), null, 1)}\n`;
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/**
 * Reads a model saved by `saveModel` (or `vecnet train`). Truncated, corrupted, edited or
 * wrong-version files are rejected with a ModelFormatError naming the file; no model is built then.
 *
 * @example
 * const { model, metadata } = await loadModel('out/model.json');
 * model.predict(X);
 */
export async function loadModel(path: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFormatError(path, code === 'ENOENT' ? 'no such file' : `cannot read the file (${code})`);
  }
  return fromModelFile(text, { ...options, source: path });
}

/** The parameters of a model as typed arrays, by name (W1, b1, ... or w, b). @example parameterData(net).W1 */
export function parameterData(model: SavableModel): Record<string, Float64Array | Float32Array> {
  const out: Record<string, Float64Array | Float32Array> = {};
  for (const [name, p] of Object.entries(model.parameters as Record<string, NDArray>)) out[name] = p.data;
  return out;
}

/** The model of `loaded` if it is a `kind`, else disposes it and throws a ModelFormatError. */
function expectKind<M extends SavableModel>(
  loaded: LoadedModel,
  kind: new (...args: never[]) => M,
  source: string,
): M {
  if (loaded.model instanceof kind) return loaded.model;
  loaded.model.dispose();
  throw new ModelFormatError(source, `holds a ${loaded.architecture.type}, not a ${kind.name}`);
}

/**
 * `NeuralNetwork.load(path)`: a saved NeuralNetwork (a file holding another model type is an error).
 *
 * @example const net = await loadNeuralNetwork('out/model.json');
 */
export async function loadNeuralNetwork(path: string, options: LoadOptions = {}): Promise<NeuralNetwork> {
  return expectKind(await loadModel(path, options), NeuralNetwork, path);
}

/**
 * `NeuralNetwork.fromJSON(json)`: the inverse of `net.toJSON()` (an object or its JSON text).
 *
 * @example const copy = neuralNetworkFromJSON(JSON.parse(JSON.stringify(net)));
 */
export function neuralNetworkFromJSON(json: unknown, options: LoadOptions = {}): NeuralNetwork {
  return expectKind(fromModelFile(json, options), NeuralNetwork, 'model JSON');
}

/**
 * `LogisticRegression.load(path)`: a saved LogisticRegression.
 *
 * @example const clf = await loadLogisticRegression('out/lr.json');
 */
export async function loadLogisticRegression(
  path: string,
  options: LoadOptions = {},
): Promise<LogisticRegression> {
  return expectKind(await loadModel(path, options), LogisticRegression, path);
}

/**
 * `LogisticRegression.fromJSON(json)`: the inverse of `clf.toJSON()`.
 *
 * @example const copy = logisticRegressionFromJSON(clf.toJSON());
 */
export function logisticRegressionFromJSON(json: unknown, options: LoadOptions = {}): LogisticRegression {
  return expectKind(fromModelFile(json, options), LogisticRegression, 'model JSON');
}
