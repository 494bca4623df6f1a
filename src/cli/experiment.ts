// What `train` and `sweep` share: turning flags into a checked configuration, loading the data, and
// training one model with progress reporting.

import { stat } from 'node:fs/promises';
import {
  type Activation,
  type BackendName,
  type DType,
  type FitOptions,
  getBackend,
  type History,
  type InitScheme,
  loadH5Dataset,
  loadNpz,
  loadToyDataset,
  type NDArray,
  NeuralNetwork,
  type OutputActivation,
  type Preprocessing,
  type SavableModel,
  scale,
  setBackend,
  type ToyDatasetName,
  TrainingDivergedError,
  trainTestSplit,
} from '../index.js';
import type { ModelFlags } from './flags.js';
import type { CliIO } from './io.js';
import { UsageError } from './parse.js';
import { startProgress } from './progress.js';

/** A fully resolved experiment: every default applied, every combination checked. */
export interface ExperimentConfig {
  data:
    | { kind: 'toy'; name: ToyDatasetName; seed?: number; testSize: number }
    | { kind: 'h5'; train: string; test?: string }
    | { kind: 'npz'; file: string };
  /** Layer sizes after the input (the input size comes from the data). */
  layers: number[];
  hidden: Activation;
  output: OutputActivation;
  init: InitScheme;
  learningRate: number;
  iterations: number;
  seed: number;
  backend?: BackendName;
  dtype: DType;
  printEvery: number;
  out: string;
  quiet: boolean;
  baseline: boolean;
  /** fit's options beyond the learning rate and the iterations (mini-batches, optimizer, regularisation) */
  training: TrainingOptions;
}

/** The fit options the flags set besides learningRate and iterations. */
export type TrainingOptions = Omit<
  FitOptions,
  'learningRate' | 'iterations' | 'logger' | 'onIteration' | 'signal'
>;

/** fit's options from the flags (undefined flags left out, so fit applies its defaults). */
function trainingOptions(flags: ModelFlags): TrainingOptions {
  const o: TrainingOptions = {};
  const batched = flags.batchSize !== undefined || flags.epochs !== undefined;
  if (batched) {
    o.miniBatchSize = flags.batchSize ?? 64;
    o.epochs = flags.epochs ?? 100;
  }
  if (flags.optimizer !== undefined) o.optimizer = flags.optimizer as TrainingOptions['optimizer'];
  for (const key of [
    'beta',
    'beta1',
    'beta2',
    'epsilon',
    'decayRate',
    'timeInterval',
    'l2',
    'keepProb',
  ] as const) {
    if (flags[key] !== undefined) o[key] = flags[key];
  }
  if (flags.validationSplit !== undefined) o.validationSplit = flags.validationSplit;
  if (flags.patience !== undefined) {
    if (flags.validationSplit === undefined) {
      throw new UsageError('--patience watches the validation cost: give --validation-split too');
    }
    o.earlyStopping = { patience: flags.patience };
  }
  if (flags.timeInterval !== undefined && flags.decayRate === undefined) {
    throw new UsageError('--time-interval spaces the steps of --decay-rate: give --decay-rate too');
  }
  return o;
}

/** The course's settings: planar (and the other 2-D sets) vs the cat-vs-non-cat L-layer model. */
const PRESETS = {
  toy: {
    layers: [4, 1],
    hidden: 'tanh',
    init: 'small',
    seed: 2,
    learningRate: 1.2,
    iterations: 10000,
    printEvery: 1000,
  },
  h5: {
    layers: [20, 7, 5, 1],
    hidden: 'relu',
    init: 'scaled',
    seed: 1,
    learningRate: 0.0075,
    iterations: 2500,
    printEvery: 100,
  },
} as const;

const HIDDEN: Record<string, Activation> = {
  relu: 'relu',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  'leaky-relu': 'leakyRelu',
};

