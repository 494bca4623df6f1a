// One run of fit as a sequence of steps (one gradient step each), so that the synchronous and the
// yielding loops of train.ts share it: full-batch iterations, or epochs of shuffled mini-batches;
// the optimizer, learning-rate decay, dropout masks, validation after each epoch, early stopping,
// printing and the callback. A step allocates nothing: everything it touches is made here, once.
import { UnaryOp } from '../backend/index.js';
import { TrainingDivergedError } from '../core/index.js';
import { type NDArray, NDArray as NDArrayClass, untracked } from '../ndarray/index.js';
import { outputAccuracy } from './accuracy.js';
import { MiniBatches } from './batches.js';
import { Optimizer } from './optimizer.js';
import type { TrainingPlan } from './plan.js';
import type { EpochInfo, History, TrainingSettings } from './train.js';

export class Trainer {
  /** True once every epoch ran or training stopped early. */
  done: boolean;
  private epoch = 0;
  private batch = 0;
  /** Σ batch cost × batch size over the epoch so far */
  private total = 0;
  private lr: number;
  private readonly costs: number[] = [];
  private readonly learningRates: number[] = [];
  private readonly validation: { costs: number[]; accuracies: number[] } | undefined;
  private stoppedBy: History['stoppedBy'] = null;
  private readonly optimizer: Optimizer;
  private readonly batches: MiniBatches | undefined;
  private readonly evalPlan: TrainingPlan | undefined;
  private readonly best: NDArray[] = [];
  private bestCost = Number.POSITIVE_INFINITY;
  private bestEpoch = -1;
  private wait = 0;
  private readonly info: EpochInfo = { learningRate: 0 };
  private readonly owned: NDArray[] = [];

