// The wasm backend's public face: factories and feature detection. See backend.ts for the engine,
// allocator.ts for the heap, load.ts for how the binary is found, abi.ts for the kernel exports.

import { WasmBackend } from './backend.js';
import {
  compile,
  compileSync,
  instantiateAsync,
  instantiateSync,
  type WasmSource,
  wasmSimdSupported,
} from './load.js';

export type { WasmStats } from './backend.js';
export { MAX_NDIM, WasmBackend, WasmBuffer } from './backend.js';
export type { WasmSource } from './load.js';
export { wasmSimdSupported };

const PAGE = 65536;
/** wasm32 addresses 4 GiB at most. */
const MAX_PAGES = 65536;

/** How to build a wasm backend; every field is optional. */
export interface WasmBackendOptions {
  /** The binary: a path or URL, its bytes, a fetch Response or a compiled module. Default: build/vecnet.wasm found from this module. */
  source?: WasmSource;
  /**
   * The memory to live in, e.g. a `shared: true` one for a threaded build. Default: a new memory of
   * `initialBytes`. It must be at least as large as the module's static data plus GEMM's scratch.
   */
  memory?: WebAssembly.Memory;
  /** Initial size of a new memory in bytes, rounded up to 64 KiB pages. Default 4 MiB. */
  initialBytes?: number;
  /** The memory never grows beyond this many bytes (rounded down to pages); default 4 GiB, the wasm32 limit. */
  maxBytes?: number;
}

function newMemory(options: WasmBackendOptions): { memory: WebAssembly.Memory; limitBytes: number } {
  const maxPages = Math.min(MAX_PAGES, Math.floor((options.maxBytes ?? MAX_PAGES * PAGE) / PAGE));
  if (options.memory) return { memory: options.memory, limitBytes: maxPages * PAGE };
  const initial = Math.min(maxPages, Math.ceil((options.initialBytes ?? 4 * 1024 * 1024) / PAGE));
  const descriptor: WebAssembly.MemoryDescriptor = { initial };
  if (options.maxBytes !== undefined) descriptor.maximum = maxPages;
  return { memory: new WebAssembly.Memory(descriptor), limitBytes: maxPages * PAGE };
}

/**
 * A wasm backend, synchronously: Node only (reads build/vecnet.wasm from disk), or anywhere when
 * `options.source` is the bytes or a compiled module.
 *
 * @throws Error naming `vectorized` as the alternative when WebAssembly SIMD is unsupported.
 * @example
 * const wasm = createWasmBackendSync();
 * const buf = wasm.alloc('float64', 4);
 */
export function createWasmBackendSync(options: WasmBackendOptions = {}): WasmBackend {
  const module = compileSync(options.source);
  const { memory, limitBytes } = newMemory(options);
  return new WasmBackend(memory, instantiateSync(module, memory), limitBytes);
}

/**
 * A wasm backend, anywhere: in browsers the binary is fetched (instantiateStreaming where the server
 * sends application/wasm) relative to this module, or from `options.source`.
 *
 * @throws Error naming `vectorized` as the alternative when WebAssembly SIMD is unsupported.
 * @example
 * const wasm = await createWasmBackend();
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const module = await compile(options.source);
  const { memory, limitBytes } = newMemory(options);
  return new WasmBackend(memory, await instantiateAsync(module, memory), limitBytes);
}
