// How many threads the wasm backend uses, and whether this context can have any: setThreads,
// getThreads and terminateThreads, the environment probe (shared memory, workers, whether this thread
// may block) and the $VECNET_THREADS* variables.

import { envVar } from '../../../core/index.js';
import { MIN_THREADED_ELEMENTS } from './split-elementwise.js';
import { MIN_THREADED_WORK } from './split-gemm.js';

/** Default thread count cap: more threads than this rarely pay on one GEMM of a course-sized net. */
const DEFAULT_MAX_THREADS = 8;
/** Hard cap of setThreads (slots in the control block, chunk index bits). */
export const MAX_THREADS = 64;

type NodeWorkerThreads = typeof import('node:worker_threads');

/** What this JavaScript context offers for threads. */
export interface ThreadEnv {
  /** Node's worker_threads, when running under Node */
  workerThreads?: NodeWorkerThreads;
  /** the reason threads are unavailable, or undefined when they are available */
  unavailable?: string;
  cores: number;
  /** whether this thread may block in Atomics.wait (not a browser's main thread) */
  canBlock: boolean;
}

const NOT_ISOLATED =
  'the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';

function probeEnv(): ThreadEnv {
  const g = globalThis as {
    process?: NodeJS.Process;
    navigator?: { hardwareConcurrency?: number };
    crossOriginIsolated?: boolean;
    Worker?: unknown;
  };
  const proc = g.process;
  const workerThreads =
    typeof proc?.getBuiltinModule === 'function'
      ? (proc.getBuiltinModule('node:worker_threads') as NodeWorkerThreads)
      : undefined;
  let cores = 1;
  if (typeof proc?.getBuiltinModule === 'function') {
    const os = proc.getBuiltinModule('node:os') as typeof import('node:os');
    cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  } else if (g.navigator?.hardwareConcurrency) {
    cores = g.navigator.hardwareConcurrency;
  }
  let unavailable: string | undefined;
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    unavailable = g.crossOriginIsolated === false ? NOT_ISOLATED : 'SharedArrayBuffer is unavailable';
  } else if (g.crossOriginIsolated === false) {
    unavailable = NOT_ISOLATED;
  } else if (!workerThreads && typeof g.Worker !== 'function') {
    unavailable = 'this context cannot start workers';
  } else {
    try {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      if (!(memory.buffer instanceof SharedArrayBuffer))
        unavailable = 'shared WebAssembly memory is unsupported';
    } catch {
      unavailable = 'shared WebAssembly memory is unsupported';
    }
  }
  let canBlock = false;
  if (!unavailable) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      canBlock = true;
    } catch {
      canBlock = false; // a browser's main thread
    }
  }
  return { workerThreads, unavailable, cores: Math.max(1, cores), canBlock };
}

let env: ThreadEnv | undefined;

/** This context's thread facilities, probed once. */
export function threadEnv(): ThreadEnv {
  env ??= probeEnv();
  return env;
}

/** True when this context can run vecnet's threaded build: shared memory, Atomics and workers. */
export function threadsSupported(): boolean {
  return threadEnv().unavailable === undefined;
}

let badThreadsWarned = false;

/**
 * $VECNET_THREADS as a positive integer, or undefined. A value that is not one (a typo such as
 * `VECNET_THREADS=four`) is reported once on the console rather than silently ignored; the `vecnet`
 * command refuses it outright.
 */
function envThreads(): number | undefined {
  const raw = envVar('VECNET_THREADS');
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 1 && n <= MAX_THREADS) return n;
  if (!badThreadsWarned) {
    badThreadsWarned = true;
    console.warn(
      `vecnet: ignoring VECNET_THREADS=${JSON.stringify(raw)}: expected an integer from 1 to ${MAX_THREADS}`,
    );
  }
  return undefined;
}

/** A number >= 1 from the environment variable `name`, else `fallback`. */
function envAtLeastOne(name: string, fallback: number): number {
  const raw = envVar(name);
  const n = Number(raw);
  return raw && Number.isFinite(n) && n >= 1 ? n : fallback;
}

