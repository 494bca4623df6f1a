// What runs: the current backend, its wasm build, its threads and its memory, for a user who wants
// to see it (`backendInfo()`, `vecnet info`) rather than guess from timings.

import { currentBackend } from './registry.js';
import { getThreads, type WasmBackend, type WasmInstructionSet, wasmInstructionSetOf } from './wasm/index.js';

/** What `backendInfo()` reports. */
export interface BackendInfo {
  /** The current backend: 'loop', 'vectorized' or 'wasm'. */
  backend: string;
  /** The wasm build's instruction set; null on the JavaScript backends. */
  build: WasmInstructionSet | null;
  /** Threads the backend computes on (1 on the JavaScript backends and where threads are unavailable). */
  threads: number;
  /** The wasm linear memory's current size in bytes; null on the JavaScript backends. */
  memoryBytes: number | null;
}

/**
 * The current backend, its build, thread count and memory.
 *
 * @example
 * backendInfo(); // { backend: 'wasm', build: 'simd128', threads: 2, memoryBytes: 1179648 } on Node 20
 */
export function backendInfo(): BackendInfo {
  const backend = currentBackend();
  if (backend.name !== 'wasm') return { backend: backend.name, build: null, threads: 1, memoryBytes: null };
  const wasm = backend as WasmBackend;
  return {
    backend: 'wasm',
    build: wasmInstructionSetOf(wasm),
    threads: wasm.threads ? getThreads() : 1,
    memoryBytes: wasm.stats().capacityBytes,
  };
}
