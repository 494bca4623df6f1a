// The training loop shared by the models: batch gradient descent over a TrainingPlan, with the
// course's cost printing, a per-iteration callback and an AbortSignal.
import { TrainingDivergedError } from '../core/index.js';
import type { NDArray } from '../ndarray/index.js';
import type { TrainingPlan } from './plan.js';
import { checkInteger, checkPositive } from './validate.js';

/** Options of `fit`. */
export interface FitOptions {
  /** Step size α of gradient descent; a positive finite number. */
  learningRate?: number;
  /** Number of iterations (full-batch passes); a non-negative integer. */
  iterations?: number;
  /**
   * Print `Cost after iteration i: J` (J with 6 decimals, the notebooks' `%f`) every `printEvery`
   * iterations and after the last one. Off by default.
   */
  printEvery?: number;
  /** Where printed lines go; default `console.log`. */
  logger?: (line: string) => void;
  /**
   * Called after every iteration (after its update) with the iteration number and its cost;
   * returning `false` stops training there.
   */
  onIteration?: (iteration: number, cost: number) => unknown;
  /** Stops training between iterations once aborted (checked before each iteration). */
  signal?: AbortSignal;
}

/** Options of `fitAsync`: those of `fit`, plus how often to yield to the event loop. */
export interface FitAsyncOptions extends FitOptions {
  /** Yield to the event loop (so timers, UI and abort signals run) after this many ms; default 16. */
  yieldEveryMs?: number;
}

/** What `fit` returns. */
export interface History {
  /** costs[i] is the cost of iteration i's forward pass, computed before its update (as in the course). */
  costs: number[];
  /** Why training ended early, or null when it ran every iteration. */
  stoppedBy: 'onIteration' | 'signal' | null;
}

/** Fit options with defaults applied and every value checked. */
export interface TrainingSettings {
  learningRate: number;
  iterations: number;
  printEvery: number;
  logger: (line: string) => void;
  onIteration?: FitOptions['onIteration'];
  signal?: AbortSignal;
}

const FIT_KEYS = ['learningRate', 'iterations', 'printEvery', 'logger', 'onIteration', 'signal'];

/**
 * Checks fit options before any work; `defaults` are the model's learning rate and iteration count.
 * An unknown key is an error (a `learning_rate` from the notebook would otherwise be ignored silently).
 */
export function checkFitOptions(
  where: string,
  options: FitOptions | undefined,
  defaults: { learningRate: number; iterations: number },
  extraKeys: readonly string[] = [],
): TrainingSettings {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`${where}: options must be an object, got ${String(options)}`);
  }
  const o = options ?? {};
  const known = [...FIT_KEYS, ...extraKeys];
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}' (expected ${known.join(', ')})`);
    }
  }
  const learningRate = checkPositive(where, 'learningRate', o.learningRate ?? defaults.learningRate);
  const iterations = checkInteger(where, 'iterations', o.iterations ?? defaults.iterations, 0);
  const printEvery = o.printEvery === undefined ? 0 : checkInteger(where, 'printEvery', o.printEvery, 0);
  const logger = o.logger ?? ((line: string) => console.log(line));
  if (typeof logger !== 'function') throw new TypeError(`${where}: logger must be a function`);
  if (o.onIteration !== undefined && typeof o.onIteration !== 'function') {
    throw new TypeError(`${where}: onIteration must be a function, got ${typeof o.onIteration}`);
  }
  if (o.signal !== undefined && (o.signal === null || typeof o.signal.aborted !== 'boolean')) {
    throw new TypeError(`${where}: signal must be an AbortSignal`);
  }
  return { learningRate, iterations, printEvery, logger, onIteration: o.onIteration, signal: o.signal };
}

/**
 * One iteration: forward, cost, backward, update. Returns the cost. Allocates nothing. Every array it
 * reads is checked alive first (X and Y may be disposed between two iterations of fitAsync, a
 * parameter at any time), and a cost that is not finite stops training with TrainingDivergedError.
 */
function iterate(
  where: string,
  plan: TrainingPlan,
  X: NDArray,
  Y: NDArray,
  s: TrainingSettings,
  i: number,
  costs: number[],
): number {
  plan.assertLive(where, X, Y);
  plan.forward(X);
  const cost = plan.cost(Y);
  if (!Number.isFinite(cost)) throw diverged(where, i, cost, costs, s.learningRate);
  if (s.printEvery > 0 && (i % s.printEvery === 0 || i === s.iterations - 1)) {
    s.logger(`Cost after iteration ${i}: ${cost.toFixed(6)}`);
  }
  plan.backward(X, Y);
  plan.update(s.learningRate);
  return cost;
}

function diverged(where: string, i: number, cost: number, costs: number[], learningRate: number) {
  const last = costs.length ? ` (${costs[costs.length - 1].toPrecision(6)} at iteration ${i - 1})` : '';
  return new TrainingDivergedError(
    `${where}: training diverged at iteration ${i}: the cost is ${cost}${last}; ` +
      `try a smaller learning rate than ${learningRate}, or scale the inputs`,
    i,
    [...costs, cost],
  );
}

/** Runs the training loop synchronously. */
export function train(
  where: string,
  plan: TrainingPlan,
  X: NDArray,
  Y: NDArray,
  s: TrainingSettings,
): History {
  const costs: number[] = [];
  for (let i = 0; i < s.iterations; i++) {
    if (s.signal?.aborted) return { costs, stoppedBy: 'signal' };
    const cost = iterate(where, plan, X, Y, s, i, costs);
    costs.push(cost);
    if (s.onIteration?.(i, cost) === false) return { costs, stoppedBy: 'onIteration' };
  }
  return { costs, stoppedBy: null };
}

/** Runs the training loop, yielding to the event loop every `yieldEveryMs` milliseconds. */
export async function trainAsync(
  where: string,
  plan: TrainingPlan,
  X: NDArray,
  Y: NDArray,
  s: TrainingSettings,
  yieldEveryMs: number,
  onDone: () => void,
): Promise<History> {
  const costs: number[] = [];
  try {
    let last = performance.now();
    for (let i = 0; i < s.iterations; i++) {
      if (performance.now() - last >= yieldEveryMs) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        last = performance.now();
      }
      if (s.signal?.aborted) return { costs, stoppedBy: 'signal' };
      const cost = iterate(where, plan, X, Y, s, i, costs);
      costs.push(cost);
      if (s.onIteration?.(i, cost) === false) return { costs, stoppedBy: 'onIteration' };
    }
    return { costs, stoppedBy: null };
  } finally {
    onDone();
  }
}
