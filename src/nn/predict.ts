// Predictions from trained parameters, as the notebook's predict.
import { gt, type NDArray, tidy } from '../ndarray/index.js';
import { type ModelOptions, modelForward } from './forward.js';
import type { Parameters } from './types.js';

/**
 * Runs the forward pass and returns predictions (n_L, m): 1 where AL > 0.5, else 0, for a sigmoid
 * output; AL itself for a linear output (regression).
 *
 * @example
 * const p = predict(X, parameters);            // [[1, 0, 1, …]]
 * p.eq(Y).mean().get();                       // accuracy
 */
export function predict(X: NDArray, parameters: Parameters, options: ModelOptions = {}): NDArray {
  return tidy(() => {
    const { AL } = modelForward(X, parameters, options);
    return (options.output ?? 'sigmoid') === 'sigmoid' ? gt(AL, 0.5) : AL;
  });
}
