// Kernels on several threads over one shared WebAssembly.Memory: GEMM (here, planned by split.ts)
// and the element-wise kernels (threads-elementwise.ts, planned by split-elementwise.ts).
//
// A threaded wasm backend (threads: true, built from build/vecnet[.relaxed].threads.wasm over a
// `shared: true` memory) owns a ThreadPool: worker threads (worker_threads in Node, Web Workers in
// browsers) that each instantiate the same compiled module over the same memory, each with its own
// GEMM scratch taken from the backend's heap. They are started on the first call big enough to split,
// reused for every later one, and leave when `terminateThreads()` or `setThreads()` changes the pool's
// generation (or the backend is garbage-collected). In Node they are unref'd: they never keep a
// process alive.
//
// One job at a time, through a control block in the memory (Int32Array words, below), with no
// message passing per call:
//   1. the calling thread writes the job: kernel (FN, an index into KERNELS), chunk count, one row of
//      arguments per chunk, and which argument is the scratch pointer, if the kernel takes one (each
//      thread substitutes its own);
//   2. it resets DONE, publishes CLAIM = epoch << 8 and bumps EPOCH, then Atomics.notify wakes
//      sleeping workers (idle workers poll EPOCH for a few microseconds before sleeping);
//   3. every thread, the caller included, claims chunk indices with compareExchange on CLAIM (a
//      claim is valid only while CLAIM still carries this job's epoch) and runs them, adding 1 to DONE
//      per chunk;
//   4. the caller, once no chunk is left to claim, waits until DONE reaches the chunk count.
// The caller only ever waits for chunks already running on another thread: a worker that is slow to
// wake, still starting, or gone simply claims nothing and the caller computes its share. In Node the
// caller sleeps in Atomics.wait; a browser's main thread may not, so there it spins on Atomics.load
// (for at most one chunk's time).
//
// Results do not depend on the thread count: split.ts cuts C on whole micro-tiles, split-elementwise.ts
// cuts on whole vector steps or whole rows, and each chunk takes the same code path as the whole call,
// so every element comes from the same operations in the same order.

import type { KernelExports } from './abi.js';
import { MIN_THREADED_WORK, planGemm } from './split.js';
import { MIN_THREADED_ELEMENTS } from './split-elementwise.js';
import { type WorkerInit, type WorkerLayout, workerSource } from './thread-worker.js';

// ---------------------------------------------------------------------------------------------
// settings: setThreads / getThreads

/** Default thread count cap: more threads than this rarely pay on one GEMM of a course-sized net. */
const DEFAULT_MAX_THREADS = 8;
/** Hard cap of setThreads (slots in the control block, chunk index bits). */
export const MAX_THREADS = 64;

type NodeWorkerThreads = typeof import('node:worker_threads');

interface Env {
  /** Node's worker_threads, when running under Node */
  workerThreads?: NodeWorkerThreads;
  /** the reason threads are unavailable, or undefined when they are available */
  unavailable?: string;
  cores: number;
  /** whether this thread may block in Atomics.wait (not a browser's main thread) */
  canBlock: boolean;
}

let env: Env | undefined;

function probeEnv(): Env {
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
    unavailable =
      g.crossOriginIsolated === false
        ? 'the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
        : 'SharedArrayBuffer is unavailable';
  } else if (g.crossOriginIsolated === false) {
    unavailable =
      'the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
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

function environment(): Env {
  env ??= probeEnv();
  return env;
}

/** True when this context can run vecnet's threaded build: shared memory, Atomics and workers. */
export function threadsSupported(): boolean {
  return environment().unavailable === undefined;
}

/** $VECNET_THREADS as a positive integer, or undefined. */
function envThreads(): number | undefined {
  const raw = (globalThis as { process?: NodeJS.Process }).process?.env?.VECNET_THREADS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_THREADS) : undefined;
}

