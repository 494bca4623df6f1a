// Matrix-vector products for GEMM calls with M == 1 or N == 1 (logistic regression: w.T·X is 1 x n_x
// by n_x x m, X·dZᵀ is n_x x m by m x 1). A 4-row GEMM tile would waste 3/4 of its work and packing
// would copy the whole matrix to use it once, so these kernels stream the matrix R in place:
//   gemvDot:  y[j] = sum_k x[k] * R[j][k]   (R's rows run along k: 4 dot products at a time)
//   gemvAxpy: y[j] = sum_k x[k] * R[k][j]   (R's rows run along j: y += x[k] * row, 4 rows at a time)
// x and y are contiguous (y in scratch, 16-byte aligned; x element-aligned); R is element-aligned with
// row stride ldr bytes. Both read each element of R exactly once, in address order within a row.

import { mulAdd } from '../madd';

// @ts-ignore: decorator
@inline function hsum<T>(v: v128): T {
  if (sizeof<T>() == 4) {
    const h = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    return <T>(f32x4.extract_lane(h, 0) + f32x4.extract_lane(h, 1));
  }
  return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
}

/** y[j] = sum_{k < K} x[k] * R[j][k] for j < n; R row j starts at r + j*ldr bytes. */
export function gemvDot<T>(n: i32, K: i32, x: usize, r: usize, ldr: usize, y: usize): void {
  const S = sizeof<T>();
  const L = 16 / <i32>S;
  const kv = K - K % (2 * L); // k covered by the two-vector loop
  const xEnd = x + <usize>kv * S;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const r0 = r + <usize>j * ldr;
    const r1 = r0 + ldr;
    const r2 = r1 + ldr;
    const r3 = r2 + ldr;
    let acc0lo = v128.splat<T>(0);
    let acc0hi = acc0lo;
    let acc1lo = acc0lo;
    let acc1hi = acc0lo;
    let acc2lo = acc0lo;
    let acc2hi = acc0lo;
    let acc3lo = acc0lo;
    let acc3hi = acc0lo;
    let px = x;
    let p0 = r0;
    let p1 = r1;
    let p2 = r2;
    let p3 = r3;
    while (px < xEnd) {
      const xlo = v128.load(px);
      const xhi = v128.load(px, 16);
      acc0lo = mulAdd<T>(acc0lo, xlo, v128.load(p0));
      acc0hi = mulAdd<T>(acc0hi, xhi, v128.load(p0, 16));
      acc1lo = mulAdd<T>(acc1lo, xlo, v128.load(p1));
      acc1hi = mulAdd<T>(acc1hi, xhi, v128.load(p1, 16));
      acc2lo = mulAdd<T>(acc2lo, xlo, v128.load(p2));
      acc2hi = mulAdd<T>(acc2hi, xhi, v128.load(p2, 16));
      acc3lo = mulAdd<T>(acc3lo, xlo, v128.load(p3));
      acc3hi = mulAdd<T>(acc3hi, xhi, v128.load(p3, 16));
      px += 32;
      p0 += 32;
      p1 += 32;
      p2 += 32;
      p3 += 32;
    }
    let s0 = hsum<T>(v128.add<T>(acc0lo, acc0hi));
    let s1 = hsum<T>(v128.add<T>(acc1lo, acc1hi));
    let s2 = hsum<T>(v128.add<T>(acc2lo, acc2hi));
    let s3 = hsum<T>(v128.add<T>(acc3lo, acc3hi));
    for (let k = kv; k < K; k++) {
      const ko = <usize>k * S;
      const xk = load<T>(x + ko);
      s0 += xk * load<T>(r0 + ko);
      s1 += xk * load<T>(r1 + ko);
      s2 += xk * load<T>(r2 + ko);
      s3 += xk * load<T>(r3 + ko);
    }
    const yj = y + <usize>j * S;
    store<T>(yj, s0);
    store<T>(yj, s1, S);
    store<T>(yj, s2, 2 * S);
    store<T>(yj, s3, 3 * S);
  }
  for (; j < n; j++) {
    const rj = r + <usize>j * ldr;
    let acclo = v128.splat<T>(0);
    let acchi = acclo;
    let pr = rj;
    for (let px = x; px < xEnd; px += 32) {
      acclo = mulAdd<T>(acclo, v128.load(px), v128.load(pr));
      acchi = mulAdd<T>(acchi, v128.load(px, 16), v128.load(pr, 16));
      pr += 32;
    }
    let s = hsum<T>(v128.add<T>(acclo, acchi));
    for (let k = kv; k < K; k++) {
      const ko = <usize>k * S;
      s += load<T>(x + ko) * load<T>(rj + ko);
    }
    store<T>(y + <usize>j * S, s);
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
