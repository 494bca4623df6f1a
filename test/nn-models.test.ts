// The models: NumPy cost histories, learning (XOR, separable data, a spiral), the same history on
// every backend, the fit API (printing, callbacks, abort), input validation and life cycle.
// Tolerances: cost histories against NumPy 1e-9 relative (float64); across backends 1e-9 relative
// after 1000 iterations in float64 (measured 3e-14) and 1e-4 in float32 (measured 2e-5): different
// summation orders in the kernels, amplified by training.
import { describe, expect, it } from 'vitest';
import {
  array,
  BackendMismatchError,
  type DType,
  DTypeError,
  type NDArray,
  ShapeError,
  tidy,
  toBackend,
} from '../src/index.js';
import {
  type Activation,
  computeCost,
  LogisticRegression,
  modelBackward,
  modelForward,
  NeuralNetwork,
  type Parameters,
  updateParameters,
} from '../src/nn/index.js';
import { RandomState } from '../src/random/random-state.js';
import training from './fixtures/nn_training.json' with { type: 'json' };
import { BACKENDS, onBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

interface Arr {
  shape: number[];
  values: number[];
}
const load = (a: Arr, dtype: DType = 'float64') =>
  array(Float64Array.from(a.values), { shape: a.shape, dtype });
const FASTEST = BACKENDS.includes('wasm') ? 'wasm' : BACKENDS[BACKENDS.length - 1];

/** Two interleaved spiral arms (1.5 turns each), n points per arm, θ jittered by 0.1·randn. */
function spiral(n: number, seed: number) {
  const eps = new RandomState(seed).randnData(2 * n);
  const m = 2 * n;
  const X = new Float64Array(2 * m);
  const Y = new Float64Array(m);
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++) {
      const k = c * n + i;
      const t = (i + 1) / n;
      const theta = c * Math.PI + 3 * Math.PI * t + 0.1 * eps[k];
      X[k] = t * Math.cos(theta);
      X[m + k] = t * Math.sin(theta);
      Y[k] = c;
    }
  }
  return { X: array(X, { shape: [2, m] }), Y: array(Y, { shape: [1, m] }) };
}

/** m points in 2-D labelled by the side of the line x1 + 2·x2 = 0.3, keeping a margin of 0.1. */
function separable(m: number, seed: number) {
  const rng = new RandomState(seed);
  const X = new Float64Array(2 * m);
  const Y = new Float64Array(m);
  for (let k = 0; k < m; ) {
    const [a, b] = rng.randnData(2);
    const s = a + 2 * b - 0.3;
    if (Math.abs(s) < 0.1) continue;
    X[k] = a;
    X[m + k] = b;
    Y[k] = s > 0 ? 1 : 0;
    k++;
  }
  return { X: array(X, { shape: [2, m] }), Y: array(Y, { shape: [1, m] }) };
}

const XOR = () => ({
  X: array([
    [0, 0, 1, 1],
    [0, 1, 0, 1],
  ]),
  Y: array([[0, 1, 1, 0]]),
});

function maxRelDiff(a: readonly number[], b: readonly number[]) {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return d;
}

