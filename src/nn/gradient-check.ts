// Gradient checking (Course 2's gradient_check_n): backprop's gradient against centred finite
// differences of the cost, parameter by parameter.
import { astype, copy, type NDArray } from '../ndarray/index.js';
import { checkSlope, DEFAULT_LEAKY_SLOPE } from './activations.js';
import { checkChain, layerCount, type ModelOptions } from './forward.js';
import { type NetworkSpec, TrainingPlan } from './plan.js';
import type { Parameters } from './types.js';
import {
  checkActivation,
  checkMatrix,
  checkNonNegative,
  checkOutput,
  checkPositive,
  checkXY,
} from './validate.js';

/** A model gradientCheck can read: NeuralNetwork and LogisticRegression. */
export interface CheckableModel {
  readonly spec: NetworkSpec;
  layers(): { W: readonly NDArray[]; b: readonly NDArray[] };
}

/** Options of `gradientCheck`. */
export interface GradientCheckOptions extends ModelOptions {
  /** Step of the centred difference (J(θ+ε) - J(θ-ε)) / 2ε; default 1e-6. */
  epsilon?: number;
  /** Largest relative difference that passes; default 1e-7 for float64, 1e-5 for float32. */
  threshold?: number;
  /** L2 strength λ: checks the regularised cost and gradient (the course's `lambd`); default 0. */
  l2?: number;
}

/** What `gradientCheck` found. */
export interface GradientCheckResult {
  /** ‖grad - approx‖ / (‖grad‖ + ‖approx‖), the course's relative difference. */
  difference: number;
  passed: boolean;
  threshold: number;
  /** Backprop's gradient, flattened W1, b1, W2, b2, … (row-major), as dictionary_to_vector. */
  gradient: Float64Array;
  /** The finite-difference estimate, in the same order. */
  approximation: Float64Array;
  /** The entry where the two differ most, e.g. `{ name: 'W2', index: [0, 3], … }`. */
  worst: { name: string; index: [number, number]; gradient: number; approximation: number };
}

function isModel(x: unknown): x is CheckableModel {
  return (
    x !== null && typeof x === 'object' && 'spec' in x && typeof (x as CheckableModel).layers === 'function'
  );
}

/**
 * Compares the gradient that backpropagation computes with centred finite differences
 * `(J(θ+ε) - J(θ-ε)) / 2ε` for every parameter, and reports the course's relative difference
 * `‖grad - approx‖ / (‖grad‖ + ‖approx‖)`: below 1e-7 means backprop is right.
 *
 * Backprop runs in the model's dtype and backend, exactly as training computes it (without dA0);
 * the finite differences always run in float64 on float64 copies of the parameters, so a float32
 * model is checked against an accurate reference (with the looser default threshold 1e-5, since its
 * own gradient carries float32 rounding: measured ~1e-7 on small nets). The parameters are not
 * modified. Costs two forward passes per parameter: use small networks.
 *
 * ReLU's kink: a pre-activation within ε of 0 makes the finite difference see half the slope. With
 * zero biases an example whose inputs to a layer are all 0 (every unit below dead) sits exactly on
 * the kink, so check ReLU nets with non-zero biases (or after a few training steps).
 *
 * @example
 * const net = new NeuralNetwork({ layerDims: [4, 5, 3, 1], hidden: 'tanh', seed: 1 });
 * gradientCheck(net, X, Y).difference;              // ~1e-10
 * gradientCheck(parameters, X, Y, { hidden: 'relu' }).passed;
 */
