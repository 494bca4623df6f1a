// Nothing silently wrong with arrays, on every backend: an `out` that aliases an input gives NumPy's
// result (the op goes through a temporary), a disposed array or parameter is named instead of its
// memory being read, NaN propagates through every activation as in NumPy, API misuse names the
// argument, and an array or network too large for memory is refused up front with the bytes it needs.
import { describe, expect, it, vi } from 'vitest';
import { threadsRequestedByEnv } from '../src/backend/wasm/threads/settings.js';
import {
  activationBackward,
  activationDerivative,
  activationForward,
  add,
  arange,
  array,
  DisposedError,
  gemm,
  loadPlanarDataset,
  matmul,
  mul,
  NeuralNetwork,
  sigmoid,
  sum,
  TrainingDivergedError,
  toBackend,
  zeros,
} from '../src/index.js';
import { BACKENDS, onBackend } from './helpers/backends.js';

const DTYPES = ['float64', 'float32'] as const;

describe.each(BACKENDS)('out aliasing an input on %s', (backend) => {
  const run = (fn: () => void) => onBackend(backend, fn);

  for (const dtype of DTYPES) {
    it(`gemm with out = b, out = a and out = a transposed input (${dtype})`, () =>
      run(() => {
        const a = array(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype },
        );
        const b = array(
          [
            [5, 6],
            [7, 8],
          ],
          { dtype },
        );
        const want = matmul(a, b).toArray();
        gemm(a, b, { out: b });
        expect(b.toArray()).toEqual(want);

        const a2 = array(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype },
        );
        const b2 = array(
          [
            [5, 6],
            [7, 8],
          ],
          { dtype },
        );
        gemm(a2, b2, { out: a2 });
        expect(a2.toArray()).toEqual(want);

        // out is the storage of a transposed operand: C = Aᵀ·B written over A
        const c = array(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype },
        );
        const wantT = matmul(c.T, b2).toArray();
        gemm(c, b2, { transA: true, out: c });
        expect(c.toArray()).toEqual(wantT);
      }));

    it(`gemm with beta reads out before overwriting it (${dtype})`, () =>
      run(() => {
        const a = array(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype },
        );
        const c = array(
          [
            [1, 1],
            [1, 1],
          ],
          { dtype },
        );
        // C = A·C + C, with C also the right operand
        gemm(a, c, { out: c, beta: 1 });
        expect(c.toArray()).toEqual([
          [4, 4],
          [8, 8],
        ]);
      }));

    it(`element-wise ops whose out overlaps an input through another view (${dtype})`, () =>
      run(() => {
        const c = array(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype },
        );
        add(c, c.T, c);
        expect(c.toArray()).toEqual([
          [2, 5],
          [5, 8],
        ]);

        // shifted column windows of one buffer: out = x[:, 1:5] + x[:, 0:4] written over x[:, 1:5]
        const x = arange(0, 6, 1, { dtype }).reshape([1, 6]);
        add(x.cols(0, 4), 10, x.cols(1, 5));
        expect(x.toArray()).toEqual([[0, 10, 11, 12, 13, 5]]);
        const y = arange(0, 6, 1, { dtype }).reshape([1, 6]);
        mul(y.cols(1, 5), y.cols(0, 4), y.cols(0, 4));
        expect(y.toArray()).toEqual([[0, 2, 6, 12, 4, 5]]);

        // exactly the input (same elements, same order) is fine and needs no copy
        const z = array([-1, 0, 2], { dtype });
        sigmoid(z, z);
        expect(z.get(1)).toBe(0.5);
      }));

    it(`a reduction whose out is part of its input (${dtype})`, () =>
      run(() => {
        const x = array([[1, 2, 3]], { dtype });
        sum(x, 1, true, x.cols(0, 1));
        expect(x.toArray()).toEqual([[6, 2, 3]]);
      }));

    it(`activationDerivative with out = Z (${dtype})`, () =>
      run(() => {
        const Z = array([[0, 2, -1]], { dtype });
        const want = activationDerivative('sigmoid', Z).toArray();
        activationDerivative('sigmoid', Z, { out: Z });
        expect(Z.toArray()).toEqual(want);
      }));
  }
});