describe.each(BACKENDS)('models on %s', (backend) => {
  const run = <T>(fn: () => T) => onBackend(backend, () => tidy(fn));

  describe('reproduce NumPy cost histories (1e-9 relative)', () => {
    it("the planar notebook's nn_model: 4 tanh units, seed 2, learning rate 1.2", () =>
      run(() => {
        const c = training.planar;
        const X = load(c.X);
        const Y = load(c.Y);
        const net = new NeuralNetwork({
          layerDims: [2, c.n_h, 1],
          hidden: 'tanh',
          init: 'small',
          seed: c.seed,
        });
        const { costs, stoppedBy } = net.fit(X, Y, {
          learningRate: c.learning_rate,
          iterations: c.iterations,
        });
        expect(stoppedBy).toBeNull();
        expect(maxRelDiff(costs, c.costs)).toBeLessThan(1e-9);
        for (const [k, e] of Object.entries(c.parameters)) {
          expectClose(net.parameters[k as `W${number}`].data, (e as Arr).values, { rtol: 1e-9, atol: 1e-12 });
        }
        expect(net.accuracy(X, Y)).toBe(c.accuracy);
      }));

    it.each(training.deep.models.map((m) => [m.name, m] as const))('L-layer model: %s', (_name, c) =>
      run(() => {
        const X = load(training.deep.X);
        const Y = load(c.Y);
        const net = new NeuralNetwork({
          layerDims: c.dims,
          hidden: c.hidden as Activation,
          output: c.output as 'sigmoid' | 'linear',
          init: c.init as 'he',
          seed: c.seed,
        });
        const { costs } = net.fit(X, Y, { learningRate: c.learning_rate, iterations: c.iterations });
        expect(maxRelDiff(costs, c.costs)).toBeLessThan(1e-9);
        for (const [k, e] of Object.entries(c.parameters)) {
          expectClose(net.parameters[k as `W${number}`].data, (e as Arr).values, { rtol: 1e-9, atol: 1e-12 });
        }
      }),
    );

    it("the logistic-regression notebook's model", () =>
      run(() => {
        const c = training.logistic;
        const X = load(c.X);
        const Y = load(c.Y);
        const clf = new LogisticRegression();
        const { costs } = clf.fit(X, Y, { learningRate: c.learning_rate, iterations: c.iterations });
        expect(costs[0]).toBeCloseTo(Math.LN2, 15); // w = 0, b = 0: every a is 1/2
        expect(maxRelDiff(costs, c.costs)).toBeLessThan(1e-9);
        expect(clf.parameters.w.shape).toEqual([8, 1]);
        expectClose(clf.parameters.w.data, c.w.values, { rtol: 1e-9, atol: 1e-12 });
        expect(clf.parameters.b.get(0, 0)).toBeCloseTo(c.b, 10);
        expect(clf.accuracy(X, Y)).toBe(c.accuracy);
      }));
  });

  describe('learns', () => {
    it('XOR with a 2-layer tanh net', () =>
      run(() => {
        const { X, Y } = XOR();
        const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'tanh', init: 'xavier', seed: 1 });
        const { costs } = net.fit(X, Y, { learningRate: 1, iterations: 1500 });
        expect(costs[costs.length - 1]).toBeLessThan(0.05);
        expect(net.predict(X).toArray()).toEqual([[0, 1, 1, 0]]);
        expect(net.accuracy(X, Y)).toBe(1);
      }));

    it('separable data to 100% with logistic regression', () =>
      run(() => {
        const { X, Y } = separable(200, 5);
        const clf = new LogisticRegression();
        const { costs } = clf.fit(X, Y, { learningRate: 2, iterations: 1000 });
        expect(clf.accuracy(X, Y)).toBe(1);
        expect(costs[999]).toBeLessThan(costs[0] / 5);
        const [w1, w2] = clf.parameters.w.data;
        expect(w2 / w1).toBeCloseTo(2, 0); // the boundary found is x1 + 2·x2 = c
      }));

    it('a regression target with a linear output (MSE)', () =>
      run(() => {
        const { X } = separable(50, 9);
        // y = 2·x1 - x2 + 0.5
        const Y = array([Array.from({ length: 50 }, (_, k) => 2 * X.get(0, k) - X.get(1, k) + 0.5)]);
        const net = new NeuralNetwork({ layerDims: [2, 1], output: 'linear', init: 'zeros' });
        const { costs } = net.fit(X, Y, { learningRate: 0.5, iterations: 300 });
        expect(costs[299]).toBeLessThan(1e-12);
        expectClose(net.parameters.W1.data, [2, -1], { rtol: 1e-6 });
        expect(net.parameters.b1.get(0, 0)).toBeCloseTo(0.5, 6);
        expectClose(net.predict(X).data, Y.data, { rtol: 1e-6, atol: 1e-6 });
        expect(() => net.accuracy(X, Y)).toThrow(
          'accuracy needs a sigmoid or softmax (classification) output',
        );
        expect(net.cost(X, Y)).toBeLessThan(1e-12);
      }));
  });

  describe('fit', () => {
    it('reports the cost before each update, matching the step-by-step functions', () =>
      run(() => {
        const c = training.deep;
        const X = load(c.X);
        const Y = load(c.models[0].Y);
        const net = new NeuralNetwork({ layerDims: [12, 7, 5, 1], hidden: 'relu', init: 'scaled', seed: 1 });
        // the same step by hand, with a copy of the initial parameters
        const p: Parameters = Object.fromEntries(
          Object.entries(net.parameters).map(([k, v]) => [k, v.copy()]),
        );
        const { AL, caches } = modelForward(X, p);
        const J0 = computeCost(AL, Y);
        updateParameters(p, modelBackward(AL, Y, caches), 0.1);
        const { costs } = net.fit(X, Y, { learningRate: 0.1, iterations: 1 });
        expect(Math.abs(costs[0] - J0)).toBeLessThan(1e-15);
        for (const k of Object.keys(p)) {
          expectClose(net.parameters[k as `W${number}`].data, p[k as `W${number}`].data, {
            rtol: 1e-12,
            atol: 1e-17,
          });
        }
        // fitting again continues from the current parameters
        const again = net.fit(X, Y, { learningRate: 0.1, iterations: 2 });
        const fresh = new NeuralNetwork({
          layerDims: [12, 7, 5, 1],
          hidden: 'relu',
          init: 'scaled',
          seed: 1,
        });
        expect(fresh.fit(X, Y, { learningRate: 0.1, iterations: 3 }).costs.slice(1)).toEqual(again.costs);
      }));

    it('prints like the notebooks, every printEvery iterations and after the last', () =>
      run(() => {
        const { X, Y } = XOR();
        const net = new NeuralNetwork({ layerDims: [2, 3, 1], hidden: 'tanh', seed: 1 });
        const lines: string[] = [];
        const { costs } = net.fit(X, Y, {
          learningRate: 0.5,
          iterations: 7,
          printEvery: 3,
          logger: (l) => lines.push(l),
        });
        expect(lines).toEqual([0, 3, 6].map((i) => `Cost after iteration ${i}: ${costs[i].toFixed(6)}`));
        expect(lines[0]).toMatch(/^Cost after iteration 0: 0\.\d{6}$/);
      }));

    it('stops when onIteration returns false, or when the signal aborts', () =>
      run(() => {
        const { X, Y } = XOR();
        const net = new NeuralNetwork({ layerDims: [2, 3, 1], hidden: 'tanh', seed: 1 });
        const seen: number[] = [];
        const h1 = net.fit(X, Y, {
          learningRate: 0.5,
          iterations: 100,
          onIteration: (i) => {
            seen.push(i);
            return i < 3;
          },
        });
        expect(h1).toMatchObject({ stoppedBy: 'onIteration' });
        expect(h1.costs.length).toBe(4);
        expect(seen).toEqual([0, 1, 2, 3]);
        const controller = new AbortController();
        const h2 = net.fit(X, Y, {
          iterations: 100,
          signal: controller.signal,
          onIteration: (i) => {
            if (i === 4) controller.abort();
          },
        });
        expect(h2.stoppedBy).toBe('signal');
        expect(h2.costs.length).toBe(5);
        const h3 = net.fit(X, Y, { iterations: 100, signal: AbortSignal.abort() });
        expect(h3).toEqual({ costs: [], learningRates: [], stoppedBy: 'signal' });
        expect(net.fit(X, Y, { iterations: 0 })).toEqual({ costs: [], learningRates: [], stoppedBy: null });
      }));

    it('fitAsync yields to the event loop so a timer can abort it', async () => {
      const { X, Y, net } = onBackend(backend, () => ({
        ...XOR(),
        net: new NeuralNetwork({ layerDims: [2, 3, 1], hidden: 'tanh', seed: 1 }),
      }));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      const pending = net.fitAsync(X, Y, { iterations: 1e9, signal: controller.signal, yieldEveryMs: 5 });
      expect(() => net.fit(X, Y)).toThrow('NeuralNetwork.fit: this model is already training');
      expect(() => net.dispose()).toThrow('abort it with its signal first');
      const h = await pending;
      expect(h.stoppedBy).toBe('signal');
      expect(h.costs.length).toBeGreaterThan(0);
      expect(net.fit(X, Y, { iterations: 1 }).costs.length).toBe(1);
      net.dispose();
      for (const x of [X, Y]) x.dispose();
    });
  });

  describe('validation: a clear error before any work', () => {
    it('rejects bad data and options', () =>
      run(() => {
        const { X, Y } = XOR();
        const net = new NeuralNetwork({ layerDims: [2, 3, 1], seed: 1 });
        const W1 = Array.from(net.parameters.W1.data);
        const fitWith =
          (x: NDArray, y: NDArray, o = {}) =>
          () =>
            net.fit(x, y, { iterations: 5, ...o });
        expect(fitWith(array([1, 2, 3, 4]), Y)).toThrow(
          'NeuralNetwork.fit: X must be 2-D (n_x, m), got shape (4,)',
        );
        expect(fitWith(X, array([0, 1, 1, 0]))).toThrow(
          'NeuralNetwork.fit: Y must be 2-D (n_y, m), got shape (4,)',
        );
        expect(fitWith(X, array([[0, 1, 1]]))).toThrow(
          'NeuralNetwork.fit: X has shape (2,4) and Y has shape (1,3): both need m = 4 columns (one per example)',
        );
        expect(fitWith(X.T, Y)).toThrow('X has shape (4,2), so n_x = 4, but layerDims[0] is 2');
        expect(
          fitWith(
            X,
            array([
              [0, 1, 1, 0],
              [1, 0, 0, 1],
            ]),
          ),
        ).toThrow('Y has shape (2,4) but the output layer has 1 unit (Y must be (1, m))');
        expect(fitWith(X, array([[0, 1, 2, 0]]))).toThrow(
          'NeuralNetwork.fit: Y must hold labels 0 or 1 for a sigmoid output, found 2 at (0,2)',
        );
        expect(
          fitWith(
            array([
              [0, 0, 1, Number.NaN],
              [0, 1, 0, 1],
            ]),
            Y,
          ),
        ).toThrow('NeuralNetwork.fit: X must hold finite numbers, found NaN at (0,3)');
        expect(
          fitWith(
            array([
              [0, 0, 1, 1],
              [0, Infinity, 0, 1],
            ]),
            Y,
          ),
        ).toThrow('found Infinity at (1,1)');
        expect(fitWith(X, Y, { learningRate: 0 })).toThrow(
          'NeuralNetwork.fit: learningRate must be a positive finite number, got 0',
        );
        expect(fitWith(X, Y, { learningRate: Number.NaN })).toThrow(
          'learningRate must be a positive finite number, got NaN',
        );
        expect(fitWith(X, Y, { learningRate: Infinity })).toThrow(
          'learningRate must be a positive finite number, got Infinity',
        );
        expect(fitWith(X, Y, { iterations: 2.5 })).toThrow(
          'iterations must be a non-negative integer, got 2.5',
        );
        expect(fitWith(X, Y, { iterations: -1 })).toThrow(
          'iterations must be a non-negative integer, got -1',
        );
        expect(fitWith(X, Y, { printEvery: 0.5 })).toThrow('printEvery must be a non-negative integer');
        expect(fitWith(X, Y, { onIteration: 3 })).toThrow('onIteration must be a function, got number');
        expect(fitWith(X.astype('float32'), Y.astype('float32'))).toThrow(
          "NeuralNetwork.fit: X has dtype float32 but the parameters float64 (convert with astype('float64'))",
        );
        const other = BACKENDS.find((b) => b !== backend);
        if (other) {
          expect(fitWith(toBackend(X, other), toBackend(Y, other))).toThrow(
            /X lives on backend \w+ but the parameters on/,
          );
        }
        expect(fitWith(X, Y, { learning_rate: 0.1 })).toThrow(
          "NeuralNetwork.fit: unknown option 'learning_rate' (expected learningRate, iterations, epochs,",
        );
        // typed errors, as the array facade's
        expect(fitWith(X, array([[0, 1, 1]]))).toThrow(ShapeError);
        expect(fitWith(X, array([[0, 1, 2, 0]]))).toThrow(RangeError);
        expect(fitWith(X, Y, { hidden: 'x' })).toThrow(TypeError);
        expect(fitWith(X.astype('float32'), Y.astype('float32'))).toThrow(DTypeError);
        if (other) expect(fitWith(toBackend(X, other), toBackend(Y, other))).toThrow(BackendMismatchError);
        // nothing was touched: no plan made, parameters unchanged
        expect(net.planBytes).toBe(0);
        expect(Array.from(net.parameters.W1.data)).toEqual(W1);
      }));

    it('rejects bad constructor options', () =>
      run(() => {
        const make = (o: object) => () => new NeuralNetwork({ layerDims: [2, 3, 1], ...o });
        expect(make({ hidden: 'swish' })).toThrow(
          "NeuralNetwork: hidden must be one of 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', got 'swish'",
        );
        expect(make({ output: 'tanh' })).toThrow(
          "NeuralNetwork: output must be one of 'sigmoid', 'softmax', 'linear', got 'tanh'",
        );
        expect(make({ init: 'random' })).toThrow(
          "init must be one of 'zeros', 'small', 'scaled', 'he', 'xavier'",
        );
        expect(make({ layerDims: [2] })).toThrow(
          'layerDims must be an array [n_x, n_1, …, n_L] of at least two sizes',
        );
        expect(make({ layerDims: [2, -3, 1] })).toThrow(
          'NeuralNetwork: layerDims[1] must be a positive integer, got -3',
        );
        expect(make({ dtype: 'int32' })).toThrow("dtype must be 'float32' or 'float64', got int32");
        expect(make({ leakySlope: Number.NaN })).toThrow('leakySlope must be a finite number, got NaN');
        expect(make({ seed: 1.5 })).toThrow('seed must be an integer in [0, 2**32), got 1.5');
        expect(make({ backend: 'gpu' })).toThrow("unknown backend 'gpu'");
      }));
  });

  describe('life cycle', () => {
    it('exposes parameters, predictions and probabilities with the course shapes', () =>
      run(() => {
        const { X } = XOR();
        const net = new NeuralNetwork({ layerDims: [2, 5, 3, 1], hidden: 'leakyRelu', init: 'he', seed: 3 });
        expect(Object.keys(net.parameters)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
        expect(net.parameters.W2.shape).toEqual([3, 5]);
        expect(net.parameters.b2.shape).toEqual([3, 1]);
        expect(net.backend).toBe(net.parameters.W1.backend);
        const proba = net.predictProba(X);
        expect(proba.shape).toEqual([1, 4]);
        for (const v of proba.data) expect(v > 0 && v < 1).toBe(true);
        expect(Array.from(net.predict(X).data)).toEqual(Array.from(proba.data, (v) => (v > 0.5 ? 1 : 0)));
      }));

    it('dispose frees the model; tidy disposes a model made inside it unless returned', () =>
      run(() => {
        const { X, Y } = XOR();
        let inner: NeuralNetwork | undefined;
        const kept = tidy(() => {
          inner = new NeuralNetwork({ layerDims: [2, 3, 1], seed: 1 });
          inner.fit(X, Y, { iterations: 2 });
          return new NeuralNetwork({ layerDims: [2, 3, 1], seed: 1 });
        });
        expect(inner?.isDisposed).toBe(true);
        expect(inner?.parameters.W1.isDisposed).toBe(true);
        expect(kept.isDisposed).toBe(false);
        kept.fit(X, Y, { iterations: 2 });
        // Z, A, D of each layer (n_l x m, m = 4), dW and db of each layer, and the (n_L x m) scratch
        const layer1 = 3 * 4 * 3 + 3 * 2 + 3;
        const layer2 = 1 * 4 * 3 + 1 * 3 + 1;
        expect(kept.planBytes).toBe(8 * (layer1 + layer2 + 1 * 4));
        kept.dispose();
        kept.dispose();
        expect(() => kept.fit(X, Y)).toThrow('NeuralNetwork.fit: the model was disposed');
        expect(() => kept.predict(X)).toThrow('NeuralNetwork.predict: the model was disposed');
        const clf = new LogisticRegression();
        expect(() => clf.predict(X)).toThrow(
          'LogisticRegression.predict: the model has no weights yet; call fit(X, Y) first',
        );
        clf.fit(X, Y, { iterations: 3 });
        // the course's defaults (learning rate 0.5) apply when an option is left out or undefined
        const explicit = new LogisticRegression();
        const a = clf.fit(X, Y, { iterations: 2, learningRate: undefined }).costs;
        explicit.fit(X, Y, { iterations: 3, learningRate: 0.5 });
        expect(explicit.fit(X, Y, { iterations: 2, learningRate: 0.5 }).costs).toEqual(a);
        expect(() => clf.fit(X.T, Y)).toThrow(
          'LogisticRegression.fit: X has shape (4,2), so n_x = 4, but layerDims[0] is 2',
        );
        clf.dispose();
        expect(() => clf.parameters).toThrow('the model was disposed');
        const sized = new LogisticRegression({ nx: 3 });
        expect(sized.parameters.w.toArray()).toEqual([[0], [0], [0]]);
        expect(sized.parameters.b.shape).toEqual([1, 1]);
        expect(() => new LogisticRegression({ nx: 0 })).toThrow(
          'LogisticRegression: nx must be a positive integer, got 0',
        );
      }));
  });
});

