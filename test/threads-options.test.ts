// The thread count as an option: `createWasmBackendSync({ threads: n })` and
// `setBackend('wasm', { threads: n })`, beside setThreads (threads.test.ts covers the pool itself).
// Each test file runs in its own process, so the global count set here stays here.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWasmBackendSync,
  getThreads,
  setThreads,
  threadsSupported,
} from '../src/backend/wasm/index.js';
import { getBackend, setBackend } from '../src/ndarray/index.js';

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
