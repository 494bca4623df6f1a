import type { TypedArray } from '../../core/index.js';
import { UnaryOp } from '../ops.js';
import { CompensatedSum, sigmoid } from '../scalar.js';

// The training step's fused kernels (Backend.biasActivation … loss), one tight loop per activation.
// Element formulas are scalar.ts's (`unaryFn`, `activationGradFn`, `lossFn`) in the same operation
// order, so every stored element equals the loop backend's bit for bit; only the row sums differ, as
// four interleaved partial sums (the loop backend adds sequentially), which breaks the one-add-per-
// element dependency chain. Each element is read back after its store, so a float32 array sums and
// feeds forward exactly the rounded values the loop backend does.

/** The loss kernels' running sum, reused (JavaScript is single-threaded and they do not nest). */
const total = new CompensatedSum();

/** z[i, j] += b[i]; a[i, j] = g(z[i, j]) over a (rows, cols) block. `a` may be `z` (same offset). */
export function biasActivationKernel(
  op: UnaryOp,
  rows: number,
  cols: number,
  z: TypedArray,
  zo: number,
  a: TypedArray,
  ao: number,
  b: TypedArray,
  bo: number,
  slope: number,
): void {
  for (let i = 0; i < rows; i++) {
    const bi = b[bo + i];
    const zr = zo + i * cols;
    const ar = ao + i * cols;
    switch (op) {
      case UnaryOp.Tanh:
        for (let j = 0; j < cols; j++) {
          z[zr + j] += bi;
          a[ar + j] = Math.tanh(z[zr + j]);
        }
        break;
      case UnaryOp.Sigmoid:
        for (let j = 0; j < cols; j++) {
          z[zr + j] += bi;
          a[ar + j] = sigmoid(z[zr + j]);
        }
        break;
      case UnaryOp.Relu:
        for (let j = 0; j < cols; j++) {
          z[zr + j] += bi;
          const v = z[zr + j];
          a[ar + j] = v <= 0 ? 0 : v;
        }
        break;
      case UnaryOp.LeakyRelu:
        for (let j = 0; j < cols; j++) {
          z[zr + j] += bi;
          const v = z[zr + j];
          a[ar + j] = v > 0 ? v : slope * v;
        }
        break;
      default: // Linear
        for (let j = 0; j < cols; j++) {
          z[zr + j] += bi;
          a[ar + j] = z[zr + j];
        }
    }
  }
}

/** dz = dy · g'(c) (c = A for sigmoid/tanh, Z otherwise); db[i] = scale · Σ_j dz[i, j]. dz may be dy. */
export function activationGradSumKernel(
  op: UnaryOp,
  rows: number,
  cols: number,
  dz: TypedArray,
  dzo: number,
  dy: TypedArray,
  dyo: number,
  c: TypedArray,
  co: number,
  db: TypedArray,
  dbo: number,
  scale: number,
  slope: number,
): void {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    switch (op) {
      case UnaryOp.Tanh:
        for (let j = 0; j < cols; j++) {
          const t = c[co + r + j];
          dz[dzo + r + j] = dy[dyo + r + j] * (1 - t * t);
        }
        break;
      case UnaryOp.Sigmoid:
        for (let j = 0; j < cols; j++) {
          const s = c[co + r + j];
          dz[dzo + r + j] = dy[dyo + r + j] * s * (1 - s);
        }
        break;
      case UnaryOp.Relu:
        for (let j = 0; j < cols; j++) dz[dzo + r + j] = c[co + r + j] <= 0 ? 0 : dy[dyo + r + j];
        break;
      case UnaryOp.LeakyRelu:
        for (let j = 0; j < cols; j++) {
          const d = dy[dyo + r + j];
          dz[dzo + r + j] = c[co + r + j] > 0 ? d : d * slope;
        }
        break;
      default: // Linear
        if (dz !== dy || dzo !== dyo) for (let j = 0; j < cols; j++) dz[dzo + r + j] = dy[dyo + r + j];
    }
    storeScaled(db, dbo + i, rowSum(dz, dzo + r, cols), scale);
  }
}

