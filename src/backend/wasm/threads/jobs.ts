// The kernels of WasmBackend on the pool's threads: each method takes the kernel's own arguments
// (byte addresses, element counts), plans the cut with split-gemm.ts or split-elementwise.ts, writes
// one argument row per chunk and runs the job; it returns false, having done nothing, when the call
// should run as one kernel call on the calling thread (below the thresholds, one thread, workers still
// starting, too short to cut).
//
// Every row is the whole call's argument list with the split axis narrowed: pointers advance by the
// chunk's start times their byte step per unit of the axis, and the extent (n, rows, M or N) becomes
// the chunk's. Arguments are set by name; their positions come from the ABI table (abi.ts). Nothing
// is allocated per element-wise call: the boundaries, the whole call's arguments and the steps live
// in typed arrays reused by every call.
//
// Not split: binary over 3 or more dimensions after collapsing (its shape sits in the backend's one
// args area, which every chunk would share), copy (likewise), and the kernels that return a sum over
// the whole call (sigmoidOutput, loss) or reduce across it (reduce), whose summation order a cut would
// change.

import { PARTIAL_BYTES, SPLIT_K_PARTS } from '../../../../assembly/gemm/params.js';
import type { ActivationOp } from '../../backend.js';
import type { BinaryOp, UnaryOp } from '../../ops.js';
import { argIndex, type KernelExports, type PoolKernel } from '../abi.js';
import type { ThreadPool } from './pool.js';
import { ARGC, MAX_CHUNKS } from './protocol.js';
import { binaryCost, planChunks, UNIT_BYTES, unaryCost, workOf } from './split-elementwise.js';
import { GemmSplit, planGemm } from './split-gemm.js';

/** Argument positions of every pool kernel, by name. */
const POSITIONS = {
  gemm_unsplit: argIndex('gemm_unsplit'),
  first_layer_step_part: argIndex('first_layer_step_part'),
  binary: argIndex('binary'),
  unary: argIndex('unary'),
  unary_grad: argIndex('unary_grad'),
  axpy: argIndex('axpy'),
  fill: argIndex('fill'),
  bias_activation: argIndex('bias_activation'),
  activation_grad_sum: argIndex('activation_grad_sum'),
  sub_row_sum: argIndex('sub_row_sum'),
  optimizer_step: argIndex('optimizer_step'),
  gather_columns: argIndex('gather_columns'),
} satisfies { [K in PoolKernel]: unknown };

export class ThreadJobs {
  /** chunk i covers [bounds[i], bounds[i + 1]) of the split axis */
  private readonly bounds = new Float64Array(MAX_CHUNKS + 1);
  /** the whole call's arguments */
  private readonly whole = new Float64Array(ARGC);
  /** per argument, its byte step per unit of the split axis (0: the same in every chunk) */
  private readonly step = new Float64Array(ARGC);
  private chunks = 0;
  /** the last GEMM plan (reused) */
  private readonly gemmSplit = new GemmSplit();
  /** the kernel family whose arguments are being set */
  private family: PoolKernel = 'fill';

  constructor(
    private readonly pool: ThreadPool,
    private readonly k: KernelExports,
  ) {}

