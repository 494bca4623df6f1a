// The networks layer: the course's step-by-step functions (initialise, forward, cost, backward,
// update, predict), the models built from them (LogisticRegression, NeuralNetwork) with their
// allocation-free training plan, saving and loading, and the tools to check them (gradient check,
// the scalar autograd Value). It may import core/, backend/, ndarray/, random/ and io/.
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
  softmax,
} from './forward.js';
export {
  type GradientCheckOptions,
  type GradientCheckResult,
  gradientCheck,
} from './gradient-check.js';
export { type InitOptions, initializeParameters, initializeParametersDeep } from './init.js';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
export {
  fromModelFile,
  type LoadedModel,
  loadModel,
  parameterData,
  type SavableModel,
  saveModel,
  toModelFile,
} from './model-file.js';
export { NeuralNetwork, type NeuralNetworkOptions } from './neural-network.js';
export { oneHot } from './one-hot.js';
export { OPTIMIZERS, type OptimizerName } from './optimizer.js';
export { predict } from './predict.js';
export type { LoadOptions } from './record.js';
export type { EpochInfo, FitAsyncOptions, FitOptions, History } from './train.js';
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
