// The course's extra 2-D data sets (planar notebook, `load_extra_datasets`) plus a spiral. They follow
// sklearn's recipes (make_circles, make_moons, make_blobs, make_gaussian_quantiles) but draw from
// vecnet's RandomState in their own order, so they are not bit-identical to sklearn's output: same
// shapes, same distributions, reproducible for a given seed.

import { RandomState } from '../random/index.js';
import { checkSeed, type Dataset, fromPoints, nonNegative, positiveInt, type ToyOptions } from './dataset.js';

/** Shuffles examples (points and labels together) with `permutationData`, as sklearn's `shuffle=True`. */
function shuffled(rng: RandomState, xy: Float64Array, labels: Float64Array): [Float64Array, Float64Array] {
  const m = labels.length;
  const perm = rng.permutationData(m);
  const sxy = new Float64Array(2 * m);
  const sl = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const k = perm[i];
    sxy[2 * i] = xy[2 * k];
    sxy[2 * i + 1] = xy[2 * k + 1];
    sl[i] = labels[k];
  }
  return [sxy, sl];
}

/** Adds `noise · randn` to every coordinate, drawn in example-major order (x0, y0, x1, y1, ...). */
function addNoise(rng: RandomState, xy: Float64Array, noise: number): void {
  if (noise === 0) return;
  const z = rng.randnData(xy.length);
  for (let i = 0; i < xy.length; i++) xy[i] += z[i] * noise;
}

/**
 * Two noisy concentric circles (sklearn `make_circles(n_samples=200, factor=0.5, noise=0.3)`, as in
 * the course): the outer circle is class 0, the inner one (radius `factor`) class 1.
 *
 * Draws, from `new RandomState(seed)` (default seed 0): `permutation(m)` to shuffle, then
 * `randn(2m)` noise.
 *
 * @example
 * const { X, Y } = loadNoisyCircles({ samples: 200, noise: 0.3 });
 * X.shape; // [2, 200]
 */