/**
 * $VECNET_THREADS_MIN_WORK: the multiply-adds from which a GEMM is split (default 2^20), and
 * $VECNET_THREADS_MIN_ELEMENTS: the work (float32 elements of a cheap kernel, see split-elementwise.ts)
 * from which an element-wise call is split (default 2^17). Tests set them to 1 to split every call the
 * cutting rules allow, so the parity suites exercise the threaded paths; either also makes starting
 * workers synchronous (where the thread may block), so no call runs alone while they start.
 */
export function thresholds(): { minWork: number; minElements: number; forced: boolean } {
  const minWork = envAtLeastOne('VECNET_THREADS_MIN_WORK', MIN_THREADED_WORK);
  const minElements = envAtLeastOne('VECNET_THREADS_MIN_ELEMENTS', MIN_THREADED_ELEMENTS);
  return {
    minWork,
    minElements,
    forced: minWork !== MIN_THREADED_WORK || minElements !== MIN_THREADED_ELEMENTS,
  };
}

/** True when $VECNET_THREADS asks for more than one thread (the direct factories' default). */
export function threadsRequestedByEnv(): boolean {
  return (envThreads() ?? 1) > 1;
}

let requested: number | undefined;
let noted = false;

function note(reason: string): void {
  if (noted) return;
  noted = true;
  console.info(`vecnet: running on one thread: ${reason}`);
}

/** True for a valid thread count: an integer from 1 to MAX_THREADS. */
export function isThreadCount(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_THREADS;
}

/** What setThreads and terminateThreads reach in every live pool. */
export interface PoolControl {
  /** Workers beyond getThreads() - 1 leave. */
  resize(): void;
  /** Every worker leaves (they come back for the next large call). */
  terminate(): void;
}

/** The pools of live backends, held weakly. */
const pools = new Set<WeakRef<PoolControl>>();

/** Adds a pool to those setThreads and terminateThreads reach. */
export function trackPool(pool: PoolControl): void {
  pools.add(new WeakRef(pool));
}

function livePools(): PoolControl[] {
  const out: PoolControl[] = [];
  for (const ref of pools) {
    const pool = ref.deref();
    if (pool) out.push(pool);
    else pools.delete(ref);
  }
  return out;
}

/**
 * Sets how many threads (the calling one included) a large GEMM or element-wise op is split across on
 * the wasm backend. Takes effect at the next such call; workers are started when first needed and
 * reused. Where threads are unavailable (no SharedArrayBuffer, or a page that is not cross-origin
 * isolated) the count stays 1 and a console note says why.
 *
 * @throws RangeError unless n is an integer from 1 to 64.
 * @example
 * setThreads(4);
 * getThreads(); // 4 (1 where threads are unavailable)
 */
export function setThreads(n: number): void {
  if (!isThreadCount(n)) {
    throw new RangeError(`setThreads: expected an integer from 1 to ${MAX_THREADS}, got ${n}`);
  }
  const e = threadEnv();
  if (n > 1 && e.unavailable) note(e.unavailable);
  if (n !== requested) {
    requested = n;
    // fewer threads: idle workers leave now; more: started at the next large call
    for (const pool of livePools()) pool.resize();
  }
}

/**
 * The number of threads a large GEMM or element-wise op runs on: as set by `setThreads`, else
 * $VECNET_THREADS, else the machine's cores up to 8; always 1 where threads are unavailable.
 *
 * @example
 * getThreads(); // 2 on a two-core machine
 */
export function getThreads(): number {
  const e = threadEnv();
  if (e.unavailable) return 1;
  return requested ?? envThreads() ?? Math.min(e.cores, DEFAULT_MAX_THREADS);
}

/**
 * Stops every worker thread of every wasm backend now (they are idle between calls). Safe at any
 * time; a later large call starts workers again if getThreads() > 1. Node processes exit without it.
 *
 * @example
 * terminateThreads();
 */
export function terminateThreads(): void {
  for (const pool of livePools()) pool.terminate();
}

/** The note for a context where threads are unavailable (printed once). */
export function noteSingleThreaded(): void {
  const e = threadEnv();
  if (e.unavailable && e.cores > 1) note(e.unavailable);
}
