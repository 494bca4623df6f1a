// The two computations several weeks' functions share, written once: the cross-entropy cost and the
// gradient-descent step over a dictionary of parameters.

import { type NDArray, tidy } from '../ndarray/index.js';
import * as np from './np.js';
import { type ArrayInput, asArray, toNumber } from './values.js';

/** -1/m · Σ (Y·log A + (1 - Y)·log(1 - A)), as a number: every week's cost. */
export function crossEntropyCost(A: ArrayInput, Y: ArrayInput): number {
  return tidy(() => {
    const y = asArray(Y, 'Y');
    const m = y.shape[1];
    const terms = np.add(
      np.multiply(y, np.log(A)),
      np.multiply(np.subtract(1, y), np.log(np.subtract(1, A))),
    );
    return (-1 / m) * toNumber(np.sum(terms));
  });
}

/** New parameters p - learning_rate·dp for every p of `parameters` (its gradient is grads['d' + name]). */
export function gradientStep<P extends object>(parameters: P, grads: object, learning_rate: number): P {
  const g = grads as Record<string, NDArray>;
  return tidy(() => {
    const out: Record<string, NDArray> = {};
    for (const [name, p] of Object.entries(parameters as Record<string, NDArray>)) {
      out[name] = np.subtract(p, np.multiply(learning_rate, g[`d${name}`])) as NDArray;
    }
    return out as P;
  });
}
