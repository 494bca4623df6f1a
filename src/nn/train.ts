// The options of fit and the training loops over a Trainer (trainer.ts): synchronous, or yielding to
// the event loop every few milliseconds.
import type { NDArray } from '../ndarray/index.js';
import { OPTIMIZERS, type OptimizerName, type OptimizerSettings } from './optimizer.js';
import { checkInteger, checkMatrix, checkNonNegative, checkPositive } from './validate.js';

/**
 * What `onIteration` receives besides the iteration (or epoch) number and its cost. The same object
 * is passed every time, updated (so training allocates nothing per iteration): copy what you keep.
 */
export interface EpochInfo {
  /** The learning rate the iteration or epoch used (after decay). */
  learningRate: number;
  /** The cost on the validation data after the epoch, when there is validation data. */
  validationCost?: number;
  /** The fraction of validation labels predicted right, for classification outputs. */
  validationAccuracy?: number;
}

/** Options of `fit`. */
export interface FitOptions {
  /** Step size α (the course's `learning_rate`; with decay, `learning_rate0`); positive, finite. */
  learningRate?: number;
  /**
   * Number of full-batch iterations; a non-negative integer. Without `epochs` or `miniBatchSize`,
   * each iteration is one gradient step on all of X (the course's first course).
   */
  iterations?: number;
  /**
   * Number of epochs (the course's `num_epochs`): passes over the data in shuffled mini-batches of
   * `miniBatchSize`. Setting `epochs` or `miniBatchSize` switches fit to mini-batches.
   */
  epochs?: number;
  /** Columns per mini-batch (the course's `mini_batch_size`, default 64); the last batch may be smaller. */
  miniBatchSize?: number;
  /**
   * Seed of the shuffles and of the dropout masks: before epoch e (from 0) the columns are shuffled
   * by `np.random.seed(seed + 1 + e); np.random.permutation(m)`, as the course's `model` does with its
   * `seed = 10`; dropout masks come from one RandomState(seed) drawn on through the whole fit.
   * Default 10.
   */
  seed?: number;
  /** Update rule: `gd` (default), `momentum`, `rmsprop` or `adam`. */
  optimizer?: OptimizerName;
  /** Momentum's β (the course's `beta`); default 0.9. */
  beta?: number;
  /** Adam's β1; default 0.9. */
  beta1?: number;
  /** Adam's and RMSprop's β2; default 0.999. */
  beta2?: number;
  /** Adam's and RMSprop's ε, added outside the square root; default 1e-8. */
  epsilon?: number;
  /**
   * Learning-rate decay (the course's `decay_rate`): after epoch e, α = α0 / (1 + decayRate·e), or
   * with `timeInterval`, α0 / (1 + decayRate·⌊e / timeInterval⌋) (`schedule_lr_decay`). Default 0 (off).
   */
  decayRate?: number;
  /** Epochs per decay step (the course's `time_interval`); unset: decay after every epoch. */
  timeInterval?: number;
  /** L2 regularisation λ (the course's `lambd`); default 0. */
  l2?: number;
  /** Inverted dropout on every hidden layer: the probability of keeping a unit (`keep_prob`); default 1. */
  keepProb?: number;
  /** Data to report the cost (and accuracy) on after every epoch: `[Xv, Yv]`. */
  validationData?: readonly [NDArray, NDArray];
  /** Hold out this fraction of the columns (the last ones, before any shuffle) as validation data. */
  validationSplit?: number;
  /**
   * Stop once the validation cost (the training cost without validation data) has not improved by
   * more than `minDelta` (default 0) for `patience` epochs, and restore the parameters of the best epoch.
   */
  earlyStopping?: { patience: number; minDelta?: number };
  /**
   * Print `Cost after iteration i: J` (mini-batches: `Cost after epoch i: J`; J with 6 decimals, the
   * notebooks' `%f`) every `printEvery` iterations or epochs and after the last one. Off by default.
   */
  printEvery?: number;
  /** Where printed lines go; default `console.log`. */
  logger?: (line: string) => void;
  /**
   * Called after every iteration (mini-batches: every epoch) with its number, its cost and the
   * learning rate and validation figures; returning `false` stops training there.
   */
  onIteration?: (iteration: number, cost: number, info: EpochInfo) => unknown;
  /** Stops training between iterations (mini-batches: between batches) once aborted. */
  signal?: AbortSignal;
}

