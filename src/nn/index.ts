// The public API of vecnet's networks: the course's step-by-step functions, the models, and the tools
// to check them. Re-exported by src/index.ts.
export {
  type ActivationOptions,
  activationBackward,
  activationDerivative,
  activationForward,
  leakyReluBackward,
  reluBackward,
  sigmoidBackward,
  tanhBackward,
} from './activations.js';
export { linearActivationBackward, linearBackward, modelBackward } from './backward.js';
export { computeCost, computeCostFromLogits, meanSquaredError } from './cost.js';
export {
  type ForwardOptions,
  linearActivationForward,
  linearForward,
  type ModelOptions,
  modelForward,
} from './forward.js';
export {
  type GradientCheckOptions,
  type GradientCheckResult,
  gradientCheck,
} from './gradient-check.js';
export { type InitOptions, initializeParameters, initializeParametersDeep } from './init.js';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
export { NeuralNetwork, type NeuralNetworkOptions } from './neural-network.js';
export { predict } from './predict.js';
export type { FitAsyncOptions, FitOptions, History } from './train.js';
export type {
  Activation,
  Grads,
  InitScheme,
  LayerCache,
  LinearCache,
  OutputActivation,
  Parameters,
} from './types.js';
export { updateParameters } from './update.js';
export { ACTIVATIONS, INIT_SCHEMES, OUTPUT_ACTIVATIONS } from './validate.js';
export { Value, type ValueLike } from './value.js';
