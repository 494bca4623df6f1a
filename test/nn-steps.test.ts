// The course's step-by-step functions against hand values and the NumPy reference code
// (test/fixtures/gen_nn.py), on every backend. Tolerances: initialisation bit-exact; one forward or
// backward pass 1e-12 relative (+1e-15 absolute for values that cancel to ~0) in float64; activations
// against closed forms 1e-13 relative (wasm has its own exp/tanh, within a few ulp).
import { describe, expect, it } from 'vitest';
import { array, type DType, getBackend, type NDArray, tidy } from '../src/index.js';
import {
  type Activation,
  activationBackward,
  activationDerivative,
  activationForward,
  computeCost,
  computeCostFromLogits,
  type Grads,
  initializeParameters,
  initializeParametersDeep,
  type LayerCache,
  linearActivationBackward,
  linearActivationForward,
  linearBackward,
  linearForward,
  meanSquaredError,
  modelBackward,
  modelForward,
  type Parameters,
  predict,
  reluBackward,
  sigmoidBackward,
  updateParameters,
} from '../src/nn/index.js';
import initFixture from './fixtures/nn_init.json' with { type: 'json' };
import steps from './fixtures/nn_steps.json' with { type: 'json' };
import { BACKENDS, onBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

interface Arr {
  shape: number[];
  values: number[];
}
const load = (a: Arr, dtype: DType = 'float64') =>
  array(Float64Array.from(a.values), { shape: a.shape, dtype });
const loadParams = (p: Record<string, Arr>, dtype: DType = 'float64'): Parameters =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, load(v, dtype)]));
function expectArray(x: NDArray, e: Arr, rtol = 1e-12, atol = 1e-15) {
  expect(x.shape).toEqual(e.shape);
  expectClose(x.data, e.values, { rtol, atol });
}

