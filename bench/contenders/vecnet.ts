// vecnet's three backends at the NDArray level, every output preallocated (`out` arguments), so a
// timed call measures the facade plus the kernel and no allocation.
import type { BackendName } from '../../src/backend/backend.js';
import { UnaryOp } from '../../src/backend/ops.js';
import type { DType } from '../../src/core/dtype.js';
import { setThreads } from '../../src/index.js';
import { array, zeros } from '../../src/ndarray/create.js';
import { add, relu, sigmoid, tanh, unaryGrad } from '../../src/ndarray/elementwise.js';
import { gemm } from '../../src/ndarray/linalg.js';
import type { NDArray } from '../../src/ndarray/ndarray.js';
import { sum } from '../../src/ndarray/reduce.js';
import { untracked } from '../../src/ndarray/scope.js';
import { LogisticRegression } from '../../src/nn/logistic-regression.js';
import { NeuralNetwork } from '../../src/nn/neural-network.js';
import { TrainingPlan } from '../../src/nn/plan.js';
import type { Spec } from '../workloads.js';
import { courseData } from './course-data.js';
import { type Contender, type Prepared, randomData, trainingData } from './types.js';

const unaryFns = { sigmoid, tanh, relu };
const unaryOps = { sigmoid: UnaryOp.Sigmoid, tanh: UnaryOp.Tanh, relu: UnaryOp.Relu };

/** One of vecnet's backends on the run's thread count (1 unless --threads); no complete course runs. */
export function vecnetContender(backend: BackendName): Contender {
  return {
    id: backend,
    label: `vecnet ${backend}`,
    unsupported: (spec) =>
      spec.kind === 'course' ? 'complete course runs: vecnet wasm on its default threads' : null,
    prepare: async (spec, dtype) => untracked(() => prepare(backend, spec, dtype)),
  };
}

/**
 * vecnet wasm on its default thread count (`threads`, one per core up to 8), for the GEMM, training
 * and course workloads: the threads are started and running before the timing, and set back to
 * `base` afterwards.
 */
export function vecnetThreadedContender(
  threads: number,
  base: number,
  started: () => Promise<void>,
): Contender {
  return {
    id: 'wasm-mt',
    label: `vecnet wasm, ${threads} threads`,
    unsupported: (spec) =>
      spec.kind === 'gemm' || spec.kind === 'train' || spec.kind === 'course'
        ? null
        : 'threads: measured on GEMM, training and course runs',
    prepare: async (spec, dtype) => {
      setThreads(threads);
      await started();
      const prepared = untracked(() => prepare('wasm', spec, dtype));
      return {
        run: prepared.run,
        dispose: () => {
          prepared.dispose();
          setThreads(base);
        },
      };
    },
  };
}

