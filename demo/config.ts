// The playground's settings: their types, the presets each data set starts from, the URL form
// (`?dataset=flower&hidden=4&lr=1.2&backend=wasm`, so a setting can be shared as a link) and the
// messages between the page and the training worker. Imports types only: the page bundle stays
// free of the library.

import type { Activation, BackendName, DType, InitScheme } from '../src/browser.js';

export const DATASETS = ['flower', 'circles', 'moons', 'blobs', 'quantiles', 'spiral'] as const;
export type DatasetName = (typeof DATASETS)[number];
export const BACKENDS: readonly BackendName[] = ['loop', 'vectorized', 'wasm'];
export const DTYPES: readonly DType[] = ['float64', 'float32'];
export const HIDDEN_ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'leakyRelu', 'sigmoid'];
export const INITS: readonly InitScheme[] = ['small', 'scaled', 'he', 'xavier'];

/** Everything that defines a training run. */
export interface PlaygroundConfig {
  dataset: DatasetName;
  /** Hidden layer sizes, e.g. [4] or [8, 8]; the input has 2 units and the output 1 (sigmoid). */
  hidden: number[];
  activation: Activation;
  init: InitScheme;
  /** Seed of the weights (RandomState). */
  seed: number;
  learningRate: number;
  backend: BackendName;
  dtype: DType;
  /** Training stops after this many iterations; 0 trains until paused. */
  iterations: number;
}

type Preset = Pick<PlaygroundConfig, 'hidden' | 'activation' | 'init' | 'seed' | 'learningRate'>;

/** What each data set starts with; the flower's is the course's (planar notebook, 4 tanh units). */
export const PRESETS: Record<DatasetName, Preset> = {
  flower: { hidden: [4], activation: 'tanh', init: 'small', seed: 2, learningRate: 1.2 },
  circles: { hidden: [8], activation: 'tanh', init: 'xavier', seed: 1, learningRate: 0.5 },
  moons: { hidden: [6], activation: 'tanh', init: 'xavier', seed: 1, learningRate: 0.8 },
  blobs: { hidden: [8], activation: 'tanh', init: 'xavier', seed: 1, learningRate: 0.1 },
  quantiles: { hidden: [6], activation: 'tanh', init: 'xavier', seed: 1, learningRate: 0.5 },
  spiral: { hidden: [16, 16], activation: 'relu', init: 'he', seed: 1, learningRate: 0.5 },
};

export const DEFAULT_CONFIG: PlaygroundConfig = {
  dataset: 'flower',
  ...PRESETS.flower,
  backend: 'wasm',
  dtype: 'float64',
  iterations: 10_000,
};

/** The config with one data set's preset applied (the other settings kept). */
export function withPreset(config: PlaygroundConfig, dataset: DatasetName): PlaygroundConfig {
  return { ...config, dataset, ...PRESETS[dataset], hidden: [...PRESETS[dataset].hidden] };
}

/** "4" → [4], "8, 8" → [8, 8]; undefined unless every entry is an integer in 1..256 (at most 6 layers). */
export function parseHidden(text: string): number[] | undefined {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 6) return undefined;
  const sizes = parts.map(Number);
  return sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 256) ? sizes : undefined;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

function numberIn(value: string | null, lo: number, hi: number, integer: boolean): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) return undefined;
  return n;
}

/** Reads the settings from a query string; missing or invalid entries keep the preset's values. */
export function configFromQuery(search: string): PlaygroundConfig {
  const q = new URLSearchParams(search);
  const dataset = oneOf(q.get('dataset'), DATASETS) ?? DEFAULT_CONFIG.dataset;
  const base = withPreset(DEFAULT_CONFIG, dataset);
  return {
    dataset,
    hidden: parseHidden(q.get('hidden') ?? '') ?? base.hidden,
    activation: oneOf(q.get('activation'), HIDDEN_ACTIVATIONS) ?? base.activation,
    init: oneOf(q.get('init'), INITS) ?? base.init,
    seed: numberIn(q.get('seed'), 0, 0xffffffff, true) ?? base.seed,
    learningRate: numberIn(q.get('lr'), 1e-6, 100, false) ?? base.learningRate,
    backend: oneOf(q.get('backend'), BACKENDS) ?? base.backend,
    dtype: oneOf(q.get('dtype'), DTYPES) ?? base.dtype,
    iterations: numberIn(q.get('iterations'), 0, 1e9, true) ?? base.iterations,
  };
}

/** The query string of a config (the inverse of configFromQuery). */
export function configToQuery(config: PlaygroundConfig): string {
  const q = new URLSearchParams({
    dataset: config.dataset,
    hidden: config.hidden.join(','),
    activation: config.activation,
    init: config.init,
    seed: String(config.seed),
    lr: String(config.learningRate),
    backend: config.backend,
    dtype: config.dtype,
    iterations: String(config.iterations),
  });
  return `?${q}`;
}

/** Page → worker. */
export type ToWorker =
  | { type: 'reset'; config: PlaygroundConfig; run: number }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'learningRate'; value: number };

/** The plot's square window onto the plane: x in [x0, x0 + size], y in [y0, y0 + size]. */
export interface Bounds {
  x0: number;
  y0: number;
  size: number;
}

/** Worker → page; `run` is the number of the reset that started the run (older messages are stale). */
export type FromWorker = { run: number } & (
  | {
      type: 'ready';
      /** WebAssembly SIMD128 validates in this engine (the wasm backend needs it). */
      simd: boolean;
      /** The backend actually training (the requested one unless it could not load). */
      backend: BackendName;
      /** A note for the page when the requested backend was replaced. */
      warning?: string;
      /** The points example-major (x0, y0, x1, y1, …) and their labels. */
      points: Float64Array;
      labels: Float64Array;
      bounds: Bounds;
      /** Side of the probability grid sent with each frame. */
      grid: number;
    }
  | {
      type: 'frame';
      /** Iterations trained so far. */
      iteration: number;
      /** The costs of the iterations trained since the previous frame, in order. */
      costs: Float64Array;
      /** Training throughput over this frame (training time only, not the heat map). */
      itersPerSecond: number;
      accuracy: number;
      /** P(y = 1) on a grid × grid lattice over `bounds`, row 0 at the top (largest y). */
      probabilities: Float32Array;
    }
  | { type: 'done'; iteration: number }
  | { type: 'error'; message: string }
);

/** What the page exposes as `window.playground.snapshot()` (for the browser tests and the console). */
export interface PlaygroundSnapshot {
  status: 'loading' | 'ready' | 'running' | 'paused' | 'done' | 'error';
  /** WebAssembly SIMD128 support reported by the worker; undefined until it reported. */
  simd: boolean | undefined;
  /** The backend training, as the worker reported it. */
  backend: string | undefined;
  config: PlaygroundConfig;
  iteration: number;
  accuracy: number;
  /** The cost of every iteration of the run so far. */
  costs: number[];
  error: string | undefined;
}
