// The memory plan of training and its fast path. Every array an iteration touches is allocated once,
// here, for batches of up to `capacity` columns (a batch of m columns uses the first n·m elements of
// each cache, as an (n, m) block), and everything an iteration needs besides the data is worked out once
// too: backend buffers, offsets, leading dimensions, activation ops, 1/m. The passes then call Backend
// kernels directly (GEMM and the fused kernels of backend.ts), bypassing the facade's per-op
// validation, broadcasting and array bookkeeping, so an iteration of a small network costs what its
// kernels cost (the facade spends a few µs per op, which dominated the planar [2,4,1] net) and
// allocates nothing on any backend.
//
// Per layer l = 1..L: Z[l] and A[l] (n_l, m), A[l] being Z[l] itself for a linear activation;
// D[l] (n_l, m), which holds dA[l] and then, in place, dZ[l]; dW[l], db[l]. Plus a (n_L, m) scratch
// array, which receives the sigmoid output's per-example log1p(e^-|z|) cost terms in the forward pass
// and takes a contiguous copy of Y when Y is a strided view.
// Training never computes dA0 = W1ᵀ·dZ1 (nobody reads it).
// With dropout (keepProb < 1), each hidden layer also has a mask M[l] drawn per forward pass and the
// dropped activations A[l]·M[l]/keepProb, which the next layer reads; A[l] stays for g'(·). With L2
// (lambda > 0), the cost adds (lambda/2m)·Σ‖W‖² and each dW adds (lambda/m)·W.
//
// Per iteration, 7L kernel calls for L layers: forward L GEMMs and L bias-activations (the sigmoid
// output's also takes the cost's log terms); the cost one loss reduction; backward one A - Y with its
// row sums, L dW GEMMs, L - 1 dA GEMMs and L - 1 activation gradients with their row sums; the update
// 2L axpys.
import {
  type ActivationOp,
  type Backend,
  BinaryOp,
  type Buffer,
  type FirstLayerStep,
  gradReadsOutput,
  LossOp,
  UnaryOp,
} from '../backend/index.js';
import { DisposedError, formatShape } from '../core/index.js';
import { NDArray, untracked } from '../ndarray/index.js';
import { RandomState } from '../random/index.js';
import { activationOps } from './activations.js';
import type { Activation, OutputActivation } from './types.js';

/** What a network computes, independent of its weights. */
export interface NetworkSpec {
  /** [n_x, n_1, …, n_L] */
  readonly layerDims: readonly number[];
  readonly hidden: Activation;
  readonly output: OutputActivation;
  readonly leakySlope: number;
}

/** One layer's buffers and sizes, resolved once. Offsets are those of W and b (the plan's own are 0). */
interface Layer {
  /** n_l, n_{l-1} */
  n: number;
  nPrev: number;
  act: ActivationOp;
  W: Buffer;
  wOff: number;
  b: Buffer;
  bOff: number;
  Z: Buffer;
  A: Buffer;
  D: Buffer;
  dW: Buffer;
  db: Buffer;
  /** what the activation gradient reads: A for sigmoid/tanh (g' from g), else Z */
  cache: Buffer;
  /** what the next layer reads: A, or with dropout the dropped activations */
  out: Buffer;
  /** the dropout mask (0 or 1), hidden layers with dropout only */
  mask: Buffer | undefined;
}

/** What a plan adds to plain gradient descent; both off by default. */
export interface Regularization {
  /** L2 strength λ (the course's `lambd`); 0 for none. */
  readonly l2: number;
  /** Probability of keeping a hidden unit in inverted dropout; 1 for none. */
  readonly keepProb: number;
}

const NO_REGULARIZATION: Regularization = { l2: 0, keepProb: 1 };
const UNIT_STRIDE = [1];
const BROADCAST = [0];

/**
 * Preallocated arrays and the allocation-free passes of one training run over batches of m columns.
 * W and b are the network's parameter arrays (1-based: W[1] … W[L]), C-contiguous; they are updated
 * in place. X must be (n_x, m) and Y (n_L, m) on the parameters' backend and dtype (callers check);
 * a row- or column-contiguous X is read in place, any other X and any strided Y are copied.
 */