/** A number >= 1 from the environment variable `name`, else `fallback`. */
function envAtLeastOne(name: string, fallback: number): number {
  const raw = (globalThis as { process?: NodeJS.Process }).process?.env?.[name];
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
const envMinWork = () => envAtLeastOne('VECNET_THREADS_MIN_WORK', MIN_THREADED_WORK);
const envMinElements = () => envAtLeastOne('VECNET_THREADS_MIN_ELEMENTS', MIN_THREADED_ELEMENTS);

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
  const e = environment();
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
  const e = environment();
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
  const e = environment();
  if (e.unavailable && e.cores > 1) note(e.unavailable);
}

// ---------------------------------------------------------------------------------------------
// the control block

/** Arguments per chunk (the widest kernel, GEMM, takes 14). */
export const ARGC = 14;
/** Chunks per job at most: two per thread (the planners stay within it). */
export const MAX_CHUNKS = MAX_THREADS * 2;
const LAYOUT: WorkerLayout = {
  EPOCH: 0,
  CLAIM: 16, // own cache line: every claim writes it
  DONE: 32, // own cache line: every finished chunk writes it
  GEN: 48,
  FN: 49,
  NCHUNK: 50,
  SCRATCH_ARG: 51,
  ERROR: 52,
  STATES: 64, // one word per worker slot
  WORDS: 64 + MAX_THREADS * 2,
  ARGS_BYTE: 1024,
  ARGC,
  MAX_CHUNKS,
  RUNNING: 2,
  EXITED: 3,
};
const STARTING = 1;
/** Worker slots over a pool's life: workers that left free theirs (and their scratch) for reuse. */
const SLOTS = MAX_THREADS * 2;
/** Bytes the backend reserves for the control block (16 KiB: words, then MAX_CHUNKS x ARGC f64). */
export const CONTROL_BYTES = LAYOUT.ARGS_BYTE + MAX_CHUNKS * ARGC * 8;
/** A kernel a job may name: an export of the module, and its scratch argument if it takes one. */
interface KernelEntry {
  readonly name: keyof KernelExports;
  /** the argument each thread replaces by its own GEMM scratch; other kernels get theirs as written */
  readonly scratchArg?: number;
}

/**
 * Kernels a job may name, up to ARGC numeric arguments each: FN indexes this list in every thread,
 * so adding a kernel is one entry here (its caller writes one argument row per chunk and calls `run`).
 */
const KERNELS = [
  { name: 'gemm_f32', scratchArg: 13 },
  { name: 'gemm_f64', scratchArg: 13 },
  { name: 'binary_f32' },
  { name: 'binary_f64' },
  { name: 'unary_f32' },
  { name: 'unary_f64' },
  { name: 'unary_grad_f32' },
  { name: 'unary_grad_f64' },
  { name: 'axpy_f32' },
  { name: 'axpy_f64' },
  { name: 'fill_f32' },
  { name: 'fill_f64' },
  { name: 'bias_activation_f32' },
  { name: 'bias_activation_f64' },
  { name: 'activation_grad_sum_f32' },
  { name: 'activation_grad_sum_f64' },
  { name: 'sub_row_sum_f32' },
  { name: 'sub_row_sum_f64' },
] as const satisfies readonly KernelEntry[];
/** The name of a kernel that can run on the pool. */
export type ThreadKernel = (typeof KERNELS)[number]['name'];
const KERNEL_INDEX = new Map<string, number>(KERNELS.map((k, i) => [k.name, i]));
/** Per kernel, the scratch argument's index, or -1. */
const SCRATCH_ARGS = KERNELS.map((k: KernelEntry) => k.scratchArg ?? -1);
/**
 * Polls of EPOCH before an idle worker sleeps (tens of ns each: ~50-100 µs, enough to catch the next
 * GEMM of a forward or backward pass without a wake-up), and of DONE before the caller sleeps.
 */
