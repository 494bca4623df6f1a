// vecnet in a web page or worker: the entry of dist/vecnet.browser.js (scripts/build-browser.mjs) and
// the package's `browser` export. Everything of src/index.ts that runs without Node: arrays, backends,
// RandomState, the networks, the generated 2-D data sets and model JSON. Left out: HDF5 and image
// loading (h5wasm, pngjs), saveModel/loadModel (node:fs) and the CLI.
//
// The wasm binary is inlined in the bundle (base64, decoded once), so the bundle is one file that
// needs no server configuration, no asset handling by the user's bundler and no URL that could go
// stale: it loads from a CDN, a module worker or a blob alike. `ready(url)` still takes a URL (or
// bytes, or a compiled module) for those who serve build/vecnet.wasm themselves.

import type { BackendName } from './backend/backend.js';
import { registerBackend, ready as registryReady } from './backend/registry.js';
import { createWasmBackendSync, type WasmSource, wasmSimdSupported } from './backend/wasm/index.js';

export type { Dataset, ToyOptions } from './data/dataset.js';
export { loadPlanarDataset } from './data/planar.js';
export {
  type Standardizer,
  scale,
  standardize,
  type TrainTestSplit,
  trainTestSplit,
} from './data/preprocess.js';
export { loadToyDataset } from './data/registry.js';
export {
  loadBlobs,
  loadGaussianQuantiles,
  loadNoisyCircles,
  loadNoisyMoons,
  loadNoStructure,
  loadSpiral,
  TOY_DATASETS,
  type ToyDatasetName,
} from './data/toy.js';
export { ModelFormatError } from './io/errors.js';
export type { ModelFile, ModelMetadata } from './io/format.js';
export {
  fromModelFile,
  type LoadedModel,
  type LoadOptions,
  type SavableModel,
  toModelFile,
} from './io/model.js';
export * from './ndarray/index.js';
export * from './nn/index.js';
export { RandomState } from './random/random-state.js';
export { type WasmSource, wasmSimdSupported };

/** Set by scripts/build-browser.mjs (esbuild `define`) to build/vecnet.wasm in base64; absent under tsc. */
declare const __VECNET_WASM_BASE64__: string | undefined;

let embeddedBytes: Uint8Array | undefined;

/** The inlined binary, decoded on first use; undefined outside the esbuild bundle. */
function embeddedWasm(): Uint8Array | undefined {
  if (embeddedBytes === undefined && typeof __VECNET_WASM_BASE64__ === 'string') {
    const text = atob(__VECNET_WASM_BASE64__);
    embeddedBytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) embeddedBytes[i] = text.charCodeAt(i);
  }
  return embeddedBytes;
}

// with the bytes at hand the wasm backend can also be made synchronously, on first use, as in Node
// (`setBackend('wasm')` without `ready()`); engines may cap synchronous compilation on a page's main
// thread, and the default backend then falls back to `vectorized`: `await ready()` never hits the cap
if (embeddedWasm()) {
  registerBackend('wasm', () => createWasmBackendSync({ source: embeddedWasm(), threads: true }));
}

/**
 * Compiles the wasm backend asynchronously and, unless another backend was chosen, makes it the
 * current one; call it once before creating arrays. The binary is the one inlined in the bundle
 * unless `source` (a URL, the bytes, a fetch Response or a compiled module) says otherwise. Where
 * WebAssembly SIMD is missing it resolves to 'vectorized' instead. Resolves to the current backend.
 *
 * @example
 * import { ready, array } from 'vecnet';
 * await ready();            // 'wasm' where WebAssembly SIMD is supported
 * array([[1, 2], [3, 4]]).matmul(array([[1], [1]])).toArray(); // [[3], [7]]
 */
export function ready(source?: WasmSource): Promise<BackendName> {
  return registryReady(source ?? embeddedWasm());
}
