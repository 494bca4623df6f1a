// Data sets and preprocessing. The HDF5 and image loaders import their Node-only libraries lazily,
// so this module is safe to import in a browser (calling them there throws).
export type { Dataset, ToyOptions } from './dataset.js';
export { DataFileError } from './errors.js';
export { type H5Dataset, type H5DatasetNames, loadH5Dataset, writeH5Dataset } from './h5.js';
export { decodeImage, loadImageColumn, type RgbImage, resizeBilinear } from './image.js';
export { loadPlanarDataset } from './planar.js';
export {
  flattenImages,
  type Standardizer,
  scale,
  standardize,
  type TrainTestSplit,
  trainTestSplit,
} from './preprocess.js';
export { loadToyDataset } from './registry.js';
export {
  loadBlobs,
  loadGaussianQuantiles,
  loadNoisyCircles,
  loadNoisyMoons,
  loadNoStructure,
  loadSpiral,
  TOY_DATASETS,
  type ToyDatasetName,
} from './toy.js';
