// One step of gradient descent, as the notebook's update_parameters.

import { formatShape, ShapeError, shapesEqual } from '../core/index.js';
import { mul, sub } from '../ndarray/index.js';
import { layerCount } from './forward.js';
import type { Grads, Parameters } from './types.js';
import { checkMatrix, checkPositive, checkSameEngine } from './validate.js';

/**
 * Gradient descent: `W[l] = W[l] - learningRate·dW[l]`, `b[l] = b[l] - learningRate·db[l]` for every
 * layer, in place (the arrays in `parameters` are overwritten, as in the original notebook), and
 * returns `parameters`. Rounds exactly as NumPy's `W - learning_rate * dW`.
 *
 * @example
 * const grads = modelBackward(AL, Y, caches);
 * updateParameters(parameters, grads, 0.0075);
 */
export function updateParameters(parameters: Parameters, grads: Grads, learningRate: number): Parameters {
  const where = 'updateParameters';
  const lr = checkPositive(where, 'learningRate', learningRate);
  const L = layerCount(where, parameters);
  if (grads === null || typeof grads !== 'object') {
    throw new TypeError(`${where}: grads must be an object { dW1, db1, … }, got ${String(grads)}`);
  }
  // check all layers first, so a bad gradient leaves every parameter untouched
  for (let l = 1; l <= L; l++) {
    for (const p of ['W', 'b'] as const) {
      const param = parameters[`${p}${l}`];
      const grad = grads[`d${p}${l}`];
      if (grad === undefined) throw new TypeError(`${where}: grads has no d${p}${l}`);
      checkMatrix(where, `d${p}${l}`, grad, formatShape(param.shape));
      if (!shapesEqual(grad.shape, param.shape)) {
        throw new ShapeError(
          `${where}: layer ${l}: d${p}${l} has shape ${formatShape(grad.shape)} but ${p}${l} has shape ${formatShape(param.shape)}`,
        );
      }
      checkSameEngine(where, grad, `d${p}${l}`, param, `${p}${l}`);
    }
  }
  for (let l = 1; l <= L; l++) {
    for (const p of ['W', 'b'] as const) {
      const param = parameters[`${p}${l}`];
      const step = mul(grads[`d${p}${l}`], lr);
      sub(param, step, param);
      step.dispose();
    }
  }
  return parameters;
}
