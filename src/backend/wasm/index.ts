// The wasm backend's public face: factories and feature detection. See backend.ts for the engine,
// allocator.ts for the heap, load.ts for how the binary is found, abi.ts for the kernel exports.

import { envChoice } from '../../core/index.js';
import type { BackendFactory } from '../registry.js';
import { WasmBackend } from './backend.js';
import {
  compile,
  compileSync,
  instantiateAsync,
  instantiateSync,
  type WasmSource,
  wasmSimdSupported,
} from './load.js';
import {
  isThreadCount,
  MAX_THREADS,
  noteSingleThreaded,
  setThreads,
  threadsRequestedByEnv,
  threadsSupported,
} from './threads/index.js';
import { relaxedSimdSupported, toSharedMemory, type Variant, variantFile } from './variants.js';

export type { WasmStats } from './backend.js';
export { MAX_NDIM, WasmBackend, WasmBuffer } from './backend.js';
export type { WasmSource } from './load.js';
export {
  getThreads,
  isThreadCount,
  MAX_THREADS,
  setThreads,
  terminateThreads,
  threadsSupported,
} from './threads/index.js';
export { relaxedSimdSupported } from './variants.js';
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
  /**
   * Run large GEMMs and element-wise ops on `getThreads()` threads: the threaded build over a shared
   * memory (see threads.ts). A number n is short for `true` (n > 1) or `false` (n = 1) plus
   * `setThreads(n)`, which applies to every wasm backend. Default: true when $VECNET_THREADS > 1
   * (the backend of `setBackend('wasm')` always asks for it). Ignored where threads are unavailable,
   * and for a `source` that is not the bytes of a build (a URL, Response or compiled module) unless
   * `memory` is shared.
   *
   * @throws RangeError when a number that is not an integer from 1 to 64.
   */
  threads?: boolean | number;
  /**
   * Use the relaxed-SIMD build (fused multiply-add GEMM micro-kernels). Default: where the engine
   * supports relaxed SIMD and the build is present. With `source`, true says that the given binary is
   * the relaxed build (backendInfo reports it); default false.
   *
   * @throws Error when true and the engine lacks relaxed SIMD.
   */
  relaxedSimd?: boolean;
}

function newMemory(
  options: WasmBackendOptions,
  shared: boolean,
): { memory: WebAssembly.Memory; limitBytes: number } {
  const maxPages = Math.min(MAX_PAGES, Math.floor((options.maxBytes ?? MAX_PAGES * PAGE) / PAGE));
  if (options.memory) return { memory: options.memory, limitBytes: maxPages * PAGE };
  const initial = Math.min(maxPages, Math.ceil((options.initialBytes ?? 4 * 1024 * 1024) / PAGE));
  if (shared) {
    // a shared memory declares its maximum up front (it never moves); engines short of address
    // space (32-bit, some phones) may refuse 4 GiB, so ask for less until one fits
    for (const maximum of [maxPages, 16384, 4096, 1024]) {
      if (maximum > maxPages || maximum < initial) continue;
      try {
        return {
          memory: new WebAssembly.Memory({ initial, maximum, shared: true }),
          limitBytes: maximum * PAGE,
        };
      } catch {
        // try a smaller reservation
      }
    }
  }
  const descriptor: WebAssembly.MemoryDescriptor = { initial };
  if (options.maxBytes !== undefined) descriptor.maximum = maxPages;
  return { memory: new WebAssembly.Memory(descriptor), limitBytes: maxPages * PAGE };
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
}

/** Whether the options ask for the threaded build; a thread count is applied with setThreads. */
function threadsWanted(threads: boolean | number | undefined): boolean {
  if (typeof threads === 'number') {
    setThreads(threads);
    return threads > 1;
  }
  if (threads !== undefined && typeof threads !== 'boolean') {
    throw new TypeError(`wasm backend: threads must be a boolean or a thread count, got ${String(threads)}`);
  }
  return threads ?? threadsRequestedByEnv();
}

/** The build $VECNET_WASM_BUILD asks for (true: relaxed SIMD), or undefined when it is unset. */
function buildFromEnv(): boolean | undefined {
  const build = envChoice('VECNET_WASM_BUILD');
  return build === undefined ? undefined : build === 'relaxed-simd';
}

/** Which build to load and whether over a shared memory, from the options and the engine. */
function choose(options: WasmBackendOptions): { variant: Variant; source: WasmSource | undefined } {
  options = { ...options, relaxedSimd: options.relaxedSimd ?? buildFromEnv() };
  if (options.relaxedSimd && !relaxedSimdSupported()) {
    throw new Error(
      'wasm backend: this JavaScript engine does not support relaxed SIMD (Node 20 needs ' +
        '--experimental-wasm-relaxed-simd); leave relaxedSimd unset to use the SIMD128 build',
    );
  }
  // a given binary is the build the caller says it is: relaxed only when relaxedSimd says so
  const relaxed =
    options.source === undefined
      ? (options.relaxedSimd ?? relaxedSimdSupported())
      : options.relaxedSimd === true;
  const wanted = threadsWanted(options.threads);
  if (options.memory)
    return { variant: { threads: isShared(options.memory), relaxed }, source: options.source };
  if (wanted && !threadsSupported()) noteSingleThreaded();
  let threads = wanted && threadsSupported();
  let source = options.source;
  if (threads && source !== undefined) {
    // bytes of a build become its threaded twin; a URL, Response or module is taken as it is
    if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
      const bytes = ArrayBuffer.isView(source)
        ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
        : new Uint8Array(source);
      source = toSharedMemory(bytes);
    } else {
      threads = false;
    }
  }
  return { variant: { threads, relaxed }, source };
}

