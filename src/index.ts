// vecnet's public API in Node, the package's main entry: the API both entries share (exports.ts), plus
// what needs Node (HDF5 and image files, saving and loading models, the model-file helpers). It
// registers the backends Node runs: loop, vectorized, and wasm read from build/ beside the package.

import { registerBuiltinBackends } from './backend/index.js';

export {
  type DecodeOptions,
  decodeImage,
  flattenImages,
  type H5Dataset,
  type H5DatasetNames,
  loadH5Dataset,
  loadImageColumn,
  loadNpy,
  loadNpz,
  type RgbImage,
  resizeBilinear,
  saveNpy,
  saveNpz,
  writeH5Dataset,
} from './data/index.js';
export * from './exports.js';
export {
  type Architecture,
  decodeBase64,
  decodeModelFile,
  encodeBase64,
  encodeModelFile,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelRecord,
  type Preprocessing,
  parseModelFile,
  sha256,
} from './io/index.js';
export { loadModel, parameterData, saveModel } from './nn/index.js';
export type { ShapeArgs } from './random/index.js';

registerBuiltinBackends();
