// Logistic regression as the course's first "neural network": one sigmoid unit, zero-initialised,
// trained by batch gradient descent on the cross-entropy.

import { type Backend, type BackendName, backendByName, currentBackend } from '../backend/index.js';
import { DISPOSE, DisposedError, type DType, isDType } from '../core/index.js';
import {
  decodeModelFile,
  encodeModelFile,
  type ModelFile,
  type ModelMetadata,
  type ModelRecord,
  parseModelFile,
  readModelFile,
  writeModelFile,
} from '../io/index.js';
import { type NDArray, track, untracked } from '../ndarray/index.js';
import { NeuralNetwork } from './neural-network.js';
import type { NetworkSpec } from './plan.js';
import { architectureOf, type LoadOptions, parameterRecord, writeParameter } from './record.js';
import type { FitAsyncOptions, FitOptions, History } from './train.js';
import { checkInteger, checkMatrix } from './validate.js';

/** Options of `new LogisticRegression(...)`. */
export interface LogisticRegressionOptions {
  /** Element type; default `float64`. */
  dtype?: DType;
  /** Backend the parameters (and the data passed to fit) live on; default the current one. */
  backend?: BackendName;
  /** Number of features: create w (n_x, 1) = 0 and b = 0 now instead of at the first fit. */
  nx?: number;
}

/** The course's `model(...)` defaults. */
const FIT_DEFAULTS = { learningRate: 0.5, iterations: 2000 };

/**
 * Logistic regression, the course's way: `ŷ = σ(wᵀx + b)` with `w` (n_x, 1) and `b` starting at
 * zero, cross-entropy cost, `dw = (1/m) X(A - Y)ᵀ`, `db = (1/m) Σ(A - Y)`. The weights are created by
 * the first `fit`, sized from X (or at construction with `{ nx }`). Internally a one-layer NeuralNetwork (W1 = wᵀ), so it shares the
 * planned, allocation-free training loop.
 *
 * @example
 * const clf = new LogisticRegression();
 * const { costs } = clf.fit(Xtrain, Ytrain, { learningRate: 0.005, iterations: 2000, printEvery: 100 });
 * clf.accuracy(Xtest, Ytest); // 0.7 on the cat images, as in the course
 * clf.parameters.w.shape;     // [12288, 1]
 */
export class LogisticRegression {
  readonly dtype: DType;
  readonly backend: BackendName;
  private readonly engine: Backend;
  private net: NeuralNetwork | undefined;
  private view: { w: NDArray; b: NDArray } | undefined;
  private disposed = false;