  /**
   * C = alpha·op(A)·op(B) + beta·C across the threads, cut on whole tiles along C's columns or rows,
   * or into its parts of K (split-gemm.ts).
   */
  gemm(
    f32: boolean,
    c: number,
    ldc: number,
    a: number,
    lda: number,
    transA: number,
    b: number,
    ldb: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    alpha: number,
    beta: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    const pool = this.pool;
    const plan = this.gemmSplit;
    if (!planGemm(this.k.gemm_path, transB, M, N, K, S, alpha, pool.threadCount(), pool.minWork, plan))
      return false;
    if (!pool.start()) return false;
    this.begin('gemm_unsplit');
    this.arg('ldc', ldc).arg('lda', lda).arg('transA', transA).arg('ldb', ldb).arg('transB', transB);
    this.arg('K', K).arg('alpha', alpha).arg('beta', beta).arg('scratch', 0);
    if (plan.axis === 'k') {
      this.arg('c', c).arg('a', a).arg('b', b).arg('M', M).arg('N', N);
      return this.runSplitK(f32);
    }
    if (plan.axis === 'n') {
      // columns j of C and op(B): B's rows when transposed, else its elements
      this.arg('c', c, S)
        .arg('a', a)
        .arg('b', b, transB ? ldb * S : S)
        .arg('M', M)
        .arg('N', N);
    } else {
      this.arg('c', c, ldc * S)
        .arg('a', a, transA ? S : lda * S)
        .arg('b', b)
        .arg('M', M)
        .arg('N', N);
    }
    this.chunks = plan.chunks;
    this.bounds.set(plan.bounds.subarray(0, plan.chunks + 1));
    return this.run(f32 ? 'gemm_unsplit_f32' : 'gemm_unsplit_f64', plan.axis === 'n' ? 'N' : 'M');
  }

  /**
   * The parts of K of a K-split GEMM (split-gemm.ts), each cut into the plan's column ranges: the
   * first into C with beta, each other into its partial area of the calling thread's scratch, then
   * added to C in order (gemm_merge): the calls and the order of the single-threaded gemm.
   */
  private runSplitK(f32: boolean): true {
    const S = f32 ? 4 : 8;
    const { bounds, chunks, kBounds } = this.gemmSplit;
    const whole = this.whole;
    const at = POSITIONS.gemm_unsplit;
    const c = whole[at.c];
    const a = whole[at.a];
    const b = whole[at.b];
    const lda = whole[at.lda];
    const ldb = whole[at.ldb];
    const N = whole[at.N];
    const partials = this.pool.partialArea();
    const rows = this.pool.rows;
    // per unit of K: op(A) advances a column (a row when transposed), op(B) a row (a column)
    const ak = (whole[at.transA] ? lda : 1) * S;
    const bk = (whole[at.transB] ? 1 : ldb) * S;
    const bj = whole[at.transB] ? ldb * S : S;
    for (let p = 0; p < SPLIT_K_PARTS; p++) {
      const k0 = kBounds[p];
      const out = p === 0 ? c : partials + (p - 1) * PARTIAL_BYTES;
      for (let i = 0; i < chunks; i++) {
        const j0 = bounds[i];
        const o = (p * chunks + i) * ARGC;
        rows.set(whole, o);
        rows[o + at.c] = out + j0 * S;
        if (p > 0) rows[o + at.ldc] = N;
        rows[o + at.a] = a + k0 * ak;
        rows[o + at.b] = b + k0 * bk + j0 * bj;
        rows[o + at.N] = bounds[i + 1] - j0;
        rows[o + at.K] = kBounds[p + 1] - k0;
        if (p > 0) rows[o + at.beta] = 0;
      }
    }
    this.pool.run(f32 ? 'gemm_unsplit_f32' : 'gemm_unsplit_f64', SPLIT_K_PARTS * chunks);
    this.mergeParts(f32, c, whole[at.ldc], whole[at.M], N);
    return true;
  }