export class TrainingPlan {
  /** The columns of the current batch (see `setBatch`); at most `capacity`. */
  m: number;
  readonly capacity: number;
  readonly L: number;
  /** Gradients, 1-based like the parameters (after `backward`: the gradient, not yet scaled by α). */
  readonly dW: NDArray[] = [];
  readonly db: NDArray[] = [];
  private readonly Z: NDArray[] = [];
  private readonly A: NDArray[] = [];
  private readonly engine: Backend;
  private readonly layers: Layer[] = [];
  private readonly scratch: NDArray;
  private readonly owned: NDArray[] = [];
  /** a C-order copy of X, made on the first X that GEMM cannot read in place */
  private xCopy: NDArray | undefined;
  // X and Y as the kernels read them, set by `useX` / `useY` (fields, so a call allocates nothing)
  private xBuf!: Buffer;
  private xOff = 0;
  private xLd = 0;
  private xTrans = false;
  private yBuf!: Buffer;
  private yOff = 0;
  /** Σ log1p(e^-|z|) over Z[L] (sigmoid output) or Σ_j log Σ_i e^z (softmax), from the last forward pass */
  private outputTail = 0;
  /** the one-element array holding keepProb, which the dropout division broadcasts */
  private readonly keep: NDArray | undefined;
  /** the element count of a dropout multiply or divide (a field, so a call allocates nothing) */
  private readonly flat = [0];
  /** where the dropout masks are drawn from, with dropout only (see `seedDropout`) */
  private readonly dropoutRng: RandomState | undefined;
  /**
   * The operands of the last `descendAhead` (one record per plan, rewritten by every call). With
   * `ahead`, Z[1] holds W[1]·X for the current W[1] and the X these fields name; the next forward
   * pass over that X skips the product. Every forward pass and `dropLookahead` clear `ahead`.
   */
  private step: FirstLayerStep | undefined;
  private ahead = false;
  private readonly paramList: NDArray[] = [];
  private readonly gradList: NDArray[] = [];

  constructor(
    readonly spec: NetworkSpec,
    readonly W: readonly NDArray[],
    readonly b: readonly NDArray[],
    capacity: number,
    readonly regularization: Regularization = NO_REGULARIZATION,
  ) {
    this.m = capacity;
    this.capacity = capacity;
    const m = capacity;
    this.L = spec.layerDims.length - 1;
    const { dtype, engine } = W[1];
    this.engine = engine;
    // untracked: the plan lives until disposed, even when created inside tidy()
    const alloc = (shape: number[]) => {
      const x = untracked(() => NDArray.alloc(shape, dtype, engine));
      this.owned.push(x);
      return x;
    };
    for (let l = 1; l <= this.L; l++) {
      const n = spec.layerDims[l];
      const nPrev = spec.layerDims[l - 1];
      for (const [name, p] of [
        ['W', W[l]],
        ['b', b[l]],
      ] as const) {
        if (!p.isContiguous) throw new TypeError(`TrainingPlan: ${name}${l} must be C-contiguous`);
      }
      const activation = l < this.L ? spec.hidden : spec.output;
      // softmax has no element-wise op: the plan calls softmaxOutput for it
      const act = (activation === 'softmax' ? UnaryOp.Linear : activationOps[activation]) as ActivationOp;
      this.Z[l] = alloc([n, m]);
      this.A[l] = activation === 'linear' ? this.Z[l] : alloc([n, m]);
      const D = alloc([n, m]);
      const dropped = l < this.L && regularization.keepProb < 1;
      const mask = dropped ? alloc([n, m]).storage.buffer : undefined;
      const out = dropped ? alloc([n, m]).storage.buffer : this.A[l].storage.buffer;
      this.dW[l] = alloc([...W[l].shape]);
      this.db[l] = alloc([n, 1]);
      const A = this.A[l].storage.buffer;
      const Z = this.Z[l].storage.buffer;
      this.layers[l] = {
        n,
        nPrev,
        act,
        W: W[l].storage.buffer,
        wOff: W[l].offset,
        b: b[l].storage.buffer,
        bOff: b[l].offset,
        Z,
        A,
        D: D.storage.buffer,
        dW: this.dW[l].storage.buffer,
        db: this.db[l].storage.buffer,
        cache: gradReadsOutput(act) ? A : Z,
        out,
        mask,
      };
    }
    for (let l = 1; l <= this.L; l++) {
      this.paramList.push(W[l], b[l]);
      this.gradList.push(this.dW[l], this.db[l]);
    }
    this.scratch = alloc([spec.layerDims[this.L], m]);
    if (regularization.keepProb < 1) {
      this.keep = alloc([1]);
      engine.fill(this.keep.storage.buffer, 0, 1, regularization.keepProb);
      this.dropoutRng = new RandomState(0);
    }
  }

