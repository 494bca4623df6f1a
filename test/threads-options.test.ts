// The thread count as an option: `createWasmBackendSync({ threads: n })` and
// `setBackend('wasm', { threads: n })`, beside setThreads; and `WasmBackend.dispose()`, which stops a
// backend's workers at any time, also in the middle of training (threads.test.ts covers the pool).
// Each test file runs in its own process, so the global count and the environment set here stay here.
import { afterEach, describe, expect, it } from 'vitest';
import { registerBackend } from '../src/backend/registry.js';
import {
  createWasmBackendSync,
  getThreads,
  setThreads,
  threadsSupported,
  type WasmBackend,
} from '../src/backend/wasm/index.js';
import { getBackend, setBackend } from '../src/index.js';
import { array } from '../src/ndarray/create.js';
import { NeuralNetwork } from '../src/nn/neural-network.js';
import { draw, uniform } from './helpers/rng.js';

// split every GEMM the tiling allows, so small problems exercise the workers
process.env.VECNET_THREADS_MIN_WORK = '1';

afterEach(() => {
  setThreads(1);
  setBackend('wasm');
});

describe.runIf(threadsSupported())('threads as an option', () => {
  it('createWasmBackendSync({ threads: n > 1 }) gives a threaded backend and sets the count', () => {
    const backend = createWasmBackendSync({ threads: 3 });
    expect(backend.threads).toBeDefined();
    expect(getThreads()).toBe(3);
  });

  it('createWasmBackendSync({ threads: 1 }) gives a single-threaded backend', () => {
    setThreads(2);
    const backend = createWasmBackendSync({ threads: 1 });
    expect(backend.threads).toBeUndefined();
    expect(getThreads()).toBe(1);
  });

  it('setBackend("wasm", { threads: n }) sets the count', () => {
    setBackend('wasm', { threads: 2 });
    expect(getBackend()).toBe('wasm');
    expect(getThreads()).toBe(2);
  });
});

describe('bad thread options', () => {
  it('rejects counts that are not integers from 1 to 64, naming the argument', () => {
    for (const n of [0, -1, 1.5, 65, Number.NaN]) {
      expect(() => createWasmBackendSync({ threads: n })).toThrow(RangeError);
      expect(() => setBackend('wasm', { threads: n })).toThrow(
        /setBackend: threads must be an integer from 1 to 64/,
      );
    }
  });

  it('rejects a threads value that is neither a boolean nor a number', () => {
    expect(() => createWasmBackendSync({ threads: '2' as unknown as number })).toThrow(
      /threads must be a boolean or a thread count, got 2/,
    );
  });

  it('rejects threads for backends other than wasm, and unknown options, leaving the backend as it was', () => {
    setBackend('wasm');
    expect(() => setBackend('loop', { threads: 2 })).toThrow(
      /threads applies to the wasm backend only, not 'loop'/,
    );
    expect(() => setBackend('wasm', { thread: 2 } as never)).toThrow(/unknown option 'thread'/);
    expect(() => setBackend('wasm', { threads: 0 })).toThrow(RangeError);
    expect(getBackend()).toBe('wasm');
  });
});

/** An (n_x, m) data set and 0/1 labels from a fixed seed. */
function data(nx: number, m: number): { X: number[]; Y: number[] } {
  const X = Array.from(draw(12345, nx * m, uniform(-1, 1)));
  const Y = Array.from({ length: m }, (_, j) => (X[j] + X[m + j] > 0 ? 1 : 0));
  return { X, Y };
}

/** The cost history of a [64, 32, 16, 1] net trained on `backend`, calling `each` after every iteration. */
async function history(backend: WasmBackend, each: (i: number) => void): Promise<number[]> {
  registerBackend('wasm', { create: () => backend });
  const { X, Y } = data(64, 96);
  const net = new NeuralNetwork({ layerDims: [64, 32, 16, 1], hidden: 'relu', seed: 3, backend: 'wasm' });
  const Xa = array(X, { shape: [64, 96], backend: 'wasm' });
  const Ya = array(Y, { shape: [1, 96], backend: 'wasm' });
  const { costs } = await net.fitAsync(Xa, Ya, {
    iterations: 40,
    learningRate: 0.05,
    onIteration: (i) => {
      each(i);
    },
  });
  for (const x of [Xa, Ya]) x.dispose();
  net.dispose();
  return costs;
}

describe.runIf(threadsSupported())('WasmBackend.dispose', () => {
  it('stops the workers; later calls start them again and give the same results', async () => {
    setThreads(2);
    const threaded = createWasmBackendSync({ threads: true });
    const single = createWasmBackendSync({ threads: false });
    const pool = threaded.threads!;
    const run = (be: WasmBackend) => {
      const a = be.alloc('float64', 64 * 64);
      const c = be.alloc('float64', 64 * 64);
      const v = be.view(a);
      for (let i = 0; i < v.length; i++) v[i] = Math.sin(i);
      be.gemm(c, 0, 64, a, 0, 64, false, a, 0, 64, true, 64, 64, 64, 1, 0);
      const out = Array.from(be.view(c));
      be.free(a);
      be.free(c);
      return out;
    };
    const expected = run(single);
    await pool.ready();
    expect(pool.runningWorkers()).toBe(1);
    const before = pool.jobs;
    for (let round = 0; round < 50; round++) {
      expect(run(threaded)).toEqual(expected);
      threaded.dispose();
      expect(pool.runningWorkers()).toBe(0);
      threaded.dispose(); // idempotent
    }
    await pool.ready();
    expect(run(threaded)).toEqual(expected);
    expect(pool.jobs).toBeGreaterThan(before); // the workers came back and took jobs
    single.dispose(); // no workers: a no-op
  });

  it('is safe in the middle of training: fitAsync gives the same costs', async () => {
    setThreads(2);
    const reference = await history(createWasmBackendSync({ threads: false }), () => {});
    const threaded = createWasmBackendSync({ threads: true });
    await threaded.threads!.ready();
    const jobs = threaded.threads!.jobs;
    const costs = await history(threaded, (i) => {
      if (i % 7 === 3) threaded.dispose();
    });
    expect(costs).toEqual(reference);
    expect(threaded.threads!.jobs).toBeGreaterThan(jobs);
  });
});