  /**
   * first_layer_step across the threads: its SPLIT_K_PARTS parts of K (those of the K-split Z = W·X),
   * one job each, the first writing Z and the others the partial areas of the calling thread's
   * scratch, then added to Z in order (gemm_merge), as the single-threaded kernel does. False when
   * Z = W·X would not be split (the caller then runs first_layer_step on its own thread).
   */
  firstLayerStep(
    f32: boolean,
    dw: number,
    w: number,
    z: number,
    d: number,
    x: number,
    ldx: number,
    n: number,
    k: number,
    m: number,
    alpha: number,
    lr: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    const pool = this.pool;
    const plan = this.gemmSplit;
    if (!planGemm(this.k.gemm_path, 0, n, m, k, S, 1, pool.threadCount(), pool.minWork, plan)) return false;
    if (plan.axis !== 'k' || !pool.start()) return false;
    // W and dW are (n, k), D and Z (n, m), all C-contiguous
    this.begin('first_layer_step_part');
    this.arg('ldw', k).arg('ldz', m).arg('ldd', m).arg('d', d).arg('ldx', ldx).arg('n', n).arg('m', m);
    this.arg('alpha', alpha)
      .arg('lr', lr)
      .arg('dwPath', this.k.gemm_path(1, n, k, m, S))
      .arg('scratch', 0);
    const at = POSITIONS.first_layer_step_part;
    const partials = pool.partialArea();
    const { kBounds } = plan;
    for (let p = 0; p < SPLIT_K_PARTS; p++) {
      const k0 = kBounds[p];
      const o = p * ARGC;
      pool.rows.set(this.whole, o);
      pool.rows[o + at.dw] = dw + k0 * S;
      pool.rows[o + at.w] = w + k0 * S;
      pool.rows[o + at.x] = x + k0 * ldx * S;
      pool.rows[o + at.k] = kBounds[p + 1] - k0;
      pool.rows[o + at.z] = p === 0 ? z : partials + (p - 1) * PARTIAL_BYTES;
    }
    pool.run(f32 ? 'first_layer_step_part_f32' : 'first_layer_step_part_f64', SPLIT_K_PARTS);
    this.mergeParts(f32, z, m, n, m);
    return true;
  }

  /** Adds the partial areas of parts 1… of a K split to C (M, N), in order (gemm_merge). */
  private mergeParts(f32: boolean, c: number, ldc: number, M: number, N: number): void {
    const merge = f32 ? this.k.gemm_merge_f32 : this.k.gemm_merge_f64;
    const partials = this.pool.partialArea();
    for (let p = 1; p < SPLIT_K_PARTS; p++) merge(c, ldc, partials + (p - 1) * PARTIAL_BYTES, M, N);
  }

  /** out[i] = f(x[i]; p0, p1), i < n (unary_f32/f64). */
  unary(f32: boolean, op: UnaryOp, out: number, x: number, n: number, p0: number, p1: number): boolean {
    const S = f32 ? 4 : 8;
    if (!this.flat(n, S, unaryCost(op, false))) return false;
    this.begin('unary')
      .arg('op', op)
      .arg('out', out, S)
      .arg('x', x, S)
      .arg('n', n)
      .arg('p0', p0)
      .arg('p1', p1);
    return this.run(f32 ? 'unary_f32' : 'unary_f64', 'n');
  }

  /** out[i] = dy[i]·f'(x[i]; p0, p1), i < n (unary_grad_f32/f64). */
  unaryGrad(
    f32: boolean,
    op: UnaryOp,
    out: number,
    x: number,
    dy: number,
    n: number,
    p0: number,
    p1: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    if (!this.flat(n, S, unaryCost(op, true))) return false;
    this.begin('unary_grad').arg('op', op).arg('out', out, S).arg('x', x, S).arg('dy', dy, S);
    this.arg('n', n).arg('p0', p0).arg('p1', p1);
    return this.run(f32 ? 'unary_grad_f32' : 'unary_grad_f64', 'n');
  }

  /** y[i] += alpha·x[i], i < n (axpy_f32/f64). */
  axpy(f32: boolean, y: number, x: number, n: number, alpha: number): boolean {
    const S = f32 ? 4 : 8;
    if (!this.flat(n, S, 1)) return false;
    this.begin('axpy').arg('y', y, S).arg('x', x, S).arg('n', n).arg('alpha', alpha);
    return this.run(f32 ? 'axpy_f32' : 'axpy_f64', 'n');
  }

