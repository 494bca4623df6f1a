// Every op through the public NDArray API on every backend and dtype, against the `loop` backend.
// Tolerances: element-wise arithmetic exact on vectorized (same formulas); transcendental ops on
// wasm within 1e-13 relative (f64) / 4e-7 relative (f32, about 4 ulp); sums and products within
// 1e-12 (f64) / 1e-5 (f32) of Σ|terms|.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { array, type BackendName, type DType, type NDArray, tidy } from '../src/index.js';
import { broadcastPair, dimension, shape, values } from './helpers/arbitraries.js';
import { BACKENDS } from './helpers/backends.js';

const FAST = BACKENDS.filter((b) => b !== 'loop');
const DTYPES: DType[] = ['float64', 'float32'];
const runs = { numRuns: 40 };

function make(
  shape: readonly number[],
  seed: number,
  dtype: DType,
  backend: BackendName,
  lo = -3,
  hi = 3,
  round = false,
) {
  const n = shape.reduce((p, d) => p * d, 1);
  const v = values(n, seed, lo, hi);
  // comparisons need ties to occur: small integers make them frequent
  if (round) for (let i = 0; i < n; i++) v[i] = Math.round(v[i]);
  return array(v, { shape, dtype, backend });
}

function tol(dtype: DType, exact: boolean) {
  if (exact) return 0;
  return dtype === 'float64' ? 1e-13 : 4e-7;
}

function compare(actual: NDArray, expected: NDArray, rtol: number, atol = 0) {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.data;
  const e = expected.data;
  for (let i = 0; i < e.length; i++) {
    if (Number.isNaN(e[i])) {
      expect(Number.isNaN(a[i])).toBe(true);
      continue;
    }
    const bound = atol + rtol * Math.abs(e[i]);
    if (rtol === 0 && atol === 0) expect(a[i], `element ${i}`).toBe(e[i]);
    else if (!(Math.abs(a[i] - e[i]) <= bound))
      expect.fail(`element ${i}: ${a[i]} vs ${e[i]} (bound ${bound})`);
  }
}

const binaryOps = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'gt', 'ge', 'lt', 'le', 'eq'] as const;
const unaryOps = [
  ['neg', true],
  ['abs', true],
  ['square', true],
  ['relu', true],
  ['exp', false],
  ['tanh', false],
  ['sigmoid', false],
] as const;

describe.each(FAST)('%s agrees with loop', (backend) => {
  describe.each(DTYPES)('%s', (dtype) => {
    it.each(binaryOps)('%s with broadcasting', (op) => {
      fc.assert(
        fc.property(broadcastPair, fc.integer(), ([sa, sb], seed) =>
          tidy(() => {
            // comparisons need equal values to occur: quantise the inputs
            const q = (x: NDArray) =>
              op === 'eq' || op === 'ge' || op === 'le' ? x.mul(2).relu().sqrt().pow(0) : x;
            const ref = q(make(sa, seed, dtype, 'loop'))[op](q(make(sb, seed + 1, dtype, 'loop')));
            const got = q(make(sa, seed, dtype, backend))[op](q(make(sb, seed + 1, dtype, backend)));
            compare(got, ref, 0);
          }),
        ),
        runs,
      );
    });

    it.each(unaryOps)('%s', (op, exact) => {
      fc.assert(
        fc.property(shape(), fc.integer(), (s, seed) =>
          tidy(() => {
            const ref = make(s, seed, dtype, 'loop', -20, 20)[op]();
            const got = make(s, seed, dtype, backend, -20, 20)[op]();
            compare(
              got,
              ref,
              backend === 'vectorized' ? 0 : tol(dtype, exact),
              dtype === 'float32' ? 1e-38 : 0,
            );
          }),
        ),
        runs,
      );
    });

    it('log, sqrt and pow on positive inputs', () => {
      fc.assert(
        fc.property(shape(), fc.integer(), (s, seed) =>
          tidy(() => {
            const r = make(s, seed, dtype, 'loop', 0.01, 50);
            const g = make(s, seed, dtype, backend, 0.01, 50);
            const t = backend === 'vectorized' ? 0 : tol(dtype, false);
            compare(g.log(), r.log(), t, dtype === 'float32' ? 1e-7 : 1e-15);
            compare(g.sqrt(), r.sqrt(), backend === 'vectorized' ? 0 : tol(dtype, false));
            compare(g.pow(0.5), r.pow(0.5), backend === 'vectorized' ? 0 : tol(dtype, false));
          }),
        ),
        runs,
      );
    });

    it('leakyRelu and clip with parameters', () => {
      fc.assert(
        fc.property(shape(), fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (s, seed, slope) =>
          tidy(() => {
            const r = make(s, seed, dtype, 'loop');
            const g = make(s, seed, dtype, backend);
            compare(g.leakyRelu(slope), r.leakyRelu(slope), 0);
            compare(g.clip(-slope, slope), r.clip(-slope, slope), 0);
          }),
        ),
        runs,
      );
    });

    it('sum, mean, max, min, argmax over every axis with keepdims', () => {
      fc.assert(
        fc.property(shape(4, 20000), fc.integer(), fc.boolean(), fc.nat(), (s, seed, keepdims, axisSeed) =>
          tidy(() => {
            const axis = s.length === 0 ? null : (axisSeed % (s.length + 1)) - 1; // -1 … ndim-1, or all
            const r = make(s, seed, dtype, 'loop');
            const g = make(s, seed, dtype, backend);
            const sumTol = dtype === 'float64' ? 1e-12 : 1e-5;
            const bound = Math.max(0, ...r.abs().sum(axis, keepdims).data);
            compare(g.sum(axis, keepdims), r.sum(axis, keepdims), 0, sumTol * bound + 1e-300);
            compare(g.mean(axis, keepdims), r.mean(axis, keepdims), 0, sumTol * bound + 1e-300);
            compare(g.max(axis, keepdims), r.max(axis, keepdims), 0);
            compare(g.min(axis, keepdims), r.min(axis, keepdims), 0);
            compare(g.argmax(axis, keepdims), r.argmax(axis, keepdims), 0);
          }),
        ),
        runs,
      );
    });

    it('matmul over all transpose combinations and odd sizes', () => {
      fc.assert(
        fc.property(
          dimension,
          dimension,
          dimension,
          fc.boolean(),
          fc.boolean(),
          fc.integer(),
          (M, N, K, ta, tb, seed) =>
            tidy(() => {
              const build = (b: BackendName) => {
                const A = make(ta ? [K, M] : [M, K], seed, dtype, b);
                const B = make(tb ? [N, K] : [K, N], seed + 7, dtype, b);
                return (ta ? A.T : A).matmul(tb ? B.T : B);
              };
              const ref = build('loop');
              const got = build(backend);
              const t = dtype === 'float64' ? 1e-12 : 1e-5;
              // every |term| is below 9, so Σ|terms| <= 9K
              compare(got, ref, 0, t * 9 * K);
            }),
        ),
        runs,
      );
    });

    it('copies strided views (transposes, column slices) exactly', () => {
      fc.assert(
        fc.property(shape(4, 3000), fc.integer(), (s, seed) =>
          tidy(() => {
            const r = make(s, seed, dtype, 'loop').T;
            const g = make(s, seed, dtype, backend).T;
            compare(g.copy(), r.copy(), 0);
            compare(g.reshape(-1), r.reshape(-1), 0);
          }),
        ),
        runs,
      );
    });
  });
});