describe('the same seeded model gives the same cost history on every backend', () => {
  const c = training.planar;
  const history = (backend: (typeof BACKENDS)[number], dtype: DType, hidden: Activation) =>
    onBackend(backend, () =>
      tidy(() => {
        const X = load(c.X, dtype).cols(0, 100).copy();
        const Y = load(c.Y, dtype).cols(0, 100).copy();
        const net = new NeuralNetwork({ layerDims: [2, 6, 4, 1], hidden, init: 'he', seed: 4, dtype });
        return net.fit(X, Y, { learningRate: 0.5, iterations: 1000 }).costs;
      }),
    );
  it.each([
    ['float64', 'tanh', 1e-9],
    ['float64', 'leakyRelu', 1e-9],
    ['float32', 'tanh', 1e-4],
  ] as const)('%s, %s hidden layers: within %s relative after 1000 iterations', (dtype, hidden, tol) => {
    const reference = history('loop', dtype, hidden);
    expect(reference[999]).toBeLessThan(reference[0] / 2); // it did train
    for (const backend of BACKENDS.filter((b) => b !== 'loop')) {
      expect(maxRelDiff(history(backend, dtype, hidden), reference), backend).toBeLessThan(tol);
    }
  });
});

describe(`a deep ReLU net fits a 2-D spiral (on ${FASTEST})`, () => {
  it('to more than 95%', () =>
    onBackend(FASTEST, () =>
      tidy(() => {
        const { X, Y } = spiral(100, 0);
        const net = new NeuralNetwork({ layerDims: [2, 16, 16, 1], hidden: 'relu', init: 'he', seed: 1 });
        const { costs } = net.fit(X, Y, { learningRate: 0.3, iterations: 2000 });
        expect(net.accuracy(X, Y)).toBeGreaterThan(0.95);
        expect(costs[1999]).toBeLessThan(0.15);
      }),
    ));
});
