// Timing one prepared call with tinybench: a probe call (cold: JIT, lazy allocations), batching of
// calls shorter than a sample, warm-up, then samples until both a time budget and a minimum count
// are reached. Slow calls get few samples; calls predicted to exceed the cap are not run at all.
import { Bench } from 'tinybench';

/** Per-call statistics in milliseconds (a batched sample is divided by its batch size). */
export interface Stats {
  median: number;
  mean: number;
  p75: number;
  p99: number;
  min: number;
  max: number;
  /** timed samples (each of `batch` calls) */
  samples: number;
  batch: number;
  /** relative margin of error of the mean, percent (95 %) */
  rme: number;
}

export interface Budget {
  /** sampling time per contender and workload, ms */
  timeMs: number;
  /** at least this many samples (fast calls) */
  minSamples: number;
  /** samples of a call slower than `slowMs` (then no time budget and no warm-up beyond the probe) */
  slowSamples: number;
  slowMs: number;
  /** a call predicted (or probed) slower than this is skipped, or kept as its single probe sample */
  capMs: number;
  /** a batch of calls should last at least this long, ms */
  minSampleMs: number;
}

export const FULL: Budget = {
  timeMs: 600,
  minSamples: 10,
  slowSamples: 3,
  slowMs: 250,
  capMs: 5000,
  minSampleMs: 0.5,
};

export const QUICK: Budget = {
  timeMs: 15,
  minSamples: 2,
  slowSamples: 1,
  slowMs: 40,
  capMs: 250,
  minSampleMs: 0.2,
};

export type Outcome = { stats: Stats; note?: string } | { skipped: string };

/**
 * Measures `run`. `predictedMs` (from the contender's rate on earlier workloads) lets a hopeless
 * contender be skipped without paying for a probe call.
 */
export function measure(name: string, run: () => void, budget: Budget, predictedMs?: number): Outcome {
  if (predictedMs !== undefined && predictedMs > budget.capMs) {
    return {
      skipped: `would take ~${formatSeconds(predictedMs)} per call (cap ${formatSeconds(budget.capMs)})`,
    };
  }
  let t = performance.now();
  run();
  let first = performance.now() - t;
  if (first > budget.capMs) {
    return {
      stats: single(first),
      note: `1 sample: one call took ${formatSeconds(first)}, over the ${formatSeconds(budget.capMs)} cap`,
    };
  }
  if (first < budget.slowMs) {
    // the first call was cold; time a second one to size the batch
    t = performance.now();
    run();
    first = performance.now() - t;
  }
  const batch =
    first >= budget.minSampleMs
      ? 1
      : Math.min(100_000, Math.ceil(budget.minSampleMs / Math.max(first, 1e-4)));
  const fn =
    batch === 1
      ? run
      : () => {
          for (let i = 0; i < batch; i++) run();
        };
  const slow = first >= budget.slowMs;
  const bench = new Bench({
    name,
    time: slow ? 0 : budget.timeMs,
    iterations: slow ? budget.slowSamples : budget.minSamples,
    warmup: !slow,
    warmupTime: budget.timeMs / 5,
    warmupIterations: 1,
    throws: true,
  });
  bench.add(name, fn);
  bench.runSync();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') {
    throw new Error(`${name}: tinybench ended in state ${result.state}`);
  }
  const l = result.latency;
  return {
    stats: {
      median: l.p50 / batch,
      mean: l.mean / batch,
      p75: l.p75 / batch,
      p99: l.p99 / batch,
      min: l.min / batch,
      max: l.max / batch,
      samples: l.samplesCount,
      batch,
      rme: l.rme,
    },
  };
}

function single(ms: number): Stats {
  return { median: ms, mean: ms, p75: ms, p99: ms, min: ms, max: ms, samples: 1, batch: 1, rme: Number.NaN };
}

export function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}