/**
 * The default build of `variant`, compiled, and the variant it really is: a missing relaxed build
 * falls back to the plain one, a missing threaded build to one thread (with a warning: rebuild).
 */
function defaultModuleSync(variant: Variant): { module: WebAssembly.Module; variant: Variant } {
  try {
    return { module: compileSync(undefined, variantFile(variant)), variant };
  } catch (error) {
    return defaultModuleSync(fallback(variant, error));
  }
}

async function defaultModule(variant: Variant): Promise<{ module: WebAssembly.Module; variant: Variant }> {
  try {
    return { module: await compile(undefined, variantFile(variant)), variant };
  } catch (error) {
    return defaultModule(fallback(variant, error));
  }
}

function fallback(variant: Variant, error: unknown): Variant {
  if (variant.relaxed) return { ...variant, relaxed: false };
  if (!variant.threads) throw error;
  console.warn(`vecnet: ${(error as Error).message}; running on one thread`);
  return { threads: false, relaxed: false };
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
  const chosen = choose(options);
  const { module, variant } =
    chosen.source === undefined
      ? defaultModuleSync(chosen.variant)
      : { module: compileSync(chosen.source), variant: chosen.variant };
  const { memory, limitBytes } = newMemory(options, variant.threads);
  const threaded = variant.threads && isShared(memory);
  const backend = new WasmBackend(
    memory,
    instantiateSync(module, memory),
    limitBytes,
    threaded ? module : undefined,
  );
  return named(backend, chosen.source === undefined, variant);
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
  const chosen = choose(options);
  const { module, variant } =
    chosen.source === undefined
      ? await defaultModule(chosen.variant)
      : { module: await compile(chosen.source), variant: chosen.variant };
  const { memory, limitBytes } = newMemory(options, variant.threads);
  const threaded = variant.threads && isShared(memory);
  const exports = await instantiateAsync(module, memory);
  const backend = new WasmBackend(memory, exports, limitBytes, threaded ? module : undefined);
  return named(backend, chosen.source === undefined, variant);
}

const builds = new WeakMap<WasmBackend, string>();
const instructionSets = new WeakMap<WasmBackend, WasmInstructionSet>();

/** The instruction set a wasm build uses: SIMD128, or relaxed SIMD (fused multiply-add kernels). */
export type WasmInstructionSet = 'simd128' | 'relaxed-simd';

function named(backend: WasmBackend, fromFile: boolean, variant: Variant): WasmBackend {
  const threads = backend.threads ? ', threaded' : '';
  builds.set(backend, fromFile ? `${variantFile(variant)}${threads}` : `given binary${threads}`);
  instructionSets.set(backend, variant.relaxed ? 'relaxed-simd' : 'simd128');
  return backend;
}

/** The instruction set of a wasm backend's build. @example wasmInstructionSetOf(backend) // 'simd128' on Node 20 */
export function wasmInstructionSetOf(backend: WasmBackend): WasmInstructionSet {
  return instructionSets.get(backend) ?? 'simd128';
}

/**
 * Which build a wasm backend runs, for logs and benchmarks: the file (vecnet.wasm,
 * vecnet.relaxed.threads.wasm, ...) or 'given binary', plus ', threaded' when it has worker threads.
 *
 * @example
 * wasmBuildOf(createWasmBackendSync({ threads: true })); // 'vecnet.threads.wasm, threaded' in Node 20
 */
export function wasmBuildOf(backend: WasmBackend): string {
  return builds.get(backend) ?? 'unknown';
}

/** Where an entry finds the relaxed-SIMD build, fetched only where the engine runs relaxed SIMD. */
export type RelaxedSource = () => Promise<Uint8Array>;

/**
 * The registry's factory of the wasm backend (see registry.ts): threaded wherever threads are
 * available, so `setThreads()` applies at any time, and `setBackend('wasm', { threads })` sets the
 * count. `options.source` gives the binary (the browser bundle passes its inlined bytes), and
 * `relaxedSource` the relaxed-SIMD build for the asynchronous load (`ready()`) where the engine has
 * relaxed SIMD: the browser bundle fetches it beside itself, and falls back to `source` when that
 * fails (a bundler that did not copy the file, a page opened from disk).
 */
export function wasmBackendFactory(
  options: Pick<WasmBackendOptions, 'source'> & { relaxedSource?: RelaxedSource } = {},
): BackendFactory {
  const make = { source: options.source, threads: true };
  const relaxedSource = options.relaxedSource;
  const load = async () => {
    if (relaxedSource && relaxedSimdSupported()) {
      try {
        return await createWasmBackend({ ...make, source: await relaxedSource(), relaxedSimd: true });
      } catch {
        // the SIMD128 build below computes the same (rounding aside); backendInfo().build tells which
      }
    }
    return createWasmBackend(make);
  };
  return {
    create: () => createWasmBackendSync(make),
    load,
    supported: wasmSimdSupported,
    options: ['threads'],
    configure({ threads }, where) {
      if (threads === undefined) return;
      if (typeof threads !== 'number' || !isThreadCount(threads)) {
        throw new RangeError(
          `${where}: threads must be an integer from 1 to ${MAX_THREADS}, got ${String(threads)}`,
        );
      }
      setThreads(threads);
    },
  };
}
