// An L-layer dense network with the course's layout and training loop.

import { type Backend, type BackendName, backendByName, currentBackend } from '../backend/index.js';
import {
  DISPOSE,
  DisposedError,
  type DType,
  formatBytes,
  formatShape,
  isDType,
  ShapeError,
  VERSION,
} from '../core/index.js';
import {
  decodeModelFile,
  encodeModelFile,
  encodeOnnx,
  type ModelFile,
  type ModelMetadata,
  type ModelRecord,
  parseModelFile,
  readModelFile,
  writeModelFile,
} from '../io/index.js';
import { argmax, cols, copy, eq, gt, mean, type NDArray, tidy, track, untracked } from '../ndarray/index.js';
import { checkSlope, DEFAULT_LEAKY_SLOPE } from './activations.js';
import { MiniBatches } from './batches.js';
import { modelForward } from './forward.js';
import { initParameters } from './init.js';
import { Optimizer } from './optimizer.js';
import { checkParametersLive, type NetworkSpec, TrainingPlan } from './plan.js';
import { architectureOf, type LoadOptions, parameterRecord, writeParameter } from './record.js';
import {
  checkFitOptions,
  type FitAsyncOptions,
  type FitOptions,
  type History,
  train,
  trainAsync,
} from './train.js';
import { Trainer } from './trainer.js';
import type { Activation, InitScheme, OutputActivation, Parameters } from './types.js';
import {
  checkActivation,
  checkFinite,
  checkFits,
  checkInit,
  checkLayerDims,
  checkMatrix,
  checkOutput,
  checkSameEngine,
  checkSeed,
  checkXY,
} from './validate.js';

/** Options of `new NeuralNetwork(...)`. */
export interface NeuralNetworkOptions {
  /** Layer sizes [n_x, n_1, …, n_L]: the input size, the hidden layers, the output size. */
  layerDims: readonly number[];
  /** Activation of hidden layers; default `relu`. */
  hidden?: Activation;
  /** Output activation and cost: `sigmoid` + cross-entropy (default) or `linear` + MSE. */
  output?: OutputActivation;
  /** Weight initialisation; default `scaled` (randn/√n_prev, the course's L_layer_model). */
  init?: InitScheme;
  /** Seed of `RandomState` for the weights; default 1. */
  seed?: number;
  /** Element type; default `float64`. */
  dtype?: DType;
  /** Slope of leaky ReLU for z <= 0; default 0.01. */
  leakySlope?: number;
  /** Backend the parameters (and the data passed to fit) live on; default the current one. */
  backend?: BackendName;
}

/** The course's L_layer_model defaults. */
const FIT_DEFAULTS = { learningRate: 0.0075, iterations: 3000 };

/**
 * A fully connected network `[LINEAR → hidden] × (L-1) → LINEAR → output`, trained by full-batch
 * gradient descent. X is (n_x, m) with one column per example, Y is (n_L, m).
 *
 * Training plans its memory once per batch size (caches Z and A of every layer, gradients, cost
 * scratch; kept for the next fit with the same m) and then an iteration allocates nothing. The model
 * owns its arrays: call `dispose()` when done (a model created inside `tidy` is disposed with it
 * unless returned).
 *
 * @example
 * const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'tanh', init: 'small', seed: 2 });
 * const { costs } = net.fit(X, Y, { learningRate: 1.2, iterations: 10000, printEvery: 1000 });
 * net.accuracy(X, Y); // ≈ 0.9 on the planar flower
 * net.dispose();
 */
export class NeuralNetwork {
  readonly layerDims: readonly number[];
  readonly hidden: Activation;
  readonly output: OutputActivation;
  readonly init: InitScheme;
  readonly seed: number;
  readonly dtype: DType;
  readonly leakySlope: number;
  readonly backend: BackendName;
  /** The live parameter arrays `W1, b1, …, WL, bL` (updated in place by fit; owned by the model). */
  readonly parameters: Parameters;
  /** @internal */ readonly spec: NetworkSpec;
  private readonly W: NDArray[] = [];
  private readonly b: NDArray[] = [];
  private plan: TrainingPlan | undefined;
  private disposed = false;
  private training = false;
  /** The class name used in messages (LogisticRegression wraps a NeuralNetwork). */
  private readonly label: string;
  private readonly fitDefaults: typeof FIT_DEFAULTS;

