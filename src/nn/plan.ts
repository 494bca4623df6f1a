// The memory plan of training: every array an iteration touches is allocated once, here, for one batch
// size m, so that forward, cost, backward and update only ever write into existing arrays
// (`out` arguments, in-place kernels) and an iteration allocates nothing on any backend.
//
// Per layer l = 1..L: Z[l] and A[l] (n_l, m), A[l] being Z[l] itself for a linear activation;
// D[l] (n_l, m), which holds dA[l] and then, in place, dZ[l]; dW[l], db[l]. Plus a (n_L, m) scratch
// array and a 0-d total for the cost. Training never computes dA0 = W1ᵀ·dZ1 (nobody reads it).
import { add, mul, sub, unary, unaryGrad } from '../ndarray/elementwise.js';
import { type GemmOptions, gemm } from '../ndarray/linalg.js';
import { NDArray } from '../ndarray/ndarray.js';
import { sum } from '../ndarray/reduce.js';
import { untracked } from '../ndarray/scope.js';
import { activationOps } from './activations.js';
import { crossEntropyFromLogitsInto, squaredErrorInto } from './cost.js';
import type { Activation, OutputActivation } from './types.js';

/** What a network computes, independent of its weights. */
export interface NetworkSpec {
  /** [n_x, n_1, …, n_L] */
  readonly layerDims: readonly number[];
  readonly hidden: Activation;
  readonly output: OutputActivation;
  readonly leakySlope: number;
}

/**
 * Preallocated arrays and the allocation-free passes of one training run over batches of m columns.
 * W and b are the network's parameter arrays (1-based: W[1] … W[L]); they are updated in place.
 */
export class TrainingPlan {
  readonly m: number;
  readonly L: number;
  /** Gradients, 1-based like the parameters. */
  readonly dW: NDArray[] = [];
  readonly db: NDArray[] = [];
  private readonly Z: NDArray[] = [];
  private readonly A: NDArray[] = [];
  private readonly D: NDArray[] = [];
  private readonly scratch: NDArray;
  private readonly total: NDArray;
  private readonly activation: Activation[] = [];
  // the option objects of every gemm call, built once
  private readonly forwardGemm: GemmOptions[] = [];
  private readonly dWGemm: GemmOptions[] = [];
  private readonly dAGemm: GemmOptions[] = [];
  private readonly owned: NDArray[] = [];

  constructor(
    readonly spec: NetworkSpec,
    readonly W: readonly NDArray[],
    readonly b: readonly NDArray[],
    m: number,
  ) {
    this.m = m;
    this.L = spec.layerDims.length - 1;
    const { dtype, engine } = W[1];
    // untracked: the plan lives until disposed, even when created inside tidy()
    const alloc = (shape: number[]) => {
      const x = untracked(() => NDArray.alloc(shape, dtype, engine));
      this.owned.push(x);
      return x;
    };
    for (let l = 1; l <= this.L; l++) {
      const n = spec.layerDims[l];
      const act: Activation = l < this.L ? spec.hidden : spec.output;
      this.activation[l] = act;
      this.Z[l] = alloc([n, m]);
      this.A[l] = act === 'linear' ? this.Z[l] : alloc([n, m]);
      this.D[l] = alloc([n, m]);
      this.dW[l] = alloc([...W[l].shape]);
      this.db[l] = alloc([n, 1]);
      this.forwardGemm[l] = { out: this.Z[l] };
      this.dWGemm[l] = { transB: true, alpha: 1 / m, out: this.dW[l] };
      if (l > 1) this.dAGemm[l] = { transA: true, out: this.D[l - 1] };
    }
    this.scratch = alloc([spec.layerDims[this.L], m]);
    this.total = alloc([]);
    // the facade keeps one persistent 0-d array per backend and dtype for scalar operands
    // (`add(t, 1, t)`); touch it now so that it exists before the first iteration
    untracked(() => add(this.total, 0, this.total));
  }

  /** Bytes held by the plan's own arrays (caches, gradients, scratch), not counting parameters. */
  get bytes(): number {
    const per = this.W[1].dtype === 'float32' ? 4 : 8;
    return this.owned.reduce((s, x) => s + x.size * per, 0);
  }

  /** A[L] after `forward`: the output activations (a view the plan owns; copy it to keep it). */
  get AL(): NDArray {
    return this.A[this.L];
  }

  /** Forward pass over X (n_x, m): Z[l] = W[l]·A[l-1] + b[l], A[l] = g(Z[l]). */
  forward(X: NDArray): void {
    const { W, b, Z, A } = this;
    for (let l = 1; l <= this.L; l++) {
      gemm(W[l], l === 1 ? X : A[l - 1], this.forwardGemm[l]);
      add(Z[l], b[l], Z[l]);
      const act = this.activation[l];
      if (act !== 'linear') unary(activationOps[act], Z[l], this.spec.leakySlope, 0, A[l]);
    }
  }

  /** The cost of the last forward pass: cross-entropy from Z[L] (stable) or MSE. */
  cost(Y: NDArray): number {
    const L = this.L;
    return this.spec.output === 'sigmoid'
      ? crossEntropyFromLogitsInto(this.Z[L], Y, this.scratch, this.D[L], this.total)
      : squaredErrorInto(this.A[L], Y, this.scratch, this.total);
  }

  /**
   * Backward pass after `forward(X)`: dZ[L] = A[L] - Y (sigmoid with cross-entropy, or linear with MSE),
   * then for each layer dW, db and, except for layer 1, dA[l-1] = W[l]ᵀ·dZ[l] and dZ[l-1] in place.
   */
  backward(X: NDArray, Y: NDArray): void {
    const { W, Z, A, D, db } = this;
    sub(A[this.L], Y, D[this.L]);
    for (let l = this.L; l >= 1; l--) {
      gemm(D[l], l === 1 ? X : A[l - 1], this.dWGemm[l]);
      sum(D[l], 1, true, db[l]);
      mul(db[l], 1 / this.m, db[l]);
      if (l === 1) break; // dA0 is never read: skip the (n_x, m) product
      gemm(W[l], D[l], this.dAGemm[l]);
      const act = this.activation[l - 1];
      if (act !== 'linear')
        unaryGrad(activationOps[act], Z[l - 1], D[l - 1], this.spec.leakySlope, 0, D[l - 1]);
    }
  }

  /** W -= learningRate·dW, b -= learningRate·db, in place (the gradients are scaled in place too). */
  update(learningRate: number): void {
    for (let l = 1; l <= this.L; l++) {
      mul(this.dW[l], learningRate, this.dW[l]);
      sub(this.W[l], this.dW[l], this.W[l]);
      mul(this.db[l], learningRate, this.db[l]);
      sub(this.b[l], this.db[l], this.b[l]);
    }
  }

  dispose(): void {
    for (const x of this.owned) x.dispose();
    this.owned.length = 0;
  }
}
