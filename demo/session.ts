// One training run of the playground: the data set, the network and the heat-map lattice, all on
// the configured backend. Used by the worker, and by the browser test in Node to train the same
// seeded network outside the page.

import {
  array,
  type Dataset,
  loadBlobs,
  loadGaussianQuantiles,
  loadNoisyCircles,
  loadNoisyMoons,
  loadPlanarDataset,
  loadSpiral,
  type NDArray,
  NeuralNetwork,
} from '../src/browser.js';
import type { Bounds, DatasetName, PlaygroundConfig } from './config.js';

/** Side of the probability lattice behind the heat map. */
export const GRID = 96;

/** The data set of a config, on its backend and dtype. */
export function loadDataset(config: Pick<PlaygroundConfig, 'dataset' | 'backend' | 'dtype'>): Dataset {
  const options = { backend: config.backend, dtype: config.dtype };
  const loaders: Record<DatasetName, () => Dataset> = {
    flower: () => loadPlanarDataset(options),
    circles: () => loadNoisyCircles({ ...options, samples: 300, noise: 0.1, factor: 0.5 }),
    moons: () => loadNoisyMoons({ ...options, samples: 300, noise: 0.2 }),
    blobs: () => loadBlobs({ ...options, samples: 300 }),
    quantiles: () => loadGaussianQuantiles({ ...options, samples: 300 }),
    spiral: () => loadSpiral({ ...options, samples: 300, noise: 0.2 }),
  };
  return loaders[config.dataset]();
}

/** The network of a config: [2, ...hidden, 1], sigmoid output, cross-entropy cost. */
export function buildNetwork(config: PlaygroundConfig): NeuralNetwork {
  return new NeuralNetwork({
    layerDims: [2, ...config.hidden, 1],
    hidden: config.activation,
    output: 'sigmoid',
    init: config.init,
    seed: config.seed,
    dtype: config.dtype,
    backend: config.backend,
  });
}

/** A square window around the points with a margin, so the heat map is not stretched. */
export function boundsOf(points: Float64Array): Bounds {
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    xmin = Math.min(xmin, points[i]);
    xmax = Math.max(xmax, points[i]);
    ymin = Math.min(ymin, points[i + 1]);
    ymax = Math.max(ymax, points[i + 1]);
  }
  const size = Math.max(xmax - xmin, ymax - ymin) * 1.15;
  return { x0: (xmin + xmax - size) / 2, y0: (ymin + ymax - size) / 2, size };
}

/** A live run: owns its arrays until dispose(). */
export class Session {
  readonly net: NeuralNetwork;
  readonly X: NDArray;
  readonly Y: NDArray;
  /** Points example-major (x, y, x, y, …) and labels, for drawing. */
  readonly points: Float64Array;
  readonly labels: Float64Array;
  readonly bounds: Bounds;
  /** The lattice (2, GRID²), row-major from the top-left corner. */
  private readonly lattice: NDArray;
  learningRate: number;
  iteration = 0;

  constructor(readonly config: PlaygroundConfig) {
    const { X, Y } = loadDataset(config);
    this.X = X;
    this.Y = Y;
    const xs = X.data;
    const m = X.shape[1];
    this.points = new Float64Array(2 * m);
    for (let i = 0; i < m; i++) {
      this.points[2 * i] = xs[i];
      this.points[2 * i + 1] = xs[m + i];
    }
    this.labels = Float64Array.from(Y.data);
    this.bounds = boundsOf(this.points);
    const { x0, y0, size } = this.bounds;
    const cells = GRID * GRID;
    const grid = new Float64Array(2 * cells);
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        grid[r * GRID + c] = x0 + ((c + 0.5) / GRID) * size;
        grid[cells + r * GRID + c] = y0 + size - ((r + 0.5) / GRID) * size;
      }
    }
    this.lattice = array(grid, { shape: [2, cells], dtype: config.dtype, backend: config.backend });
    this.net = buildNetwork(config);
    this.learningRate = config.learningRate;
  }

  /** Trains `n` iterations (continuing the run) and returns their costs. */
  train(n: number): number[] {
    const { costs } = this.net.fit(this.X, this.Y, { iterations: n, learningRate: this.learningRate });
    this.iteration += costs.length;
    return costs;
  }

  accuracy(): number {
    return this.net.accuracy(this.X, this.Y);
  }

  /** P(y = 1) over the lattice, GRID × GRID, row 0 at the top. */
  probabilities(): Float32Array {
    const p = this.net.predictProba(this.lattice);
    try {
      return Float32Array.from(p.data);
    } finally {
      p.dispose();
    }
  }

  dispose(): void {
    this.net.dispose();
    this.X.dispose();
    this.Y.dispose();
    this.lattice.dispose();
  }
}