  /**
   * One optimizer update of n parameters (optimizer_step_f32/f64), a flat kernel (one vector step,
   * then scalars, as axpy); a square root and two divisions per element count as 4 cheap ones.
   */
  optimizerStep(
    f32: boolean,
    op: number,
    w: number,
    g: number,
    v: number,
    s: number,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    c1: number,
    c2: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    if (!this.flat(n, S, 4)) return false;
    this.begin('optimizer_step').arg('op', op).arg('w', w, S).arg('g', g, S).arg('v', v, S).arg('s', s, S);
    this.arg('n', n).arg('lr', lr).arg('beta1', beta1).arg('beta2', beta2).arg('eps', eps);
    this.arg('c1', c1).arg('c2', c2);
    return this.run(f32 ? 'optimizer_step_f32' : 'optimizer_step_f64', 'n');
  }

  /**
   * The mini-batch gather (gather_columns_f32/f64) cut on whole rows of x: each chunk reads its rows
   * and writes their slices of every batch block (row0 tells it where they go).
   */
  gatherColumns(
    f32: boolean,
    out: number,
    x: number,
    idx: number,
    rows: number,
    ld: number,
    count: number,
    size: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    if (!this.byRows(rows, count, S, 1)) return false;
    this.begin('gather_columns')
      .arg('out', out)
      .arg('x', x, ld * S)
      .arg('idx', idx)
      .arg('rows', rows);
    this.arg('ld', ld).arg('count', count).arg('size', size).arg('total', rows).arg('row0', 0, 1);
    return this.run(f32 ? 'gather_columns_f32' : 'gather_columns_f64', 'rows');
  }

  /** out[i] = value, i < n (fill_f32/f64). */
  fill(f32: boolean, out: number, n: number, value: number): boolean {
    const S = f32 ? 4 : 8;
    if (!this.flat(n, S, 1)) return false;
    this.begin('fill').arg('out', out, S).arg('n', n).arg('value', value);
    return this.run(f32 ? 'fill_f32' : 'fill_f64', 'n');
  }

  /**
   * out (m, n) = a OP b through (row, column) element strides (binary_f32/f64). Where the kernel runs
   * the block as one run (binary2d's aFlat && bFlat: a single row, or rows back to back in both
   * operands) it is cut as one flat run of m·n elements; otherwise on whole rows.
   */
  binary(
    f32: boolean,
    op: BinaryOp,
    out: number,
    a: number,
    am: number,
    an: number,
    b: number,
    bm: number,
    bn: number,
    m: number,
    n: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    const kernel = f32 ? 'binary_f32' : 'binary_f64';
    const cost = binaryCost(op);
    if (m === 1 || (am === n * an && bm === n * bn)) {
      if (!this.flat(m * n, S, cost)) return false;
      this.begin('binary').arg('op', op).arg('out', out, S);
      this.arg('a', a, an * S)
        .arg('am', 0)
        .arg('an', an)
        .arg('b', b, bn * S)
        .arg('bm', 0)
        .arg('bn', bn);
      this.arg('m', 1).arg('n', m * n);
      return this.run(kernel, 'n');
    }
    if (!this.byRows(m, n, S, cost)) return false;
    this.begin('binary')
      .arg('op', op)
      .arg('out', out, n * S);
    this.arg('a', a, am * S)
      .arg('am', am)
      .arg('an', an)
      .arg('b', b, bm * S)
      .arg('bm', bm)
      .arg('bn', bn);
    this.arg('m', m).arg('n', n);
    return this.run(kernel, 'm');
  }

  /** z[i, j] += b[i], a[i, j] = g(z[i, j]; p0) over (rows, cols) (bias_activation_f32/f64). */
  biasActivation(
    f32: boolean,
    op: ActivationOp,
    z: number,
    a: number,
    b: number,
    rows: number,
    cols: number,
    p0: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    if (!this.byRows(rows, cols, S, unaryCost(op, false))) return false;
    this.begin('bias_activation')
      .arg('op', op)
      .arg('z', z, cols * S)
      .arg('a', a, cols * S)
      .arg('b', b, S);
    this.arg('rows', rows).arg('cols', cols).arg('p0', p0);
    return this.run(f32 ? 'bias_activation_f32' : 'bias_activation_f64', 'rows');
  }