export function loadNoisyCircles(options: ToyOptions & { factor?: number } = {}): Dataset {
  const op = 'loadNoisyCircles';
  const m = positiveInt(op, 'samples', options.samples, 200);
  const noise = nonNegative(op, 'noise', options.noise, 0.3);
  const factor = options.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new RangeError(`${op}: factor must be in (0, 1), got ${factor}`);
  const rng = new RandomState(checkSeed(op, options.seed, 0));
  const nOut = Math.floor(m / 2);
  const nIn = m - nOut;
  const xy = new Float64Array(2 * m);
  const labels = new Float64Array(m);
  for (let i = 0; i < nOut; i++) {
    const t = (2 * Math.PI * i) / nOut; // linspace(0, 2π, nOut, endpoint=False)
    xy[2 * i] = Math.cos(t);
    xy[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = (2 * Math.PI * i) / nIn;
    const k = nOut + i;
    xy[2 * k] = factor * Math.cos(t);
    xy[2 * k + 1] = factor * Math.sin(t);
    labels[k] = 1;
  }
  const [sxy, sl] = shuffled(rng, xy, labels);
  addNoise(rng, sxy, noise);
  return fromPoints(sxy, sl, options);
}

/**
 * Two interleaving half circles (sklearn `make_moons(n_samples=200, noise=0.2)`, as in the course):
 * the upper moon is class 0, the lower one class 1.
 *
 * Draws, from `new RandomState(seed)` (default seed 0): `permutation(m)` to shuffle, then
 * `randn(2m)` noise.
 *
 * @example
 * const { X, Y } = loadNoisyMoons({ noise: 0.2, seed: 3 });
 * Y.shape; // [1, 200]
 */
export function loadNoisyMoons(options: ToyOptions = {}): Dataset {
  const op = 'loadNoisyMoons';
  const m = positiveInt(op, 'samples', options.samples, 200);
  const noise = nonNegative(op, 'noise', options.noise, 0.2);
  const rng = new RandomState(checkSeed(op, options.seed, 0));
  const nOut = Math.floor(m / 2);
  const nIn = m - nOut;
  const xy = new Float64Array(2 * m);
  const labels = new Float64Array(m);
  // linspace(0, π, n) with the endpoint
  const angle = (i: number, n: number): number => (n > 1 ? (Math.PI * i) / (n - 1) : 0);
  for (let i = 0; i < nOut; i++) {
    const t = angle(i, nOut);
    xy[2 * i] = Math.cos(t);
    xy[2 * i + 1] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = angle(i, nIn);
    const k = nOut + i;
    xy[2 * k] = 1 - Math.cos(t);
    xy[2 * k + 1] = 1 - Math.sin(t) - 0.5;
    labels[k] = 1;
  }
  const [sxy, sl] = shuffled(rng, xy, labels);
  addNoise(rng, sxy, noise);
  return fromPoints(sxy, sl, options);
}

/**
 * Gaussian blobs around `centers` random centres (sklearn `make_blobs(n_samples=200, centers=6,
 * random_state=5)`, as in the course), labelled `center % 2` so that the set is binary, as the
 * notebook does with `Y = Y % 2`. Pass `binary: false` to keep the centre index as the label.
 *
 * Draws, from `new RandomState(seed)` (default seed 5): `uniform(-10, 10, 2·centers)` centres,
 * then `randn(2m)` offsets scaled by `noise` (the cluster standard deviation, default 1), then
 * `permutation(m)`. Examples are split over the centres as evenly as possible, the first ones
 * getting one more.
 *
 * @example
 * const { X, Y } = loadBlobs();           // 6 blobs, labels 0/1
 * const multi = loadBlobs({ binary: false, centers: 3 }); // labels 0, 1, 2
 */
export function loadBlobs(options: ToyOptions & { centers?: number; binary?: boolean } = {}): Dataset {
  const op = 'loadBlobs';
  const m = positiveInt(op, 'samples', options.samples, 200);
  const std = nonNegative(op, 'noise', options.noise, 1);
  const k = positiveInt(op, 'centers', options.centers, 6);
  const binary = options.binary ?? true;
  const rng = new RandomState(checkSeed(op, options.seed, 5));
  const centers = rng.uniformData(-10, 10, 2 * k);
  const z = rng.randnData(2 * m);
  const xy = new Float64Array(2 * m);
  const labels = new Float64Array(m);
  let i = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(m / k) + (c < m % k ? 1 : 0);
    for (let n = 0; n < count; n++, i++) {
      xy[2 * i] = centers[2 * c] + z[2 * i] * std;
      xy[2 * i + 1] = centers[2 * c + 1] + z[2 * i + 1] * std;
      labels[i] = binary ? c % 2 : c;
    }
  }
  const [sxy, sl] = shuffled(rng, xy, labels);
  return fromPoints(sxy, sl, options);
}

/**
 * Gaussian quantiles (sklearn `make_gaussian_quantiles(cov=0.5, n_samples=200, n_features=2,
 * n_classes=2)`, as in the course): points from N(0, cov·I), sorted by distance from the origin;
 * the nearer half is class 0, the farther half class 1 — a disc inside a ring.
 *
 * Draws, from `new RandomState(seed)` (default seed 0): `randn(2m)` scaled by `sqrt(cov)`, then
 * `permutation(m)`. `noise` is not used by this set (the spread is `cov`).
 *
 * @example
 * const { X, Y } = loadGaussianQuantiles({ cov: 0.5 });
 */