/** Applies the presets to the flags and checks what commander cannot (combinations, files). @example await resolveConfig({ dataset: 'moons' }) */
export async function resolveConfig(
  flags: ModelFlags,
  defaults: { testSize?: number } = {},
): Promise<ExperimentConfig> {
  if (flags.test && !flags.train) throw new UsageError('--test needs --train (an HDF5 training set)');
  if (flags.data && (flags.train || flags.dataset)) {
    throw new UsageError('--data excludes --train and --dataset: choose one data source');
  }
  if (flags.train && flags.dataset)
    throw new UsageError('--dataset and --train exclude each other: choose one data source');
  if (flags.train && flags.testSize !== undefined)
    throw new UsageError('--test-size applies to generated data sets; use --test FILE.h5 with --train');
  for (const [flag, file] of [
    ['--train', flags.train],
    ['--data', flags.data],
    ['--test', flags.test],
  ] as const) {
    if (file === undefined) continue;
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) throw new UsageError(`${flag} ${file}: no such file`);
  }
  const kind = flags.train ? 'h5' : flags.data ? 'npz' : 'toy';
  const preset = PRESETS[kind === 'npz' ? 'toy' : kind];
  const layers = flags.layers ?? [...preset.layers];
  if (layers[layers.length - 1] !== 1) {
    throw new UsageError(
      `--layers ${layers.join(',')}: the last layer is the output and must have 1 unit (labels are one row), e.g. --layers ${[...layers, 1].join(',')}`,
    );
  }
  const lr = flags.lr;
  if (Array.isArray(lr) && lr.length !== 1) throw new UsageError('--lr takes one learning rate here');
  return {
    data:
      kind === 'h5'
        ? { kind, train: flags.train as string, test: flags.test }
        : kind === 'npz'
          ? { kind, file: flags.data as string }
          : {
              kind,
              name: (flags.dataset ?? 'planar') as ToyDatasetName,
              seed: flags.dataSeed,
              testSize: flags.testSize ?? defaults.testSize ?? 0,
            },
    layers,
    hidden: HIDDEN[flags.hidden ?? preset.hidden],
    output: (flags.output ?? 'sigmoid') as OutputActivation,
    init: (flags.init ?? preset.init) as InitScheme,
    learningRate: Array.isArray(lr) ? lr[0] : (lr ?? preset.learningRate),
    iterations: flags.iterations ?? preset.iterations,
    seed: flags.seed ?? preset.seed,
    backend: flags.backend as BackendName | undefined,
    dtype: (flags.dtype ?? 'float64') as DType,
    printEvery: flags.printEvery ?? preset.printEvery,
    out: flags.out ?? 'out',
    quiet: flags.quiet ?? false,
    baseline: flags.baseline ?? true,
    training: trainingOptions(flags),
  };
}

/** Selects the backend the flags ask for; an unavailable one is a usage error. Returns the one in use. @example useBackend('wasm') // 'wasm' */
export function useBackend(name: BackendName | undefined): BackendName {
  if (name) {
    try {
      setBackend(name);
    } catch (e) {
      throw new UsageError(`--backend ${name}: not available here (${(e as Error).message})`);
    }
  }
  return getBackend();
}

/** The loaded data: train (and test) sets in the course's layout, and how to describe them. */
export interface ExperimentData {
  description: string;
  XTrain: NDArray;
  YTrain: NDArray;
  XTest?: NDArray;
  YTest?: NDArray;
  /** Class names, when known. */
  classes?: string[];
  /** Shape of one raw example (images), for `predict --image`. */
  inputShape?: number[];
  preprocessing: Preprocessing;
  /** True for 2-D data, which gets a decision-boundary plot. */
  planar: boolean;
}

const DATA_NAMES: Record<ToyDatasetName, string> = {
  planar: 'planar flower (the course, seed 1)',
  circles: 'noisy circles',
  moons: 'noisy moons',
  blobs: 'blobs (6 centres, label = centre % 2)',
  quantiles: 'gaussian quantiles',
  'no-structure': 'no structure (uniform points, random labels)',
  spiral: 'spiral',
};