describe.each(BACKENDS)('use after dispose on %s', (backend) => {
  const planar = () => {
    const { X, Y } = loadPlanarDataset();
    return { X: toBackend(X, backend), Y: toBackend(Y, backend) };
  };

  it('fitting or predicting after disposing a parameter names it, on every parameter', () => {
    for (const name of ['W1', 'b1', 'W2', 'b2']) {
      const { X, Y } = planar();
      const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'tanh', seed: 2, backend });
      net.fit(X, Y, { iterations: 2 });
      net.parameters[name as 'W1'].dispose();
      expect(() => net.fit(X, Y, { iterations: 2 })).toThrow(DisposedError);
      expect(() => net.fit(X, Y, { iterations: 2 })).toThrow(`parameter ${name}`);
      expect(() => net.predict(X)).toThrow(`parameter ${name}`);
    }
  });

  it('disposing X while fitAsync runs stops it with an error naming X', async () => {
    const { X, Y } = planar();
    const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'tanh', seed: 2, backend });
    const training = net.fitAsync(X, Y, { iterations: 1_000_000, yieldEveryMs: 1 });
    setTimeout(() => X.dispose(), 5);
    await expect(training).rejects.toThrow('X was disposed while training');
    // Y's memory and the model's parameters were never written through stale offsets
    expect(Array.from(Y.data).every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('disposing Y while fitAsync runs stops it with an error naming Y', async () => {
    const { X, Y } = planar();
    const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'tanh', seed: 2, backend });
    const training = net.fitAsync(X, Y, { iterations: 1_000_000, yieldEveryMs: 1 });
    setTimeout(() => Y.dispose(), 5);
    await expect(training).rejects.toThrow('Y was disposed while training');
  });

  it('an op on a disposed array or out names it', () => {
    onBackend(backend, () => {
      const a = array([1, 2, 3]);
      const out = zeros([3]);
      out.dispose();
      expect(() => add(a, 1, out)).toThrow(DisposedError);
      a.dispose();
      expect(() => a.toArray()).toThrow(DisposedError);
    });
  });
});

describe.each(BACKENDS)('NaN propagates through every activation on %s, as NumPy', (backend) => {
  for (const activation of ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'] as const) {
    it(`${activation}(NaN) is NaN and its backward step keeps the NaN`, () =>
      onBackend(backend, () => {
        const Z = array([[Number.NaN, -1, 0, 2]]);
        const A = Array.from(activationForward(activation, Z).data);
        expect(Number.isNaN(A[0])).toBe(true);
        expect(A.slice(1).every(Number.isFinite)).toBe(true);
        // a NaN gradient reaching the step stays NaN (np.where(Z > 0, dA, 0) would hide it only
        // where Z <= 0, which NaN is not)
        const dZ = Array.from(activationBackward(activation, array([[Number.NaN, 1, 1, 1]]), Z).data);
        expect(Number.isNaN(dZ[0])).toBe(true);
      }));
  }

  it('relu keeps -0 and 0 at zero and infinities as NumPy (np.maximum(0, z))', () =>
    onBackend(backend, () => {
      const A = activationForward('relu', array([[-0, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]]));
      expect(Array.from(A.data)).toEqual([0, 0, Number.POSITIVE_INFINITY]);
    }));
});