  /**
   * @param plan the model's plan, with capacity for a batch (or all of X) and the settings'
   * regularisation; `makePlan` builds the validation plan for m_v columns (no regularisation).
   */
  constructor(
    private readonly where: string,
    private readonly plan: TrainingPlan,
    private readonly X: NDArray,
    private readonly Y: NDArray,
    private readonly s: TrainingSettings,
    private readonly validationData: readonly [NDArray, NDArray] | undefined,
    makePlan: (m: number) => TrainingPlan,
  ) {
    this.lr = s.learningRate;
    this.done = s.epochs === 0;
    this.optimizer = new Optimizer(plan, s.optimizer);
    try {
      this.batches = s.miniBatchSize === undefined ? undefined : new MiniBatches(X, Y, s.miniBatchSize);
      plan.seedDropout(s.seed);
      if (validationData) {
        this.evalPlan = makePlan(validationData[0].shape[1]);
        this.validation = { costs: [], accuracies: [] };
      }
      if (s.earlyStopping) {
        for (const p of plan.params()) {
          this.best.push(untracked(() => NDArrayClass.alloc([...p.shape], p.dtype, p.engine)));
        }
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** One gradient step: a full-batch iteration, or the next mini-batch of the epoch. */
  step(): void {
    if (this.s.signal?.aborted) {
      this.stop('signal');
      return;
    }
    const plan = this.plan;
    plan.assertLive(this.where, this.X, this.Y);
    const batches = this.batches;
    if (!batches) {
      plan.forward(this.X);
      const cost = this.checked(plan.cost(this.Y));
      if (this.lookAhead) {
        plan.descendAhead(this.X, this.Y, this.lr);
      } else {
        plan.backward(this.X, this.Y);
        this.optimizer.step(this.lr);
      }
      this.endEpoch(cost);
      return;
    }
    if (this.batch === 0) {
      batches.shuffle(this.s.seed + 1 + this.epoch);
      this.total = 0;
    }
    const k = this.batch;
    const mb = batches.columns(k);
    plan.setBatch(mb);
    plan.useBlocks(batches.xBuffer, batches.xOffset(k), batches.yBuffer, batches.yOffset(k));
    plan.forwardInput();
    this.total += this.checked(plan.labelsCost()) * mb;
    plan.backwardInput();
    this.optimizer.step(this.lr);
    if (++this.batch === batches.count) {
      this.batch = 0;
      this.endEpoch(this.total / batches.m);
    }
  }

  /**
   * Whether this full-batch iteration may leave the next one's first product computed
   * (TrainingPlan.descendAhead): plain gradient descent, another iteration to come, and no user code
   * between iterations that could write the parameters or X (an onIteration callback; fitAsync drops
   * the look-ahead before it yields, see `pause`).
   */
  private get lookAhead(): boolean {
    const s = this.s;
    return (
      s.optimizer.optimizer === 'gd' &&
      s.onIteration === undefined &&
      this.epoch + 1 < s.epochs &&
      this.plan.canDescendAhead
    );
  }

  /** Called before control leaves the loop between steps (fitAsync's yields): nothing is left ahead. */
  pause(): void {
    this.plan.dropLookahead();
  }

  /** What fit returns. */
  history(): History {
    const h: History = { costs: this.costs, learningRates: this.learningRates, stoppedBy: this.stoppedBy };
    if (this.validation) h.validation = this.validation;
    if (this.s.earlyStopping) h.bestEpoch = this.bestEpoch;
    return h;
  }

  /** Arrays made for this run (a copy of X, the split's views) to free with it. */
  owns(x: NDArray): void {
    this.owned.push(x);
  }

  /** Frees what this run allocated (the model keeps its plan). */
  dispose(): void {
    this.plan.dropLookahead();
    for (const x of this.owned) x.dispose();
    this.owned.length = 0;
    this.optimizer.dispose();
    this.batches?.dispose();
    this.evalPlan?.dispose();
    for (const x of this.best) x.dispose();
    this.best.length = 0;
  }

  /** A batch cost, or TrainingDivergedError when it is not finite. */
  private checked(cost: number): number {
    if (Number.isFinite(cost)) return cost;
    const i = this.epoch;
    const costs = this.costs;
    const unit = this.batches ? 'epoch' : 'iteration';
    const last = costs.length ? ` (${costs[costs.length - 1].toPrecision(6)} at ${unit} ${i - 1})` : '';
    throw new TrainingDivergedError(
      `${this.where}: training diverged at ${unit} ${i}: the cost is ${cost}${last}; ` +
        `try a smaller learning rate than ${this.lr}, or scale the inputs`,
      i,
      [...costs, cost],
    );
  }

  private endEpoch(cost: number): void {
    const s = this.s;
    const e = this.epoch;
    this.costs.push(cost);
    this.learningRates.push(this.lr);
    const info = this.info;
    info.learningRate = this.lr;
    if (this.evalPlan && this.validationData && this.validation) {
      const [Xv, Yv] = this.validationData;
      const p = this.evalPlan;
      p.forward(Xv);
      info.validationCost = p.cost(Yv);
      this.validation.costs.push(info.validationCost);
      info.validationAccuracy = outputAccuracy(p, Yv);
      if (info.validationAccuracy !== undefined) this.validation.accuracies.push(info.validationAccuracy);
    }
    if (s.printEvery > 0 && (e % s.printEvery === 0 || e === s.epochs - 1)) {
      const v = info.validationCost;
      const acc = info.validationAccuracy;
      const extra =
        v === undefined
          ? ''
          : ` (validation ${v.toFixed(6)}${acc === undefined ? '' : `, accuracy ${(acc * 100).toFixed(2)} %`})`;
      s.logger(`Cost after ${this.batches ? 'epoch' : 'iteration'} ${e}: ${cost.toFixed(6)}${extra}`);
    }
    // the course's model(): after epoch e, learning_rate = decay(learning_rate0, e, decay_rate)
    if (s.decayRate > 0) {
      const steps = s.timeInterval === undefined ? e : Math.floor(e / s.timeInterval);
      this.lr = s.learningRate / (1 + s.decayRate * steps);
      if (s.printEvery > 0 && (e % s.printEvery === 0 || e === s.epochs - 1)) {
        s.logger(`learning rate after ${this.batches ? 'epoch' : 'iteration'} ${e}: ${this.lr.toFixed(6)}`);
      }
    }
    this.epoch++;
    if (s.earlyStopping && this.watch(info.validationCost ?? cost)) return;
    if (s.onIteration?.(e, cost, info) === false) {
      this.stop('onIteration');
      return;
    }
    if (this.epoch >= s.epochs) this.stop(null);
  }

  /** Early stopping's bookkeeping after an epoch; true when it stopped training. */
  private watch(monitored: number): boolean {
    const { patience, minDelta } = this.s.earlyStopping as { patience: number; minDelta: number };
    const params = this.plan.params();
    if (monitored < this.bestCost - minDelta) {
      this.bestCost = monitored;
      this.bestEpoch = this.epoch - 1;
      this.wait = 0;
      for (let i = 0; i < params.length; i++) copyInto(this.best[i], params[i]);
      return false;
    }
    if (++this.wait < patience) return false;
    this.stop('earlyStopping');
    return true;
  }

  private stop(reason: History['stoppedBy']): void {
    this.done = true;
    this.plan.dropLookahead();
    this.stoppedBy = reason;
    if (this.s.earlyStopping && this.bestEpoch >= 0) {
      const params = this.plan.params();
      for (let i = 0; i < params.length; i++) copyInto(params[i], this.best[i]);
    }
  }
}

/**
 * Copies the elements of contiguous `from` into contiguous `to` of the same size and backend: the
 * identity activation, a kernel call that allocates nothing (with early stopping in full-batch
 * training this runs after every improving iteration).
 */
function copyInto(to: NDArray, from: NDArray): void {
  const e = to.engine;
  e.unary(UnaryOp.Linear, to.storage.buffer, to.offset, from.storage.buffer, from.offset, from.size, 0, 0);
}
