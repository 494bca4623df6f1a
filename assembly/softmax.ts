// The softmax output layer's forward step for the categorical cross-entropy: Z += b by row, then per
// column j, with M_j = max_i z_ij and S_j = Σ_i e^(z_ij - M_j) (in f64 for both dtypes), a_ij =
// e^(z_ij - M_j) / S_j, and the column's log Σ e^z = M_j + log S_j, the cost's label-free part. The
// columns' sum is compensated (fused.ts's pair). Scalar: the output layer has few rows, so this is
// a small share of an iteration; columns are walked with a stride of `cols`, a few cache lines each.
// exp and log are math/'s f64 kernels on lane 0 (V8's fdlibm exp, within an ulp of Math.log).

import { compensatedAdd, compensatedReset, compensatedValue } from './fused';
import { expF64x2 } from './math/exp';
import { logF64x2 } from './math/log';

// @ts-ignore: decorator
@inline
function exp(x: f64): f64 {
  return f64x2.extract_lane(expF64x2(f64x2.splat(x)), 0);
}

/** z (rows, cols) += b (rows); a = softmax of each column of z; returns Σ_j log Σ_i e^z_ij. */
export function softmaxOutput<T>(z: usize, a: usize, b: usize, rows: i32, cols: i32): f64 {
  const S = <usize>sizeof<T>();
  const stride = <usize>cols * S;
  compensatedReset();
  for (let j = 0; j < cols; j++) {
    const zc = z + <usize>j * S;
    const ac = a + <usize>j * S;
    let top: f64 = -Infinity;
    for (let i = 0; i < rows; i++) {
      const p = zc + <usize>i * stride;
      const v: T = load<T>(p) + load<T>(b + <usize>i * S);
      store<T>(p, v);
      if (<f64>v > top) top = <f64>v;
    }
    let sum: f64 = 0;
    for (let i = 0; i < rows; i++) sum += exp(<f64>load<T>(zc + <usize>i * stride) - top);
    for (let i = 0; i < rows; i++) {
      const e = exp(<f64>load<T>(zc + <usize>i * stride) - top);
      store<T>(ac + <usize>i * stride, <T>(e / sum));
    }
    compensatedAdd(top + f64x2.extract_lane(logF64x2(f64x2.splat(sum)), 0));
  }
  return compensatedValue();
}