describe('array API misuse names the argument and what it expected', () => {
  const a = () => arange(3);
  const cases: [string, () => unknown, string][] = [
    ["set(['1'])", () => a().set(['1'] as never, 1), 'set: index must be an array of integers, got ["1"]'],
    ["set([0], '1')", () => a().set([0], '1' as never), 'set: value must be a number, got string "1"'],
    ["sum('1')", () => a().sum('1' as never), 'sum: axis must be an integer or null, got string "1"'],
    ['matmul(2)', () => a().matmul(2 as never), 'matmul: b must be an NDArray, got number 2'],
    ["sum(0, 'yes')", () => a().sum(0, 'yes' as never), 'sum: keepdims must be true or false'],
    ["clip(0, '1')", () => a().clip(0, '1' as never), 'clip: hi must be a number, got string "1"'],
    ["add('x')", () => a().add('x' as never), 'add: operand 1 must be an NDArray, got string "x"'],
    ["arange('3')", () => arange('3' as never), 'arange: stop must be a finite number, got string "3"'],
    [
      "array('abc')",
      () => array('abc' as never),
      'array: expected nested arrays of numbers or a typed array',
    ],
    ["gemm alpha 'x'", () => gemm(a(), a(), { alpha: 'x' as never }), 'gemm: alpha must be a finite number'],
    ["expandDims('0')", () => a().expandDims('0' as never), 'expandDims: axis must be an integer or null'],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => {
      expect(fn).toThrow(message);
    });
  }
});

describe('sizes beyond memory are refused up front, naming the bytes', () => {
  it('an array larger than the wasm memory', () =>
    onBackend('wasm', () => {
      expect(() => zeros([100_000, 100_000])).toThrow(
        /cannot allocate 80\.0 GB for 10000000000 float64 values: the wasm backend's memory holds at most 4\.29 GB/,
      );
      // sizes near 2^33 elements, which once reached the allocator's free lists
      expect(() => zeros([2 ** 33])).toThrow(RangeError);
      expect(() => zeros([2 ** 33], { dtype: 'float32' })).toThrow(/cannot allocate 34\.4 GB/);
    }));

  it('an array larger than the host can hold, on the JavaScript backends', () => {
    for (const backend of ['loop', 'vectorized'] as const) {
      onBackend(backend, () => {
        expect(() => zeros([2 ** 33])).toThrow(/cannot allocate 68\.7 GB for 8589934592 float64 values/);
      });
    }
  });

  it.each(BACKENDS)('a network too large for memory, before any work (%s)', (backend) => {
    expect(() => new NeuralNetwork({ layerDims: [12288, 200_000, 1], backend })).toThrow(
      /layerDims \[12288, 200000, 1\] \(19\.7 GB of float64 parameters.*need 39\.3 GB, more than/,
    );
  });
});

describe.each(BACKENDS)('divergence on %s', (backend) => {
  it('fit stops at the first non-finite cost, with the iteration and the costs so far', () => {
    const { X, Y } = loadPlanarDataset();
    const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'relu', seed: 2, backend });
    let error: unknown;
    try {
      net.fit(toBackend(X, backend), toBackend(Y, backend), { learningRate: 1e6, iterations: 200 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.message).toMatch(
      /^NeuralNetwork\.fit: training diverged at iteration \d+: the cost is (NaN|Infinity) .*try a smaller learning rate than 1000000/,
    );
    expect(diverged.costs).toHaveLength(diverged.iteration + 1);
    expect(diverged.costs.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(diverged.costs[diverged.iteration])).toBe(false);
  });
});

describe('$VECNET_THREADS', () => {
  it('an invalid value is reported once on the console, not silently ignored', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const saved = process.env.VECNET_THREADS;
    process.env.VECNET_THREADS = 'four';
    try {
      expect(threadsRequestedByEnv()).toBe(false);
      expect(threadsRequestedByEnv()).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toBe(
        'vecnet: ignoring VECNET_THREADS="four": expected an integer from 1 to 64',
      );
    } finally {
      if (saved === undefined) delete process.env.VECNET_THREADS;
      else process.env.VECNET_THREADS = saved;
      warn.mockRestore();
    }
  });
});