  /**
   * Makes the next passes work on batches of m columns (1 <= m <= capacity): every cache is used as
   * an (n, m) block at its start.
   */
  setBatch(m: number): void {
    if (!(Number.isInteger(m) && m >= 1 && m <= this.capacity)) {
      throw new RangeError(`TrainingPlan: batch of ${m} columns, capacity ${this.capacity}`);
    }
    this.m = m;
  }

  /**
   * Seeds the generator of the dropout masks (NumPy's `rand(n, m) < keep_prob`, drawn on by every
   * forward pass) as `np.random.seed(seed)`; nothing without dropout.
   */
  seedDropout(seed: number): void {
    this.dropoutRng?.seed(seed);
  }

  /**
   * Throws DisposedError naming the first of the arrays an iteration reads (the parameters, X, Y)
   * that was disposed: the plan holds their storage directly, and freed wasm memory may already
   * hold another array.
   */
  assertLive(where: string, X: NDArray, Y: NDArray): void {
    checkParametersLive(where, this.W, this.b);
    if (X.isDisposed)
      throw new DisposedError(`${where}: X was disposed while training (shape ${formatShape(X.shape)})`);
    if (Y.isDisposed)
      throw new DisposedError(`${where}: Y was disposed while training (shape ${formatShape(Y.shape)})`);
  }

  /** Bytes a plan for `spec` over batches of m examples allocates, S bytes per element (see `bytes`). */
  static bytesFor(spec: NetworkSpec, m: number, S: number, keepProb = 1): number {
    const dims = spec.layerDims;
    const L = dims.length - 1;
    let elements = dims[L] * m + 1; // the scratch, keepProb
    for (let l = 1; l <= L; l++) {
      let caches = (l < L ? spec.hidden : spec.output) === 'linear' ? 2 : 3; // Z (= A), D
      if (l < L && keepProb < 1) caches += 2; // mask, dropped A
      elements += caches * dims[l] * m + dims[l] * dims[l - 1] + dims[l];
    }
    return elements * S;
  }

  /** Bytes held by the plan's own arrays (caches, gradients, scratch), not counting parameters. */
  get bytes(): number {
    const per = this.W[1].dtype === 'float32' ? 4 : 8;
    return this.owned.reduce((s, x) => s + x.size * per, 0);
  }

  /** A[L] after a forward pass, (n_L, m) row-major at the start of this buffer (the plan owns it). */
  get outputBuffer(): Buffer {
    return this.layers[this.L].A;
  }

  /** Forward pass over X (n_x, m): Z[l] = W[l]·A[l-1] + b[l], A[l] = g(Z[l]). */
  forward(X: NDArray): void {
    this.useX(X);
    this.forwardInput();
  }

  /**
   * Points the passes at a batch stored as a contiguous (n_x, m) block of X and a contiguous (n_L, m)
   * block of Y (mini-batches: see batches.ts), instead of an NDArray.
   */
  useBlocks(x: Buffer, xOff: number, y: Buffer, yOff: number): void {
    this.setX(x, xOff, this.m, false);
    this.yBuf = y;
    this.yOff = yOff;
  }