const WORKER_SPIN = 2_000;
const CALLER_SPIN = 2_000;

/** How a pool gets and returns heap blocks (the backend's allocator) for worker scratch. */
export interface ScratchHeap {
  alloc(bytes: number): number;
}

/** A pool's worker threads and its side of the control block. One per threaded wasm backend. */
export class ThreadPool {
  private readonly w: Int32Array;
  /** The next job's arguments, row i (chunk i) at i·ARGC: written by the caller before `run`. */
  readonly rows: Float64Array;
  /** one chunk's arguments as the calling thread passes them (reused) */
  private readonly callArgs = new Array<number>(ARGC).fill(0);
  private readonly fns: ((...a: number[]) => unknown)[];
  private readonly scratchBytes: number;
  /** scratch of each slot, allocated on the slot's first use, kept for the pool's life */
  private readonly slotScratch: number[] = [];
  private readonly workers: { slot: number; handle: { terminate(): unknown } }[] = [];
  private gen = 0;
  private epoch = 0;
  /** set when a worker could not be started: the pool stays single-threaded */
  private failed = false;
  private readonly minWork = envMinWork();
  /** Work from which an element-wise call is split ($VECNET_THREADS_MIN_ELEMENTS; split-elementwise.ts). */
  readonly minElements = envMinElements();
  /** Calls run split across threads so far, GEMM and element-wise (for tests and benchmarks). */
  jobs = 0;
  /** heap blocks held for worker scratch (excluded from the backend's stats) */
  heldBytes = 0;
  heldBlocks = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly module: WebAssembly.Module,
    private readonly ctrl: number,
    exports: KernelExports,
    private readonly callerScratch: number,
    private readonly heap: ScratchHeap,
  ) {
    this.w = new Int32Array(memory.buffer, ctrl, LAYOUT.WORDS);
    this.rows = new Float64Array(memory.buffer, ctrl + LAYOUT.ARGS_BYTE, MAX_CHUNKS * ARGC);
    this.fns = KERNELS.map((k) => exports[k.name] as (...a: number[]) => unknown);
    this.scratchBytes = exports.gemm_scratch_bytes();
    pools.add(new WeakRef(this));
  }

  /** Worker threads currently serving jobs (started and not yet left). */
  runningWorkers(): number {
    let n = 0;
    for (let i = 0; i < this.workers.length; i++)
      if (Atomics.load(this.w, LAYOUT.STATES + this.workers[i].slot) === LAYOUT.RUNNING) n++;
    return n;
  }

  /** The threads a job may be planned for: getThreads(), or 1 once a worker failed to start. */
  threadCount(): number {
    return this.failed ? 1 : getThreads();
  }

  /**
   * Starts the wanted workers if they are not all there yet; true when at least one is running, so a
   * planned job may go ahead (otherwise it runs as one call, with the same result).
   */
  start(): boolean {
    this.ensureWorkers();
    return this.runningWorkers() > 0;
  }

  /** Resolves once the wanted workers (getThreads() - 1) are running, e.g. before timing; starts them. */
  async ready(timeoutMs = 10_000): Promise<void> {
    this.ensureWorkers();
    const start = Date.now();
    while (this.runningWorkers() < this.workers.length && !this.failed) {
      if (Date.now() - start > timeoutMs) throw new Error('vecnet: worker threads did not start');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /**
   * C = alpha·op(A)·op(B) + beta·C across the threads when the problem is large enough; returns false
   * (having done nothing) when it should run as one call on the calling thread.
   */
  gemm(
    f32: boolean,
    transA: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    const plan = planGemm(transB !== 0, M, N, K, S, alpha, this.threadCount(), this.minWork);
    if (!plan || !this.start()) return false;
    const { axis, bounds } = plan;
    const rows = this.rows;
    for (let i = 0; i + 1 < bounds.length; i++) {
      const lo = bounds[i];
      const extent = bounds[i + 1] - lo;
      const o = i * ARGC;
      rows[o] = transA;
      rows[o + 1] = transB;
      rows[o + 5] = alpha;
      rows[o + 10] = beta;
      rows[o + 13] = 0; // scratch: each thread its own
      rows[o + 4] = K;
      rows[o + 7] = lda;
      rows[o + 9] = ldb;
      rows[o + 12] = ldc;
      if (axis === 'n') {
        rows[o + 2] = M;
        rows[o + 3] = extent;
        rows[o + 6] = a;
        rows[o + 8] = b + (transB ? lo * ldb : lo) * S;
        rows[o + 11] = c + lo * S;
      } else {
        rows[o + 2] = extent;
        rows[o + 3] = N;
        rows[o + 6] = a + (transA ? lo : lo * lda) * S;
        rows[o + 8] = b;
        rows[o + 11] = c + lo * ldc * S;
      }
    }
    this.run(f32 ? 'gemm_f32' : 'gemm_f64', bounds.length - 1);
    return true;
  }

  /**
   * Runs `kernel` on `chunks` (2 to MAX_CHUNKS) rows of arguments already written to `rows`, with
   * the workers, and returns when every chunk is done. Call only after `start()` returned true.
   */
  run(kernel: ThreadKernel, chunks: number): void {
    const fn = KERNEL_INDEX.get(kernel)!;
    const scratchArg = SCRATCH_ARGS[fn];
    const w = this.w;
    const L = LAYOUT;
    w[L.FN] = fn;
    w[L.NCHUNK] = chunks;
    w[L.SCRATCH_ARG] = scratchArg;
    Atomics.store(w, L.DONE, 0);
    this.epoch = (this.epoch + 1) & 0x7fffff;
    const tag = this.epoch << 8;
    Atomics.store(w, L.CLAIM, tag);
    Atomics.store(w, L.EPOCH, this.epoch);
    Atomics.notify(w, L.EPOCH, chunks - 1);
    // the caller's share: claim like any worker
    const call = this.fns[fn];
    const rows = this.rows;
    const a = this.callArgs;
    for (;;) {
      const claim = Atomics.load(w, L.CLAIM);
      if ((claim & 255) >= chunks) break;
      if (Atomics.compareExchange(w, L.CLAIM, claim, claim + 1) !== claim) continue;
      const o = (claim & 255) * ARGC;
      for (let i = 0; i < ARGC; i++) a[i] = i === scratchArg ? this.callerScratch : rows[o + i];
      try {
        call(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]);
      } catch {
        // wait for the workers' chunks all the same: the next job must not overwrite their arguments
        w[L.ERROR] = 1;
      }
      Atomics.add(w, L.DONE, 1);
    }
    // chunks still running on workers
    const block = environment().canBlock;
    let spins = 0;
    for (;;) {
      const done = Atomics.load(w, L.DONE);
      if (done >= chunks) break;
      if (block && ++spins > CALLER_SPIN) Atomics.wait(w, L.DONE, done, 1000);
    }
    this.jobs++;
    if (w[L.ERROR] !== 0) {
      w[L.ERROR] = 0;
      throw new Error(`wasm kernel ${kernel} failed on worker threads`);
    }
  }

  /** Starts workers up to getThreads() - 1 in free slots (non-blocking: they report in the block). */
  private ensureWorkers(): void {
    const want = getThreads() - 1;
    if (this.failed || this.workers.length >= want) return;
    const e = environment();
    const source = workerSource(e.workerThreads !== undefined);
    while (this.workers.length < want) {
      const slot = this.freeSlot();
      if (slot < 0) return;
      this.slotScratch[slot] ??= this.allocScratch();
      Atomics.store(this.w, LAYOUT.STATES + slot, STARTING);
      const init: WorkerInit = {
        module: this.module,
        memory: this.memory,
        ctrl: this.ctrl,
        slot,
        scratch: this.slotScratch[slot],
        gen: this.gen,
        names: KERNELS.map((k) => k.name),
        spin: WORKER_SPIN,
        layout: LAYOUT,
      };
      try {
        this.workers.push({ slot, handle: startWorker(e, source, init, () => this.fail(slot)) });
      } catch (error) {
        this.fail(slot);
        console.warn(`vecnet: could not start a worker thread, staying on one thread: ${String(error)}`);
        return;
      }
    }
    const forced = this.minWork !== MIN_THREADED_WORK || this.minElements !== MIN_THREADED_ELEMENTS;
    if (forced && e.canBlock) {
      const deadline = Date.now() + 10_000;
      for (const { slot } of this.workers) {
        const i = LAYOUT.STATES + slot;
        while (Atomics.load(this.w, i) === STARTING && Date.now() < deadline)
          Atomics.wait(this.w, i, STARTING, 10);
      }
    }
  }

  private freeSlot(): number {
    const taken = new Set(this.workers.map((x) => x.slot));
    for (let s = 0; s < SLOTS; s++) {
      if (taken.has(s)) continue;
      const state = Atomics.load(this.w, LAYOUT.STATES + s);
      if (state === 0 || state === LAYOUT.EXITED) return s;
    }
    return -1;
  }

  private allocScratch(): number {
    // 64-byte aligned like the caller's scratch: the packed panels start on a cache line
    const block = this.heap.alloc(this.scratchBytes + 48);
    this.heldBytes += Math.ceil((this.scratchBytes + 48) / 16) * 16;
    this.heldBlocks++;
    return Math.ceil(block / 64) * 64;
  }

  private fail(slot: number): void {
    this.failed = true;
    Atomics.store(this.w, LAYOUT.STATES + slot, LAYOUT.EXITED);
  }

  /** Workers leave when idle; the slots (and their scratch) are reused once they have. */
  terminate(): void {
    if (this.workers.length === 0) return;
    this.gen = (this.gen + 1) | 0;
    Atomics.store(this.w, LAYOUT.GEN, this.gen);
    // wake the sleepers so they see the new generation; EPOCH moves so none mistakes it for a job
    this.epoch = (this.epoch + 1) & 0x7fffff;
    Atomics.store(this.w, LAYOUT.CLAIM, (this.epoch << 8) | 255);
    Atomics.store(this.w, LAYOUT.EPOCH, this.epoch);
    Atomics.notify(this.w, LAYOUT.EPOCH);
    this.workers.length = 0;
  }

  /** After setThreads: fewer wanted workers than running ones means a restart at the right size. */
  resize(): void {
    if (this.workers.length > getThreads() - 1) this.terminate();
  }
}

/** Pools of live backends, for setThreads and terminateThreads. */
const pools = new Set<WeakRef<ThreadPool>>();

function livePools(): ThreadPool[] {
  const out: ThreadPool[] = [];
  for (const ref of pools) {
    const pool = ref.deref();
    if (pool) out.push(pool);
    else pools.delete(ref);
  }
  return out;
}

let blobUrl: string | undefined;

function startWorker(
  e: Env,
  source: string,
  init: WorkerInit,
  onError: () => void,
): { terminate(): unknown } {
  if (e.workerThreads) {
    const worker = new e.workerThreads.Worker(source, { eval: true });
    worker.unref();
    worker.on('error', (error) => {
      onError();
      console.warn(`vecnet: a worker thread failed, staying on one thread: ${error.message}`);
    });
    worker.postMessage(init);
    return worker;
  }
  // one blob URL for the page's life: revoking it while a worker may still be fetching it is a race
  blobUrl ??= URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(blobUrl, { name: 'vecnet' });
  worker.onerror = (event) => {
    onError();
    console.warn(`vecnet: a worker thread failed, staying on one thread: ${event.message}`);
  };
  worker.postMessage(init);
  return worker;
}