/** Options of `fitAsync`: those of `fit`, plus how often to yield to the event loop. */
export interface FitAsyncOptions extends FitOptions {
  /** Yield to the event loop (so timers, UI and abort signals run) after this many ms; default 16. */
  yieldEveryMs?: number;
}

/** What `fit` returns. */
export interface History {
  /**
   * costs[i] is the cost of iteration i's forward pass, computed before its update (as in the
   * course); with mini-batches, epoch i's Σ over batches of the batch cost × batch size, / m.
   */
  costs: number[];
  /** The learning rate of every iteration or epoch. */
  learningRates: number[];
  /** Validation cost and accuracy per epoch (accuracy: classification outputs only). */
  validation?: { costs: number[]; accuracies: number[] };
  /** With early stopping: the epoch whose parameters the model holds after fit. */
  bestEpoch?: number;
  /** Why training ended early, or null when it ran every iteration. */
  stoppedBy: 'onIteration' | 'signal' | 'earlyStopping' | null;
}

/** Fit options with defaults applied and every value checked. */
export interface TrainingSettings {
  learningRate: number;
  /** iterations (full batch) or epochs (mini-batches) */
  epochs: number;
  /** undefined: full-batch iterations */
  miniBatchSize: number | undefined;
  seed: number;
  optimizer: OptimizerSettings;
  decayRate: number;
  timeInterval: number | undefined;
  l2: number;
  keepProb: number;
  validationData: readonly [NDArray, NDArray] | undefined;
  validationSplit: number;
  earlyStopping: { patience: number; minDelta: number } | undefined;
  printEvery: number;
  logger: (line: string) => void;
  onIteration?: FitOptions['onIteration'];
  signal?: AbortSignal;
}

const FIT_KEYS = [
  'learningRate',
  'iterations',
  'epochs',
  'miniBatchSize',
  'seed',
  'optimizer',
  'beta',
  'beta1',
  'beta2',
  'epsilon',
  'decayRate',
  'timeInterval',
  'l2',
  'keepProb',
  'validationData',
  'validationSplit',
  'earlyStopping',
  'printEvery',
  'logger',
  'onIteration',
  'signal',
];

/** A number in [0, 1) (`open`: (0, 1)), named in the message. */
function checkFraction(where: string, name: string, value: unknown, open: boolean): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1) || (open && value === 0)) {
    throw new RangeError(
      `${where}: ${name} must be a number in ${open ? '(0, 1)' : '[0, 1)'}, got ${String(value)}`,
    );
  }
  return value;
}