describe.each(BACKENDS)('nn step by step on %s', (backend) => {
  const run = <T>(fn: () => T) => onBackend(backend, () => tidy(fn));

  describe('activations', () => {
    it('compute g(z) with hand values', () =>
      run(() => {
        const z = array([[0, 2, -1]]);
        expectClose(activationForward('sigmoid', z).data, [0.5, 0.8807970779778823, 0.2689414213699951], {
          rtol: 1e-13,
        });
        expectClose(activationForward('tanh', z).data, [0, Math.tanh(2), Math.tanh(-1)], { rtol: 1e-13 });
        expect(activationForward('relu', z).toArray()).toEqual([[0, 2, 0]]);
        expect(activationForward('leakyRelu', z).toArray()).toEqual([[0, 2, -0.01]]);
        expect(activationForward('leakyRelu', z, { leakySlope: 0.2 }).toArray()).toEqual([[0, 2, -0.2]]);
        expect(activationForward('linear', z).toArray()).toEqual([[0, 2, -1]]);
      }));

    it("compute g'(z): s(1-s), 1-t², and the course's subgradient 0 at z = 0", () =>
      run(() => {
        const z = array([[0, 2, -1]]);
        const s = 0.8807970779778823;
        expectClose(activationDerivative('sigmoid', z).data, [0.25, s * (1 - s), 0.19661193324148185], {
          rtol: 1e-13,
        });
        expectClose(
          activationDerivative('tanh', z).data,
          [1, 1 - Math.tanh(2) ** 2, 1 - Math.tanh(-1) ** 2],
          {
            rtol: 1e-13,
          },
        );
        expect(activationDerivative('relu', z).toArray()).toEqual([[0, 1, 0]]);
        expect(activationDerivative('leakyRelu', z).toArray()).toEqual([[0.01, 1, 0.01]]);
        expect(activationDerivative('linear', z).toArray()).toEqual([[1, 1, 1]]);
        const dA = array([[2, 3, 4]]);
        expect(reluBackward(dA, z).toArray()).toEqual([[0, 3, 0]]);
        expectClose(sigmoidBackward(dA, z).data, [0.5, 3 * s * (1 - s), 4 * 0.19661193324148185], {
          rtol: 1e-13,
        });
        expect(activationBackward('leakyRelu', dA, z, { leakySlope: 0.5 }).toArray()).toEqual([[1, 3, 2]]);
      }));

    it('reject unknown names and bad slopes', () =>
      run(() => {
        const z = array([[0]]);
        expect(() => activationForward('softmax' as Activation, z)).toThrow(
          "activationForward: activation must be one of 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', got 'softmax'",
        );
        expect(() => activationForward('leakyRelu', z, { leakySlope: Number.NaN })).toThrow(
          'leakySlope must be a finite number',
        );
      }));
  });

  describe('initialisation', () => {
    it.each(initFixture.cases.map((c) => [c.name, c] as const))('%s equals NumPy bit for bit', (_name, c) =>
      run(() => {
        const p =
          c.kind === 'shallow'
            ? initializeParameters(c.dims[0], c.dims[1], c.dims[2], { seed: c.seed })
            : initializeParametersDeep(c.dims, { seed: c.seed, init: c.init as never });
        const expected = c.parameters as Record<string, Arr>;
        expect(Object.keys(p).sort()).toEqual(Object.keys(expected).sort());
        for (const [k, e] of Object.entries(expected)) {
          expect(p[k as `W${number}`].shape).toEqual(e.shape);
          expect(Array.from(p[k as `W${number}`].data)).toEqual(e.values);
          expect(p[k as `W${number}`].backend).toBe(getBackend());
        }
      }),
    );

    it("reproduces the planar notebook's printed W1 and rounds float32 from the float64 draw", () =>
      run(() => {
        const p = initializeParameters(2, 4, 1, { seed: 2 });
        const printed = [
          -0.00416758, -0.00056267, -0.02136196, 0.01640271, -0.01793436, -0.00841747, 0.00502881,
          -0.01245288,
        ];
        expectClose(p.W1.data, printed, { rtol: 0, atol: 5e-9 });
        expect(p.b1.toArray()).toEqual([[0], [0], [0], [0]]);
        const p32 = initializeParameters(2, 4, 1, { seed: 2, dtype: 'float32' });
        expect(p32.W1.dtype).toBe('float32');
        expect(Array.from(p32.W1.data)).toEqual(Array.from(p.W1.data, Math.fround));
      }));

    it('uses the step-by-step defaults (seed 1 shallow, seed 3 and small deep)', () =>
      run(() => {
        const shallow = initFixture.cases.find((c) => c.name === 'initialize_parameters(3,2,1) seed 1')!;
        expect(Array.from(initializeParameters(3, 2, 1).W2.data)).toEqual(
          (shallow.parameters as Record<string, Arr>).W2.values,
        );
        const deep = initFixture.cases.find((c) => c.name.startsWith('initialize_parameters_deep([5,4,3])'))!;
        expect(Array.from(initializeParametersDeep([5, 4, 3]).W2.data)).toEqual(
          (deep.parameters as Record<string, Arr>).W2.values,
        );
      }));

    it('rejects bad arguments', () =>
      run(() => {
        expect(() => initializeParametersDeep([5])).toThrow('layerDims must be an array [n_x, n_1, …, n_L]');
        expect(() => initializeParametersDeep([5, 0])).toThrow(
          'layerDims[1] must be a positive integer, got 0',
        );
        expect(() => initializeParametersDeep([5, 3], { init: 'glorot' as never })).toThrow(
          "init must be one of 'zeros', 'small', 'scaled', 'he', 'xavier', got 'glorot'",
        );
        expect(() => initializeParametersDeep([5, 3], { seed: -1 })).toThrow(
          'seed must be an integer in [0, 2**32)',
        );
        expect(() => initializeParameters(2, 0.5, 1)).toThrow(
          'initializeParameters: nh must be a positive integer',
        );
      }));
  });

  describe('forward', () => {
    it("linearForward matches the notebook's test case", () =>
      run(() => {
        const c = steps.linear_forward;
        const { Z, cache } = linearForward(load(c.A), load(c.W), load(c.b));
        expectArray(Z, c.Z);
        expectClose(Z.data, [3.26295337, -1.23429987], { rtol: 0, atol: 5e-9 }); // the notebook's printout
        expect(cache.W.shape).toEqual([1, 3]);
      }));

    it.each(['sigmoid', 'relu', 'tanh', 'leakyRelu', 'linear'] as const)(
      'linearActivationForward %s',
      (act) =>
        run(() => {
          const c = steps.linear_activation_forward;
          const { A, cache } = linearActivationForward(load(c.A_prev), load(c.W), load(c.b), act);
          expectArray(A, c.A[act]);
          expect(cache.activation).toBe(act);
          expect(cache.activationCache.shape).toEqual([1, 2]);
        }),
    );

    it("modelForward matches the notebook's 2-hidden-layer test case", () =>
      run(() => {
        const c = steps.L_model_forward;
        const { AL, caches } = modelForward(load(c.X), loadParams(c.parameters));
        expectArray(AL, c.AL);
        expectClose(AL.data, [0.03921668, 0.70498921, 0.19734387, 0.04728177], { rtol: 0, atol: 5e-9 });
        expect(caches.length).toBe(3);
        expect(caches.map((k) => k.activation)).toEqual(['relu', 'relu', 'sigmoid']);
      }));

    it('names the layer and the shapes when they do not chain', () =>
      run(() => {
        const X = array(new Float64Array(12 * 3), { shape: [12, 3] });
        const p = initializeParametersDeep([12, 20, 7, 1]);
        const bad = { ...p, W2: array(new Float64Array(7 * 12), { shape: [7, 12] }) };
        expect(() => modelForward(X, bad)).toThrow(
          'modelForward: layer 2: W has shape (7,12) but A_prev has 20 rows',
        );
        expect(() => modelForward(array(new Float64Array(10), { shape: [5, 2] }), p)).toThrow(
          'layer 1: W has shape (20,12) but A_prev has 5 rows (A_prev is X)',
        );
        expect(() =>
          linearForward(X, array(new Float64Array(140), { shape: [7, 20] }), array([[0]])),
        ).toThrow('linearForward: W has shape (7,20) but A_prev has 12 rows');
        const b1 = array(new Float64Array(5));
        expect(() =>
          linearForward(array([[1], [2]]), array(new Float64Array(10), { shape: [5, 2] }), b1),
        ).toThrow('b must be 2-D (n, 1), got shape (5,)');
        expect(() => modelForward(X, { ...p, b2: array(new Float64Array(7), { shape: [7] }) })).toThrow(
          'modelForward: layer 2: b must be 2-D (n, 1), got shape (7,)',
        );
        expect(() => modelForward(X, { ...p, b3: array([[0, 0]]) })).toThrow(
          'modelForward: layer 3: b has shape (1,2) but W has shape (1,7): b must be (1, 1)',
        );
        expect(() => modelForward(array(new Float64Array(12)), p)).toThrow(
          'modelForward: X must be 2-D (n_x, m), got shape (12,)',
        );
        expect(() => modelForward(X, p, { hidden: 'elu' as never })).toThrow(
          "hidden must be one of 'sigmoid'",
        );
        expect(() => modelForward(X, p, { output: 'tanh' as never })).toThrow(
          "output must be one of 'sigmoid', 'softmax', 'linear', got 'tanh'",
        );
        const { W3: _w, ...noW3 } = p;
        expect(() => modelForward(X, noW3 as Parameters)).toThrow("unexpected key 'b3' in parameters");
        const f32 = array(new Float32Array(12 * 3), { shape: [12, 3] });
        expect(() => modelForward(f32, p)).toThrow(
          'modelForward: layer 1: W1 has dtype float64 but X float32',
        );
      }));
  });

  describe('cost', () => {
    it("computeCost matches the notebook's test case", () =>
      run(() => {
        const c = steps.compute_cost;
        expect(computeCost(load(c.AL), load(c.Y))).toBeCloseTo(0.2797765635793422, 15);
        expect(Math.abs(computeCost(load(c.AL), load(c.Y)) - c.cost)).toBeLessThan(1e-15);
      }));

    it('stays finite when a sigmoid saturates to exactly 0 or 1', () =>
      run(() => {
        const Y = array([[1, 0, 1, 0]]);
        const AL = array([[1, 0, 0, 1]]); // two right, two maximally wrong
        const J = computeCost(AL, Y);
        expect(Number.isFinite(J)).toBe(true);
        // a = 0 costs -log(2^-1022) (the smallest normal), a = 1 costs -log(2^-53) (1 minus the float below 1):
        // each a lower bound of the true cost, since σ(z) only rounds to 0 below z = -745 and to 1 above 36.7
        expect(J).toBeCloseTo(((1022 + 53) * Math.LN2) / 4, 11);
        expect(computeCost(array([[1, 0]]), array([[1, 0]]))).toBeLessThan(1e-15);
        const J32 = computeCost(array([[1, 0]], { dtype: 'float32' }), array([[0, 1]], { dtype: 'float32' }));
        expect(Number.isFinite(J32)).toBe(true);
        // from logits: exact where sigmoid has rounded to 1
        expect(computeCostFromLogits(array([[40, -3]]), array([[1, 0]]))).toBeCloseTo(
          (Math.log1p(Math.exp(-40)) + Math.log1p(Math.exp(-3))) / 2,
          14,
        );
        expect(computeCostFromLogits(array([[800, -800]]), array([[0, 1]]))).toBe(800);
      }));

    it('agrees between AL and logits, and computes MSE for a linear output', () =>
      run(() => {
        const Z = array([[0.3, -1.2, 2.5, -0.1]]);
        const Y = array([[1, 0, 0, 1]]);
        expect(computeCostFromLogits(Z, Y)).toBeCloseTo(computeCost(Z.sigmoid(), Y), 14);
        expect(meanSquaredError(array([[1, 2]]), array([[0, 2]]))).toBe(0.25);
        expect(computeCost(array([[1, 2]]), array([[0, 2]]), { output: 'linear' })).toBe(0.25);
        expect(() => computeCost(array([[0.5, 0.5]]), array([[1, 0, 1]]))).toThrow(
          'computeCost: AL has shape (1,2) but Y has shape (1,3)',
        );
      }));
  });

  describe('backward', () => {
    it("linearBackward matches the notebook's test case", () =>
      run(() => {
        const c = steps.linear_backward;
        const cache = { APrev: load(c.A_prev), W: load(c.W), b: load(c.b) };
        const { dAPrev, dW, db } = linearBackward(load(c.dZ), cache);
        expectArray(dAPrev, c.dA_prev);
        expectArray(dW, c.dW);
        expectArray(db, c.db);
        expect(() => linearBackward(array([[1, 2]]), cache)).toThrow(
          "linearBackward: dZ has shape (1,2) but the layer's output is (3,4)",
        );
      }));

    it.each(['sigmoid', 'relu', 'tanh', 'leakyRelu', 'linear'] as const)(
      'linearActivationBackward %s',
      (act) =>
        run(() => {
          const c = steps.linear_activation_backward;
          const cache: LayerCache = {
            linearCache: { APrev: load(c.A_prev), W: load(c.W), b: load(c.b) },
            activationCache: load(c.Z),
            activation: act,
            leakySlope: 0.01,
          };
          const got = linearActivationBackward(load(c.dA), cache, act);
          const e = c[act];
          expectArray(got.dAPrev, e.dA_prev);
          expectArray(got.dW, e.dW);
          expectArray(got.db, e.db);
        }),
    );

    it("modelBackward matches the notebook's test case (AL given, not sigmoid(Z2))", () =>
      run(() => {
        const c = steps.L_model_backward;
        const layer = (A: Arr, W: Arr, b: Arr, Z: Arr, activation: Activation): LayerCache => ({
          linearCache: { APrev: load(A), W: load(W), b: load(b) },
          activationCache: load(Z),
          activation,
          leakySlope: 0.01,
        });
        const caches = [layer(c.A1, c.W1, c.b1, c.Z1, 'relu'), layer(c.A2, c.W2, c.b2, c.Z2, 'sigmoid')];
        const grads = modelBackward(load(c.AL), load(c.Y), caches);
        expect(Object.keys(grads).sort()).toEqual(['dA0', 'dA1', 'dW1', 'dW2', 'db1', 'db2']);
        const bad = [{ ...caches[0], activation: 'elu' as Activation }, caches[1]];
        expect(() => modelBackward(load(c.AL), load(c.Y), bad)).toThrow(
          "modelBackward: caches[0].activation must be one of 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', got 'elu'",
        );
        expect(() => modelBackward(load(c.AL), load(c.Y), [])).toThrow('caches must be the non-empty array');
        expect(() => modelBackward(load(c.AL), array([[1, 0, 1]]), caches)).toThrow(
          'modelBackward: AL has shape (1,2) but Y has shape (1,3)',
        );
        for (const [k, e] of Object.entries(c.grads)) expectArray(grads[k as `dW${number}`], e as Arr);
        expectClose(grads.dW1.data.slice(0, 4), [0.41010002, 0.07807203, 0.13798444, 0.10502167], {
          rtol: 0,
          atol: 5e-9,
        });
      }));

    it('stays finite when AL saturates to exactly 0 or 1', () =>
      run(() => {
        const X = array([[1, -1]]);
        const p = { W1: array([[80]]), b1: array([[0]]) };
        const { AL, caches } = modelForward(X, p);
        expect(AL.get(0, 0)).toBe(1);
        expect(AL.get(0, 1)).toBeLessThan(1e-34);
        const grads = modelBackward(array([[1, 0]]), array([[0, 1]]), caches);
        for (const g of Object.values(grads)) for (const v of g.data) expect(Number.isFinite(v)).toBe(true);
      }));

    it('updateParameters matches the notebook, in place', () =>
      run(() => {
        const c = steps.update_parameters;
        const p = loadParams(c.parameters);
        const W1 = p.W1;
        const out = updateParameters(p, loadParams(c.grads) as unknown as Grads, c.learning_rate);
        expect(out).toBe(p);
        expect(out.W1).toBe(W1);
        for (const [k, e] of Object.entries(c.updated)) expectArray(p[k as `W${number}`], e, 0, 0);
        expect(() => updateParameters(p, {} as Grads, 0.1)).toThrow('updateParameters: grads has no dW1');
        expect(() => updateParameters(p, loadParams(c.grads) as unknown as Grads, -1)).toThrow(
          'updateParameters: learningRate must be a positive finite number, got -1',
        );
      }));
  });

  describe('a full pass through [4, 5, 4, 3, 1]', () => {
    it.each(steps.passes.map((p) => [p.hidden, p.output, p] as const))(
      'hidden %s, output %s',
      (hidden, output, c) =>
        run(() => {
          const X = load(c.X);
          const Y = load(c.Y);
          const parameters = loadParams(c.parameters);
          const opts = { hidden: hidden as Activation, output: output as 'sigmoid' | 'linear' };
          const { AL, caches } = modelForward(X, parameters, opts);
          expectArray(AL, c.AL);
          caches.forEach((k, l) => {
            expectArray(k.activationCache, c.Z[l]);
          });
          expect(Math.abs(computeCost(AL, Y, { output: opts.output }) - c.cost)).toBeLessThan(1e-13 * c.cost);
          const grads = modelBackward(AL, Y, caches);
          for (const [k, e] of Object.entries(c.grads))
            expectArray(grads[k as `dW${number}`], e as Arr, 1e-11, 1e-15);
          expectArray(predict(X, parameters, opts), output === 'sigmoid' ? c.predict : c.AL);
          updateParameters(parameters, grads, 0.05);
          for (const [k, e] of Object.entries(c.updated))
            expectArray(parameters[k as `W${number}`], e as Arr);
        }),
    );
  });
});
