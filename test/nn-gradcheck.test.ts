// Backprop against centred finite differences (gradientCheck) for 1-, 2- and 4-layer nets, every
// hidden activation, both outputs, every backend and both dtypes. Thresholds: the course's relative
// difference < 1e-7 in float64 (measured ~1e-9 with ε = 1e-6); float32 backprop against float64
// finite differences < 1e-5 (measured ~1e-7).
// Biases start random, not zero: with zero biases an example whose inputs to a ReLU layer are all 0
// sits exactly on the kink, where a finite difference sees half the slope.
import { describe, expect, it, vi } from 'vitest';
import { array, type DType, mul, tidy } from '../src/index.js';
import {
  type Activation,
  gradientCheck,
  initializeParametersDeep,
  LogisticRegression,
  NeuralNetwork,
  type OutputActivation,
  oneHot,
} from '../src/nn/index.js';
import { TrainingPlan } from '../src/nn/plan.js';
import { RandomState } from '../src/random/random-state.js';
import { BACKENDS, onBackend } from './helpers/backends.js';

const HIDDEN: Activation[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'];
const OUTPUTS: OutputActivation[] = ['sigmoid', 'linear'];
const NETS = [
  ['1-layer', [4, 1]],
  ['2-layer', [4, 5, 1]],
  ['4-layer', [4, 5, 4, 3, 1]],
] as const;

const cases = NETS.flatMap(([name, dims]) =>
  (dims.length === 2 ? (['linear'] as Activation[]) : HIDDEN).flatMap((hidden) =>
    OUTPUTS.map((output) => [name, hidden, output, dims] as const),
  ),
);

function data(dtype: DType, output: OutputActivation) {
  const rng = new RandomState(3);
  const X = array(rng.randnData(4 * 6), { shape: [4, 6], dtype });
  const y = rng.randnData(6);
  const Y = array(output === 'sigmoid' ? y.map((v) => (v > 0 ? 1 : 0)) : y, { shape: [1, 6], dtype });
  return { X, Y, rng };
}

describe.each(BACKENDS)('gradientCheck on %s', (backend) => {
  describe.each(['float64', 'float32'] as const)('%s', (dtype) => {
    it.each(cases)('%s net, hidden %s, output %s', (_name, hidden, output, dims) =>
      onBackend(backend, () =>
        tidy(() => {
          const { X, Y, rng } = data(dtype, output);
          const net = new NeuralNetwork({ layerDims: dims, hidden, output, init: 'he', seed: 1, dtype });
          for (let l = 1; l < dims.length; l++) {
            const b = net.parameters[`b${l}`];
            rng.randnData(dims[l]).forEach((v, i) => {
              b.set([i, 0], 0.1 * v);
            });
          }
          const before = Array.from(net.parameters.W1.data);
          const result = gradientCheck(net, X, Y);
          expect(result.threshold).toBe(dtype === 'float64' ? 1e-7 : 1e-5);
          expect(result.difference).toBeLessThan(result.threshold);
          expect(result.passed).toBe(true);
          const count = dims.slice(1).reduce((s, n, l) => s + n * (dims[l] + 1), 0);
          expect(result.gradient.length).toBe(count);
          expect(result.approximation.length).toBe(count);
          expect(Array.from(net.parameters.W1.data)).toEqual(before); // parameters untouched
        }),
      ),
    );
  });

  it('checks a parameters object and a logistic regression', () =>
    onBackend(backend, () =>
      tidy(() => {
        const { X, Y } = data('float64', 'sigmoid');
        const p = initializeParametersDeep([4, 3, 1], { seed: 2, init: 'xavier' });
        expect(gradientCheck(p, X, Y, { hidden: 'tanh' }).difference).toBeLessThan(1e-7);
        const clf = new LogisticRegression();
        clf.fit(X, Y, { iterations: 5 });
        const r = gradientCheck(clf, X, Y);
        expect(r.passed).toBe(true);
        expect(r.gradient.length).toBe(5);
        expect(() => gradientCheck(p, X, Y, { output: 'tanh' as never })).toThrow(
          "gradientCheck: output must be one of 'sigmoid', 'softmax', 'linear', got 'tanh'",
        );
        expect(() => gradientCheck(p, X, Y, { l2: -1 })).toThrow(
          'gradientCheck: l2 must be a non-negative finite number, got -1',
        );
        expect(() => gradientCheck(p, X.T, Y)).toThrow(
          'gradientCheck: layer 1: W has shape (3,4) but A_prev has 6 rows',
        );
      }),
    ));

  it('checks the L2-regularised cost and a softmax output', () =>
    onBackend(backend, () =>
      tidy(() => {
        const { X, Y } = data('float64', 'sigmoid');
        const p = initializeParametersDeep([4, 5, 3, 1], { seed: 2, init: 'xavier' });
        const withL2 = gradientCheck(p, X, Y, { hidden: 'tanh', l2: 0.7 });
        expect(withL2.difference).toBeLessThan(1e-7);
        // the penalty changes the gradient: (λ/m)·W is added to every dW
        const plain = gradientCheck(p, X, Y, { hidden: 'tanh' });
        expect(Math.abs(withL2.gradient[0] - plain.gradient[0])).toBeGreaterThan(1e-3);
        const m = X.shape[1];
        const labels = Array.from({ length: m }, (_, j) => (j * 7) % 3);
        const Y3 = oneHot(labels, 3);
        const q = initializeParametersDeep([4, 5, 3], { seed: 4, init: 'xavier' });
        const soft = gradientCheck(q, X, Y3, { hidden: 'tanh', output: 'softmax', l2: 0.1 });
        expect(soft.passed).toBe(true);
        expect(soft.difference).toBeLessThan(1e-7);
        expect(soft.gradient.length).toBe(5 * 5 + 3 * 6);
      }),
    ));

  it('catches a wrong gradient', () =>
    onBackend(backend, () =>
      tidy(() => {
        const { X, Y } = data('float64', 'sigmoid');
        const net = new NeuralNetwork({ layerDims: [4, 5, 1], hidden: 'tanh', seed: 1 });
        const backward = TrainingPlan.prototype.backward;
        const spy = vi.spyOn(TrainingPlan.prototype, 'backward').mockImplementation(function (
          this: TrainingPlan,
          x,
          y,
        ) {
          backward.call(this, x, y);
          mul(this.dW[1], 1.01, this.dW[1]); // a 1% error in one layer's gradient
        });
        try {
          const r = gradientCheck(net, X, Y);
          expect(r.passed).toBe(false);
          expect(r.difference).toBeGreaterThan(1e-4);
          expect(r.worst.name).toBe('W1');
        } finally {
          spy.mockRestore();
        }
      }),
    ));
});