export function loadGaussianQuantiles(options: ToyOptions & { cov?: number } = {}): Dataset {
  const op = 'loadGaussianQuantiles';
  const m = positiveInt(op, 'samples', options.samples, 200);
  const cov = options.cov ?? 0.5;
  if (!(cov > 0 && Number.isFinite(cov))) throw new RangeError(`${op}: cov must be positive, got ${cov}`);
  const rng = new RandomState(checkSeed(op, options.seed, 0));
  const z = rng.randnData(2 * m);
  const s = Math.sqrt(cov);
  const order = Array.from({ length: m }, (_, i) => i);
  const dist = (i: number): number => (z[2 * i] * s) ** 2 + (z[2 * i + 1] * s) ** 2;
  order.sort((p, q) => dist(p) - dist(q) || p - q);
  const xy = new Float64Array(2 * m);
  const labels = new Float64Array(m);
  const half = Math.floor(m / 2);
  order.forEach((src, i) => {
    xy[2 * i] = z[2 * src] * s;
    xy[2 * i + 1] = z[2 * src + 1] * s;
    labels[i] = i < half ? 0 : 1;
  });
  const [sxy, sl] = shuffled(rng, xy, labels);
  return fromPoints(sxy, sl, options);
}

/**
 * Points with no structure: uniform in [0, 1)², each labelled 0 or 1 at random — a set no model can
 * learn beyond chance (the course's `no_structure`).
 *
 * Draws, from `new RandomState(seed)` (default seed 0): `rand(2m)` points, then `rand(m)` labels
 * (`label = rand < 0.5 ? 0 : 1`). `noise` is not used.
 *
 * @example
 * const { X, Y } = loadNoStructure({ samples: 100 });
 */
export function loadNoStructure(options: ToyOptions = {}): Dataset {
  const op = 'loadNoStructure';
  const m = positiveInt(op, 'samples', options.samples, 200);
  const rng = new RandomState(checkSeed(op, options.seed, 0));
  const xy = rng.randData(2 * m);
  const u = rng.randData(m);
  const labels = new Float64Array(m);
  for (let i = 0; i < m; i++) labels[i] = u[i] < 0.5 ? 0 : 1;
  return fromPoints(xy, labels, options);
}

/**
 * A two-armed (or `classes`-armed) spiral, CS231n style: for class j, radius `linspace(0, 1, n)` and
 * angle `linspace(4j, 4(j+1), n) + randn(n)·noise`; points `(r·sin t, r·cos t)`. Not linearly
 * separable; a hidden layer of a few units learns it.
 *
 * Draws, from `new RandomState(seed)` (default seed 0): `randn(n)` angle noise per class, in class
 * order. Examples are in class order (not shuffled); `noise` defaults to 0.2.
 *
 * @example
 * const { X, Y } = loadSpiral({ samples: 300 }); // X (2, 300), Y (1, 300)
 */
export function loadSpiral(options: ToyOptions & { classes?: number } = {}): Dataset {
  const op = 'loadSpiral';
  const m = positiveInt(op, 'samples', options.samples, 200);
  const noise = nonNegative(op, 'noise', options.noise, 0.2);
  const classes = positiveInt(op, 'classes', options.classes, 2);
  const rng = new RandomState(checkSeed(op, options.seed, 0));
  const xy = new Float64Array(2 * m);
  const labels = new Float64Array(m);
  let k = 0;
  for (let j = 0; j < classes; j++) {
    const n = Math.floor(m / classes) + (j < m % classes ? 1 : 0);
    const z = rng.randnData(n);
    for (let i = 0; i < n; i++, k++) {
      const f = n > 1 ? i / (n - 1) : 0;
      const r = f;
      const t = 4 * j + 4 * f + z[i] * noise;
      xy[2 * k] = r * Math.sin(t);
      xy[2 * k + 1] = r * Math.cos(t);
      labels[k] = j;
    }
  }
  return fromPoints(xy, labels, options);
}

/** Names of the generated 2-D data sets, as the CLI's `--dataset` accepts them. */
export const TOY_DATASETS = [
  'planar',
  'circles',
  'moons',
  'blobs',
  'quantiles',
  'no-structure',
  'spiral',
] as const;
/** One of `TOY_DATASETS`. */
export type ToyDatasetName = (typeof TOY_DATASETS)[number];