  /** The forward pass over the X that `forward` or `useBlocks` set. */
  forwardInput(): void {
    const e = this.engine;
    const m = this.m;
    const slope = this.spec.leakySlope;
    const s = this.step;
    const reuse =
      this.ahead &&
      s !== undefined &&
      s.X === this.xBuf &&
      s.xOff === this.xOff &&
      s.ldx === this.xLd &&
      s.transX === this.xTrans &&
      s.m === m;
    this.ahead = false;
    for (let l = 1; l <= this.L; l++) {
      const y = this.layers[l];
      if (l === 1) {
        if (!reuse)
          e.gemm(
            y.Z,
            0,
            m,
            y.W,
            y.wOff,
            y.nPrev,
            false,
            this.xBuf,
            this.xOff,
            this.xLd,
            this.xTrans,
            y.n,
            m,
            y.nPrev,
            1,
            0,
          );
      } else {
        const prev = this.layers[l - 1];
        e.gemm(y.Z, 0, m, y.W, y.wOff, y.nPrev, false, prev.out, 0, m, false, y.n, m, y.nPrev, 1, 0);
      }
      if (l === this.L && this.spec.output === 'sigmoid') {
        const t = this.scratch.storage.buffer;
        this.outputTail = e.sigmoidOutput(y.Z, 0, y.A, 0, t, 0, y.b, y.bOff, y.n, m);
      } else if (l === this.L && this.spec.output === 'softmax') {
        this.outputTail = e.softmaxOutput(y.Z, 0, y.A, 0, y.b, y.bOff, y.n, m);
      } else {
        e.biasActivation(y.act, y.Z, 0, y.A, 0, y.b, y.bOff, y.n, m, slope);
      }
      if (y.mask) this.drop(y);
    }
  }

  /**
   * Inverted dropout of a hidden layer, as the course writes it: `D = rand(n, m) < keep_prob`,
   * `A = A * D`, `A = A / keep_prob` (into the layer's `out`).
   */
  private drop(y: Layer): void {
    const e = this.engine;
    const n = y.n * this.m;
    const mask = y.mask as Buffer;
    this.flat[0] = n;
    const rng = this.dropoutRng as RandomState; // made with the masks
    const view = e.view(mask);
    const keep = this.regularization.keepProb;
    for (let i = 0; i < n; i++) view[i] = rng.random() < keep ? 1 : 0;
    const k = (this.keep as NDArray).storage.buffer;
    e.binary(BinaryOp.Mul, y.out, 0, y.A, 0, UNIT_STRIDE, mask, 0, UNIT_STRIDE, this.flat);
    e.binary(BinaryOp.Div, y.out, 0, y.out, 0, UNIT_STRIDE, k, 0, BROADCAST, this.flat);
  }

  /** dA of a dropped layer, as the course's backward pass: `dA = dA * D`, `dA = dA / keep_prob`. */
  private dropGrad(y: Layer): void {
    const e = this.engine;
    this.flat[0] = y.n * this.m;
    const k = (this.keep as NDArray).storage.buffer;
    e.binary(BinaryOp.Mul, y.D, 0, y.D, 0, UNIT_STRIDE, y.mask as Buffer, 0, UNIT_STRIDE, this.flat);
    e.binary(BinaryOp.Div, y.D, 0, y.D, 0, UNIT_STRIDE, k, 0, BROADCAST, this.flat);
  }

  /**
   * The cost of the last forward pass: the cross-entropy from the logits Z[L],
   * (1/m)·Σ max(z, 0) - z·y + log1p(e^-|z|), finite for every z (the log1p sum was taken by the
   * forward pass, which had e^-|z| for σ; see `logisticTail` in scalar.ts), or (1/2m)·Σ(A[L] - Y)².
   */
  cost(Y: NDArray): number {
    this.useY(Y);
    return this.labelsCost();
  }

  /**
   * The cost against the labels that `cost` or `useBlocks` set; with L2, plus
   * (1/m)·(λ/2)·Σ_l Σ W[l]² (the course's compute_cost_with_regularization).
   */
  labelsCost(): number {
    const e = this.engine;
    const top = this.layers[this.L];
    const size = top.n * this.m;
    let cost: number;
    if (this.spec.output === 'sigmoid') {
      const linear = e.loss(LossOp.CrossEntropyLinear, top.Z, 0, this.yBuf, this.yOff, size);
      cost = (linear + this.outputTail) / this.m;
    } else if (this.spec.output === 'softmax') {
      const linear = e.loss(LossOp.SoftmaxLinear, top.Z, 0, this.yBuf, this.yOff, size);
      cost = (linear + this.outputTail) / this.m;
    } else {
      cost = e.loss(LossOp.SquaredError, top.A, 0, this.yBuf, this.yOff, size) / (2 * this.m);
    }
    const lambda = this.regularization.l2;
    if (lambda === 0) return cost;
    let squares = 0;
    for (let l = 1; l <= this.L; l++) {
      const y = this.layers[l];
      squares += e.loss(LossOp.Square, y.W, y.wOff, y.W, y.wOff, y.n * y.nPrev);
    }
    return cost + (1 / this.m) * (lambda / 2) * squares;
  }

