// Initialisers drawn exactly as the course's notebooks draw them: one RandomState(seed), then
// W1, W2, … in order, each `randn(n[l], n[l-1])` row-major and scaled in float64 as NumPy does.
import { type Backend, type BackendName, backendByName, currentBackend } from '../backend/index.js';
import { type DType, isDType } from '../core/index.js';
import { NDArray } from '../ndarray/index.js';
import { RandomState } from '../random/index.js';
import type { InitScheme, Parameters } from './types.js';
import { checkInit, checkInteger, checkLayerDims, checkSeed } from './validate.js';

/** Options of the initialisers. */
export interface InitOptions {
  /** Seed of `RandomState` (NumPy's `np.random.seed`). */
  seed?: number;
  /** Element type of the parameters; default `float64`. */
  dtype?: DType;
  /** Backend to create the parameters on; default the current one. */
  backend?: BackendName;
}

/**
 * The weights of one layer as float64 values, row-major `(n, nPrev)`, scaled exactly as NumPy computes
 * `randn(n, n_prev) * 0.01`, `randn(n, n_prev) / np.sqrt(n_prev)`, `* np.sqrt(2 / n_prev)` or
 * `* np.sqrt(1 / n_prev)` (Math.sqrt and IEEE division round as NumPy's do).
 */
export function drawWeights(rng: RandomState, init: InitScheme, n: number, nPrev: number): Float64Array {
  if (init === 'zeros') return new Float64Array(n * nPrev);
  const w = rng.randnData(n * nPrev);
  switch (init) {
    case 'small':
      for (let i = 0; i < w.length; i++) w[i] = w[i] * 0.01;
      break;
    case 'scaled': {
      const s = Math.sqrt(nPrev);
      for (let i = 0; i < w.length; i++) w[i] = w[i] / s;
      break;
    }
    case 'he': {
      const s = Math.sqrt(2 / nPrev);
      for (let i = 0; i < w.length; i++) w[i] = w[i] * s;
      break;
    }
    case 'xavier': {
      const s = Math.sqrt(1 / nPrev);
      for (let i = 0; i < w.length; i++) w[i] = w[i] * s;
      break;
    }
  }
  return w;
}

function matrix(values: Float64Array, shape: [number, number], dtype: DType, engine: Backend) {
  const out = NDArray.alloc(shape, dtype, engine);
  engine.view(out.storage.buffer).set(values); // float32 rounds each float64 value, as NumPy's astype
  return out;
}

/** The initialiser behind the public functions and the models, on an explicit backend. */
export function initParameters(
  layerDims: readonly number[],
  init: InitScheme,
  seed: number,
  dtype: DType,
  engine: Backend,
): Parameters {
  const rng = new RandomState(seed);
  const parameters: Parameters = {};
  for (let l = 1; l < layerDims.length; l++) {
    const [n, nPrev] = [layerDims[l], layerDims[l - 1]];
    parameters[`W${l}`] = matrix(drawWeights(rng, init, n, nPrev), [n, nPrev], dtype, engine);
    parameters[`b${l}`] = matrix(new Float64Array(n), [n, 1], dtype, engine);
  }
  return parameters;
}

function resolveEngine(name: BackendName | undefined): Backend {
  return name ? backendByName(name) : currentBackend();
}

function resolveDType(where: string, dtype: unknown): DType {
  if (!isDType(dtype))
    throw new TypeError(`${where}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  return dtype;
}

/**
 * Parameters of an L-layer network `layerDims = [n_x, n_1, …, n_L]`: `W[l]` drawn from
 * `new RandomState(seed)` in the order W1, W2, … and scaled by `init`, `b[l]` zero. With the same
 * seed the weights equal NumPy's bit for bit (the notebook's `initialize_parameters_deep`).
 *
 * Defaults follow the step-by-step notebook: `init: 'small'`, `seed: 3`.
 *
 * @example
 * const p = initializeParametersDeep([5, 4, 3], { seed: 3 });
 * p.W1.shape; // [4, 5]
 * p.b2.shape; // [3, 1]
 * initializeParametersDeep([12288, 20, 7, 5, 1], { seed: 1, init: 'scaled' }); // dnn_app_utils_v3
 */
export function initializeParametersDeep(
  layerDims: readonly number[],
  options: InitOptions & { init?: InitScheme } = {},
): Parameters {
  const where = 'initializeParametersDeep';
  const dims = checkLayerDims(where, layerDims);
  const init = checkInit(where, options.init ?? 'small');
  const seed = checkSeed(where, options.seed ?? 3);
  const dtype = resolveDType(where, options.dtype ?? 'float64');
  return initParameters(dims, init, seed, dtype, resolveEngine(options.backend));
}

/**
 * Parameters of the course's 2-layer network `n_x → n_h → n_y`: `W1 = randn(n_h, n_x)·0.01`,
 * `W2 = randn(n_y, n_h)·0.01` from `RandomState(seed)`, zero biases (the notebooks'
 * `initialize_parameters`). Default seed 1 (step-by-step notebook); the planar notebook uses 2.
 *
 * @example
 * const p = initializeParameters(2, 4, 1, { seed: 2 });
 * p.W1.get(0, 0); // -0.00416758 (the planar notebook's expected W1)
 */
export function initializeParameters(
  nx: number,
  nh: number,
  ny: number,
  options: InitOptions = {},
): Parameters {
  const where = 'initializeParameters';
  checkInteger(where, 'nx', nx, 1);
  checkInteger(where, 'nh', nh, 1);
  checkInteger(where, 'ny', ny, 1);
  const seed = checkSeed(where, options.seed ?? 1);
  const dtype = resolveDType(where, options.dtype ?? 'float64');
  return initParameters([nx, nh, ny], 'small', seed, dtype, resolveEngine(options.backend));
}