  constructor(options: LogisticRegressionOptions = {}) {
    const where = 'LogisticRegression';
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${where}: expected options { dtype, backend }`);
    }
    const dtype = options.dtype ?? 'float64';
    if (!isDType(dtype))
      throw new TypeError(`${where}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
    this.dtype = dtype;
    this.engine = options.backend ? backendByName(options.backend) : currentBackend();
    this.backend = this.engine.name;
    if (options.nx !== undefined) this.create(checkInteger(where, 'nx', options.nx, 1));
    track(this);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** `w` (n_x, 1) and `b` (1, 1), the live arrays (w is a view of the inner W1 = wᵀ). */
  get parameters(): { readonly w: NDArray; readonly b: NDArray } {
    this.trained('LogisticRegression.parameters');
    return this.view!;
  }

  /** @internal */
  get spec(): NetworkSpec {
    return this.trained('LogisticRegression.spec').spec;
  }

  /** @internal The inner network's layers (for gradientCheck). */
  layers(): { W: readonly NDArray[]; b: readonly NDArray[] } {
    return this.trained('LogisticRegression.layers').layers();
  }

  private trained(where: string): NeuralNetwork {
    if (this.disposed) throw new DisposedError(`${where}: the model was disposed`);
    if (!this.net) throw new Error(`${where}: the model has no weights yet; call fit(X, Y) first`);
    return this.net;
  }

  /** The inner network for X's n_x, created (w = 0, b = 0) by the first fit. */
  private network(where: string, X: NDArray): NeuralNetwork {
    if (this.disposed) throw new DisposedError(`${where}: the model was disposed`);
    if (this.net) return this.net;
    checkMatrix(where, 'X', X, '(n_x, m)');
    return this.create(X.shape[0]);
  }

  /** w (n_x, 1) = 0 and b = 0, as the inner one-layer network [n_x, 1] with W1 = wᵀ. */
  private create(nx: number): NeuralNetwork {
    const net = untracked(
      () =>
        new NeuralNetwork(
          { layerDims: [nx, 1], output: 'sigmoid', init: 'zeros', dtype: this.dtype },
          { label: 'LogisticRegression', engine: this.engine, fitDefaults: FIT_DEFAULTS },
        ),
    );
    this.net = net;
    this.view = { w: untracked(() => net.parameters.W1.T), b: net.parameters.b1 };
    return net;
  }

  /**
   * Trains by batch gradient descent; costs[i] is the cost before iteration i's update.
   * Defaults: `learningRate: 0.5`, `iterations: 2000` (the course's `model`). The first call fixes n_x.
   *
   * @example
   * clf.fit(X, Y, { learningRate: 0.005, iterations: 2000 }).costs.at(-1);
   */
  fit(X: NDArray, Y: NDArray, options?: FitOptions): History {
    const net = this.network('LogisticRegression.fit', X);
    return net.fit(X, Y, options);
  }

  /** `fit` yielding to the event loop; see NeuralNetwork.fitAsync. @example await clf.fitAsync(X, Y, { signal }) */
  fitAsync(X: NDArray, Y: NDArray, options?: FitAsyncOptions): Promise<History> {
    const net = this.network('LogisticRegression.fitAsync', X);
    return net.fitAsync(X, Y, options);
  }

  /** σ(wᵀX + b), (1, m). @example clf.predictProba(X) */
  predictProba(X: NDArray): NDArray {
    return this.trained('LogisticRegression.predictProba').predictProba(X);
  }

  /** 1 where σ(wᵀX + b) > 0.5, else 0, (1, m). @example clf.predict(X) */
  predict(X: NDArray): NDArray {
    return this.trained('LogisticRegression.predict').predict(X);
  }

  /** Fraction of examples classified right. @example clf.accuracy(X, Y) // 0.99 */
  accuracy(X: NDArray, Y: NDArray): number {
    return this.trained('LogisticRegression.accuracy').accuracy(X, Y);
  }

  /** Cross-entropy on (X, Y) with the current weights. @example clf.cost(X, Y) */
  cost(X: NDArray, Y: NDArray): number {
    return this.trained('LogisticRegression.cost').cost(X, Y);
  }

  /**
   * The model as a versioned, checksummed JSON document (io/format.ts), with `metadata` stored beside
   * the parameters; what `toJSON()` returns.
   *
   * @example
   * const doc = clf.toModelFile({ classes: ['non-cat', 'cat'] });
   */
  toModelFile(metadata: ModelMetadata = {}): ModelFile {
    return encodeModelFile(this.toRecord(metadata));
  }

  /** @internal The model as a plain record for io/ (throws "call fit(X, Y) first" before training). */
  toRecord(metadata: ModelMetadata = {}): ModelRecord {
    const { w, b } = this.parameters;
    const record = this.trained('LogisticRegression.toModelFile').toRecord(metadata);
    return {
      ...record,
      architecture: { type: 'LogisticRegression', nx: w.shape[0] },
      parameters: new Map([
        ['w', parameterRecord(w)],
        ['b', parameterRecord(b)],
      ]),
    };
  }

  /**
   * The model as an ONNX file's bytes: "X" [N, n_x] → "Y" [N, 1] probabilities (see
   * NeuralNetwork.toONNX). @example writeFileSync('clf.onnx', clf.toONNX());
   */
  toONNX(): Uint8Array {
    return this.trained('LogisticRegression.toONNX').toONNX();
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
   * const model = await LogisticRegression.load('out/model.json');
   */
  static async load(path: string, options?: LoadOptions): Promise<LogisticRegression> {
    return LogisticRegression.fromRecord(await readModelFile(path), path, options);
  }

  /**
   * Rebuilds a model from `toJSON()`'s output (an object or its JSON text), checking version and
   * checksum first.
   *
   * @example
   * const copy = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(model)));
   */
  static fromJSON(json: unknown, options?: LoadOptions): LogisticRegression {
    const source = 'model JSON';
    const record = typeof json === 'string' ? parseModelFile(json, source) : decodeModelFile(json, source);
    return LogisticRegression.fromRecord(record, source, options);
  }

  /** @internal The model of a validated record (see NeuralNetwork.fromRecord). */
  static fromRecord(record: ModelRecord, source: string, options: LoadOptions = {}): LogisticRegression {
    const { nx } = architectureOf(record, 'LogisticRegression', source);
    const model = new LogisticRegression({ nx, dtype: record.dtype, backend: options.backend });
    try {
      writeParameter(model.parameters.w, record.parameters.get('w')!.data);
      writeParameter(model.parameters.b, record.parameters.get('b')!.data);
      return model;
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  /** Frees the weights and the training plan. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.net?.dispose();
    this.view?.w.dispose();
    this.disposed = true;
  }
  /** `dispose()`, for `using x = …` (explicit resource management; DISPOSE is Symbol.dispose). */
  [DISPOSE](): void {
    this.dispose();
  }
}