  /**
   * Backward pass after `forward(X)`: dZ[L] = A[L] - Y (sigmoid with cross-entropy, or linear with
   * MSE) with db[L] in the same sweep, then for each layer dW = (1/m)·dZ·A_prevᵀ and, except for
   * layer 1, dA[l-1] = W[l]ᵀ·dZ[l] followed by dZ[l-1] = dA[l-1]·g'(·) with db[l-1] in one sweep.
   */
  backward(X: NDArray, Y: NDArray): void {
    this.useX(X);
    this.useY(Y);
    this.backwardInput();
  }

  /**
   * The backward pass over the X and Y that `backward` or `useBlocks` set; with `withoutDW1`, dW[1]
   * is left for `descendAhead` to compute.
   */
  backwardInput(withoutDW1 = false): void {
    const e = this.engine;
    const m = this.m;
    const invM = 1 / m;
    const l2 = this.regularization.l2 / m;
    const top = this.layers[this.L];
    e.subRowSum(top.D, 0, top.db, 0, top.A, 0, this.yBuf, this.yOff, top.n, m, invM);
    for (let l = this.L; l >= 1; l--) {
      const y = this.layers[l];
      if (l === 1) {
        if (withoutDW1) break;
        // dW1 = (1/m)·dZ1·Xᵀ: X's transpose flag flips
        e.gemm(
          y.dW,
          0,
          y.nPrev,
          y.D,
          0,
          m,
          false,
          this.xBuf,
          this.xOff,
          this.xLd,
          !this.xTrans,
          y.n,
          y.nPrev,
          m,
          invM,
          0,
        );
        if (l2 !== 0) e.axpy(y.dW, 0, y.W, y.wOff, y.n * y.nPrev, l2);
        break; // dA0 is never read: skip the (n_x, m) product
      }
      const prev = this.layers[l - 1];
      e.gemm(y.dW, 0, y.nPrev, y.D, 0, m, false, prev.out, 0, m, true, y.n, y.nPrev, m, invM, 0);
      if (l2 !== 0) e.axpy(y.dW, 0, y.W, y.wOff, y.n * y.nPrev, l2);
      e.gemm(prev.D, 0, m, y.W, y.wOff, y.nPrev, true, y.D, 0, m, false, y.nPrev, m, y.n, 1, 0);
      if (prev.mask) this.dropGrad(prev);
      e.activationGradSum(
        prev.act,
        prev.D,
        0,
        prev.db,
        0,
        prev.D,
        0,
        prev.cache,
        0,
        prev.n,
        m,
        invM,
        this.spec.leakySlope,
      );
    }
  }

  /**
   * W -= learningRate·dW, b -= learningRate·db, in place, rounded as NumPy's `W - learning_rate * dW`;
   * with `withoutW1`, W[1] is left for `descendAhead`.
   */
  update(learningRate: number, withoutW1 = false): void {
    const e = this.engine;
    for (let l = 1; l <= this.L; l++) {
      const y = this.layers[l];
      if (l > 1 || !withoutW1) e.axpy(y.W, y.wOff, y.dW, 0, y.n * y.nPrev, -learningRate);
      e.axpy(y.b, y.bOff, y.db, 0, y.n, -learningRate);
    }
  }

  /**
   * Whether `descendAhead` may replace backward + update: plain gradient descent without L2, and a
   * hidden first layer (its Z[1] is no output anyone reads after the step).
   */
  get canDescendAhead(): boolean {
    return this.regularization.l2 === 0 && this.L >= 2;
  }

