// The training plan's kernel-level fast path (src/nn/plan.ts) with data in other layouts than the
// plain C-order arrays of the other nn tests: X stored transposed (read in place by GEMM with the
// transpose flag), Y as a strided view (copied into the plan's scratch), and the output's per-example
// log terms sharing that scratch. Tolerance: the same history bit for bit, except X transposed on
// wasm, whose GEMM may take another path for a transposed operand (summation order): 1e-12 relative
// in float64, 1e-5 in float32.
import { describe, expect, it, vi } from 'vitest';
import { array, type DType, getBackend, mul, setBackend, tidy } from '../src/index.js';
import { NeuralNetwork, type OutputActivation } from '../src/nn/index.js';
import { TrainingPlan } from '../src/nn/plan.js';
import { RandomState } from '../src/random/random-state.js';
import { BACKENDS, onBackend } from './helpers/backends.js';

/** (2, m) inputs and (2, m) labels, plus the same values stored transposed, as .T views. */
function data(m: number, dtype: DType) {
  const x = new RandomState(3).randnData(2 * m);
  const y = Array.from({ length: 2 * m }, (_, k) => (k < m ? +(x[k] > 0) : +(x[k] * x[k - m] > 0)));
  const transposed = (v: ArrayLike<number>) =>
    array(
      Array.from({ length: 2 * m }, (_, k) => v[(k % 2) * m + Math.floor(k / 2)]),
      { shape: [m, 2], dtype },
    ).T;
  return {
    X: array(x, { shape: [2, m], dtype }),
    Y: array(y, { shape: [2, m], dtype }),
    XT: transposed(x),
    YT: transposed(y),
  };
}

describe.each(BACKENDS)('the training plan on %s', (backend) => {
  it.each([
    ['float64', 'sigmoid'],
    ['float32', 'sigmoid'],
    ['float64', 'linear'],
  ] as const)('%s, %s output: a transposed X and a strided Y give the contiguous history', (dtype, output) =>
    onBackend(backend, () =>
      tidy(() => {
        const { X, Y, XT, YT } = data(37, dtype);
        expect(XT.isContiguous || YT.isContiguous).toBe(false);
        const history = (x: typeof X, y: typeof Y) => {
          const net = new NeuralNetwork({
            layerDims: [2, 5, 2],
            hidden: 'tanh',
            output: output as OutputActivation,
            init: 'he',
            seed: 1,
            dtype,
          });
          return [...net.fit(x, y, { learningRate: 0.1, iterations: 30 }).costs, net.cost(x, y)];
        };
        const want = history(X, Y);
        expect(history(X, YT)).toEqual(want);
        const got = history(XT, YT);
        if (backend !== 'wasm') expect(got).toEqual(want);
        else {
          const tol = dtype === 'float32' ? 1e-5 : 1e-12;
          got.forEach((c, i) => {
            expect(Math.abs(c - want[i]) / want[i]).toBeLessThan(tol);
          });
        }
      }),
    ),
  );
});

