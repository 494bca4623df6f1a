// The data layer: the course's data sets (the planar flower, generated 2-D toy sets), HDF5 and image
// loading (the cat pictures), NumPy's .npy and .npz files, and preprocessing (scaling, standardising, splitting). The HDF5 and
// image loaders import their Node-only libraries lazily, so this module loads in a browser too
// (calling them there throws). It may import core/, ndarray/ and random/.
export type { Dataset, ToyOptions } from './dataset.js';
export { type H5Dataset, type H5DatasetNames, loadH5Dataset, writeH5Dataset } from './h5.js';
export { type DecodeOptions, decodeImage, loadImageColumn, type RgbImage, resizeBilinear } from './image.js';
export { fromNpy, fromNpz, loadNpy, loadNpz, saveNpy, saveNpz, toNpy, toNpz } from './npy.js';
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