/** Loads the configured data set (HDF5 images are scaled by 1/255, as in the course). @example const data = await loadData(config); */
export async function loadData(config: ExperimentConfig): Promise<ExperimentData> {
  const { dtype } = config;
  const d = config.data;
  if (d.kind === 'npz') return loadNpzData(d.file, config);
  if (d.kind === 'h5') {
    const train = await loadH5Dataset(d.train, undefined, { dtype });
    const test = d.test ? await loadH5Dataset(d.test, undefined, { dtype }) : undefined;
    if (test && test.X.shape[0] !== train.X.shape[0]) {
      throw new UsageError(
        `--test ${d.test}: examples have ${test.X.shape[0]} features but the training set's have ${train.X.shape[0]}`,
      );
    }
    const factor = 1 / 255;
    const XTrain = scale(train.X, factor);
    train.X.dispose();
    const XTest = test ? scale(test.X, factor) : undefined;
    test?.X.dispose();
    return {
      description: `${d.train}${d.test ? ` + ${d.test}` : ''}: ${train.X.shape[1]} training${test ? ` and ${test.X.shape[1]} test` : ''} examples of ${train.exampleShape.join('x')}, scaled by 1/255`,
      XTrain,
      YTrain: train.Y,
      XTest,
      YTest: test?.Y,
      classes: train.classes.length ? train.classes : undefined,
      inputShape: train.exampleShape,
      preprocessing: { type: 'scale', factor },
      planar: false,
    };
  }
  const { X, Y } = loadToyDataset(d.name, { seed: d.seed, dtype });
  const name = DATA_NAMES[d.name];
  if (d.testSize > 0) {
    const m = X.shape[1];
    const testCount = Math.ceil(d.testSize * m);
    if (testCount >= m) {
      X.dispose();
      Y.dispose();
      throw new UsageError(
        `--test-size ${d.testSize} holds out ${testCount} of the ${m} examples, leaving none to train on; choose a smaller fraction`,
      );
    }
    const split = trainTestSplit(X, Y, { testSize: d.testSize, seed: d.seed ?? 0 });
    X.dispose();
    Y.dispose();
    return {
      description: `${name}: ${split.XTrain.shape[1]} training and ${split.XTest.shape[1]} test examples`,
      ...split,
      classes: d.name === 'planar' ? ['red', 'blue'] : undefined,
      preprocessing: { type: 'none' },
      planar: true,
    };
  }
  return {
    description: `${name}: ${X.shape[1]} examples`,
    XTrain: X,
    YTrain: Y,
    classes: d.name === 'planar' ? ['red', 'blue'] : undefined, // the notebook's colours for y = 0, 1
    preprocessing: { type: 'none' },
    planar: true,
  };
}

/**
 * A .npz file's training set (`X`/`Y` or `train_x`/`train_y`, (n_x, m) and (1, m)) and its test set
 * when it has `test_x`/`test_y`.
 */
async function loadNpzData(file: string, config: ExperimentConfig): Promise<ExperimentData> {
  const arrays = await loadNpz(file, { dtype: config.dtype });
  const pick = (...names: string[]) => names.find((n) => n in arrays);
  const x = pick('X', 'train_x');
  const y = pick('Y', 'train_y');
  const dispose = () => {
    for (const a of Object.values(arrays)) a.dispose();
  };
  if (!x || !y) {
    dispose();
    throw new UsageError(
      `--data ${file}: expected arrays X and Y or train_x and train_y, found ${Object.keys(arrays).join(', ') || 'none'}`,
    );
  }
  const check = (X: NDArray, Y: NDArray, what: string) => {
    if (X.ndim !== 2 || Y.ndim !== 2 || Y.shape[0] !== 1 || X.shape[1] !== Y.shape[1]) {
      dispose();
      throw new UsageError(
        `--data ${file}: ${what} must be (n_x, m) and (1, m), one column per example; got (${X.shape.join(', ')}) and (${Y.shape.join(', ')})`,
      );
    }
  };
  check(arrays[x], arrays[y], `${x} and ${y}`);
  const test = 'test_x' in arrays && 'test_y' in arrays;
  if (test) check(arrays.test_x, arrays.test_y, 'test_x and test_y');
  return {
    description: `${file}: ${arrays[x].shape[1]} training${test ? ` and ${arrays.test_x.shape[1]} test` : ''} examples of ${arrays[x].shape[0]} features`,
    XTrain: arrays[x],
    YTrain: arrays[y],
    XTest: test ? arrays.test_x : undefined,
    YTest: test ? arrays.test_y : undefined,
    preprocessing: { type: 'none' },
    planar: arrays[x].shape[0] === 2,
  };
}

/** A trained model with its label, cost history and accuracies. */
export interface TrainedModel {
  label: string;
  model: SavableModel;
  costs: number[];
  trainAccuracy: number;
  testAccuracy?: number;
  seconds: number;
}

/**
 * How a model is trained, for the header line. @example runLabel(config) // 'learning rate 0.01, adam, 30 epochs of 32'
 */