  /**
   * @param internal for LogisticRegression, which wraps a NeuralNetwork: the class name errors start
   * with, the backend object to allocate on, and fit's default learning rate and iterations;
   * `restoring` for the loaders, which overwrite every parameter: the weights start as zeros instead
   * of being drawn (drawing a large layer takes seconds).
   */
  constructor(
    options: NeuralNetworkOptions,
    internal: {
      label: string;
      engine?: Backend;
      fitDefaults?: typeof FIT_DEFAULTS;
      restoring?: boolean;
    } = {
      label: 'NeuralNetwork',
    },
  ) {
    const { label } = internal;
    this.label = label;
    this.fitDefaults = internal.fitDefaults ?? FIT_DEFAULTS;
    const where = label;
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${where}: expected options { layerDims, hidden, output, init, seed, dtype }`);
    }
    this.layerDims = Object.freeze(checkLayerDims(where, options.layerDims));
    this.hidden = checkActivation(where, 'hidden', options.hidden ?? 'relu');
    this.output = checkOutput(where, 'output', options.output ?? 'sigmoid');
    this.init = checkInit(where, options.init ?? 'scaled');
    this.seed = checkSeed(where, options.seed ?? 1);
    const dtype = options.dtype ?? 'float64';
    if (!isDType(dtype))
      throw new TypeError(`${where}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
    this.dtype = dtype;
    this.leakySlope = checkSlope(where, options.leakySlope ?? DEFAULT_LEAKY_SLOPE);
    const engine = internal.engine ?? (options.backend ? backendByName(options.backend) : currentBackend());
    this.backend = engine.name;
    this.spec = {
      layerDims: this.layerDims,
      hidden: this.hidden,
      output: this.output,
      leakySlope: this.leakySlope,
    };
    const size = networkBytes(this.layerDims, dtype);
    checkFits(
      where,
      `layerDims [${this.layerDims.join(', ')}] (${formatBytes(size.parameters)} of ${dtype} parameters, and ${formatBytes(size.draw)} to draw the largest layer's weights)`,
      size.parameters + size.draw,
      engine,
      'use fewer units or float32',
    );
    const init = internal.restoring ? 'zeros' : this.init;
    this.parameters = untracked(() => initParameters(this.layerDims, init, this.seed, dtype, engine));
    for (let l = 1; l < this.layerDims.length; l++) {
      this.W[l] = this.parameters[`W${l}`];
      this.b[l] = this.parameters[`b${l}`];
    }
    Object.freeze(this.parameters);
    track(this);
  }