  /**
   * `backward(X, Y)` then `update(learningRate)`, giving the same parameters and gradients bit for bit,
   * with the next forward pass's first product computed in the same pass over X (Backend.firstLayerStep):
   * dW[1], the update of W[1] and Z[1] = W[1]·X. The next `forward` over the same X reuses that Z[1]
   * instead of computing it (any other forward pass, or `dropLookahead`, discards it). For a training
   * loop in which nothing writes W[1] or X between this call and the next forward pass; see
   * `canDescendAhead`.
   */
  descendAhead(X: NDArray, Y: NDArray, learningRate: number): void {
    if (!this.canDescendAhead)
      throw new Error('TrainingPlan.descendAhead: L2 or a single layer (see canDescendAhead)');
    this.useX(X);
    this.useY(Y);
    this.backwardInput(true);
    this.update(learningRate, true);
    const y = this.layers[1];
    const step = (this.step ??= {
      dW: y.dW,
      dwOff: 0,
      W: y.W,
      wOff: y.wOff,
      Z: y.Z,
      zOff: 0,
      D: y.D,
      dOff: 0,
      X: this.xBuf,
      xOff: 0,
      ldx: 0,
      transX: false,
      n: y.n,
      k: y.nPrev,
      m: 0,
      alpha: 0,
      lr: 0,
    });
    step.X = this.xBuf;
    step.xOff = this.xOff;
    step.ldx = this.xLd;
    step.transX = this.xTrans;
    step.m = this.m;
    step.alpha = 1 / this.m;
    step.lr = learningRate;
    this.engine.firstLayerStep(step);
    this.ahead = true;
  }

  /** Discards the look-ahead of `descendAhead` (before anything may write W[1] or X). */
  dropLookahead(): void {
    this.ahead = false;
  }

  dispose(): void {
    this.ahead = false;
    for (const x of this.owned) x.dispose();
    this.owned.length = 0;
    this.xCopy?.dispose();
    this.xCopy = undefined;
  }

  /** Points the GEMM operand fields at X: in place when row- or column-contiguous, else a copy. */
  private useX(X: NDArray): void {
    this.setBatch(X.shape[1]);
    const rows = X.shape[0];
    const cols = X.shape[1];
    const rs = X.strides[0];
    const cs = X.strides[1];
    if (cs === 1 || cols === 1) {
      this.setX(X.storage.buffer, X.offset, Math.max(rs, cols, 1), false);
    } else if (rs === 1 || rows === 1) {
      this.setX(X.storage.buffer, X.offset, Math.max(cs, rows, 1), true);
    } else {
      const copy = (this.xCopy ??= untracked(() => NDArray.alloc(X.shape, X.dtype, this.engine)));
      this.engine.copy(copy.storage.buffer, 0, X.storage.buffer, X.offset, X.strides, X.shape);
      this.setX(copy.storage.buffer, 0, cols, false);
    }
  }

  /** The engine the plan computes on (for the optimizers, optimizer.ts). */
  get engineOf(): Backend {
    return this.engine;
  }

  /** The parameters W1, b1, W2, b2, … in one list (for the optimizers). */
  params(): readonly NDArray[] {
    return this.paramList;
  }

  /** The gradients dW1, db1, dW2, db2, …, in the order of `params`. */
  grads(): readonly NDArray[] {
    return this.gradList;
  }

  private setX(buf: Buffer, off: number, ld: number, trans: boolean): void {
    this.xBuf = buf;
    this.xOff = off;
    this.xLd = ld;
    this.xTrans = trans;
  }

  /** Points the label fields at Y, or at a copy of it in `scratch` when Y is not C-contiguous. */
  private useY(Y: NDArray): void {
    if (Y.isContiguous) {
      this.yBuf = Y.storage.buffer;
      this.yOff = Y.offset;
    } else {
      this.engine.copy(this.scratch.storage.buffer, 0, Y.storage.buffer, Y.offset, Y.strides, Y.shape);
      this.yBuf = this.scratch.storage.buffer;
      this.yOff = 0;
    }
  }
}

/** The error for a model parameter that was disposed behind the model's back. */
/**
 * Throws a DisposedError naming the first of W[1..L], b[1..L] that was disposed on its own (the model
 * that holds them cannot compute any more). Allocates nothing unless it throws: it runs every
 * training iteration.
 */
export function checkParametersLive(where: string, W: readonly NDArray[], b: readonly NDArray[]): void {
  for (let l = 1; l < W.length; l++) {
    if (W[l].isDisposed) throw parameterDisposed(where, `W${l}`, W[l]);
    if (b[l].isDisposed) throw parameterDisposed(where, `b${l}`, b[l]);
  }
}

function parameterDisposed(where: string, name: string, p: NDArray): DisposedError {
  return new DisposedError(
    `${where}: parameter ${name} (shape ${formatShape(p.shape)}) was disposed; the model cannot be used any more (dispose the model, not its parameters)`,
  );
}
