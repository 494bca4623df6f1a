// Matrix-vector products for GEMM calls with M == 1 or N == 1 (logistic regression: w.T·X is 1 x n_x
// by n_x x m, X·dZᵀ is n_x x m by m x 1). A 4-row GEMM tile would waste 3/4 of its work and packing
// would copy the whole matrix to use it once, so these kernels stream the matrix R in place:
//   gemvDot:  y[j] = sum_k x[k] * R[j][k]   (R's rows run along k: 4 dot products at a time)
//   gemvAxpy: y[j] = sum_k x[k] * R[k][j]   (R's rows run along j: y += x[k] * row, 4 rows at a time)
// x and y are contiguous (y in scratch, 16-byte aligned; x element-aligned); R is element-aligned with
// row stride ldr bytes. Both read each element of R exactly once, in address order within a row.

import { mulAdd } from '../madd';
import { tailDot } from './dot';

// @ts-ignore: decorator
@inline function hsum<T>(v: v128): T {
  if (sizeof<T>() == 4) {
    const h = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    return <T>(f32x4.extract_lane(h, 0) + f32x4.extract_lane(h, 1));
  }
  return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
}

/**
 * y[j] = sum_{k < K} x[k] * R[j][k] for j < n; R row j starts at r + j*ldr bytes. Six rows at a time,
 * one vector of each per step: measured on V8 x64 over a 12288 x 209 R (L3-resident), 6 rows x 1 vector
 * streams 81-84 GB/s f32 and 52-54 f64, where 4 x 1 reaches 78-81 / 44-45, 8 x 1 49 / 43 and the
 * 4 x 2 vectors of a wider step 52 / 35 (TurboFan spills or stalls on the longer bodies).
 */
export function gemvDot<T>(n: i32, K: i32, x: usize, r: usize, ldr: usize, y: usize): void {
  const S = sizeof<T>();
  const L = 16 / <i32>S;
  const kv = K - K % L; // k covered by the vector loop
  const xEnd = x + <usize>kv * S;
  let j = 0;
  for (; j + 6 <= n; j += 6) {
    const r0 = r + <usize>j * ldr;
    let acc0 = v128.splat<T>(0);
    let acc1 = acc0;
    let acc2 = acc0;
    let acc3 = acc0;
    let acc4 = acc0;
    let acc5 = acc0;
    let px = x;
    let p0 = r0;
    let p1 = p0 + ldr;
    let p2 = p1 + ldr;
    let p3 = p2 + ldr;
    let p4 = p3 + ldr;
    let p5 = p4 + ldr;
    while (px < xEnd) {
      const vx = v128.load(px);
      acc0 = mulAdd<T>(acc0, vx, v128.load(p0));
      acc1 = mulAdd<T>(acc1, vx, v128.load(p1));
      acc2 = mulAdd<T>(acc2, vx, v128.load(p2));
      acc3 = mulAdd<T>(acc3, vx, v128.load(p3));
      acc4 = mulAdd<T>(acc4, vx, v128.load(p4));
      acc5 = mulAdd<T>(acc5, vx, v128.load(p5));
      px += 16;
      p0 += 16;
      p1 += 16;
      p2 += 16;
      p3 += 16;
      p4 += 16;
      p5 += 16;
    }
    const yj = y + <usize>j * S;
    store<T>(yj, hsum<T>(acc0) + tailDot<T>(x, r0, kv, K));
    store<T>(yj, hsum<T>(acc1) + tailDot<T>(x, r0 + ldr, kv, K), S);
    store<T>(yj, hsum<T>(acc2) + tailDot<T>(x, r0 + 2 * ldr, kv, K), 2 * S);
    store<T>(yj, hsum<T>(acc3) + tailDot<T>(x, r0 + 3 * ldr, kv, K), 3 * S);
    store<T>(yj, hsum<T>(acc4) + tailDot<T>(x, r0 + 4 * ldr, kv, K), 4 * S);
    store<T>(yj, hsum<T>(acc5) + tailDot<T>(x, r0 + 5 * ldr, kv, K), 5 * S);
  }
  for (; j < n; j++) {
    const rj = r + <usize>j * ldr;
    let acc = v128.splat<T>(0);
    let pr = rj;
    for (let px = x; px < xEnd; px += 16) {
      acc = mulAdd<T>(acc, v128.load(px), v128.load(pr));
      pr += 16;
    }
    store<T>(y + <usize>j * S, hsum<T>(acc) + tailDot<T>(x, rj, kv, K));
  }
}

/** y[j] = sum_{k < K} x[k] * R[k][j] for j < n; R row k starts at r + k*ldr bytes. */
export function gemvAxpy<T>(n: i32, K: i32, x: usize, r: usize, ldr: usize, y: usize): void {
  const S = sizeof<T>();
  const L = 16 / <i32>S;
  const nv = n - n % L;
  const yv = y + <usize>nv * S;
  const yEnd = y + <usize>n * S;
  memory.fill(y, 0, <usize>n * S);
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const ko = <usize>k * S;
    const x0 = v128.splat<T>(load<T>(x + ko));
    const x1 = v128.splat<T>(load<T>(x + ko, S));
    const x2 = v128.splat<T>(load<T>(x + ko, 2 * S));
    const x3 = v128.splat<T>(load<T>(x + ko, 3 * S));
    const r0 = r + <usize>k * ldr;
    const r1 = r0 + ldr;
    const r2 = r1 + ldr;
    const r3 = r2 + ldr;
    let p0 = r0;
    let p1 = r1;
    let p2 = r2;
    let p3 = r3;
    for (let py = y; py < yv; py += 16) {
      let acc = mulAdd<T>(v128.load(py), x0, v128.load(p0));
      acc = mulAdd<T>(acc, x1, v128.load(p1));
      acc = mulAdd<T>(acc, x2, v128.load(p2));
      v128.store(py, mulAdd<T>(acc, x3, v128.load(p3)));
      p0 += 16;
      p1 += 16;
      p2 += 16;
      p3 += 16;
    }
    for (let py = yv; py < yEnd; py += S) {
      let acc = load<T>(py) + load<T>(x + ko) * load<T>(p0);
      acc += load<T>(x + ko, S) * load<T>(p1);
      acc += load<T>(x + ko, 2 * S) * load<T>(p2);
      store<T>(py, acc + load<T>(x + ko, 3 * S) * load<T>(p3));
      p0 += S;
      p1 += S;
      p2 += S;
      p3 += S;
    }
  }
  for (; k < K; k++) {
    const xk = load<T>(x + <usize>k * S);
    const vx = v128.splat<T>(xk);
    const rk = r + <usize>k * ldr;
    let pr = rk;
    for (let py = y; py < yv; py += 16) {
      v128.store(py, mulAdd<T>(v128.load(py), vx, v128.load(pr)));
      pr += 16;
    }
    for (let py = yv; py < yEnd; py += S) {
      store<T>(py, load<T>(py) + xk * load<T>(pr));
      pr += S;
    }
  }
}