export function runLabel(config: Pick<ExperimentConfig, 'learningRate' | 'iterations' | 'training'>): string {
  const t = config.training;
  const parts = [`learning rate ${config.learningRate}`];
  if (t.optimizer && t.optimizer !== 'gd') parts.push(t.optimizer);
  parts.push(
    t.epochs === undefined ? `${config.iterations} iterations` : `${t.epochs} epochs of ${t.miniBatchSize}`,
  );
  if (t.l2) parts.push(`L2 ${t.l2}`);
  if (t.keepProb !== undefined && t.keepProb < 1) parts.push(`keep ${t.keepProb}`);
  if (t.decayRate) parts.push(`decay ${t.decayRate}${t.timeInterval ? ` every ${t.timeInterval}` : ''}`);
  return parts.join(', ');
}

/** Describes a network. @example networkLabel([2, 4, 1], 'tanh') // 'network [2, 4, 1] tanh' */
export function networkLabel(dims: readonly number[], hidden: Activation): string {
  return `network [${dims.join(', ')}] ${hidden}`;
}

/**
 * Trains one model with the CLI's progress reporting and measures its accuracies; an aborted
 * `signal` stops it between iterations and throws 'interrupted' (exit status 130).
 *
 * @example
 * const t = await trainModel(io, 'network [2, 4, 1] tanh', net, data, config, signal);
 * t.trainAccuracy; // 0.905
 */
export async function trainModel(
  io: CliIO,
  label: string,
  model: SavableModel,
  data: ExperimentData,
  config: Pick<ExperimentConfig, 'learningRate' | 'iterations' | 'printEvery' | 'quiet' | 'training'>,
  signal?: AbortSignal,
): Promise<TrainedModel> {
  const { epochs } = config.training;
  const steps = epochs ?? config.iterations;
  const progress = startProgress(io, label, steps, {
    quiet: config.quiet,
    unit: epochs ? 'epoch' : 'iteration',
  });
  const started = performance.now();
  let history: History;
  try {
    history = await model.fitAsync(data.XTrain, data.YTrain, {
      ...config.training,
      learningRate: config.learningRate,
      ...(epochs === undefined ? { iterations: config.iterations } : {}),
      printEvery: config.quiet ? 0 : config.printEvery,
      logger: (line) => progress.log(line),
      onIteration: (i, cost) => {
        progress.tick(i, cost);
      },
      signal,
      yieldEveryMs: 50,
    });
  } catch (e) {
    if (e instanceof TrainingDivergedError) {
      const before = e.costs.length > 1 ? ` (${e.costs[e.costs.length - 2].toPrecision(6)} before)` : '';
      throw new TrainingDivergedError(
        `${label}: training diverged at iteration ${e.iteration}: the cost became ${e.costs[e.costs.length - 1]}${before}; nothing was written. Try a smaller learning rate than --lr ${config.learningRate}`,
        e.iteration,
        e.costs,
      );
    }
    throw e;
  } finally {
    progress.stop();
  }
  if (history.stoppedBy === 'signal') throw new Error('interrupted');
  const seconds = (performance.now() - started) / 1000;
  if (history.stoppedBy === 'earlyStopping' && !config.quiet) {
    progress.log(
      `Stopped early: best validation cost at epoch ${history.bestEpoch}; its parameters are kept`,
    );
  }
  const trainAccuracy = accuracyOf(model, data.XTrain, data.YTrain);
  const testAccuracy = data.XTest && data.YTest ? accuracyOf(model, data.XTest, data.YTest) : undefined;
  return { label, model, costs: history.costs, trainAccuracy, testAccuracy, seconds };
}

/** The predicted class per example: output > 0.5 (a sigmoid's probability, or a linear output's value). @example classify(net, X) // Float64Array [1, 0, ...] */
export function classify(model: SavableModel, X: NDArray): Float64Array {
  const p = model.predictProba(X);
  const out = Float64Array.from(p.data, (v) => (v > 0.5 ? 1 : 0));
  p.dispose();
  return out;
}

/** The fraction of examples classified right; works for linear outputs too (thresholded at 0.5). @example accuracyOf(net, X, Y) // 0.905 */
export function accuracyOf(model: SavableModel, X: NDArray, Y: NDArray): number {
  if (!(model instanceof NeuralNetwork) || model.output === 'sigmoid') return model.accuracy(X, Y);
  const predicted = classify(model, X);
  const labels = Y.data;
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}

/** Formats an accuracy as the course does, with two decimals of a percent. @example pct(0.905) // '90.50 %' */
export function pct(accuracy: number): string {
  return `${(accuracy * 100).toFixed(2)} %`;
}
