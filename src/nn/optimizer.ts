// The update step of training: gradient descent, momentum, RMSprop or Adam over a TrainingPlan's
// parameters and gradients. The moment arrays are allocated once, with the plan's backend and dtype,
// so a step allocates nothing; each layer's W and b take one optimizerStep (or axpy) kernel call.
import { OptimizerOp } from '../backend/index.js';
import { type NDArray, NDArray as NDArrayClass, untracked } from '../ndarray/index.js';
import type { TrainingPlan } from './plan.js';

/** The update rule: plain gradient descent or one of the course's optimizers. */
export type OptimizerName = 'gd' | 'momentum' | 'rmsprop' | 'adam';

/** Every optimizer name. */
export const OPTIMIZERS: readonly OptimizerName[] = ['gd', 'momentum', 'rmsprop', 'adam'];

/** The optimizer's hyperparameters, with the course's defaults applied. */
export interface OptimizerSettings {
  readonly optimizer: OptimizerName;
  /** Momentum's β (the course's `beta`, default 0.9). */
  readonly beta: number;
  /** Adam's β1 (default 0.9) and β2 (default 0.999); RMSprop's decay is β2. */
  readonly beta1: number;
  readonly beta2: number;
  /** Added to √s outside the square root (default 1e-8). */
  readonly epsilon: number;
}

const OP: Record<Exclude<OptimizerName, 'gd'>, OptimizerOp> = {
  momentum: OptimizerOp.Momentum,
  rmsprop: OptimizerOp.RMSprop,
  adam: OptimizerOp.Adam,
};

/**
 * The state of one run of an optimizer: v (velocity, first moment) and s (second moment) for every
 * W and b, zero at the start, and Adam's update count t.
 */
export class Optimizer {
  /** Updates made so far (Adam's t after the last step). */
  t = 0;
  /** per parameter, its first and second moments (undefined where the rule has none) */
  private readonly v: (NDArray | undefined)[] = [];
  private readonly s: (NDArray | undefined)[] = [];

  constructor(
    private readonly plan: TrainingPlan,
    readonly settings: OptimizerSettings,
  ) {
    const { optimizer } = settings;
    if (optimizer === 'gd') return;
    const params = plan.params();
    const { dtype, engine } = params[0];
    for (const p of params) {
      const zeros = () => untracked(() => NDArrayClass.alloc([...p.shape], dtype, engine));
      this.v.push(optimizer === 'rmsprop' ? undefined : zeros());
      this.s.push(optimizer === 'momentum' ? undefined : zeros());
    }
  }

  /** Bytes of the moment arrays a run of `optimizer` keeps for parameters of `parameterBytes`. */
  static bytesFor(optimizer: OptimizerName, parameterBytes: number): number {
    return optimizer === 'gd' ? 0 : optimizer === 'adam' ? 2 * parameterBytes : parameterBytes;
  }

  /** One update of every parameter from the plan's gradients with learning rate `lr`. */
  step(lr: number): void {
    this.t++;
    const { optimizer, beta, beta1, beta2, epsilon } = this.settings;
    if (optimizer === 'gd') {
      this.plan.update(lr);
      return;
    }
    const params = this.plan.params();
    const grads = this.plan.grads();
    const e = this.plan.engineOf;
    const b1 = optimizer === 'momentum' ? beta : beta1;
    // NumPy's 1 - np.power(beta1, t): Math.pow and C's pow agree on these to the last bit or one ulp
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const g = grads[i];
      // a rule without a moment gets the parameter's own buffer in its place, which it never reads
      const v = this.v[i] ?? p;
      const s = this.s[i] ?? p;
      e.optimizerStep(
        OP[optimizer],
        p.storage.buffer,
        p.offset,
        g.storage.buffer,
        g.offset,
        v.storage.buffer,
        v.offset,
        s.storage.buffer,
        s.offset,
        p.size,
        lr,
        b1,
        beta2,
        epsilon,
        c1,
        c2,
      );
    }
  }

  /** Frees the moment arrays. */
  dispose(): void {
    for (const x of [...this.v, ...this.s]) x?.dispose();
    this.v.length = 0;
    this.s.length = 0;
  }
}
