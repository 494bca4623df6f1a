// The body of a vecnet worker thread (a worker_threads Worker in Node, a Web Worker in browsers). It
// is shipped as source text (`workerSource`) and started with `eval` / a blob URL, so it works from
// src/ under vitest, from dist/ and from any bundle without a separate file to locate. For that,
// `workerMain` and the claim loop it is given (protocol.ts's runChunks) must stay self-contained: no
// imports, no references outside their bodies (test/threads.test.ts runs the source as shipped).
//
// The worker instantiates the threaded module over the shared memory and then serves the control
// block (protocol.ts) until the pool's generation changes: wait for a new job (spin briefly, then
// Atomics.wait on EPOCH), then run the job's chunks with runChunks, like the calling thread.

import { type Kernel, type Layout, runChunks } from './protocol.js';

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
  names: readonly string[];
  /** Atomics.load polls of EPOCH before sleeping in Atomics.wait */
  spin: number;
  layout: Layout;
}

/** Serves jobs until the generation changes; `leave` ends the thread. Must stay self-contained. */
export function workerMain(init: WorkerInit, leave: () => void, run: typeof runChunks): void {
  const L = init.layout;
  const w = new Int32Array(init.memory.buffer, init.ctrl, L.WORDS);
  const rows = new Float64Array(init.memory.buffer, init.ctrl + L.ARGS_BYTE, L.MAX_CHUNKS * L.ARGC);
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
  const args = new Array<number>(L.ARGC).fill(0);
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
    run(w, rows, fns, init.scratch, (epoch & 0x7fffff) << 8, L, args);
  }
  Atomics.store(w, state, L.EXITED);
  leave();
}

/** The worker's whole program for worker_threads (`eval: true`) or a Web Worker (blob URL). */
export function workerSource(node: boolean): string {
  const main = `(init, leave) => (${workerMain.toString()})(init, leave, ${runChunks.toString()})`;
  return node
    ? `const { parentPort } = require('node:worker_threads');\n` +
        `parentPort.once('message', (init) => (${main})(init, () => {}));\n`
    : `self.onmessage = (event) => { self.onmessage = null; (${main})(event.data, () => self.close()); };\n`;
}
