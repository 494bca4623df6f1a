// The worker threads of one threaded wasm backend, and the calling thread's side of a job.
//
// A threaded wasm backend (threads: true, built from build/vecnet[.relaxed].threads.wasm over a
// `shared: true` memory) owns a ThreadPool: worker threads (worker_threads in Node, Web Workers in
// browsers) that each instantiate the same compiled module over the same memory, each with its own
// GEMM scratch taken from the backend's heap. They are started on the first call big enough to split,
// reused for every later one, and leave when `terminateThreads()` or `setThreads()` changes the pool's
// generation (or the backend is garbage-collected). In Node they are unref'd: they never keep a
// process alive. Jobs go through the control block of protocol.ts; jobs.ts writes them.
//
// Results do not depend on the thread count: split-gemm.ts cuts C on whole micro-tiles and on the
// path of the whole call, split-elementwise.ts cuts on whole vector steps or whole rows, and each chunk
// takes the same code path as the whole call, so every element comes from the same operations in the
// same order. In Node the caller sleeps in Atomics.wait while workers finish; a browser's main thread
// may not, so there it spins on Atomics.load (for at most one chunk's time).

import { PARTIALS_BYTES } from '../../../../assembly/gemm/params.js';
import type { KernelExports } from '../abi.js';
import {
  ARGC,
  CONTROL_BYTES,
  type Kernel,
  LAYOUT,
  MAX_CHUNKS,
  POOL_INDEX,
  POOL_KERNELS,
  POOL_SCRATCH,
  runChunks,
} from './protocol.js';
import {
  getThreads,
  MAX_THREADS,
  type PoolControl,
  type ThreadEnv,
  threadEnv,
  thresholds,
  trackPool,
} from './settings.js';
import { type WorkerInit, workerSource } from './worker.js';

export { CONTROL_BYTES };

/** Worker slots over a pool's life: workers that left free theirs (and their scratch) for reuse. */
const SLOTS = MAX_THREADS * 2;
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
export class ThreadPool implements PoolControl {
  private readonly w: Int32Array;
  /** The next job's arguments, row i (chunk i) at i·ARGC: written by the caller before `run`. */
  readonly rows: Float64Array;
  /** one chunk's arguments as the calling thread passes them (reused) */
  private readonly callArgs = new Array<number>(ARGC).fill(0);
  private readonly fns: Kernel[];
  private readonly scratchBytes: number;
  /** scratch of each slot, allocated on the slot's first use, kept for the pool's life */
  private readonly slotScratch: number[] = [];
  private readonly workers: { slot: number; handle: { terminate(): unknown } }[] = [];
  private gen = 0;
  private epoch = 0;
  /** set when a worker could not be started: the pool stays single-threaded */
  private failed = false;
  /** Multiply-adds from which a GEMM is split, and work from which an element-wise call is (settings.ts). */
  readonly minWork: number;
  readonly minElements: number;
  /** a threshold was lowered from the environment: start workers synchronously (settings.ts) */
  private readonly forced: boolean;
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
    this.fns = POOL_KERNELS.map((name) => exports[name as keyof KernelExports] as Kernel);
    this.scratchBytes = exports.gemm_scratch_bytes();
    ({ minWork: this.minWork, minElements: this.minElements, forced: this.forced } = thresholds());
    trackPool(this);
  }

  /**
   * The partial-sum areas of the calling thread's GEMM scratch (its last PARTIALS_BYTES): the later
   * parts of a K-split GEMM go there, whichever thread computes them, until gemm_merge adds them to C.
   */
  partialArea(): number {
    return this.callerScratch + this.scratchBytes - PARTIALS_BYTES;
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
   * Runs `kernel` on `chunks` (2 to MAX_CHUNKS) rows of arguments already written to `rows`, with
   * the workers, and returns when every chunk is done. Call only after `start()` returned true.
   */
  run(kernel: string, chunks: number): void {
    const fn = POOL_INDEX.get(kernel)!;
    const w = this.w;
    const L = LAYOUT;
    w[L.FN] = fn;
    w[L.NCHUNK] = chunks;
    w[L.SCRATCH_ARG] = POOL_SCRATCH[fn];
    Atomics.store(w, L.DONE, 0);
    this.epoch = (this.epoch + 1) & 0x7fffff;
    const tag = this.epoch << 8;
    Atomics.store(w, L.CLAIM, tag);
    Atomics.store(w, L.EPOCH, this.epoch);
    Atomics.notify(w, L.EPOCH, chunks - 1);
    // the caller's share: claim like any worker
    runChunks(w, this.rows, this.fns, this.callerScratch, tag, L, this.callArgs);
    // chunks still running on workers; the next job must not overwrite their arguments
    const block = threadEnv().canBlock;
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
    const e = threadEnv();
    const source = workerSource(e.workerThreads !== undefined);
    while (this.workers.length < want) {
      const slot = this.freeSlot();
      if (slot < 0) return;
      this.slotScratch[slot] ??= this.allocScratch();
      Atomics.store(this.w, LAYOUT.STATES + slot, LAYOUT.STARTING);
      const init: WorkerInit = {
        module: this.module,
        memory: this.memory,
        ctrl: this.ctrl,
        slot,
        scratch: this.slotScratch[slot],
        gen: this.gen,
        names: POOL_KERNELS,
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
    if (this.forced && e.canBlock) {
      const deadline = Date.now() + 10_000;
      for (const { slot } of this.workers) {
        const i = LAYOUT.STATES + slot;
        while (Atomics.load(this.w, i) === LAYOUT.STARTING && Date.now() < deadline)
          Atomics.wait(this.w, i, LAYOUT.STARTING, 10);
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

let blobUrl: string | undefined;

function startWorker(
  e: ThreadEnv,
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
