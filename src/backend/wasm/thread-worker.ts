// The body of a vecnet worker thread (a worker_threads Worker in Node, a Web Worker in browsers). It
// is shipped as source text (`workerSource`) and started with `eval` / a blob URL, so it works from
// src/ under vitest, from dist/ and from any bundle without a separate file to locate. For that,
// `workerMain` must stay self-contained: no imports, no references outside its own body (the layout
// constants are passed in `init.layout`, and test/threads.test.ts runs the source as shipped).
//
// The worker instantiates the threaded module over the shared memory and then serves the control
// block of threads.ts until the pool's generation changes: wait for a new job (spin briefly, then
// Atomics.wait on EPOCH), claim chunks with compareExchange on CLAIM, run each (with its own GEMM
// scratch in the job's SCRATCH_ARG, for kernels that take one), count it in DONE. No message passing
// after the first message.

/** The first (and only) message a worker receives. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** byte offset of the control block */
  ctrl: number;
  /** this worker's slot in the control block's state table */
  slot: number;
  /** byte offset of this worker's GEMM scratch */
  scratch: number;
  /** the pool generation this worker belongs to; it leaves when GEN changes */
  gen: number;
  /** export names, indexed by a job's FN */
  names: string[];
  /** Atomics.load polls of EPOCH before sleeping in Atomics.wait */
  spin: number;
  layout: WorkerLayout;
}

/** Word indices (Int32Array over the control block) and sizes, from threads.ts. */
export interface WorkerLayout {
  EPOCH: number;
  CLAIM: number;
  DONE: number;
  GEN: number;
  FN: number;
  NCHUNK: number;
  SCRATCH_ARG: number;
  ERROR: number;
  STATES: number;
  WORDS: number;
  ARGS_BYTE: number;
  ARGC: number;
  MAX_CHUNKS: number;
  RUNNING: number;
  EXITED: number;
}

type Kernel = (...args: number[]) => unknown;

/** Serves jobs until the generation changes; `leave` ends the thread. Must stay self-contained. */
export function workerMain(init: WorkerInit, leave: () => void): void {
  const L = init.layout;
  const w = new Int32Array(init.memory.buffer, init.ctrl, L.WORDS);
  const args = new Float64Array(init.memory.buffer, init.ctrl + L.ARGS_BYTE, L.MAX_CHUNKS * L.ARGC);
  const state = L.STATES + init.slot;
  let fns: Kernel[];
  try {
    const instance = new WebAssembly.Instance(init.module, {
      env: {
        memory: init.memory,
        abort(_m: number, _f: number, line: number, column: number) {
          throw new Error(`wasm kernel aborted at line ${line}:${column}`);
        },
      },
    });
    const exports = instance.exports as Record<string, Kernel>;
    fns = init.names.map((name) => exports[name]);
  } catch (error) {
    Atomics.store(w, state, L.EXITED);
    leave();
    throw error;
  }
  Atomics.store(w, state, L.RUNNING);
  Atomics.notify(w, state);
  const a = new Array<number>(L.ARGC).fill(0);
  let seen = Atomics.load(w, L.EPOCH);
  while (Atomics.load(w, L.GEN) === init.gen) {
    let epoch = Atomics.load(w, L.EPOCH);
    for (let i = 0; epoch === seen && i < init.spin; i++) epoch = Atomics.load(w, L.EPOCH);
    if (epoch === seen) {
      Atomics.wait(w, L.EPOCH, seen);
      continue;
    }
    seen = epoch;
    // chunks of this job only: CLAIM carries the job's epoch above its next chunk index
    const tag = (epoch & 0x7fffff) << 8;
    for (;;) {
      const claim = Atomics.load(w, L.CLAIM);
      if ((claim & ~255) !== tag || (claim & 255) >= Atomics.load(w, L.NCHUNK)) break;
      if (Atomics.compareExchange(w, L.CLAIM, claim, claim + 1) !== claim) continue;
      const base = (claim & 255) * L.ARGC;
      const scratchArg = w[L.SCRATCH_ARG];
      for (let i = 0; i < L.ARGC; i++) a[i] = i === scratchArg ? init.scratch : args[base + i];
      try {
        fns[w[L.FN]](a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]);
      } catch {
        Atomics.store(w, L.ERROR, 1);
      }
      Atomics.add(w, L.DONE, 1);
      Atomics.notify(w, L.DONE);
    }
  }
  Atomics.store(w, state, L.EXITED);
  leave();
}

/** The worker's whole program for worker_threads (`eval: true`) or a Web Worker (blob URL). */
export function workerSource(node: boolean): string {
  const main = workerMain.toString();
  return node
    ? `const { parentPort } = require('node:worker_threads');\n` +
        `parentPort.once('message', (init) => (${main})(init, () => {}));\n`
    : `self.onmessage = (event) => { self.onmessage = null; (${main})(event.data, () => self.close()); };\n`;
}
