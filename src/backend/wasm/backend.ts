import {
  bytesPerElement,
  collapseDims,
  contiguousStrides,
  DisposedError,
  type DType,
  formatBytes,
  type TypedArray,
} from '../../core/index.js';
import type { ActivationOp, Backend, Buffer, FirstLayerStep } from '../backend.js';
import { firstLayerStepInSequence } from '../first-layer-step.js';
import type { BinaryOp, LossOp, OptimizerOp, ReduceOp, UnaryOp } from '../ops.js';
import type { KernelExports } from './abi.js';
import { Allocator } from './allocator.js';
import { WasmBuffer, type WasmStats } from './buffer.js';
import { CONTROL_BYTES, ThreadJobs, ThreadPool } from './threads/index.js';

export { WasmBuffer, type WasmStats };

/** Most dimensions a strided kernel call may carry after collapsing (NumPy's limit). */
export const MAX_NDIM = 64;

/**
 * The `wasm` engine: every buffer lives in one WebAssembly.Memory and every kernel is an
 * AssemblyScript SIMD128 export of build/vecnet.wasm. Create it with `createWasmBackendSync()` (Node)
 * or `await createWasmBackend()` (anywhere).
 *
 * Memory: a TypeScript allocator (./allocator.ts) hands out 16-aligned blocks above the module's
 * static data, after two areas reserved once at start-up: GEMM's packing scratch and a small area
 * through which strided kernels receive shapes and strides. The memory grows on demand; views
 * taken before an allocation may be detached afterwards (Backend.view's contract).
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  private readonly heap: Allocator;
  /** byte offset of the i32 args area (shape and stride lists for the strided kernels) */
  private readonly args: number;
  /** byte offset of GEMM's packing scratch */
  private readonly scratch: number;
  /** worker threads for large GEMMs and element-wise calls, when built over a shared memory (threads.ts) */
  readonly threads: ThreadPool | undefined;
  /** the kernels on those threads (threads/jobs.ts) */
  private readonly split: ThreadJobs | undefined;

  /**
   * Use createWasmBackendSync / createWasmBackend; this wires an instantiated module to its memory.
   * With `module` (the compiled threaded build) and a shared memory, GEMM and the element-wise kernels
   * may run on worker threads.
   */
  constructor(
    /** The memory every buffer lives in (imported by the module as env.memory). */
    readonly memory: WebAssembly.Memory,
    private readonly k: KernelExports,
    limitBytes: number,
    module?: WebAssembly.Module,
  ) {
    this.heap = new Allocator(memory, k.heap_base(), limitBytes);
    this.scratch = this.heap.reserve(k.gemm_scratch_bytes(), 64);
    this.args = this.heap.reserve(4 * 3 * MAX_NDIM);
    if (module) {
      const ctrl = this.heap.reserve(CONTROL_BYTES, 64);
      this.threads = new ThreadPool(memory, module, ctrl, k, this.scratch, this.heap);
      this.split = new ThreadJobs(this.threads, k);
      // workers hold the memory: let them go with the backend
      poolReaper.register(this, this.threads);
    }
  }

  /**
   * Stops this backend's worker threads now (`terminateThreads()` does it for every backend). Safe at
   * any time, between any two calls, and idempotent: buffers and results are untouched, and a later
   * large call starts workers again if getThreads() > 1. A Node process exits without it.
   *
   * @example
   * const wasm = createWasmBackendSync({ threads: 2 });
   * wasm.dispose();
   */
  dispose(): void {
    this.threads?.terminate();
  }

  /** Live buffers, their bytes, and the memory's size (worker threads' GEMM scratch not counted). */
  stats(): WasmStats {
    const s = this.heap.stats();
    return {
      liveBytes: s.liveBytes - (this.threads?.heldBytes ?? 0),
      liveBuffers: s.liveBlocks - (this.threads?.heldBlocks ?? 0),
      capacityBytes: this.memory.buffer.byteLength,
    };
  }

  alloc(dtype: DType, length: number): WasmBuffer {
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`wasm alloc: length must be a non-negative integer below 2^53, got ${length}`);
    }
    const bytes = length * bytesPerElement(dtype);
    if (bytes > this.heap.limitBytes) {
      throw new RangeError(
        `cannot allocate ${formatBytes(bytes)} for ${length} ${dtype} values: the wasm backend's memory holds at most ${formatBytes(this.heap.limitBytes)} (use float32, smaller arrays, or the vectorized backend)`,
      );
    }
    return new WasmBuffer(dtype, length, this.heap.alloc(bytes), this);
  }

  availableBytes(): number {
    return this.heap.availableBytes();
  }

  free(buffer: Buffer): void {
    const b = this.own(buffer);
    this.heap.free(b.byteOffset);
    b.freed = true;
  }

  view(buffer: Buffer): TypedArray {
    const b = this.own(buffer);
    return b.dtype === 'float32'
      ? new Float32Array(this.memory.buffer, b.byteOffset, b.length)
      : new Float64Array(this.memory.buffer, b.byteOffset, b.length);
  }

  firstNonFinite(x: Buffer, off: number, n: number): number {
    if (n <= 0) return -1;
    const find = x.dtype === 'float32' ? this.k.first_non_finite_f32 : this.k.first_non_finite_f64;
    return find(this.ptr(x, off), n);
  }

  fill(out: Buffer, outOff: number, n: number, value: number): void {
    if (n <= 0) return;
    const o = this.ptr(out, outOff);
    const f32 = out.dtype === 'float32';
    if (this.split?.fill(f32, o, n, value)) return;
    if (f32) this.k.fill_f32(o, n, value);
    else this.k.fill_f64(o, n, value);
  }

  copy(
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    xStrides: readonly number[],
    shape: readonly number[],
  ): void {
    if (size(shape) === 0) return;
    const o = this.ptr(out, outOff);
    const xp = this.ptr(x, xOff);
    const c = collapseDims(shape, [contiguousStrides(shape), xStrides]);
    const ndim = this.putArgs(c.shape, c.strides[1]);
    if (out.dtype === 'float32') this.k.copy_f32(o, xp, ndim, this.args);
    else this.k.copy_f64(o, xp, ndim, this.args);
  }

  binary(
    op: BinaryOp,
    out: Buffer,
    outOff: number,
    a: Buffer,
    aOff: number,
    aStrides: readonly number[],
    b: Buffer,
    bOff: number,
    bStrides: readonly number[],
    shape: readonly number[],
  ): void {
    if (size(shape) === 0) return;
    const o = this.ptr(out, outOff);
    const ap = this.ptr(a, aOff);
    const bp = this.ptr(b, bOff);
    const f32 = out.dtype === 'float32';
    // the 2-D kernel covers ndim 1 (one row) and 2 directly, and finds contiguous runs itself, so the
    // shapes the facade already collapsed skip the (allocating) collapse here
    if (shape.length === 1) {
      this.binary2d(f32, op, o, ap, 0, aStrides[0], bp, 0, bStrides[0], 1, shape[0]);
      return;
    }
    if (shape.length === 2 && shape[0] > 1 && shape[1] > 1) {
      const [m, n] = shape;
      this.binary2d(f32, op, o, ap, aStrides[0], aStrides[1], bp, bStrides[0], bStrides[1], m, n);
      return;
    }
    const c = collapseDims(shape, [contiguousStrides(shape), aStrides, bStrides]);
    const [, as, bs] = c.strides;
    const nd = c.shape.length;
    if (nd <= 2) {
      const m = nd === 2 ? c.shape[0] : 1;
      const am = nd === 2 ? as[0] : 0;
      const bm = nd === 2 ? bs[0] : 0;
      this.binary2d(f32, op, o, ap, am, as[nd - 1], bp, bm, bs[nd - 1], m, c.shape[nd - 1]);
      return;
    }
    const ndim = this.putArgs(c.shape, as, bs);
    if (f32) this.k.binary_nd_f32(op, o, ap, bp, ndim, this.args);
    else this.k.binary_nd_f64(op, o, ap, bp, ndim, this.args);
  }

  /** The (m, n) binary kernel, on the threads when large enough. */
  private binary2d(
    f32: boolean,
    op: BinaryOp,
    o: number,
    ap: number,
    am: number,
    an: number,
    bp: number,
    bm: number,
    bn: number,
    m: number,
    n: number,
  ): void {
    if (this.split?.binary(f32, op, o, ap, am, an, bp, bm, bn, m, n)) return;
    const kernel = f32 ? this.k.binary_f32 : this.k.binary_f64;
    kernel(op, o, ap, am, an, bp, bm, bn, m, n);
  }

  unary(
    op: UnaryOp,
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    n: number,
    p0: number,
    p1: number,
  ): void {
    if (n <= 0) return;
    const o = this.ptr(out, outOff);
    const xp = this.ptr(x, xOff);
    const f32 = out.dtype === 'float32';
    if (this.split?.unary(f32, op, o, xp, n, p0, p1)) return;
    if (f32) this.k.unary_f32(op, o, xp, n, p0, p1);
    else this.k.unary_f64(op, o, xp, n, p0, p1);
  }

  unaryGrad(
    op: UnaryOp,
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    dy: Buffer,
    dyOff: number,
    n: number,
    p0: number,
    p1: number,
  ): void {
    if (n <= 0) return;
    const o = this.ptr(out, outOff);
    const xp = this.ptr(x, xOff);
    const dp = this.ptr(dy, dyOff);
    const f32 = out.dtype === 'float32';
    if (this.split?.unaryGrad(f32, op, o, xp, dp, n, p0, p1)) return;
    if (f32) this.k.unary_grad_f32(op, o, xp, dp, n, p0, p1);
    else this.k.unary_grad_f64(op, o, xp, dp, n, p0, p1);
  }

  reduce(
    op: ReduceOp,
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    outer: number,
    len: number,
    inner: number,
  ): void {
    if (outer <= 0 || inner <= 0) return;
    const o = this.ptr(out, outOff);
    const xp = this.ptr(x, xOff);
    if (out.dtype === 'float32') this.k.reduce_f32(op, o, xp, outer, len, inner);
    else this.k.reduce_f64(op, o, xp, outer, len, inner);
  }

  gemm(
    c: Buffer,
    cOff: number,
    ldc: number,
    a: Buffer,
    aOff: number,
    lda: number,
    transA: boolean,
    b: Buffer,
    bOff: number,
    ldb: number,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    alpha: number,
    beta: number,
  ): void {
    if (M <= 0 || N <= 0) return;
    const f32 = c.dtype === 'float32';
    const cp = this.ptr(c, cOff);
    const ap = this.ptr(a, aOff);
    const bp = this.ptr(b, bOff);
    const ta = transA ? 1 : 0;
    const tb = transB ? 1 : 0;
    if (this.split?.gemm(f32, cp, ldc, ap, lda, ta, bp, ldb, tb, M, N, K, alpha, beta)) return;
    const kernel = f32 ? this.k.gemm_f32 : this.k.gemm_f64;
    kernel(cp, ldc, ap, lda, ta, bp, ldb, tb, M, N, K, alpha, beta, this.scratch);
  }

  biasActivation(
    op: ActivationOp,
    z: Buffer,
    zOff: number,
    a: Buffer,
    aOff: number,
    b: Buffer,
    bOff: number,
    rows: number,
    cols: number,
    p0: number,
  ): void {
    if (rows <= 0 || cols <= 0) return;
    const f32 = z.dtype === 'float32';
    const zp = this.ptr(z, zOff);
    const ap = this.ptr(a, aOff);
    const bp = this.ptr(b, bOff);
    if (this.split?.biasActivation(f32, op, zp, ap, bp, rows, cols, p0)) return;
    const kernel = f32 ? this.k.bias_activation_f32 : this.k.bias_activation_f64;
    kernel(op, zp, ap, bp, rows, cols, p0);
  }

  activationGradSum(
    op: ActivationOp,
    dz: Buffer,
    dzOff: number,
    db: Buffer,
    dbOff: number,
    dy: Buffer,
    dyOff: number,
    c: Buffer,
    cOff: number,
    rows: number,
    cols: number,
    scale: number,
    p0: number,
  ): void {
    if (rows <= 0) return;
    const f32 = dz.dtype === 'float32';
    const o = this.ptr(dz, dzOff);
    const dbp = this.ptr(db, dbOff);
    const dyp = this.ptr(dy, dyOff);
    const cp = this.ptr(c, cOff);
    if (this.split?.activationGradSum(f32, op, o, dbp, dyp, cp, rows, cols, scale, p0)) return;
    const kernel = f32 ? this.k.activation_grad_sum_f32 : this.k.activation_grad_sum_f64;
    kernel(op, o, dbp, dyp, cp, rows, cols, scale, p0);
  }

  subRowSum(
    dz: Buffer,
    dzOff: number,
    db: Buffer,
    dbOff: number,
    a: Buffer,
    aOff: number,
    y: Buffer,
    yOff: number,
    rows: number,
    cols: number,
    scale: number,
  ): void {
    if (rows <= 0) return;
    const f32 = dz.dtype === 'float32';
    const o = this.ptr(dz, dzOff);
    const dbp = this.ptr(db, dbOff);
    const ap = this.ptr(a, aOff);
    const yp = this.ptr(y, yOff);
    if (this.split?.subRowSum(f32, o, dbp, ap, yp, rows, cols, scale)) return;
    const kernel = f32 ? this.k.sub_row_sum_f32 : this.k.sub_row_sum_f64;
    kernel(o, dbp, ap, yp, rows, cols, scale);
  }

  axpy(y: Buffer, yOff: number, x: Buffer, xOff: number, n: number, alpha: number): void {
    if (n <= 0) return;
    const f32 = y.dtype === 'float32';
    const yp = this.ptr(y, yOff);
    const xp = this.ptr(x, xOff);
    if (this.split?.axpy(f32, yp, xp, n, alpha)) return;
    const kernel = f32 ? this.k.axpy_f32 : this.k.axpy_f64;
    kernel(yp, xp, n, alpha);
  }

  firstLayerStep(s: FirstLayerStep): void {
    const { n, k, m, ldx, alpha, lr } = s;
    const f32 = s.W.dtype === 'float32';
    if (s.transX || !this.k.first_layer_step_fits(n, k, m, f32 ? 4 : 8)) {
      firstLayerStepInSequence(this, s);
      return;
    }
    const dw = this.ptr(s.dW, s.dwOff);
    const w = this.ptr(s.W, s.wOff);
    const z = this.ptr(s.Z, s.zOff);
    const d = this.ptr(s.D, s.dOff);
    const x = this.ptr(s.X, s.xOff);
    if (this.split?.firstLayerStep(f32, dw, w, z, d, x, ldx, n, k, m, alpha, lr)) return;
    const kernel = f32 ? this.k.first_layer_step_f32 : this.k.first_layer_step_f64;
    kernel(dw, w, k, z, m, d, m, x, ldx, n, k, m, alpha, lr, this.scratch);
  }

  sigmoidOutput(
    z: Buffer,
    zOff: number,
    a: Buffer,
    aOff: number,
    t: Buffer,
    tOff: number,
    b: Buffer,
    bOff: number,
    rows: number,
    cols: number,
  ): number {
    if (rows <= 0 || cols <= 0) return 0;
    const kernel = z.dtype === 'float32' ? this.k.sigmoid_output_f32 : this.k.sigmoid_output_f64;
    const zp = this.ptr(z, zOff);
    return kernel(zp, this.ptr(a, aOff), this.ptr(t, tOff), this.ptr(b, bOff), rows, cols);
  }

  loss(op: LossOp, a: Buffer, aOff: number, y: Buffer, yOff: number, n: number): number {
    if (n <= 0) return 0;
    const kernel = a.dtype === 'float32' ? this.k.loss_f32 : this.k.loss_f64;
    return kernel(op, this.ptr(a, aOff), this.ptr(y, yOff), n);
  }

  optimizerStep(
    op: OptimizerOp,
    w: Buffer,
    wOff: number,
    g: Buffer,
    gOff: number,
    v: Buffer,
    vOff: number,
    s: Buffer,
    sOff: number,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    c1: number,
    c2: number,
  ): void {
    if (n <= 0) return;
    const f32 = w.dtype === 'float32';
    // plain locals, not arrays: this runs for every parameter of every training step
    const wp = this.ptr(w, wOff);
    const gp = this.ptr(g, gOff);
    const vp = this.ptr(v, vOff);
    const sp = this.ptr(s, sOff);
    if (this.split?.optimizerStep(f32, op, wp, gp, vp, sp, n, lr, beta1, beta2, eps, c1, c2)) return;
    const kernel = f32 ? this.k.optimizer_step_f32 : this.k.optimizer_step_f64;
    kernel(op, wp, gp, vp, sp, n, lr, beta1, beta2, eps, c1, c2);
  }

  gatherColumns(
    out: Buffer,
    outOff: number,
    x: Buffer,
    xOff: number,
    idx: Buffer,
    idxOff: number,
    rows: number,
    ld: number,
    count: number,
    size: number,
  ): void {
    if (rows <= 0 || count <= 0) return;
    const f32 = out.dtype === 'float32';
    const o = this.ptr(out, outOff);
    const xp = this.ptr(x, xOff);
    const ip = this.ptr(idx, idxOff);
    if (this.split?.gatherColumns(f32, o, xp, ip, rows, ld, count, size)) return;
    const kernel = f32 ? this.k.gather_columns_f32 : this.k.gather_columns_f64;
    kernel(o, xp, ip, rows, ld, count, size, rows, 0);
  }

  softmaxOutput(
    z: Buffer,
    zOff: number,
    a: Buffer,
    aOff: number,
    b: Buffer,
    bOff: number,
    rows: number,
    cols: number,
  ): number {
    if (rows <= 0 || cols <= 0) return 0;
    const kernel = z.dtype === 'float32' ? this.k.softmax_output_f32 : this.k.softmax_output_f64;
    return kernel(this.ptr(z, zOff), this.ptr(a, aOff), this.ptr(b, bOff), rows, cols);
  }

  /**
   * The buffer as ours and live, or an error: a foreign offset, or a freed one (whose bytes may now
   * belong to another array), would silently read and write the wrong memory. The facade never
   * passes either; this is the last line of defence for code that holds buffers directly.
   */
  private own(buffer: Buffer): WasmBuffer {
    if (!(buffer instanceof WasmBuffer) || buffer.owner !== this) {
      throw new TypeError('wasm backend: buffer belongs to another backend (copy it across explicitly)');
    }
    if (buffer.freed) throw new DisposedError('wasm backend: buffer was freed (an array used after dispose)');
    return buffer;
  }

  /** Byte address of element `off` of the buffer. */
  private ptr(buffer: Buffer, off: number): number {
    const b = this.own(buffer);
    return b.byteOffset + off * (b.dtype === 'float32' ? 4 : 8);
  }

  /** Writes the lists back to back as i32 into the args area; returns their common length. */
  private putArgs(...lists: (readonly number[])[]): number {
    const ndim = lists[0].length;
    if (ndim > MAX_NDIM) throw new RangeError(`wasm backend: at most ${MAX_NDIM} dimensions, got ${ndim}`);
    const view = new Int32Array(this.memory.buffer, this.args, ndim * lists.length);
    lists.forEach((list, i) => {
      view.set(list, i * ndim);
    });
    return ndim;
  }
}

/** Stops the worker threads of a backend that was garbage-collected (they would keep its memory). */
const poolReaper = new FinalizationRegistry<ThreadPool>((pool) => pool.terminate());

function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