/** dz = a - y; db[i] = scale · Σ_j dz[i, j]. dz may be a. */
export function subRowSumKernel(
  rows: number,
  cols: number,
  dz: TypedArray,
  dzo: number,
  a: TypedArray,
  ao: number,
  y: TypedArray,
  yo: number,
  db: TypedArray,
  dbo: number,
  scale: number,
): void {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) dz[dzo + r + j] = a[ao + r + j] - y[yo + r + j];
    storeScaled(db, dbo + i, rowSum(dz, dzo + r, cols), scale);
  }
}

/** y += alpha · x, the product rounded to the dtype (float32: alpha too) before the sum. */
export function axpyKernel(n: number, y: TypedArray, yo: number, x: TypedArray, xo: number, alpha: number) {
  if (y instanceof Float32Array) {
    const a = Math.fround(alpha);
    for (let i = 0; i < n; i++) y[yo + i] += Math.fround(a * x[xo + i]);
  } else {
    for (let i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
  }
}

/**
 * z[i, j] += b[i]; a = σ(z); t = log1p(e^-|z|); returns Σ t as stored, compensated. σ is scalar.ts's
 * `sigmoid` written out around the one e^-|z| the log term reuses: x >= 0 gives 1/(1 + e), else
 * e/(1 + e), bit for bit.
 */
export function sigmoidOutputKernel(
  rows: number,
  cols: number,
  z: TypedArray,
  zo: number,
  a: TypedArray,
  ao: number,
  t: TypedArray,
  to: number,
  b: TypedArray,
  bo: number,
): number {
  const sum = total.reset();
  for (let i = 0; i < rows; i++) {
    const bi = b[bo + i];
    const zr = zo + i * cols;
    const ar = ao + i * cols;
    const tr = to + i * cols;
    for (let j = 0; j < cols; j++) {
      z[zr + j] += bi;
      const v = z[zr + j];
      const e = Math.exp(-Math.abs(v));
      a[ar + j] = v >= 0 ? 1 / (1 + e) : e / (1 + e);
      t[tr + j] = Math.log1p(e);
      sum.add(t[tr + j]);
    }
  }
  return sum.value;
}

/** Σ of max(z, 0) - z·y, compensated. */
export function crossEntropyLinearSum(n: number, z: TypedArray, zo: number, y: TypedArray, yo: number) {
  const sum = total.reset();
  for (let i = 0; i < n; i++) {
    const v = z[zo + i];
    sum.add((v > 0 ? v : 0) - v * y[yo + i]);
  }
  return sum.value;
}

/** Σ (a - y)², compensated. */
export function squaredErrorSum(n: number, a: TypedArray, ao: number, y: TypedArray, yo: number) {
  const sum = total.reset();
  for (let i = 0; i < n; i++) {
    const d = a[ao + i] - y[yo + i];
    sum.add(d * d);
  }
  return sum.value;
}

/** Σ a², compensated (y unread). */
export function squareSum(n: number, a: TypedArray, ao: number) {
  const sum = total.reset();
  for (let i = 0; i < n; i++) {
    const v = a[ao + i];
    sum.add(v * v);
  }
  return sum.value;
}

/** Σ -z·y, compensated. */
export function softmaxLinearSum(n: number, z: TypedArray, zo: number, y: TypedArray, yo: number) {
  const sum = total.reset();
  for (let i = 0; i < n; i++) sum.add(-z[zo + i] * y[yo + i]);
  return sum.value;
}

/** Σ x[o .. o+n) in four interleaved partial sums. */
function rowSum(x: TypedArray, o: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    s0 += x[o + j];
    s1 += x[o + j + 1];
    s2 += x[o + j + 2];
    s3 += x[o + j + 3];
  }
  for (; j < n; j++) s0 += x[o + j];
  return s0 + s1 + (s2 + s3);
}

/** out[i] = scale · sum, the sum rounded to the dtype first (as the loop backend's storeScaled). */
function storeScaled(out: TypedArray, i: number, sum: number, scale: number): void {
  out[i] = sum;
  out[i] *= out instanceof Float32Array ? Math.fround(scale) : scale;
}