  /** Number of layers L (hidden + output). */
  get L(): number {
    return this.layerDims.length - 1;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Trains by batch gradient descent and returns the cost of every iteration. Continues from the
   * current parameters when called again. Checks every input before any work.
   * Defaults: `learningRate: 0.0075`, `iterations: 3000` (the course's L_layer_model).
   *
   * @example
   * const history = net.fit(X, Y, { learningRate: 0.0075, iterations: 2500, printEvery: 100 });
   * history.costs[0]; // the cost before the first update
   */
  fit(X: NDArray, Y: NDArray, options?: FitOptions): History {
    const trainer = this.prepare(`${this.label}.fit`, X, Y, options);
    this.training = true;
    try {
      return train(trainer);
    } finally {
      this.training = false;
    }
  }

  /**
   * `fit`, yielding to the event loop every `yieldEveryMs` (default 16 ms) so a page stays responsive
   * and an AbortSignal fired by a timer or a button stops training between iterations.
   *
   * @example
   * const controller = new AbortController();
   * setTimeout(() => controller.abort(), 1000);
   * const { costs, stoppedBy } = await net.fitAsync(X, Y, { iterations: 1e6, signal: controller.signal });
   */
  async fitAsync(X: NDArray, Y: NDArray, options?: FitAsyncOptions): Promise<History> {
    const where = `${this.label}.fitAsync`;
    const yieldEveryMs = options?.yieldEveryMs ?? 16;
    if (typeof yieldEveryMs !== 'number' || !(yieldEveryMs >= 0)) {
      throw new RangeError(
        `${where}: yieldEveryMs must be a non-negative number, got ${String(yieldEveryMs)}`,
      );
    }
    const trainer = this.prepare(where, X, Y, options, ['yieldEveryMs']);
    this.training = true;
    return trainAsync(trainer, yieldEveryMs, () => {
      this.training = false;
    });
  }

  /**
   * Validates everything, then sets up one run: the data split, the plan for the batch size and
   * regularisation (made once and kept while they stay the same) and the Trainer.
   */
  private prepare(
    where: string,
    X: NDArray,
    Y: NDArray,
    options: FitOptions | undefined,
    extraKeys: readonly string[] = [],
  ): Trainer {
    this.assertUsable(where);
    if (this.training)
      throw new Error(`${where}: this model is already training (fitAsync); wait for it or abort it`);
    const settings = checkFitOptions(where, options, this.fitDefaults, extraKeys);
    this.checkData(where, X, Y);
    let validation = settings.validationData;
    if (validation) this.checkData(`${where}: validationData`, validation[0], validation[1]);
    // with validationSplit, the last mv columns are held out (views made below, once the plan fits)
    let mv = 0;
    if (settings.validationSplit > 0) {
      const all = X.shape[1];
      mv = Math.floor(all * settings.validationSplit);
      if (mv < 1 || mv >= all) {
        throw new RangeError(
          `${where}: validationSplit ${settings.validationSplit} of ${all} examples leaves ${mv} for validation and ${all - mv} for training; both need at least one`,
        );
      }
    }
    const m = X.shape[1] - mv;
    const capacity = settings.miniBatchSize === undefined ? m : Math.min(settings.miniBatchSize, m);
    const regularization = { l2: settings.l2, keepProb: settings.keepProb };
    const S = this.dtype === 'float32' ? 4 : 8;
    const plan = this.plan;
    if (
      plan?.capacity !== capacity ||
      plan.regularization.l2 !== regularization.l2 ||
      plan.regularization.keepProb !== regularization.keepProb
    ) {
      this.plan?.dispose();
      this.plan = undefined;
      const parameterBytes = networkBytes(this.layerDims, this.dtype).parameters;
      let bytes = TrainingPlan.bytesFor(this.spec, capacity, S, settings.keepProb);
      bytes += Optimizer.bytesFor(settings.optimizer.optimizer, parameterBytes);
      if (settings.miniBatchSize !== undefined) bytes += MiniBatches.bytesFor(X, Y);
      checkFits(
        where,
        `the caches and gradients of training on ${capacity} examples at a time`,
        bytes,
        this.W[1].engine,
        'train on fewer examples at a time (miniBatchSize), with fewer units or in float32',
      );
      this.plan = new TrainingPlan(this.spec, this.W, this.b, capacity, regularization);
    }
    // the arrays made for this run, freed with it
    const made: NDArray[] = [];
    let Xt = X;
    let Yt = Y;
    if (mv > 0) {
      const [xt, yt, xv, yv] = untracked(() => [
        cols(X, 0, m),
        cols(Y, 0, m),
        cols(X, m, m + mv),
        cols(Y, m, m + mv),
      ]);
      made.push(xt, yt, xv, yv);
      [Xt, Yt, validation] = [xt, yt, [xv, yv]];
    }
    // full-batch gemm reads a row- or column-contiguous X in place and anything else is copied once,
    // here; mini-batches gather X from any layout
    const [rs, cs] = Xt.strides;
    const direct = cs === 1 || rs === 1 || Xt.shape[0] === 1 || Xt.shape[1] === 1;
    if (settings.miniBatchSize === undefined && !direct) {
      Xt = untracked(() => copy(Xt));
      made.push(Xt);
    }
    const makePlan = (rows: number) => new TrainingPlan(this.spec, this.W, this.b, rows);
    let trainer: Trainer;
    try {
      trainer = new Trainer(where, this.plan as TrainingPlan, Xt, Yt, settings, validation, makePlan);
    } catch (e) {
      for (const x of made) x.dispose();
      throw e;
    }
    for (const x of made) trainer.owns(x);
    return trainer;
  }

  /** The checks of fit, accuracy and cost: shapes, backend, dtype, finite X, labels. */
  private checkData(where: string, X: NDArray, Y: NDArray): void {
    checkMatrix(where, 'X', X, '(n_x, m)');
    if (X.shape[0] !== this.layerDims[0]) {
      throw new ShapeError(
        `${where}: X has shape ${formatShape(X.shape)}, so n_x = ${X.shape[0]}, but layerDims[0] is ${this.layerDims[0]}`,
      );
    }
    checkMatrix(where, 'Y', Y, '(n_y, m)');
    const nL = this.layerDims[this.L];
    if (Y.shape[0] !== nL) {
      throw new ShapeError(
        `${where}: Y has shape ${formatShape(Y.shape)} but the output layer has ${nL} unit${nL === 1 ? '' : 's'} (Y must be (${nL}, m))`,
      );
    }
    checkSameEngine(where, X, 'X', this.W[1], 'the parameters');
    checkXY(where, X, Y, this.output);
  }

  private checkX(where: string, X: NDArray): void {
    this.assertUsable(where);
    checkMatrix(where, 'X', X, '(n_x, m)');
    if (X.shape[0] !== this.layerDims[0]) {
      throw new ShapeError(
        `${where}: X has shape ${formatShape(X.shape)}, so n_x = ${X.shape[0]}, but layerDims[0] is ${this.layerDims[0]}`,
      );
    }
    checkSameEngine(where, X, 'X', this.W[1], 'the parameters');
    checkFinite(where, 'X', X);
  }

  /**
   * The output activations AL (n_L, m) for X: probabilities for a sigmoid output, values for a linear
   * one. A new array the caller owns.
   *
   * @example
   * net.predictProba(X).get(0, 0); // P(y = 1 | first example)
   */
  predictProba(X: NDArray): NDArray {
    this.checkX(`${this.label}.predictProba`, X);
    return tidy(() => modelForward(X, this.parameters, this.spec).AL);
  }

  /**
   * Predictions: (n_L, m) with 1 where AL > 0.5, else 0, for a sigmoid output; (1, m) class indices
   * (the first largest probability of each column) for a softmax output; AL for a linear output.
   *
   * @example
   * net.predict(X); // [[1, 0, 0, 1, …]]
   */
  predict(X: NDArray): NDArray {
    this.checkX(`${this.label}.predict`, X);
    return tidy(() => {
      const { AL } = modelForward(X, this.parameters, this.spec);
      if (this.output === 'softmax') return argmax(AL, 0, true);
      return this.output === 'sigmoid' ? gt(AL, 0.5) : AL;
    });
  }

  /**
   * The fraction of labels predicted right (classification only): over all n_L·m entries for a
   * sigmoid output, over the m columns for a softmax output (Y one-hot).
   *
   * @example
   * net.accuracy(X, Y); // 0.9
   */
  accuracy(X: NDArray, Y: NDArray): number {
    const where = `${this.label}.accuracy`;
    if (this.output === 'linear') {
      throw new TypeError(
        `${where}: accuracy needs a sigmoid or softmax (classification) output; this network's output is linear, use cost()`,
      );
    }
    this.assertUsable(where);
    this.checkData(where, X, Y);
    if (this.output === 'softmax') return tidy(() => mean(eq(this.predict(X), argmax(Y, 0, true))).get());
    return tidy(() => mean(eq(this.predict(X), Y)).get());
  }

  /**
   * The cost on (X, Y) with the current parameters: cross-entropy (sigmoid) or MSE (linear), computed
   * as training reports it.
   *
   * @example
   * net.cost(Xtest, Ytest);
   */
  cost(X: NDArray, Y: NDArray): number {
    const where = `${this.label}.cost`;
    this.assertUsable(where);
    this.checkData(where, X, Y);
    const plan = new TrainingPlan(this.spec, this.W, this.b, X.shape[1]);
    try {
      plan.forward(X);
      return plan.cost(Y);
    } finally {
      plan.dispose();
    }
  }

  /** Bytes held by the training plan (caches, gradients, scratch), 0 before the first fit. */
  get planBytes(): number {
    return this.plan?.bytes ?? 0;
  }

  /** @internal The parameter arrays, 1-based (for gradientCheck). */
  layers(): { W: readonly NDArray[]; b: readonly NDArray[] } {
    this.assertUsable(`${this.label}.layers`);
    return { W: this.W, b: this.b };
  }

  /**
   * The model as a versioned, checksummed JSON document (io/format.ts): what `toJSON()` returns and
   * `JSON.stringify(net)` writes, with `metadata` stored beside the parameters (copied bit for bit).
   *
   * @example
   * localStorage.setItem('net', JSON.stringify(net.toModelFile({ classes: ['non-cat', 'cat'] })));
   */
  toModelFile(metadata: ModelMetadata = {}): ModelFile {
    return encodeModelFile(this.toRecord(metadata));
  }

  /** @internal The model as a plain record for io/: architecture, dtype, parameter copies, metadata. */
  toRecord(metadata: ModelMetadata = {}): ModelRecord {
    this.assertUsable(`${this.label}.toModelFile`);
    const parameters = new Map<string, ReturnType<typeof parameterRecord>>();
    for (let l = 1; l <= this.L; l++) {
      parameters.set(`W${l}`, parameterRecord(this.W[l]));
      parameters.set(`b${l}`, parameterRecord(this.b[l]));
    }
    return {
      architecture: {
        type: 'NeuralNetwork',
        layerDims: [...this.layerDims],
        hidden: this.hidden,
        output: this.output,
        leakySlope: this.leakySlope,
        init: this.init,
        seed: this.seed,
      },
      dtype: this.dtype,
      parameters,
      metadata: { createdBy: `vecnet ${VERSION}`, ...metadata },
    };
  }

  /**
   * The model as an ONNX file's bytes (opset 13): input "X" of shape [N, n_x], samples as rows,
   * output "Y" [N, n_y], the output activations (probabilities for sigmoid and softmax). Runs in
   * ONNX Runtime and any ONNX consumer; see docs/interop.md.
   *
   * @example
   * writeFileSync('model.onnx', net.toONNX());
   */
  toONNX(): Uint8Array {
    this.assertUsable(`${this.label}.toONNX`);
    const parameters = new Map<string, Float32Array | Float64Array>();
    for (let l = 1; l <= this.L; l++) {
      parameters.set(`W${l}`, this.W[l].data as Float32Array | Float64Array);
      parameters.set(`b${l}`, this.b[l].data as Float32Array | Float64Array);
    }
    return encodeOnnx({
      layerDims: this.layerDims,
      hidden: this.hidden,
      output: this.output,
      leakySlope: this.leakySlope,
      dtype: this.dtype,
      parameters,
      producerVersion: VERSION,
    });
  }

  /** The model as a plain JSON-ready object in the saved format (works in a browser). */
  toJSON(): ModelFile {
    return this.toModelFile();
  }

  /**
   * Writes the model to `path` in vecnet's versioned, checksummed format (Node only).
   *
   * @example
   * await model.save('out/model.json');
   */
  save(path: string, metadata?: ModelMetadata): Promise<void> {
    return writeModelFile(path, this.toRecord(metadata));
  }

  /**
   * Reads a model written by `save` (Node only); a corrupted or foreign file is a ModelFormatError.
   *
   * @example
   * const model = await NeuralNetwork.load('out/model.json');
   */
  static async load(path: string, options?: LoadOptions): Promise<NeuralNetwork> {
    return NeuralNetwork.fromRecord(await readModelFile(path), path, options);
  }

  /**
   * Rebuilds a model from `toJSON()`'s output (an object or its JSON text), checking version and
   * checksum first.
   *
   * @example
   * const copy = NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(model)));
   */
  static fromJSON(json: unknown, options?: LoadOptions): NeuralNetwork {
    const source = 'model JSON';
    const record = typeof json === 'string' ? parseModelFile(json, source) : decodeModelFile(json, source);
    return NeuralNetwork.fromRecord(record, source, options);
  }

  /**
   * @internal The model of a validated record (`source` names it in errors); a record of another
   * model type is a ModelFormatError. On any failure the partly built model is disposed.
   */
  static fromRecord(record: ModelRecord, source: string, options: LoadOptions = {}): NeuralNetwork {
    const { type: _, ...architecture } = architectureOf(record, 'NeuralNetwork', source);
    const model = new NeuralNetwork(
      { ...architecture, dtype: record.dtype, backend: options.backend },
      { label: 'NeuralNetwork', restoring: true },
    );
    try {
      for (const [name, p] of record.parameters)
        writeParameter(model.parameters[name as `W${number}`], p.data);
      return model;
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /** Frees the parameters and the training plan. Idempotent; the model is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    if (this.training) {
      throw new Error(
        `${this.label}.dispose: training is running (fitAsync); abort it with its signal first`,
      );
    }
    this.disposed = true;
    this.plan?.dispose();
    this.plan = undefined;
    for (let l = 1; l <= this.L; l++) {
      this.W[l].dispose();
      this.b[l].dispose();
    }
  }
  /** `dispose()`, for `using x = …` (explicit resource management; DISPOSE is Symbol.dispose). */
  [DISPOSE](): void {
    this.dispose();
  }

  /** The model and every parameter array are alive (a parameter disposed on its own is an error). */
  private assertUsable(where: string): void {
    if (this.disposed) throw new DisposedError(`${where}: the model was disposed`);
    checkParametersLive(where, this.W, this.b);
  }
}

/**
 * Bytes a network of `layerDims` takes to build: its parameters, plus the float64 array one layer's
 * weights are drawn into (initParameters draws them layer by layer, in float64 as NumPy does).
 */
function networkBytes(layerDims: readonly number[], dtype: DType): { parameters: number; draw: number } {
  const S = dtype === 'float32' ? 4 : 8;
  let parameters = 0;
  let largest = 0;
  for (let l = 1; l < layerDims.length; l++) {
    const weights = layerDims[l] * layerDims[l - 1];
    parameters += weights + layerDims[l];
    largest = Math.max(largest, weights);
  }
  return { parameters: parameters * S, draw: largest * 8 };
}
