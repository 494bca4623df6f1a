import { formatShape, ShapeError } from '../core/index.js';
import { array, type NDArray } from '../ndarray/index.js';
import { RandomState } from '../random/index.js';
import { checkSeed } from './dataset.js';

function like(x: NDArray, data: Float64Array | Float32Array, shape: number[]): NDArray {
  return array(data, { shape, dtype: x.dtype, backend: x.backend });
}

/**
 * Flattens example-major images (m, h, w, c) — or any (m, ...) array — to the course's
 * (h·w·c, m) layout, one column per example, in C order: NumPy's `images.reshape(m, -1).T`.
 *
 * @example
 * const imgs = zeros([209, 64, 64, 3]);
 * flattenImages(imgs).shape; // [12288, 209]
 */
export function flattenImages(images: NDArray): NDArray {
  if (images.ndim < 2) {
    throw new ShapeError(
      `flattenImages: images must have shape (m, ...) with rank >= 2, got shape ${formatShape(images.shape)}`,
    );
  }
  const m = images.shape[0];
  const src = images.data;
  const n = m === 0 ? 0 : src.length / m;
  const out = src instanceof Float32Array ? new Float32Array(src.length) : new Float64Array(src.length);
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) out[k * m + i] = src[i * n + k];
  return like(images, out, [n, m]);
}

/**
 * `X * factor` as a new array, e.g. `scale(X, 1 / 255)` to bring pixels to [0, 1]. When `factor` is
 * the reciprocal of an integer d (1/255), it computes `X / d`, as the course's `X / 255.` does, so
 * the result is bit-identical to NumPy's.
 *
 * @example
 * scale(array([[0, 255]]), 1 / 255).toArray(); // [[0, 1]]
 */
export function scale(X: NDArray, factor: number): NDArray {
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor === 0) {
    throw new RangeError(`scale: factor must be a finite non-zero number, got ${factor}`);
  }
  const d = Math.round(1 / factor);
  if (d !== 0 && Number.isSafeInteger(d) && 1 / d === factor) return X.div(d);
  return X.mul(factor);
}

/** A fitted standardizer: the per-feature statistics of the training set and a function to apply them. */
export interface Standardizer {
  /** The training set, standardized: (X - mean) / std. */
  X: NDArray;
  /** (n, 1) per-feature mean of the training set. */
  mean: NDArray;
  /** (n, 1) per-feature standard deviation (population, ddof 0); features with std 0 use 1. */
  std: NDArray;
  /** Applies the training statistics to another (n, m') set, e.g. the test set. */
  apply(X: NDArray): NDArray;
}

/**
 * Standardizes each feature (row) of a (n, m) training set to mean 0 and standard deviation 1, and
 * returns the statistics so the same transform can be applied to the test set ("fit on train, apply
 * to test"). Statistics are computed in float64; constant features are centred but not scaled.
 *
 * @example
 * const s = standardize(XTrain);
 * const model = new NeuralNetwork({ layerDims: [XTrain.shape[0], 4, 1] });
 * model.fit(s.X, YTrain);
 * model.accuracy(s.apply(XTest), YTest);
 */
export function standardize(X: NDArray): Standardizer {
  if (X.ndim !== 2 || X.shape[1] < 1) {
    throw new ShapeError(`standardize: X must be 2-D (n, m) with m >= 1, got shape ${formatShape(X.shape)}`);
  }
  const [n, m] = X.shape;
  const src = X.data;
  const mu = new Float64Array(n);
  const sd = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += src[k * m + i];
    const mk = s / m;
    let v = 0;
    for (let i = 0; i < m; i++) v += (src[k * m + i] - mk) ** 2;
    mu[k] = mk;
    const sk = Math.sqrt(v / m);
    sd[k] = sk > 0 ? sk : 1;
  }
  const apply = (Z: NDArray): NDArray => {
    if (Z.ndim !== 2 || Z.shape[0] !== n) {
      throw new ShapeError(
        `standardize: expected a (${n}, m) array like the training set, got shape ${formatShape(Z.shape)}`,
      );
    }
    const zm = Z.shape[1];
    const z = Z.data;
    const out = z instanceof Float32Array ? new Float32Array(z.length) : new Float64Array(z.length);
    for (let k = 0; k < n; k++)
      for (let i = 0; i < zm; i++) out[k * zm + i] = (z[k * zm + i] - mu[k]) / sd[k];
    return like(Z, out, [n, zm]);
  };
  return {
    X: apply(X),
    mean: like(X, X.dtype === 'float32' ? Float32Array.from(mu) : mu, [n, 1]),
    std: like(X, X.dtype === 'float32' ? Float32Array.from(sd) : sd, [n, 1]),
    apply,
  };
}

/** What `trainTestSplit` returns. */
export interface TrainTestSplit {
  XTrain: NDArray;
  YTrain: NDArray;
  XTest: NDArray;
  YTest: NDArray;
}

function takeColumns(x: NDArray, idx: ArrayLike<number>): NDArray {
  const [n, m] = x.shape;
  const src = x.data;
  const k = idx.length;
  const out = src instanceof Float32Array ? new Float32Array(n * k) : new Float64Array(n * k);
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) out[r * k + j] = src[r * m + idx[j]];
  return like(x, out, [n, k]);
}

/**
 * Splits the examples (columns) of `X` (n, m) and `Y` (1, m) into a training and a test set after
 * shuffling them with `new RandomState(seed).permutation(m)` (default seed 0). The test set gets
 * `ceil(testSize · m)` examples (sklearn's rule; default testSize 0.25); with `shuffle: false` the
 * last examples are the test set.
 *
 * @example
 * const { X, Y } = loadNoisyMoons();
 * const { XTrain, YTrain, XTest, YTest } = trainTestSplit(X, Y, { testSize: 0.2, seed: 1 });
 * XTrain.shape; // [2, 160]
 */
export function trainTestSplit(
  X: NDArray,
  Y: NDArray,
  options: { testSize?: number; seed?: number; shuffle?: boolean } = {},
): TrainTestSplit {
  if (X.ndim !== 2 || Y.ndim !== 2 || X.shape[1] !== Y.shape[1]) {
    throw new ShapeError(
      `trainTestSplit: X (n, m) and Y (k, m) must be 2-D with the same m, got shapes ${formatShape(X.shape)} ${formatShape(Y.shape)}`,
    );
  }
  const m = X.shape[1];
  const testSize = options.testSize ?? 0.25;
  if (!(testSize > 0 && testSize < 1)) {
    throw new RangeError(`trainTestSplit: testSize must be a fraction in (0, 1), got ${testSize}`);
  }
  const nTest = Math.ceil(testSize * m);
  if (nTest >= m) {
    throw new RangeError(`trainTestSplit: testSize ${testSize} leaves no training examples out of ${m}`);
  }
  const order =
    options.shuffle === false
      ? Float64Array.from({ length: m }, (_, i) => i)
      : new RandomState(checkSeed('trainTestSplit', options.seed, 0)).permutationData(m);
  const train = order.subarray(0, m - nTest);
  const test = order.subarray(m - nTest);
  return {
    XTrain: takeColumns(X, train),
    YTrain: takeColumns(Y, train),
    XTest: takeColumns(X, test),
    YTest: takeColumns(Y, test),
  };
}