// The look-ahead of full-batch gradient descent (TrainingPlan.descendAhead): the first layer's
// gradient, its update and the next iteration's first product in one pass over X. fit uses it on
// every iteration but the last unless an onIteration callback could write the model in between,
// and fitAsync drops it before yielding. A 4100-feature input with 40 examples is the smallest
// shape the wasm kernel fuses (K split: k >= 4096); the results must not change by a bit.
describe.each(BACKENDS)('the look-ahead of full-batch gradient descent on %s', (backend) => {
  const shape = { k: 4100, m: 40 };
  const inputs = (dtype: DType, seed: number) => {
    const r = new RandomState(seed);
    return {
      X: array(r.randData(shape.k * shape.m), { shape: [shape.k, shape.m], dtype }),
      Y: array(
        Array.from({ length: shape.m }, (_, j) => j % 2),
        { shape: [1, shape.m], dtype },
      ),
    };
  };
  const network = (dtype: DType) =>
    new NeuralNetwork({
      layerDims: [shape.k, 6, 3, 1],
      hidden: 'relu',
      output: 'sigmoid',
      init: 'he',
      seed: 1,
      dtype,
    });
  const weights = (net: NeuralNetwork) => {
    const { W, b } = net.layers();
    return [...W.slice(1), ...b.slice(1)].map((p) => p.toArray());
  };

  it.each(['float64', 'float32'] as const)(
    '%s: fit gives the costs and weights of the plain loop, bit for bit',
    (dtype) =>
      onBackend(backend, () =>
        tidy(() => {
          const { X, Y } = inputs(dtype, 5);
          const run = (options: object) => {
            const net = network(dtype);
            const costs = net.fit(X, Y, { learningRate: 0.05, iterations: 6, ...options }).costs;
            // a second fit continues from the first one's weights: nothing may be left ahead
            costs.push(...net.fit(X, Y, { learningRate: 0.05, iterations: 3, ...options }).costs);
            return { costs, weights: weights(net), cost: net.cost(X, Y) };
          };
          const spy = vi.spyOn(X.engine, 'firstLayerStep');
          try {
            const plain = run({ onIteration: () => {} }); // a callback turns the look-ahead off
            expect(spy).not.toHaveBeenCalled();
            expect(run({})).toEqual(plain);
            expect(spy).toHaveBeenCalledTimes(5 + 2); // every iteration but the last of each fit
          } finally {
            spy.mockRestore();
          }
        }),
      ),
  );

  it('uses what it computed ahead: with X stored transposed, no more GEMM calls than without it', () =>
    onBackend(backend, () =>
      tidy(() => {
        const { X, Y } = inputs('float64', 9);
        const XT = array(X.T.toArray() as number[][], { dtype: 'float64' }).T; // (k, m), column-major
        expect(XT.isContiguous).toBe(false);
        const gemms = (options: object) => {
          const spy = vi.spyOn(XT.engine, 'gemm');
          try {
            const net = network('float64');
            const costs = net.fit(XT, Y, { learningRate: 0.05, iterations: 4, ...options }).costs;
            return { costs, weights: weights(net), calls: spy.mock.calls.length };
          } finally {
            spy.mockRestore();
          }
        };
        const plain = gemms({ onIteration: () => {} });
        const ahead = gemms({});
        expect({ ...ahead, calls: 0 }).toEqual({ ...plain, calls: 0 });
        expect(ahead.calls).toBe(plain.calls);
      }),
    ));

  it('fitAsync, which yields between iterations, gives the history of fit', async () => {
    const previous = getBackend();
    setBackend(backend);
    try {
      const { X, Y } = inputs('float64', 6);
      const a = network('float64');
      const b = network('float64');
      const sync = a.fit(X, Y, { learningRate: 0.05, iterations: 5 });
      const async = await b.fitAsync(X, Y, { learningRate: 0.05, iterations: 5, yieldEveryMs: 0 });
      expect(async.costs).toEqual(sync.costs);
      expect(weights(b)).toEqual(weights(a));
      for (const x of [X, Y, a, b]) x.dispose();
    } finally {
      setBackend(previous);
    }
  });

  it('a forward pass over other data, or after dropLookahead, computes its own first product', () =>
    onBackend(backend, () =>
      tidy(() => {
        const { X, Y } = inputs('float64', 7);
        const other = inputs('float64', 8).X;
        const net = network('float64');
        const { W, b } = net.layers();
        const plan = new TrainingPlan(net.spec, W, b, shape.m);
        const fresh = (x: typeof X) => {
          const p = new TrainingPlan(net.spec, W, b, shape.m);
          p.forward(x);
          const c = p.cost(Y);
          p.dispose();
          return c;
        };
        plan.forward(X);
        plan.cost(Y);
        plan.descendAhead(X, Y, 0.05);
        plan.forward(other);
        expect(plan.cost(Y)).toBe(fresh(other));
        plan.forward(X);
        plan.cost(Y);
        plan.descendAhead(X, Y, 0.05);
        mul(W[1], 0.5, W[1]); // written behind the plan's back, then announced
        plan.dropLookahead();
        plan.forward(X);
        expect(plan.cost(Y)).toBe(fresh(X));
        plan.dispose();
      }),
    ));
});

describe('TrainingPlan.descendAhead', () => {
  it('refuses L2 and single-layer networks, which update or read what it computes ahead', () =>
    tidy(() => {
      const net = new NeuralNetwork({ layerDims: [3, 1], hidden: 'relu', output: 'sigmoid', init: 'zeros' });
      const { W, b } = net.layers();
      const single = new TrainingPlan(net.spec, W, b, 4);
      expect(single.canDescendAhead).toBe(false);
      const X = array(new Array(12).fill(0.5), { shape: [3, 4] });
      const Y = array([0, 1, 0, 1], { shape: [1, 4] });
      expect(() => single.descendAhead(X, Y, 0.1)).toThrow(/L2 or a single layer/);
      single.dispose();
      const deep = new NeuralNetwork({
        layerDims: [3, 2, 1],
        hidden: 'relu',
        output: 'sigmoid',
        init: 'he',
        seed: 1,
      });
      const l2 = new TrainingPlan(deep.spec, deep.layers().W, deep.layers().b, 4, { l2: 0.1, keepProb: 1 });
      expect(l2.canDescendAhead).toBe(false);
      l2.dispose();
    }));
});
