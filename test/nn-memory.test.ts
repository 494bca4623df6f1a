// Training plans its memory once: after the plan is made, an iteration allocates nothing on any
// backend. Counted three ways: calls to Backend.alloc (every backend), typed arrays constructed
// (loop and vectorized, whose buffers are typed arrays; wasm builds throwaway views over its memory
// on every `view`, so it is checked with its allocator's stats instead: live bytes and buffers flat).
// Also: training never computes dA0 (3L - 1 GEMMs per iteration, none with n_x rows).
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/backend.js';
import { backendByName } from '../src/backend/registry.js';
import type { WasmBackend } from '../src/backend/wasm/backend.js';
import { array, type DType, tidy } from '../src/index.js';
import {
  type Activation,
  LogisticRegression,
  NeuralNetwork,
  type OutputActivation,
} from '../src/nn/index.js';
import { RandomState } from '../src/random/random-state.js';
import { BACKENDS, onBackend } from './helpers/backends.js';

interface Counters {
  allocs: number;
  typedArrays: number;
  gemms: { M: number; N: number; K: number }[];
}

const restore: (() => void)[] = [];
afterEach(() => {
  while (restore.length) restore.pop()?.();
});

/** Counts Backend.alloc and gemm calls on `engine`, and Float32/64Array constructions anywhere. */
function instrument(engine: Backend): Counters {
  const c: Counters = { allocs: 0, typedArrays: 0, gemms: [] };
  const alloc = engine.alloc;
  const gemm = engine.gemm;
  engine.alloc = (...args) => {
    c.allocs++;
    return alloc.apply(engine, args);
  };
  engine.gemm = (...args) => {
    c.gemms.push({ M: args[11], N: args[12], K: args[13] });
    return gemm.apply(engine, args);
  };
  restore.push(() => {
    engine.alloc = alloc;
    engine.gemm = gemm;
  });
  for (const name of ['Float64Array', 'Float32Array'] as const) {
    const original = globalThis[name];
    globalThis[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        c.typedArrays++;
        return Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget);
      },
    }) as never;
    restore.push(() => {
      globalThis[name] = original as never;
    });
  }
  return c;
}

function data(nx: number, m: number, dtype: DType, regression: boolean) {
  const rng = new RandomState(7);
  const X = array(rng.randnData(nx * m), { shape: [nx, m], dtype });
  const y = rng.randnData(m);
  const Y = array(regression ? y : y.map((v) => (v > 0 ? 1 : 0)), { shape: [1, m], dtype });
  return { X, Y };
}

const configs: [Activation, OutputActivation][] = [
  ['relu', 'sigmoid'],
  ['leakyRelu', 'sigmoid'],
  ['tanh', 'linear'],
  ['sigmoid', 'sigmoid'],
  ['linear', 'linear'],
];

