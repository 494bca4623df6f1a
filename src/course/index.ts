// The course layer: `vecnet/course`, the graded functions of "Neural Networks and Deep Learning"
// weeks 2-4 under their own names, argument orders and defaults, over vecnet's arrays, and `np`, the
// NumPy calls around them (np.random draws NumPy's numbers bit for bit). A name used by several weeks
// holds week 4's version at the top level; course.week2, week3 and week4 hold each week's own. Course 2
// ("Improving Deep Neural Networks") adds its graded functions at the top level; `course2` holds them
// all, with its notebooks' 3-layer forward_propagation.
// It may import core/, backend/, ndarray/ and random/.

import * as course2 from './course2.js';
import * as week2 from './week2.js';
import * as week3 from './week3.js';
import * as week4 from './week4.js';

export {
  backward_propagation_with_dropout,
  backward_propagation_with_regularization,
  compute_cost_with_regularization,
  type Dict,
  type DropoutCache,
  forward_propagation_with_dropout,
  initialize_adam,
  initialize_parameters_he,
  initialize_velocity,
  type RegularizationCache,
  random_mini_batches,
  schedule_lr_decay,
  update_lr,
  update_parameters_with_adam,
  update_parameters_with_momentum,
} from './course2.js';
export * as np from './np.js';
export { output } from './print.js';
export type { ArrayInput } from './values.js';
export { initialize_with_zeros, type LogisticModel, model, optimize, propagate } from './week2.js';
export {
  backward_propagation,
  forward_propagation,
  layer_sizes,
  nn_model,
  type PlanarCache,
  type TwoLayerGrads,
  type TwoLayerParameters,
} from './week3.js';
export {
  type Activation,
  type Cache,
  compute_cost,
  type Grads,
  initialize_parameters,
  initialize_parameters_deep,
  L_layer_model,
  L_model_backward,
  L_model_forward,
  type LinearCache,
  linear_activation_backward,
  linear_activation_forward,
  linear_backward,
  linear_forward,
  type Parameters,
  predict,
  relu,
  relu_backward,
  sigmoid,
  sigmoid_backward,
  two_layer_model,
  update_parameters,
} from './week4.js';
export { course2, week2, week3, week4 };
