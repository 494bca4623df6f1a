// The models' side of the model file: a model's parameters as plain records for io/ (encodeModelFile
// turns them into a document) and back into a freshly built model's arrays.

import type { BackendName } from '../backend/index.js';
import { formatShape, ModelFormatError } from '../core/index.js';
import type { Architecture, ModelRecord, ParameterRecord } from '../io/index.js';
import type { NDArray } from '../ndarray/index.js';

/** Options of the loaders (`load`, `fromJSON`, `loadModel`, `fromModelFile`). */
export interface LoadOptions {
  /** Backend to create the model on; default the current one. */
  backend?: BackendName;
}

/** A parameter as a record: its shape and a copy of its elements in C order. */
export function parameterRecord(p: NDArray): ParameterRecord {
  return { shape: [...p.shape], data: p.data };
}

/** Copies decoded values into a freshly built model's parameter array (same dtype and size). */
export function writeParameter(target: NDArray, values: Float64Array | Float32Array): void {
  if (target.size !== values.length) {
    throw new Error(`internal: cannot write ${values.length} values into shape ${formatShape(target.shape)}`);
  }
  if (target.isContiguous) {
    target.engine.view(target.storage.buffer).set(values, target.offset);
    return;
  }
  const [rows, cols] = target.shape;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) target.set([i, j], values[i * cols + j]);
}

/** The record's architecture if it is of `type`, else a ModelFormatError naming what it holds. */
export function architectureOf<T extends Architecture['type']>(
  record: ModelRecord,
  type: T,
  source: string,
): Extract<Architecture, { type: T }> {
  const arch = record.architecture;
  if (arch.type !== type) throw new ModelFormatError(source, `holds a ${arch.type}, not a ${type}`);
  return arch as Extract<Architecture, { type: T }>;
}
