// Which backend new arrays are created on. The registry knows backends only by name: the entry points
// (src/index.ts for Node, src/browser.ts for pages) register the ones they ship, with a factory each.

import { envChoice } from '../core/index.js';
import type { Backend, BackendName } from './backend.js';

/** How an entry point provides a backend. */
export interface BackendFactory {
  /** The backend, made synchronously (wasm: from bytes or a file at hand). */
  create(): Backend;
  /** The backend, made asynchronously (wasm in a browser: fetch and compile); default `create`. */
  load?(): Promise<Backend>;
  /** Whether this engine can run it at all (wasm: WebAssembly SIMD); default true. */
  supported?(): boolean;
  /** The options `setBackend(name, options)` accepts for it, checked and applied by `configure`. */
  options?: readonly string[];
  /** Checks and applies those options (`where` prefixes error messages). */
  configure?(options: Record<string, unknown>, where: string): void;
}

/** Options of `setBackend`. */
export interface BackendOptions {
  /** wasm only: the thread count, as `setThreads(n)` (which applies to every wasm backend). */
  threads?: number;
}

/** Without a `setBackend` call, the first of these that is registered, supported and loads. */
const DEFAULT_ORDER: readonly BackendName[] = ['wasm', 'vectorized', 'loop'];
const NAMES: readonly BackendName[] = ['loop', 'vectorized', 'wasm'];

const factories = new Map<BackendName, BackendFactory>();
const instances = new Map<BackendName, Backend>();
let current: Backend | undefined;

/** Makes a backend available by name (replacing an earlier registration and its instance). */
export function registerBackend(name: BackendName, factory: BackendFactory): void {
  factories.set(name, factory);
  instances.delete(name);
  if (current?.name === name) current = undefined;
}

function factoryOf(name: BackendName, where: string): BackendFactory {
  const factory = factories.get(name);
  if (factory) return factory;
  if (!NAMES.includes(name)) {
    throw new Error(`${where}: unknown backend '${String(name)}': expected 'loop', 'vectorized' or 'wasm'`);
  }
  const known = [...factories.keys()].map((n) => `'${n}'`).join(', ') || 'none';
  throw new Error(`${where}: backend '${name}' is not registered in this build (registered: ${known})`);
}

/** Whether the backend `name` has been created (its arrays exist or may exist). */
export function backendCreated(name: BackendName): boolean {
  return instances.has(name);
}

/** A backend by name, created on first use (one instance per name, shared by every array on it). */
export function backendByName(name: BackendName, where = 'backend'): Backend {
  let backend = instances.get(name);
  if (backend) return backend;
  backend = factoryOf(name, where).create();
  instances.set(name, backend);
  return backend;
}

/**
 * Chooses the engine that new arrays are created on, with the options that backend takes (wasm:
 * `threads`).
 *
 * @throws Error for an unknown or unregistered name; TypeError for an option the backend does not
 * take; RangeError for a bad thread count (an integer from 1 to 64).
 * @example
 * setBackend('vectorized');
 * zeros([2, 2]).backend; // 'vectorized'
 * setBackend('wasm', { threads: 2 }); // large GEMMs and element-wise ops on two threads
 */
export function setBackend(name: BackendName, options: BackendOptions = {}): void {
  const where = 'setBackend';
  const factory = factoryOf(name, where);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, got ${String(options)}`);
  }
  const accepted = factory.options ?? [];
  for (const key of Object.keys(options)) {
    if (accepted.includes(key)) continue;
    const owner = [...factories].find(([, f]) => f.options?.includes(key))?.[0];
    throw new TypeError(
      owner
        ? `${where}: ${key} applies to the ${owner} backend only, not '${name}'`
        : `${where}: unknown option '${key}'${accepted.length ? ` (expected ${accepted.join(', ')})` : ''}`,
    );
  }
  factory.configure?.(options as Record<string, unknown>, where);
  current = backendByName(name, where);
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

let warned = false;

function fellBack(name: BackendName, error: unknown): void {
  if (warned) return;
  warned = true;
  const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
  console.warn(
    `vecnet: the ${name} backend could not be loaded (${why}); using the next one. Set VECNET_BACKEND or call setBackend() to choose.`,
  );
}

/** The current backend object (internal): $VECNET_BACKEND when set, else the first that loads. */
export function currentBackend(): Backend {
  if (current) return current;
  const forced = envChoice('VECNET_BACKEND');
  if (forced) {
    current = backendByName(forced, 'VECNET_BACKEND');
    return current;
  }
  for (const name of DEFAULT_ORDER) {
    const factory = factories.get(name);
    if (!factory || factory.supported?.() === false) continue;
    try {
      current = backendByName(name);
      return current;
    } catch (error) {
      // e.g. a bundle that left the .wasm files behind, or a page that must fetch the wasm first
      // (`ready()`): say so once, then fall through to the next backend
      fellBack(name, error);
    }
  }
  throw new Error('no backend is registered: import vecnet from its entry point (vecnet or vecnet/browser)');
}

/**
 * Creates the preferred backend asynchronously (its `load`: the wasm module compiled without
 * blocking) unless it exists; resolves to the current backend's name. A failed load leaves
 * `vectorized` current and rejects. `ready()` (builtin.ts) is the public face.
 */
export async function loadPreferred(): Promise<BackendName> {
  for (const name of DEFAULT_ORDER) {
    const factory = factories.get(name);
    if (!factory || factory.supported?.() === false) continue;
    if (!instances.has(name)) {
      try {
        instances.set(name, await (factory.load?.() ?? Promise.resolve(factory.create())));
      } catch (error) {
        current ??= backendByName('vectorized');
        throw error;
      }
    }
    break;
  }
  return getBackend();
}