function checkOptimizer(where: string, o: FitOptions): OptimizerSettings {
  const optimizer = o.optimizer ?? 'gd';
  if (!OPTIMIZERS.includes(optimizer)) {
    const list = OPTIMIZERS.map((n) => `'${n}'`).join(', ');
    throw new TypeError(`${where}: optimizer must be one of ${list}, got ${String(optimizer)}`);
  }
  const beta = checkFraction(where, 'beta', o.beta ?? 0.9, false);
  const beta1 = checkFraction(where, 'beta1', o.beta1 ?? 0.9, false);
  const beta2 = checkFraction(where, 'beta2', o.beta2 ?? 0.999, false);
  const epsilon = checkPositive(where, 'epsilon', o.epsilon ?? 1e-8);
  return { optimizer, beta, beta1, beta2, epsilon };
}

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
  const batched = o.epochs !== undefined || o.miniBatchSize !== undefined;
  if (batched && o.iterations !== undefined) {
    throw new TypeError(
      `${where}: iterations counts full-batch steps; with epochs or miniBatchSize give epochs instead`,
    );
  }
  const epochs = batched
    ? checkInteger(where, 'epochs', o.epochs ?? defaults.iterations, 0)
    : checkInteger(where, 'iterations', o.iterations ?? defaults.iterations, 0);
  const miniBatchSize = batched ? checkInteger(where, 'miniBatchSize', o.miniBatchSize ?? 64, 1) : undefined;
  const seed = checkInteger(where, 'seed', o.seed ?? 10, 0);
  if (seed + epochs >= 2 ** 32) throw new RangeError(`${where}: seed + epochs must stay below 2**32`);
  const decayRate = checkNonNegative(where, 'decayRate', o.decayRate ?? 0);
  const timeInterval =
    o.timeInterval === undefined ? undefined : checkInteger(where, 'timeInterval', o.timeInterval, 1);
  const l2 = checkNonNegative(where, 'l2', o.l2 ?? 0);
  const keepProb = o.keepProb ?? 1;
  if (typeof keepProb !== 'number' || !(keepProb > 0 && keepProb <= 1)) {
    throw new RangeError(`${where}: keepProb must be a number in (0, 1], got ${String(keepProb)}`);
  }
  let validationData: TrainingSettings['validationData'];
  if (o.validationData !== undefined) {
    const v = o.validationData;
    if (!Array.isArray(v) || v.length !== 2) {
      throw new TypeError(`${where}: validationData must be a pair [Xv, Yv]`);
    }
    checkMatrix(where, 'validationData[0]', v[0], '(n_x, m_v)');
    checkMatrix(where, 'validationData[1]', v[1], '(n_y, m_v)');
    validationData = [v[0], v[1]];
  }
  const validationSplit =
    o.validationSplit === undefined ? 0 : checkFraction(where, 'validationSplit', o.validationSplit, true);
  if (validationData && validationSplit > 0) {
    throw new TypeError(`${where}: give validationData or validationSplit, not both`);
  }
  let earlyStopping: TrainingSettings['earlyStopping'];
  if (o.earlyStopping !== undefined) {
    const e = o.earlyStopping;
    if (e === null || typeof e !== 'object') {
      throw new TypeError(`${where}: earlyStopping must be an object { patience, minDelta? }`);
    }
    earlyStopping = {
      patience: checkInteger(where, 'earlyStopping.patience', e.patience, 1),
      minDelta: checkNonNegative(where, 'earlyStopping.minDelta', e.minDelta ?? 0),
    };
  }
  const printEvery = o.printEvery === undefined ? 0 : checkInteger(where, 'printEvery', o.printEvery, 0);
  const logger = o.logger ?? ((line: string) => console.log(line));
  if (typeof logger !== 'function') throw new TypeError(`${where}: logger must be a function`);
  if (o.onIteration !== undefined && typeof o.onIteration !== 'function') {
    throw new TypeError(`${where}: onIteration must be a function, got ${typeof o.onIteration}`);
  }
  if (o.signal !== undefined && (o.signal === null || typeof o.signal.aborted !== 'boolean')) {
    throw new TypeError(`${where}: signal must be an AbortSignal`);
  }
  return {
    learningRate,
    epochs,
    miniBatchSize,
    seed,
    optimizer: checkOptimizer(where, o),
    decayRate,
    timeInterval,
    l2,
    keepProb,
    validationData,
    validationSplit,
    earlyStopping,
    printEvery,
    logger,
    onIteration: o.onIteration,
    signal: o.signal,
  };
}

/** One run of fit as gradient steps (trainer.ts). */
export interface Steps {
  readonly done: boolean;
  step(): void;
  /** Before the loop yields to the event loop, where other code may run. */
  pause(): void;
  history(): History;
  dispose(): void;
}

/** Runs the training loop synchronously. */
export function train(trainer: Steps): History {
  try {
    while (!trainer.done) trainer.step();
    return trainer.history();
  } finally {
    trainer.dispose();
  }
}

/** Runs the training loop, yielding to the event loop every `yieldEveryMs` milliseconds. */
export async function trainAsync(trainer: Steps, yieldEveryMs: number, onDone: () => void): Promise<History> {
  try {
    let last = performance.now();
    while (!trainer.done) {
      if (performance.now() - last >= yieldEveryMs) {
        trainer.pause();
        await new Promise((resolve) => setTimeout(resolve, 0));
        last = performance.now();
      }
      trainer.step();
    }
    return trainer.history();
  } finally {
    trainer.dispose();
    onDone();
  }
}
