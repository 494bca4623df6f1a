// Hand-written JavaScript loops over typed arrays, as in the course's non-vectorized pseudo-code:
// `for i: z += w[i] * x[i]`, a triple-loop matrix product, one element at a time for the rest.
// No library, no blocking: the baseline the course's "avoid explicit for loops" is measured against.
// float64 only, as in the issue (and so every loop stays monomorphic: the same code run over
// Float32Array and Float64Array would deoptimise and time the JIT, not the loop).
import type { DType } from '../../src/core/dtype.js';
import type { Spec } from '../workloads.js';
import { type Contender, type Prepared, randomData } from './types.js';

type F = Float32Array | Float64Array;

export const plainJs: Contender = {
  id: 'plain-js',
  label: 'plain JS loops',
  unsupported: (spec, dtype) =>
    spec.kind === 'train' || spec.kind === 'course'
      ? 'no hand-written training loop; vecnet loop is the for-loop reference'
      : dtype === 'float32'
        ? 'plain JS loops run over Float64Array only'
        : null,
  prepare: async (spec, dtype) => prepare(spec, dtype),
};

let sink = 0;

function prepare(spec: Spec, dtype: DType): Prepared {
  const T = dtype === 'float32' ? Float32Array : Float64Array;
  const from = (v: Float64Array): F => (dtype === 'float32' ? Float32Array.from(v) : v);
  const done = (run: () => void): Prepared => ({ run, dispose: () => {} });
  switch (spec.kind) {
    case 'dot': {
      const a = from(randomData(spec.n, 1));
      const b = from(randomData(spec.n, 2));
      const n = spec.n;
      return done(() => {
        let z = 0;
        for (let i = 0; i < n; i++) z += a[i] * b[i];
        sink += z;
      });
    }
    case 'gemm': {
      const { M, N, K, transA, transB } = spec;
      const a = from(randomData(M * K, 1));
      const b = from(randomData(K * N, 2));
      const c = new T(M * N);
      // element (i,k) of op(A) and (k,j) of op(B) through strides, so transposes cost no copy
      const [ai, ak] = transA ? [1, M] : [K, 1];
      const [bk, bj] = transB ? [1, K] : [N, 1];
      return done(() => {
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += a[i * ai + k * ak] * b[k * bk + j * bj];
            c[i * N + j] = s;
          }
        }
      });
    }
    case 'bias_add': {
      const { n, m } = spec;
      const z = from(randomData(n * m, 1));
      const b = from(randomData(n, 2));
      const out = new T(n * m);
      return done(() => {
        for (let i = 0; i < n; i++) {
          const bi = b[i];
          for (let j = 0; j < m; j++) out[i * m + j] = z[i * m + j] + bi;
        }
      });
    }
    case 'unary': {
      const x = from(randomData(spec.n, 1, -4, 4));
      const out = new T(spec.n);
      const n = spec.n;
      const run =
        spec.op === 'sigmoid'
          ? () => {
              for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
            }
          : spec.op === 'tanh'
            ? () => {
                for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
              }
            : () => {
                for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0;
              };
      return done(run);
    }
    case 'unary_grad': {
      const x = from(randomData(spec.n, 1, -4, 4));
      const dy = from(randomData(spec.n, 2));
      const out = new T(spec.n);
      const n = spec.n;
      const run =
        spec.op === 'sigmoid'
          ? () => {
              for (let i = 0; i < n; i++) {
                const s = 1 / (1 + Math.exp(-x[i]));
                out[i] = dy[i] * s * (1 - s);
              }
            }
          : spec.op === 'tanh'
            ? () => {
                for (let i = 0; i < n; i++) {
                  const t = Math.tanh(x[i]);
                  out[i] = dy[i] * (1 - t * t);
                }
              }
            : () => {
                for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? dy[i] : 0;
              };
      return done(run);
    }
    case 'sum': {
      const { rows, cols, axis } = spec;
      const x = from(randomData(rows * cols, 1));
      const out = new T(axis === 0 ? cols : rows);
      return done(
        axis === 0
          ? () => {
              out.fill(0);
              for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += x[i * cols + j];
            }
          : () => {
              for (let i = 0; i < rows; i++) {
                let s = 0;
                for (let j = 0; j < cols; j++) s += x[i * cols + j];
                out[i] = s;
              }
            },
      );
    }
    case 'train':
    case 'course':
      throw new Error('plain-js: training is not implemented');
  }
}

/** Keeps results observable so the JIT cannot drop the loops. */
export function plainSink(): number {
  return sink;
}