describe.each(BACKENDS)('training allocates nothing per iteration on %s', (backend) => {
  const engine = () => backendByName(backend);
  const stats = () => (backend === 'wasm' ? (engine() as WasmBackend).stats() : undefined);

  describe.each(['float64', 'float32'] as const)('%s', (dtype) => {
    it.each(configs)('hidden %s, output %s', (hidden, output) =>
      onBackend(backend, () =>
        tidy(() => {
          const { X, Y } = data(5, 64, dtype, output === 'linear');
          const net = new NeuralNetwork({
            layerDims: [5, 8, 6, 1],
            hidden,
            output,
            init: 'he',
            seed: 2,
            dtype,
          });
          const c = instrument(engine());
          let atFirst: { allocs: number; typedArrays: number; gemms: number; stats: unknown } | undefined;
          const history = net.fit(X, Y, {
            learningRate: 0.05,
            iterations: 25,
            onIteration: (i) => {
              if (i === 0)
                atFirst = {
                  allocs: c.allocs,
                  typedArrays: c.typedArrays,
                  gemms: c.gemms.length,
                  stats: stats(),
                };
            },
          });
          expect(history.costs.length).toBe(25);
          // the first fit: the plan is allocated before iteration 0, nothing after it
          expect(atFirst?.allocs).toBeGreaterThan(0);
          expect(c.allocs).toBe(atFirst?.allocs);
          if (backend !== 'wasm') {
            expect(atFirst?.typedArrays).toBeGreaterThan(0); // the counter sees the plan's buffers
            expect(c.typedArrays).toBe(atFirst?.typedArrays);
          }
          expect(stats()).toEqual(atFirst?.stats);
          // 3L - 1 GEMMs per iteration: forward L, dW L, dA L-1 (dA0 = W1ᵀ·dZ1, an (n_x, m) product, skipped)
          expect(c.gemms.length - (atFirst?.gemms ?? 0)).toBe(24 * 8);
          expect(c.gemms.some((g) => g.M === 5 && g.N === 64)).toBe(false);

          // a second fit with the same batch size reuses the plan: no allocation at all
          const before = { allocs: c.allocs, typedArrays: c.typedArrays, stats: stats() };
          net.fit(X, Y, { learningRate: 0.05, iterations: 10 });
          expect(c.allocs).toBe(before.allocs);
          if (backend !== 'wasm') expect(c.typedArrays).toBe(before.typedArrays);
          expect(stats()).toEqual(before.stats);
        }),
      ),
    );
  });

  describe.each(['float64', 'float32'] as const)('%s, every optimizer and batch size', (dtype) => {
    it.each([
      ['gd', 64, 1, 0],
      ['momentum', 7, 1, 0.7],
      ['rmsprop', 1, 0.8, 0],
      ['adam', 16, 0.8, 0.1],
      ['adam', 100, 1, 0],
    ] as const)('%s, batches of %i, keepProb %f, l2 %f', (optimizer, miniBatchSize, keepProb, l2) =>
      onBackend(backend, () =>
        tidy(() => {
          const { X, Y } = data(5, 50, dtype, false);
          const net = new NeuralNetwork({ layerDims: [5, 8, 6, 1], init: 'he', seed: 2, dtype });
          const c = instrument(engine());
          let atFirst: { allocs: number; typedArrays: number; stats: unknown } | undefined;
          const history = net.fit(X, Y, {
            optimizer,
            learningRate: 0.01,
            epochs: 6,
            miniBatchSize,
            keepProb,
            l2,
            onIteration: (e) => {
              if (e === 0) atFirst = { allocs: c.allocs, typedArrays: c.typedArrays, stats: stats() };
            },
          });
          expect(history.costs.length).toBe(6);
          // everything is allocated before the first step: epochs 1 … 5 allocate nothing
          expect(atFirst?.allocs).toBeGreaterThan(0);
          expect(c.allocs).toBe(atFirst?.allocs);
          if (backend !== 'wasm') expect(c.typedArrays).toBe(atFirst?.typedArrays);
          // the moment arrays, the shuffled copies and their index are freed with the run; the plan stays
          const end = stats() as { liveBuffers: number } | undefined;
          if (end) {
            const first = atFirst?.stats as { liveBuffers: number };
            const runOnly = (optimizer === 'gd' ? 0 : optimizer === 'adam' ? 12 : 6) + 3;
            expect(end.liveBuffers).toBe(first.liveBuffers - runOnly);
          }
        }),
      ),
    );
  });

  it('logistic regression too, and dispose returns every byte', () =>
    onBackend(backend, () => {
      const start = stats();
      const { X, Y } = data(6, 50, 'float64', false);
      const clf = new LogisticRegression();
      clf.fit(X, Y, { iterations: 2 });
      const c = instrument(engine());
      const before = { stats: stats() };
      clf.fit(X, Y, { iterations: 20 });
      expect(c.allocs).toBe(0);
      if (backend !== 'wasm') expect(c.typedArrays).toBe(0);
      expect(stats()).toEqual(before.stats);
      clf.dispose();
      X.dispose();
      Y.dispose();
      if (start) {
        const end = stats() as NonNullable<typeof start>;
        expect(end.liveBuffers).toBe(start.liveBuffers);
        expect(end.liveBytes).toBe(start.liveBytes);
      }
    }));
});
