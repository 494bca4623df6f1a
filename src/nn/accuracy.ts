// The accuracy of a plan's last forward pass against labels, read in place from the backend's
// storage (no array is made, so validation after every epoch allocates nothing on the JS backends).
import type { NDArray } from '../ndarray/index.js';
import type { TrainingPlan } from './plan.js';

/**
 * The fraction of labels predicted right by the plan's output A (n_L, m) against Y (n_L, m):
 * sigmoid, `A > 0.5` equal to Y over all n_L·m entries; softmax, per column the first largest entry
 * of A where Y has its largest (one-hot: its 1). Undefined for a linear output (regression).
 */
export function outputAccuracy(plan: TrainingPlan, Y: NDArray): number | undefined {
  const output = plan.spec.output;
  if (output === 'linear') return undefined;
  const e = plan.engineOf;
  const a = e.view(plan.outputBuffer);
  const y = e.view(Y.storage.buffer);
  const [n, m] = Y.shape;
  const [rs, cs] = Y.strides;
  const yo = Y.offset;
  let right = 0;
  if (output === 'sigmoid') {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        if ((a[i * m + j] > 0.5 ? 1 : 0) === y[yo + i * rs + j * cs]) right++;
      }
    }
    return right / (n * m);
  }
  for (let j = 0; j < m; j++) {
    let best = 0;
    let label = 0;
    for (let i = 1; i < n; i++) {
      if (a[i * m + j] > a[best * m + j]) best = i;
      if (y[yo + i * rs + j * cs] > y[yo + label * rs + j * cs]) label = i;
    }
    if (best === label) right++;
  }
  return right / m;
}