function prepare(backend: BackendName, spec: Spec, dtype: DType): Prepared {
  const owned: NDArray[] = [];
  const make = (values: Float64Array, shape: number[]) => {
    const x = array(values, { shape, dtype, backend });
    owned.push(x);
    return x;
  };
  const empty = (shape: number[]) => {
    const x = zeros(shape, { dtype, backend });
    owned.push(x);
    return x;
  };
  const done = (run: () => void, extra?: () => void): Prepared => ({
    run,
    dispose: () => {
      extra?.();
      for (const x of owned) x.dispose();
    },
  });
  switch (spec.kind) {
    case 'dot': {
      // np.dot of two vectors is a (1,n)·(n,1) product: vecnet's dot() goes through the same gemm
      const a = make(randomData(spec.n, 1), [1, spec.n]);
      const b = make(randomData(spec.n, 2), [spec.n, 1]);
      const opts = { out: empty([1, 1]) };
      return done(() => gemm(a, b, opts));
    }
    case 'gemm': {
      const { M, N, K, transA, transB } = spec;
      const a = make(randomData(M * K, 1), transA ? [K, M] : [M, K]);
      const b = make(randomData(K * N, 2), transB ? [N, K] : [K, N]);
      const opts = { transA, transB, out: empty([M, N]) };
      return done(() => gemm(a, b, opts));
    }
    case 'bias_add': {
      const z = make(randomData(spec.n * spec.m, 1), [spec.n, spec.m]);
      const b = make(randomData(spec.n, 2), [spec.n, 1]);
      const out = empty([spec.n, spec.m]);
      return done(() => add(z, b, out));
    }
    case 'unary': {
      const f = unaryFns[spec.op];
      const x = make(randomData(spec.n, 1, -4, 4), [spec.n]);
      const out = empty([spec.n]);
      return done(() => f(x, out));
    }
    case 'unary_grad': {
      const op = unaryOps[spec.op];
      const x = make(randomData(spec.n, 1, -4, 4), [spec.n]);
      const dy = make(randomData(spec.n, 2), [spec.n]);
      const out = empty([spec.n]);
      return done(() => unaryGrad(op, x, dy, 0, 0, out));
    }
    case 'sum': {
      const x = make(randomData(spec.rows * spec.cols, 1), [spec.rows, spec.cols]);
      const out = empty(spec.axis === 0 ? [1, spec.cols] : [spec.rows, 1]);
      return done(() => sum(x, spec.axis, true, out));
    }
    case 'course': {
      // the whole run as a learner does it: a new model, fit with its cost bookkeeping, disposed
      const { X, Y } = courseData(spec);
      const L = spec.dims.length - 1;
      const x = make(X, [spec.dims[0], spec.m]);
      const y = make(Y, [spec.dims[L], spec.m]);
      const fit = { iterations: spec.iterations, learningRate: spec.learningRate };
      if (spec.model === 'logreg') {
        return done(() => {
          const model = new LogisticRegression({ dtype, backend });
          model.fit(x, y, fit);
          model.dispose();
        });
      }
      return done(() => {
        const net = new NeuralNetwork({
          layerDims: spec.dims,
          hidden: spec.hidden,
          init: spec.model === 'deep' ? 'scaled' : 'small',
          seed: spec.model === 'planar' ? 2 : 1,
          dtype,
          backend,
        });
        net.fit(x, y, fit);
        net.dispose();
      });
    }
    case 'train': {
      if (spec.model === 'deep_adam') {
        // fit as a user calls it: `chunk` epochs of shuffled mini-batches with Adam (its checks of X
        // and Y, the shuffled copies and the moments are made once per call)
        const { X, Y } = courseData(spec);
        const x = make(X, [spec.dims[0], spec.m]);
        const y = make(Y, [1, spec.m]);
        const net = new NeuralNetwork({
          layerDims: spec.dims,
          hidden: 'relu',
          init: 'he',
          seed: 3,
          dtype,
          backend,
        });
        const fit = {
          optimizer: 'adam' as const,
          learningRate: spec.learningRate,
          epochs: spec.chunk,
          miniBatchSize: spec.miniBatchSize,
        };
        return done(
          () => {
            const { costs } = net.fit(x, y, fit);
            if (Number.isNaN(costs[costs.length - 1])) throw new Error(`vecnet ${backend}: Adam diverged`);
          },
          () => net.dispose(),
        );
      }
      // the planned loop of NeuralNetwork.fit (trainer.ts): forward, cost, then backward and update
      // with the next iteration's first product (descendAhead, as fit runs every iteration but the
      // last), allocation free; validation of X and Y, which fit does once per call, is left out
      const { X, Y } = trainingData(spec);
      const L = spec.dims.length - 1;
      const x = make(X, [spec.dims[0], spec.m]);
      const y = make(Y, [spec.dims[L], spec.m]);
      const net = new NeuralNetwork({
        layerDims: spec.dims,
        hidden: spec.hidden,
        output: 'sigmoid',
        init: spec.model === 'logreg' ? 'zeros' : spec.model === 'planar' ? 'small' : 'scaled',
        seed: spec.model === 'planar' ? 2 : 1,
        dtype,
        backend,
      });
      const { W, b } = net.layers();
      const plan = new TrainingPlan(net.spec, W, b, spec.m);
      const { chunk, learningRate } = spec;
      const ahead = plan.canDescendAhead;
      let last = 0;
      return done(
        () => {
          for (let i = 0; i < chunk; i++) {
            plan.forward(x);
            last = plan.cost(y);
            if (ahead) {
              plan.descendAhead(x, y, learningRate);
            } else {
              plan.backward(x, y);
              plan.update(learningRate);
            }
          }
          if (Number.isNaN(last)) throw new Error(`vecnet ${backend}: training diverged (cost NaN)`);
        },
        () => {
          plan.dispose();
          net.dispose();
        },
      );
    }
  }
}
