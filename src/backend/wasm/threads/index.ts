// Kernels on several threads over one shared WebAssembly.Memory. settings.ts: how many threads and
// whether this context can have any; protocol.ts: the control block and the one chunk-claim loop;
// pool.ts: the worker threads of a backend; worker.ts: a worker's program; split-gemm.ts and
// split-elementwise.ts: where a call may be cut so results equal one thread's bit for bit; jobs.ts:
// the argument rows of a split call.
export { ThreadJobs } from './jobs.js';
export { CONTROL_BYTES, type ScratchHeap, ThreadPool } from './pool.js';
export {
  getThreads,
  isThreadCount,
  MAX_THREADS,
  noteSingleThreaded,
  setThreads,
  terminateThreads,
  threadsRequestedByEnv,
  threadsSupported,
} from './settings.js';
