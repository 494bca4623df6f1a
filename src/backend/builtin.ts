// The engines vecnet ships, for the entry points to register: loop, vectorized, and wasm from the
// binary the entry has (a file beside the package in Node, inlined bytes in the browser bundle).

import type { BackendName } from './backend.js';
import { LoopBackend } from './loop.js';
import { backendCreated, loadPreferred, registerBackend } from './registry.js';
import { VectorizedBackend } from './vectorized/index.js';
import {
  type RelaxedSource,
  type WasmBackendOptions,
  type WasmSource,
  wasmBackendFactory,
} from './wasm/index.js';

/**
 * Registers loop, vectorized and wasm (built from `wasm.source`, default build/vecnet.wasm; with
 * `wasm.relaxedSource`, `ready()` loads the relaxed-SIMD build from it where the engine supports it).
 */
export function registerBuiltinBackends(
  wasm: Pick<WasmBackendOptions, 'source'> & { relaxedSource?: RelaxedSource } = {},
): void {
  registerBackend('loop', { create: () => new LoopBackend() });
  registerBackend('vectorized', { create: () => new VectorizedBackend() });
  registerBackend('wasm', wasmBackendFactory(wasm));
}

/**
 * Compiles the wasm backend without blocking and, unless `setBackend` chose another, makes it the
 * current one. Call it once before creating arrays in a browser; in Node it is optional (the wasm
 * backend also loads synchronously on first use). `source` (a path or URL, the bytes, a fetch
 * Response or a compiled module) replaces the entry's binary if the wasm backend was not created
 * yet. Where WebAssembly SIMD is missing it resolves to 'vectorized'. Resolves to the current
 * backend's name.
 *
 * @example
 * await ready();            // 'wasm' where WebAssembly SIMD is supported
 * array([[1, 2], [3, 4]]).matmul(array([[1], [1]])).toArray(); // [[3], [7]]
 */
export function ready(source?: WasmSource): Promise<BackendName> {
  if (source !== undefined && !backendCreated('wasm'))
    registerBackend('wasm', wasmBackendFactory({ source }));
  return loadPreferred();
}