export function gradientCheck(
  target: CheckableModel | Parameters,
  X: NDArray,
  Y: NDArray,
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const where = 'gradientCheck';
  let spec: NetworkSpec;
  let parameters: Parameters;
  checkMatrix(where, 'X', X, '(n_x, m)');
  if (isModel(target)) {
    spec = target.spec;
    const { W, b } = target.layers();
    parameters = {};
    for (let l = 1; l < spec.layerDims.length; l++) {
      parameters[`W${l}`] = W[l];
      parameters[`b${l}`] = b[l];
    }
  } else {
    parameters = target;
    const L = layerCount(where, parameters);
    const layerDims = [X.shape[0]];
    for (let l = 1; l <= L; l++) layerDims.push(parameters[`W${l}`].shape[0]);
    spec = {
      layerDims,
      hidden: checkActivation(where, 'hidden', options.hidden ?? 'relu'),
      output: checkOutput(where, 'output', options.output ?? 'sigmoid'),
      leakySlope: checkSlope(where, options.leakySlope ?? DEFAULT_LEAKY_SLOPE),
    };
  }
  const L = spec.layerDims.length - 1;
  checkChain(where, parameters, L, X);
  checkXY(where, X, Y, spec.output);
  // 1-based arrays of the layers, as the plan takes them
  const W: NDArray[] = [];
  const b: NDArray[] = [];
  for (let l = 1; l <= L; l++) {
    W[l] = parameters[`W${l}`];
    b[l] = parameters[`b${l}`];
  }
  const epsilon = checkPositive(where, 'epsilon', options.epsilon ?? 1e-6);
  const dtype = W[1].dtype;
  const threshold = checkPositive(
    where,
    'threshold',
    options.threshold ?? (dtype === 'float32' ? 1e-5 : 1e-7),
  );
  const l2 = checkNonNegative(where, 'l2', options.l2 ?? 0);
  const regularization = { l2, keepProb: 1 };
  const m = X.shape[1];
  const owned: NDArray[] = [];
  const own = (x: NDArray) => {
    owned.push(x);
    return x;
  };
  try {
    // backprop, as training computes it
    const Xc = X.strides[1] === 1 || X.strides[0] === 1 ? X : own(copy(X));
    // the plan reads parameters as C-order blocks; a strided view (say W.T of a stored matrix) is copied
    const plain = (x: NDArray) => (x.isContiguous ? x : own(copy(x)));
    const plan = new TrainingPlan(spec, W.map(plain), b.map(plain), m, regularization);
    const gradient: number[] = [];
    try {
      plan.forward(Xc);
      plan.backward(Xc, Y);
      for (let l = 1; l <= L; l++) gradient.push(...plan.dW[l].data, ...plan.db[l].data);
    } finally {
      plan.dispose();
    }

    // centred differences in float64, on copies
    const X64 = own(astype(Xc, 'float64'));
    const Y64 = own(astype(Y, 'float64'));
    const W64: NDArray[] = [];
    const b64: NDArray[] = [];
    for (let l = 1; l <= L; l++) {
      W64[l] = own(astype(W[l], 'float64'));
      b64[l] = own(astype(b[l], 'float64'));
    }
    const plan64 = new TrainingPlan(spec, W64, b64, m, regularization);
    const approximation: number[] = [];
    const names: [string, number, number][] = [];
    const J = () => {
      plan64.forward(X64);
      return plan64.cost(Y64);
    };
    try {
      for (let l = 1; l <= L; l++) {
        for (const [name, p] of [
          [`W${l}`, W64[l]],
          [`b${l}`, b64[l]],
        ] as const) {
          const [rows, cols] = p.shape;
          for (let i = 0; i < rows; i++) {
            for (let j = 0; j < cols; j++) {
              const theta = p.get(i, j);
              p.set([i, j], theta + epsilon);
              const plus = J();
              p.set([i, j], theta - epsilon);
              const minus = J();
              p.set([i, j], theta);
              approximation.push((plus - minus) / (2 * epsilon));
              names.push([name, i, j]);
            }
          }
        }
      }
    } finally {
      plan64.dispose();
    }

    let num = 0;
    let g2 = 0;
    let a2 = 0;
    let worst = 0;
    for (let k = 0; k < gradient.length; k++) {
      const d = gradient[k] - approximation[k];
      num += d * d;
      g2 += gradient[k] ** 2;
      a2 += approximation[k] ** 2;
      if (Math.abs(d) > Math.abs(gradient[worst] - approximation[worst])) worst = k;
    }
    const denominator = Math.sqrt(g2) + Math.sqrt(a2);
    const difference = denominator === 0 ? 0 : Math.sqrt(num) / denominator;
    const [name, i, j] = names[worst];
    return {
      difference,
      passed: difference < threshold,
      threshold,
      gradient: Float64Array.from(gradient),
      approximation: Float64Array.from(approximation),
      worst: { name, index: [i, j], gradient: gradient[worst], approximation: approximation[worst] },
    };
  } finally {
    for (const x of owned) x.dispose();
  }
}
