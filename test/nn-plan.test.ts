// The training plan's kernel-level fast path (src/nn/plan.ts) with data in other layouts than the
// plain C-order arrays of the other nn tests: X stored transposed (read in place by GEMM with the
// transpose flag), Y as a strided view (copied into the plan's scratch), and the output's per-example
// log terms sharing that scratch. Tolerance: the same history bit for bit, except X transposed on
// wasm, whose GEMM may take another path for a transposed operand (summation order): 1e-12 relative
// in float64, 1e-5 in float32.
import { describe, expect, it } from 'vitest';
import { array, type DType, tidy } from '../src/index.js';
import { NeuralNetwork, type OutputActivation } from '../src/nn/index.js';
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
