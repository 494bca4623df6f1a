// `vecnet predict`: load a saved model and evaluate it on an HDF5 data set or a generated one
// (accuracy and predictions), or classify one PNG/JPEG image.

import {
  array,
  loadH5Dataset,
  loadImageColumn,
  loadModel,
  loadToyDataset,
  type ModelMetadata,
  type NDArray,
  type Preprocessing,
  printable,
  scale,
  type ToyDatasetName,
} from '../index.js';
import { accuracyOf, pct, useBackend } from './experiment.js';
import type { PredictFlags } from './flags.js';
import type { CliIO } from './io.js';
import { UsageError } from './parse.js';

/** Applies the preprocessing recorded at training time to raw inputs (n, m). @example preprocess(X, { type: 'scale', factor: 1 / 255 }) */
export function preprocess(X: NDArray, p: Preprocessing | undefined): NDArray {
  if (!p || p.type === 'none') return X;
  if (p.type === 'scale') return scale(X, p.factor);
  const n = X.shape[0];
  if (p.mean.length !== n || p.std.length !== n) {
    throw new UsageError(`the model was standardized for ${p.mean.length} features, the data has ${n}`);
  }
  const mean = array(Float64Array.from(p.mean), { shape: [n, 1], dtype: X.dtype });
  const std = array(Float64Array.from(p.std), { shape: [n, 1], dtype: X.dtype });
  return X.sub(mean).div(std);
}

/** A class's name as the model file gives it, safe to print. */
function className(metadata: ModelMetadata, label: number): string {
  return printable(metadata.classes?.[label] ?? `class ${label}`);
}

/** Runs `vecnet predict`. @example await runPredict({ model: 'out/model.json', data: 'test.h5' }, nodeIO()); */
export async function runPredict(flags: PredictFlags, io: CliIO): Promise<void> {
  const sources = [flags.data, flags.dataset, flags.image].filter((s) => s !== undefined).length;
  if (sources !== 1) {
    throw new UsageError('predict needs exactly one of --data FILE.h5, --dataset NAME or --image PHOTO');
  }
  useBackend(flags.backend as 'loop' | 'vectorized' | 'wasm' | undefined);
  const { model, metadata, architecture } = await loadModel(flags.model);
  const nx = architecture.type === 'LogisticRegression' ? architecture.nx : architecture.layerDims[0];
  const dtype = model.dtype;
  try {
    if (architecture.type === 'NeuralNetwork' && architecture.output === 'softmax') {
      const classes = architecture.layerDims[architecture.layerDims.length - 1];
      throw new UsageError(
        `${flags.model} has a softmax output over ${classes} classes; vecnet predict scores models with one output unit (labels 0/1): use the model's predict() or its ONNX export (vecnet export)`,
      );
    }
    if (flags.image) {
      const shape = metadata.inputShape;
      if (shape?.length !== 3 || shape[2] !== 3) {
        throw new UsageError(
          `--image needs a model trained on RGB images (its file records inputShape [h, w, 3]); ${flags.model} has ${shape ? `[${shape.join(', ')}]` : 'none'}`,
        );
      }
      const [h, w] = shape;
      const raw = await loadImageColumn(flags.image, w, h, { dtype, maxPixels: flags.maxPixels });
      const x = preprocess(raw, metadata.preprocessing);
      const p = model.predictProba(x).get(0, 0);
      const label = p > 0.5 ? 1 : 0;
      io.out(
        `${flags.image}: ${className(metadata, label)} (probability of ${className(metadata, 1)} ${p.toFixed(4)}; resized to ${w}x${h})\n`,
      );
      return;
    }
    let X: NDArray;
    let Y: NDArray;
    let source: string;
    if (flags.data) {
      const d = await loadH5Dataset(flags.data, undefined, { dtype });
      X = preprocess(d.X, metadata.preprocessing);
      Y = d.Y;
      source = `${flags.data} (${d.X.shape[1]} examples)`;
    } else {
      const d = loadToyDataset(flags.dataset as ToyDatasetName, { dtype });
      X = preprocess(d.X, metadata.preprocessing);
      Y = d.Y;
      source = `${flags.dataset} (${d.X.shape[1]} examples)`;
    }
    if (X.shape[0] !== nx) {
      throw new UsageError(`the model takes ${nx} features per example but ${source} has ${X.shape[0]}`);
    }
    const proba = model.predictProba(X).data;
    const labels = Y.data;
    if (!flags.quiet) {
      io.out('example  prediction  probability  label\n');
      for (let i = 0; i < proba.length; i++) {
        const pred = proba[i] > 0.5 ? 1 : 0;
        io.out(
          `${String(i).padStart(7)}  ${className(metadata, pred).padEnd(10)}  ${proba[i].toFixed(4).padStart(11)}  ${className(metadata, labels[i])}${pred === labels[i] ? '' : '  (wrong)'}\n`,
        );
      }
    }
    io.out(`Accuracy on ${source}: ${pct(accuracyOf(model, X, Y))}\n`);
  } finally {
    model.dispose();
  }
}
