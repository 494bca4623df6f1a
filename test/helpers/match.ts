// Comparing a backend's output with the loop backend's, element by element, to a stated tolerance.

import { expect } from 'vitest';
import type { DType } from '../../src/core/dtype.js';

/** A tolerance: |got - want| <= atol + rtol·|want| + extra(i), or within `ulps` units in the last place. */
export interface Tol {
  rtol?: number;
  atol?: number;
  ulps?: number;
  /** per-element extra absolute tolerance */
  extra?: (i: number) => number;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Distance in units in the last place of `dtype`, across zero and the subnormals. */
export function ulps(a: number, b: number, dtype: DType): number {
  if (dtype === 'float32') {
    f32[0] = a;
    let ia = i32[0];
    f32[0] = b;
    let ib = i32[0];
    if (ia < 0) ia = -(ia & 0x7fffffff);
    if (ib < 0) ib = -(ib & 0x7fffffff);
    return Math.abs(ia - ib);
  }
  f64[0] = a;
  let ia = i64[0];
  f64[0] = b;
  let ib = i64[0];
  if (ia < 0n) ia = -(ia & 0x7fffffffffffffffn);
  if (ib < 0n) ib = -(ib & 0x7fffffffffffffffn);
  const d = ia - ib;
  return Number(d < 0n ? -d : d);
}

/**
 * Every element of `got` equals `want` (Object.is; NaN matches NaN, 0 and -0 differ) or, when both are
 * finite, is within `tol`. The message names `what`, the element and both values.
 */
export function expectMatch(
  what: string,
  dtype: DType,
  want: ArrayLike<number>,
  got: ArrayLike<number>,
  tol: Tol = {},
): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (Object.is(w, g) || (Number.isNaN(w) && Number.isNaN(g))) continue;
    if (Number.isFinite(w) && Number.isFinite(g)) {
      const bound = (tol.atol ?? 0) + (tol.rtol ?? 0) * Math.abs(w) + (tol.extra?.(i) ?? 0);
      if (Math.abs(g - w) <= bound) continue;
      if (tol.ulps !== undefined && ulps(g, w, dtype) <= tol.ulps) continue;
    }
    expect.fail(
      `${what} ${dtype} element ${i}: loop ${w}, got ${g} (diff ${g - w}, ${ulps(g, w, dtype)} ulp)`,
    );
  }
}
