// The NumPy contender: bench/numpy_bench.py in a python3 subprocess, one JSON request per workload,
// so NumPy runs side by side with the JS contenders (it waits on stdin while they run).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { DType } from '../src/core/dtype.js';
import type { Budget, Outcome, Stats } from './harness.js';
import { NUMPY_SCRIPT } from './root.js';
import type { Spec } from './workloads.js';

export interface NumpyInfo {
  numpy: string;
  python: string;
  blas: { name?: string; version?: string; config?: string };
  threads: Record<string, string | null>;
  /** variables removed from the subprocess environment, with the values they had */
  unset: Record<string, string>;
  label: string;
}

/** Variables that slow a current OpenBLAS down when set for an older build; removed for the subprocess. */
const UNSET = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

export class NumpyRunner {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    private readonly rl: Interface,
    readonly info: NumpyInfo,
  ) {}

  /** Starts python3 single-threaded; resolves to null (with the reason) when python3 or NumPy is missing. */
  static async start(): Promise<NumpyRunner | { unavailable: string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OPENBLAS_NUM_THREADS: '1',
      OMP_NUM_THREADS: '1',
      MKL_NUM_THREADS: '1',
    };
    const unset: Record<string, string> = {};
    for (const k of UNSET) {
      if (env[k] !== undefined) unset[k] = env[k] as string;
      delete env[k];
    }
    const child = spawn(process.env.PYTHON ?? 'python3', [NUMPY_SCRIPT], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const spawned = await new Promise<Error | null>((resolve) => {
      child.once('spawn', () => resolve(null));
      child.once('error', (err) => resolve(err));
    });
    if (spawned) return { unavailable: `python3 not started: ${spawned.message}` };
    const rl = createInterface({ input: child.stdout });
    const lines = rl[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) {
      const why = stderr.trim().split('\n').at(-1) ?? 'no output';
      return { unavailable: `numpy_bench.py exited: ${why}` };
    }
    const raw = JSON.parse(first.value).info;
    const blas = raw.blas ?? {};
    const label = `numpy ${raw.numpy} (${blas.name ?? 'BLAS?'}, 1 thread)`;
    return new NumpyRunner(child, lines, rl, { ...raw, unset, label });
  }

  async measure(spec: Spec, dtype: DType, budget: Budget, predictedMs?: number): Promise<Outcome> {
    this.child.stdin.write(`${JSON.stringify({ spec, dtype, budget, predictedMs })}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error('numpy_bench.py exited unexpectedly');
    const reply = JSON.parse(line.value) as
      | { stats: Stats & { rme: number | null }; note?: string }
      | { skipped: string }
      | { error: string };
    if ('error' in reply) return { skipped: `error: ${reply.error}` };
    if ('skipped' in reply) return reply;
    const stats = { ...reply.stats, rme: reply.stats.rme ?? Number.NaN };
    return reply.note ? { stats, note: reply.note } : { stats };
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    this.rl.close();
    await new Promise((resolve) => {
      if (this.child.exitCode !== null) resolve(null);
      else this.child.once('exit', resolve);
    });
  }
}
