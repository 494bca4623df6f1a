// Saving and loading either model kind: the functions for callers that do not know in advance which
// model a file holds. Each model class saves and loads itself (save, load, toModelFile, fromJSON);
// these dispatch on the record's architecture.

import {
  type Architecture,
  decodeModelFile,
  type ModelFile,
  type ModelMetadata,
  type ModelRecord,
  parseModelFile,
  readModelFile,
} from '../io/index.js';
import { LogisticRegression } from './logistic-regression.js';
import { NeuralNetwork } from './neural-network.js';
import type { LoadOptions } from './record.js';

/** A model vecnet can save. */
export type SavableModel = NeuralNetwork | LogisticRegression;

/** A loaded model and the metadata saved with it. */
export interface LoadedModel<M extends SavableModel = SavableModel> {
  model: M;
  metadata: ModelMetadata;
  architecture: Architecture;
}

function checkModel(where: string, model: unknown): asserts model is SavableModel {
  if (!(model instanceof NeuralNetwork) && !(model instanceof LogisticRegression)) {
    throw new TypeError(`${where}: expected a NeuralNetwork or LogisticRegression`);
  }
}

/**
 * The model as a versioned, checksummed JSON document (the same as `model.toModelFile(metadata)`).
 *
 * @example
 * const doc = toModelFile(net, { classes: ['non-cat', 'cat'] });
 * localStorage.setItem('net', JSON.stringify(doc));
 */
export function toModelFile(model: SavableModel, metadata: ModelMetadata = {}): ModelFile {
  checkModel('toModelFile', model);
  return model.toModelFile(metadata);
}

function build(record: ModelRecord, source: string, options: LoadOptions): LoadedModel {
  const model =
    record.architecture.type === 'LogisticRegression'
      ? LogisticRegression.fromRecord(record, source, options)
      : NeuralNetwork.fromRecord(record, source, options);
  return { model, metadata: record.metadata, architecture: record.architecture };
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
export function fromModelFile(doc: unknown, options: LoadOptions = {}): LoadedModel {
  const source = 'model JSON';
  const record = typeof doc === 'string' ? parseModelFile(doc, source) : decodeModelFile(doc, source);
  return build(record, source, options);
}

/**
 * Writes the model to `path` as JSON (`model.save(path, metadata)`); an interrupted save never
 * leaves a truncated file (Node only).
 *
 * @example
 * await saveModel(net, 'out/model.json', { classes: ['non-cat', 'cat'], inputShape: [64, 64, 3] });
 */
export function saveModel(model: SavableModel, path: string, metadata: ModelMetadata = {}): Promise<void> {
  checkModel('saveModel', model);
  return model.save(path, metadata);
}

/**
 * Reads a model saved by `saveModel` (or `vecnet train`), whichever kind it is. Truncated, corrupted,
 * edited or wrong-version files are rejected with a ModelFormatError naming the file (Node only).
 *
 * @example
 * const { model, metadata } = await loadModel('out/model.json');
 * model.predict(X);
 */
export async function loadModel(path: string, options: LoadOptions = {}): Promise<LoadedModel> {
  return build(await readModelFile(path), path, options);
}

/** The parameters of a model as typed arrays, by name (W1, b1, ... or w, b). @example parameterData(net).W1 */
export function parameterData(model: SavableModel): Record<string, Float64Array | Float32Array> {
  checkModel('parameterData', model);
  const out: Record<string, Float64Array | Float32Array> = {};
  for (const [name, p] of Object.entries(model.parameters)) out[name] = p.data;
  return out;
}
