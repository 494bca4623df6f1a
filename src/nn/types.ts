import type { NDArray } from '../ndarray/index.js';

/**
 * An activation g(Z) of a layer. `leakyRelu` takes its slope from the `leakySlope` option (default 0.01).
 * Derivatives follow the course's notebooks: relu'(0) = 0 and leakyRelu'(0) = slope.
 */
export type Activation = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'linear';

/**
 * The output layer's activation, which also picks the cost: `sigmoid` with binary cross-entropy
 * (classification, labels 0/1), `softmax` with categorical cross-entropy (one class of several: Y
 * one-hot, (classes, m); see `oneHot`), `linear` with mean squared error (regression).
 */
export type OutputActivation = 'sigmoid' | 'softmax' | 'linear';

/**
 * How weights start: `zeros` (logistic regression), `small` (randn·0.01), `scaled` (randn/√n_prev),
 * `he` (randn·√(2/n_prev)), `xavier` (randn·√(1/n_prev)). Biases always start at zero.
 */
export type InitScheme = 'zeros' | 'small' | 'scaled' | 'he' | 'xavier';

/**
 * A network's parameters as in the course's notebooks: `W1, b1, W2, b2, …`, with `W[l]` of shape
 * `(n[l], n[l-1])` and `b[l]` of shape `(n[l], 1)`. A plain object, so `parameters.W1` and
 * `parameters[\`W${l}\`]` read like the notebook's `parameters['W1']`.
 */
export type Parameters = { [key: `W${number}`]: NDArray } & { [key: `b${number}`]: NDArray };

/**
 * Gradients keyed like the notebook's `grads`: `dW1, db1, …` and, from `modelBackward`, `dA0, dA1, …`
 * (`dA{l}` is the gradient of the cost with respect to the activation `A[l]`).
 */
export type Grads = { [key: `dW${number}`]: NDArray } & { [key: `db${number}`]: NDArray } & {
  [key: `dA${number}`]: NDArray;
};

/** What `linearForward` keeps for `linearBackward`: the notebook's `linear_cache = (A_prev, W, b)`. */
export interface LinearCache {
  readonly APrev: NDArray;
  readonly W: NDArray;
  readonly b: NDArray;
}

/**
 * What `linearActivationForward` keeps for its backward step: the notebook's
 * `cache = (linear_cache, activation_cache)` with `activation_cache = Z`, plus the activation used.
 */
export interface LayerCache {
  readonly linearCache: LinearCache;
  /** Z, the pre-activation. */
  readonly activationCache: NDArray;
  readonly activation: Activation | 'softmax';
  readonly leakySlope: number;
}
