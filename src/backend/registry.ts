import type { Backend, BackendName } from './backend.js';
import { LoopBackend } from './loop.js';
import { VectorizedBackend } from './vectorized.js';
import {
  createWasmBackend,
  createWasmBackendSync,
  isThreadCount,
  MAX_THREADS,
  setThreads,
  type WasmSource,
  wasmSimdSupported,
} from './wasm/index.js';

type Factory = () => Backend;

const factories = new Map<BackendName, Factory>([
  ['loop', () => new LoopBackend()],
  ['vectorized', () => new VectorizedBackend()],
  // synchronous where the binary can be read synchronously (Node); browsers call `ready()` first;
  // threaded (shared memory) wherever threads are available, so setThreads() applies at any time
  ['wasm', () => createWasmBackendSync({ threads: true })],
]);
const instances = new Map<BackendName, Backend>();
let current: Backend | undefined;
let defaultName: BackendName | undefined;

/** Makes a backend available by name; the wasm module registers itself where it can load. */
export function registerBackend(name: BackendName, factory: Factory, { preferred = false } = {}): void {
  factories.set(name, factory);
  instances.delete(name);
  if (preferred) defaultName = name;
}

/** A backend by name, created on first use (one instance per name, shared by every array on it). */
export function backendByName(name: BackendName): Backend {
  let backend = instances.get(name);
  if (backend) return backend;
  const factory = factories.get(name);
  if (!factory) {
    const known = [...factories.keys()].join(', ');
    throw new Error(`unknown backend '${name}': expected one of ${known}`);
  }
  backend = factory();
  instances.set(name, backend);
  return backend;
}

/** Options of `setBackend`. */
export interface BackendOptions {
  /** wasm only: the thread count, as `setThreads(n)` (which applies to every wasm backend). */
  threads?: number;
}

/**
 * Chooses the engine that new arrays are created on; for wasm, optionally its thread count.
 *
 * @throws Error for an unknown name; RangeError for a thread count that is not an integer from 1 to
 * 64, TypeError for `threads` with another backend than wasm.
 * @example
 * setBackend('vectorized');
 * zeros([2, 2]).backend; // 'vectorized'
 * setBackend('wasm', { threads: 2 }); // large GEMMs and element-wise ops on two threads
 */
export function setBackend(name: BackendName, options: BackendOptions = {}): void {
  if (name !== 'loop' && name !== 'vectorized' && name !== 'wasm') {
    throw new Error(`setBackend: unknown backend '${String(name)}': expected 'loop', 'vectorized' or 'wasm'`);
  }
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`setBackend: options must be an object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'threads') throw new TypeError(`setBackend: unknown option '${key}' (expected threads)`);
  }
  if (options.threads !== undefined) {
    if (name !== 'wasm') {
      throw new TypeError(`setBackend: threads applies to the wasm backend only, not '${name}'`);
    }
    if (!isThreadCount(options.threads)) {
      throw new RangeError(
        `setBackend: threads must be an integer from 1 to ${MAX_THREADS}, got ${options.threads}`,
      );
    }
  }
  current = backendByName(name);
  if (options.threads !== undefined) setThreads(options.threads);
}

/**
 * The name of the current backend: `wasm` where WebAssembly SIMD loads, else `vectorized`, unless
 * `setBackend` chose another.
 *
 * @example
 * getBackend(); // 'wasm' in Node 20
 */
export function getBackend(): BackendName {
  return currentBackend().name;
}

/** The current backend object (internal). */
export function currentBackend(): Backend {
  if (!current) {
    try {
      current = backendByName(defaultName ?? (wasmSimdSupported() ? 'wasm' : 'vectorized'));
    } catch {
      current = backendByName('vectorized');
    }
  }
  return current;
}

/**
 * Loads the wasm backend asynchronously (fetching build/vecnet.wasm next to the module in a browser)
 * and, unless another backend was chosen, makes it the current one. In Node it is optional: the
 * wasm backend loads synchronously on first use. Resolves to the current backend's name.
 *
 * @example
 * await ready();        // in a browser, before the first array is created
 * getBackend();         // 'wasm' where WebAssembly SIMD is supported, else 'vectorized'
 */
export async function ready(source?: WasmSource): Promise<BackendName> {
  if (!instances.has('wasm') && wasmSimdSupported()) {
    try {
      instances.set(
        'wasm',
        await createWasmBackend(source === undefined ? { threads: true } : { source, threads: true }),
      );
    } catch (err) {
      if (!current) current = backendByName('vectorized');
      throw err;
    }
  }
  return getBackend();
}