  /** dz = dy·g'(c), db[i] = scale·Σ_j dz[i, j] over (rows, cols) (activation_grad_sum_f32/f64). */
  activationGradSum(
    f32: boolean,
    op: ActivationOp,
    dz: number,
    db: number,
    dy: number,
    c: number,
    rows: number,
    cols: number,
    scale: number,
    p0: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    if (!this.byRows(rows, cols, S, 1)) return false;
    const row = cols * S;
    this.begin('activation_grad_sum').arg('op', op).arg('dz', dz, row).arg('db', db, S);
    this.arg('dy', dy, row)
      .arg('c', c, row)
      .arg('rows', rows)
      .arg('cols', cols)
      .arg('scale', scale)
      .arg('p0', p0);
    return this.run(f32 ? 'activation_grad_sum_f32' : 'activation_grad_sum_f64', 'rows');
  }

  /** dz = a - y, db[i] = scale·Σ_j dz[i, j] over (rows, cols) (sub_row_sum_f32/f64). */
  subRowSum(
    f32: boolean,
    dz: number,
    db: number,
    a: number,
    y: number,
    rows: number,
    cols: number,
    scale: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    if (!this.byRows(rows, cols, S, 1)) return false;
    const row = cols * S;
    this.begin('sub_row_sum').arg('dz', dz, row).arg('db', db, S).arg('a', a, row).arg('y', y, row);
    this.arg('rows', rows).arg('cols', cols).arg('scale', scale);
    return this.run(f32 ? 'sub_row_sum_f32' : 'sub_row_sum_f64', 'rows');
  }

  /** Plans a flat run of n elements of S bytes (`cost` each) cut on UNIT_BYTES; false: run as one call. */
  private flat(n: number, S: number, cost: number): boolean {
    return this.plan(n, UNIT_BYTES / S, workOf(n, S, cost));
  }

  /** Plans (rows, cols) of S bytes (`cost` each) cut on whole rows; false: run it as one call. */
  private byRows(rows: number, cols: number, S: number, cost: number): boolean {
    return this.plan(rows, 1, workOf(rows * cols, S, cost));
  }

  private plan(extent: number, unit: number, work: number): boolean {
    const pool = this.pool;
    // most calls are small: settle them before getThreads(), which may read process.env
    if (work < pool.minElements) return false;
    this.chunks = planChunks(extent, unit, work, pool.threadCount(), pool.minElements, this.bounds);
    return this.chunks !== 0 && pool.start();
  }

  /** Starts the argument list of a call of `family`. */
  private begin(family: PoolKernel): this {
    this.family = family;
    this.step.fill(0);
    return this;
  }

  /** Argument `name` of the whole call, advancing by `step` bytes per unit of the split axis. */
  private arg(name: string, value: number, step = 0): this {
    const i = (POSITIONS[this.family] as Record<string, number>)[name];
    this.whole[i] = value;
    this.step[i] = step;
    return this;
  }

  /** Writes one row per chunk (the chunk's extent in argument `extent`) and runs the job. */
  private run(kernel: string, extent: string): true {
    const { bounds, whole, step } = this;
    const at = (POSITIONS[this.family] as Record<string, number>)[extent];
    const rows = this.pool.rows;
    for (let c = 0; c < this.chunks; c++) {
      const lo = bounds[c];
      const o = c * ARGC;
      // arguments that do not step are copied as they are (-0 + 0 would turn a -0 fill value into +0)
      for (let i = 0; i < ARGC; i++) rows[o + i] = step[i] === 0 ? whole[i] : whole[i] + lo * step[i];
      rows[o + at] = bounds[c + 1] - lo;
    }
    this.pool.run(kernel, this.chunks);
    return true;
  }
}
