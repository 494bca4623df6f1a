import type { Backend, BackendName } from './backend.js';
import { LoopBackend } from './loop.js';
import { VectorizedBackend } from './vectorized.js';
import {
  createWasmBackend,
  createWasmBackendSync,
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

/**
 * Chooses the engine that new arrays are created on.
 *
 * @example
 * setBackend('vectorized');
 * zeros([2, 2]).backend; // 'vectorized'
 */
export function setBackend(name: BackendName): void {
  if (name !== 'loop' && name !== 'vectorized' && name !== 'wasm') {
    throw new Error(`setBackend: unknown backend '${String(name)}': expected 'loop', 'vectorized' or 'wasm'`);
  }
  current = backendByName(name);
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
