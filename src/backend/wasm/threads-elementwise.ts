// The element-wise kernels of WasmBackend on the pool's threads: each method takes the kernel's own
// arguments (byte addresses, element counts), plans the cut with split-elementwise.ts, writes one
// argument row per chunk and runs the job; it returns false, having done nothing, when the call should
// run as one kernel call on the calling thread (below $VECNET_THREADS_MIN_ELEMENTS, one thread,
// workers still starting, too short to cut).
//
// Every row is the whole call's argument list with the split axis narrowed: pointers advance by the
// chunk's start times their byte step per unit of the axis, and the extent (n or rows) becomes the
// chunk's. Nothing is allocated per call: the boundaries, the whole call's arguments and the steps
// live in typed arrays reused by every call.
//
// Not split: binary over 3 or more dimensions after collapsing (its shape sits in the backend's one
// args area, which every chunk would share), copy (likewise), and the kernels that return a sum over
// the whole call (sigmoidOutput, loss) or reduce across it (reduce), whose summation order a cut would
// change.

import type { ActivationOp } from '../backend.js';
import type { BinaryOp, UnaryOp } from '../ops.js';
import { binaryCost, planChunks, UNIT_BYTES, unaryCost, workOf } from './split-elementwise.js';
import { ARGC, MAX_CHUNKS, type ThreadKernel, type ThreadPool } from './threads.js';

export class ElementwiseJobs {
  /** chunk i covers [bounds[i], bounds[i + 1]) of the split axis */
  private readonly bounds = new Float64Array(MAX_CHUNKS + 1);
  /** the whole call's arguments */
  private readonly whole = new Float64Array(ARGC);
  /** per argument, its byte step per unit of the split axis (0: the same in every chunk) */
  private readonly step = new Float64Array(ARGC);
  private chunks = 0;

  constructor(private readonly pool: ThreadPool) {}

  /** out[i] = f(x[i]; p0, p1), i < n (unary_f32/f64). */
  unary(f32: boolean, op: UnaryOp, out: number, x: number, n: number, p0: number, p1: number): boolean {
    const S = f32 ? 4 : 8;
    if (!this.flat(n, S, unaryCost(op, false))) return false;
    this.arg(0, op).arg(1, out, S).arg(2, x, S).arg(3, n).arg(4, p0).arg(5, p1);
    return this.run(f32 ? 'unary_f32' : 'unary_f64', 3);
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
    this.arg(0, op).arg(1, out, S).arg(2, x, S).arg(3, dy, S).arg(4, n).arg(5, p0).arg(6, p1);
    return this.run(f32 ? 'unary_grad_f32' : 'unary_grad_f64', 4);
  }

  /** y[i] += alpha·x[i], i < n (axpy_f32/f64). */
  axpy(f32: boolean, y: number, x: number, n: number, alpha: number): boolean {
    const S = f32 ? 4 : 8;
    if (!this.flat(n, S, 1)) return false;
    this.arg(0, y, S).arg(1, x, S).arg(2, n).arg(3, alpha);
    return this.run(f32 ? 'axpy_f32' : 'axpy_f64', 2);
  }

  /** out[i] = value, i < n (fill_f32/f64). */
  fill(f32: boolean, out: number, n: number, value: number): boolean {
    const S = f32 ? 4 : 8;
    if (!this.flat(n, S, 1)) return false;
    this.arg(0, out, S).arg(1, n).arg(2, value);
    return this.run(f32 ? 'fill_f32' : 'fill_f64', 1);
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
    b: number,
    m: number,
    n: number,
    am: number,
    an: number,
    bm: number,
    bn: number,
  ): boolean {
    const S = f32 ? 4 : 8;
    const kernel = f32 ? 'binary_f32' : 'binary_f64';
    const cost = binaryCost(op);
    if (m === 1 || (am === n * an && bm === n * bn)) {
      if (!this.flat(m * n, S, cost)) return false;
      this.arg(0, op)
        .arg(1, out, S)
        .arg(2, a, an * S)
        .arg(3, b, bn * S)
        .arg(4, 1)
        .arg(5, m * n);
      this.arg(6, 0).arg(7, an).arg(8, 0).arg(9, bn);
      return this.run(kernel, 5);
    }
    if (!this.byRows(m, n, S, cost)) return false;
    this.arg(0, op)
      .arg(1, out, n * S)
      .arg(2, a, am * S)
      .arg(3, b, bm * S)
      .arg(4, m)
      .arg(5, n);
    this.arg(6, am).arg(7, an).arg(8, bm).arg(9, bn);
    return this.run(kernel, 4);
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
    this.arg(0, op)
      .arg(1, z, cols * S)
      .arg(2, a, cols * S)
      .arg(3, b, S)
      .arg(4, rows)
      .arg(5, cols);
    this.arg(6, p0);
    return this.run(f32 ? 'bias_activation_f32' : 'bias_activation_f64', 4);
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
    this.arg(0, op)
      .arg(1, dz, row)
      .arg(2, db, S)
      .arg(3, dy, row)
      .arg(4, c, row)
      .arg(5, rows)
      .arg(6, cols)
      .arg(7, scale)
      .arg(8, p0);
    return this.run(f32 ? 'activation_grad_sum_f32' : 'activation_grad_sum_f64', 5);
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
    this.arg(0, dz, row).arg(1, db, S).arg(2, a, row).arg(3, y, row).arg(4, rows).arg(5, cols).arg(6, scale);
    return this.run(f32 ? 'sub_row_sum_f32' : 'sub_row_sum_f64', 4);
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
    if (this.chunks === 0 || !pool.start()) return false;
    this.step.fill(0);
    return true;
  }

  /** Argument i of the whole call, advancing by `step` bytes per unit of the split axis. */
  private arg(i: number, value: number, step = 0): this {
    this.whole[i] = value;
    this.step[i] = step;
    return this;
  }

  /** Writes one row per chunk (the chunk's extent at `extentArg`) and runs the job. */
  private run(kernel: ThreadKernel, extentArg: number): true {
    const { bounds, whole, step } = this;
    const rows = this.pool.rows;
    for (let c = 0; c < this.chunks; c++) {
      const lo = bounds[c];
      const o = c * ARGC;
      // arguments that do not step are copied as they are (-0 + 0 would turn a -0 fill value into +0)
      for (let i = 0; i < ARGC; i++) rows[o + i] = step[i] === 0 ? whole[i] : whole[i] + lo * step[i];
      rows[o + extentArg] = bounds[c + 1] - lo;
    }
    this.pool.run(kernel, this.chunks);
    return true;
  }
}
