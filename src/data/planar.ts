import type { CreateOptions } from '../ndarray/index.js';
import { RandomState } from '../random/index.js';
import { type Dataset, fromPoints } from './dataset.js';

/**
 * The course's "flower" data set (planar_utils.py `load_planar_dataset`), reproduced draw for draw
 * with `RandomState`: seed 1, m = 400, N = 200 points per class, a = 4. For class j in 0, 1:
 * `t = linspace(3.12·j, 3.12·(j+1), N) + randn(N)·0.2`, then `r = a·sin(4t) + randn(N)·0.2`, and
 * the points `(r·sin t, r·cos t)` fill examples j·N … (j+1)·N−1 with label j.
 *
 * Matches NumPy to 1e-12 (the only difference can be an ulp of `sin`, which V8 and NumPy compute with
 * different libraries); `Y` is exact.
 *
 * @returns `X` of shape (2, 400) and labels `Y` of shape (1, 400), float64 unless `dtype` says otherwise.
 * @example
 * const { X, Y } = loadPlanarDataset();
 * X.shape; // [2, 400]
 * Y.shape; // [1, 400]
 */
export function loadPlanarDataset(options: CreateOptions = {}): Dataset {
  const rng = new RandomState(1);
  const m = 400;
  const N = m / 2;
  const a = 4;
  const xy = new Float64Array(2 * m);
  const labels = new Float64Array(m);
  for (let j = 0; j < 2; j++) {
    // np.linspace(j*3.12, (j+1)*3.12, N): start + i*step, the last element exactly stop
    const start = j * 3.12;
    const stop = (j + 1) * 3.12;
    const step = (stop - start) / (N - 1);
    const tNoise = rng.randnData(N);
    const rNoise = rng.randnData(N);
    for (let i = 0; i < N; i++) {
      const lin = i === N - 1 ? stop : start + i * step;
      const t = lin + tNoise[i] * 0.2;
      const r = a * Math.sin(4 * t) + rNoise[i] * 0.2;
      const k = j * N + i;
      xy[2 * k] = r * Math.sin(t);
      xy[2 * k + 1] = r * Math.cos(t);
      labels[k] = j;
    }
  }
  return fromPoints(xy, labels, options);
}
