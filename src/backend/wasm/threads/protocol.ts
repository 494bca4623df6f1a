// The control block through which the calling thread and the workers share one job at a time, with
// no message passing per call: Int32Array words at the start of a reserved area of the shared memory,
// then one row of f64 arguments per chunk.
//
//   1. the caller writes the job: kernel (FN, an index into POOL_KERNELS), chunk count, one row of
//      arguments per chunk, and which argument is the scratch pointer, if the kernel takes one (each
//      thread substitutes its own);
//   2. it resets DONE, publishes CLAIM = epoch << 8 and bumps EPOCH, then Atomics.notify wakes
//      sleeping workers (idle workers poll EPOCH for a few microseconds before sleeping);
//   3. every thread, the caller included, runs `runChunks`: claim a chunk index with compareExchange
//      on CLAIM (valid only while CLAIM still carries this job's epoch), run it, add 1 to DONE;
//   4. the caller, once no chunk is left to claim, waits until DONE reaches the chunk count.
// The caller only ever waits for chunks already running on another thread: a worker that is slow to
// wake, still starting, or gone simply claims nothing and the caller computes its share.

import { KERNELS, type KernelName, type PoolKernel } from '../abi.js';
import { MAX_THREADS } from './settings.js';

/** The kernel families a job may run, in the order FN indexes them (both dtypes each). */
const FAMILIES = (Object.keys(KERNELS) as KernelName[]).filter(
  (name): name is PoolKernel => (KERNELS[name] as { pool?: boolean }).pool === true,
);

/** The exports a job may name: FN indexes this list in every thread. */
export const POOL_KERNELS: readonly string[] = FAMILIES.flatMap((name) => [`${name}_f32`, `${name}_f64`]);
/** The FN of an export. */
export const POOL_INDEX: ReadonlyMap<string, number> = new Map(POOL_KERNELS.map((name, i) => [name, i]));
/** Per FN, the argument each thread replaces by its own scratch, or -1. */
export const POOL_SCRATCH: readonly number[] = FAMILIES.flatMap((name) => {
  const spec = KERNELS[name] as { scratch?: string; args: readonly (readonly [string, string])[] };
  const at = spec.scratch === undefined ? -1 : spec.args.findIndex(([arg]) => arg === spec.scratch);
  return [at, at];
});

/** Arguments per chunk row: the most any pool kernel takes. */
export const ARGC = Math.max(...FAMILIES.map((name) => KERNELS[name].args.length));
/** Chunks per job at most: two per thread (the planners stay within it). */
export const MAX_CHUNKS = MAX_THREADS * 2;

/** Word indices (Int32Array over the control block) and sizes. */
export interface Layout {
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
  /** worker states in STATES + slot */
  STARTING: number;
  RUNNING: number;
  EXITED: number;
}

export const LAYOUT: Layout = {
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
  STARTING: 1,
  RUNNING: 2,
  EXITED: 3,
};

/** Bytes the backend reserves for the control block: the words, then MAX_CHUNKS rows of ARGC f64. */
export const CONTROL_BYTES = LAYOUT.ARGS_BYTE + MAX_CHUNKS * ARGC * 8;

/** An export of the module, as a job calls it. */
export type Kernel = (...args: number[]) => unknown;

/**
 * Claims chunks of the job whose epoch is `tag >> 8` and runs each with this thread's `scratch`, until
 * none is left; a failing kernel sets ERROR (the caller throws once every chunk is done). `args` is
 * this thread's reusable row of ARGC numbers. The one claim loop of the caller and of every worker:
 * it must stay self-contained (no references outside its body), as workers receive it as source text.
 */
export function runChunks(
  w: Int32Array,
  rows: Float64Array,
  fns: readonly Kernel[],
  scratch: number,
  tag: number,
  L: Layout,
  args: number[],
): void {
  for (;;) {
    const claim = Atomics.load(w, L.CLAIM);
    if ((claim & ~255) !== tag || (claim & 255) >= Atomics.load(w, L.NCHUNK)) return;
    if (Atomics.compareExchange(w, L.CLAIM, claim, claim + 1) !== claim) continue;
    const base = (claim & 255) * L.ARGC;
    const scratchArg = w[L.SCRATCH_ARG];
    for (let i = 0; i < L.ARGC; i++) args[i] = i === scratchArg ? scratch : rows[base + i];
    try {
      fns[w[L.FN]].apply(undefined, args);
    } catch {
      Atomics.store(w, L.ERROR, 1);
    }
    Atomics.add(w, L.DONE, 1);
    Atomics.notify(w, L.DONE);
  }
}
