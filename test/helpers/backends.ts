import type { BackendName } from '../../src/index.js';
import { getBackend, setBackend } from '../../src/index.js';

/** Every backend the suites run on: loop (the oracle), vectorized and wasm. */
export const BACKENDS: readonly BackendName[] = ['loop', 'vectorized', 'wasm'];

/** Runs fn with `name` as the current backend, restoring the previous one after. */
export function onBackend<T>(name: BackendName, fn: () => T): T {
  const previous = getBackend();
  setBackend(name);
  try {
    return fn();
  } finally {
    setBackend(previous);
  }
}
