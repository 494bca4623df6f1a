import type { Dataset, ToyOptions } from './dataset.js';
import { loadPlanarDataset } from './planar.js';
import {
  loadBlobs,
  loadGaussianQuantiles,
  loadNoisyCircles,
  loadNoisyMoons,
  loadNoStructure,
  loadSpiral,
  TOY_DATASETS,
  type ToyDatasetName,
} from './toy.js';

/**
 * A generated 2-D data set by name (the names the CLI's `--dataset` takes): `planar` (the flower; it
 * ignores the options except dtype/backend, being fixed by the course), `circles`, `moons`, `blobs`,
 * `quantiles`, `no-structure`, `spiral`.
 *
 * @example
 * const { X, Y } = loadToyDataset('moons', { seed: 1 });
 */
export function loadToyDataset(name: ToyDatasetName, options: ToyOptions = {}): Dataset {
  switch (name) {
    case 'planar':
      return loadPlanarDataset({ dtype: options.dtype, backend: options.backend });
    case 'circles':
      return loadNoisyCircles(options);
    case 'moons':
      return loadNoisyMoons(options);
    case 'blobs':
      return loadBlobs(options);
    case 'quantiles':
      return loadGaussianQuantiles(options);
    case 'no-structure':
      return loadNoStructure(options);
    case 'spiral':
      return loadSpiral(options);
    default:
      throw new RangeError(
        `loadToyDataset: unknown data set '${String(name)}': expected one of ${TOY_DATASETS.join(', ')}`,
      );
  }
}
