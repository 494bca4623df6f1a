// The optimizers' update (Backend.optimizerStep), one loop per rule and dtype: float64 in plain
// arithmetic, float32 with every operation rounded by Math.fround (float32 products, quotients,
// sums and square roots are exact when computed in float64 and rounded once). Equal to the loop
// backend bit for bit.

import type { TypedArray } from '../../core/index.js';
import { OptimizerOp } from '../ops.js';

const f = Math.fround;

/** The arguments of one update, gathered so the per-rule loops read like their formulas. */
export interface OptimizerArgs {
  w: TypedArray;
  wo: number;
  g: TypedArray;
  go: number;
  v: TypedArray;
  vo: number;
  s: TypedArray;
  so: number;
  n: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  c1: number;
  c2: number;
}

export function optimizerKernel(op: OptimizerOp, a: OptimizerArgs): void {
  const f32 = a.w instanceof Float32Array;
  if (op === OptimizerOp.Momentum) (f32 ? momentum32 : momentum64)(a);
  else if (op === OptimizerOp.RMSprop) (f32 ? rmsprop32 : rmsprop64)(a);
  else (f32 ? adam32 : adam64)(a);
}

function momentum64({ w, wo, g, go, v, vo, n, lr, beta1 }: OptimizerArgs): void {
  const ob1 = 1 - beta1;
  for (let i = 0; i < n; i++) {
    const vi = beta1 * v[vo + i] + ob1 * g[go + i];
    v[vo + i] = vi;
    w[wo + i] = w[wo + i] - lr * vi;
  }
}

function momentum32({ w, wo, g, go, v, vo, n, lr, beta1 }: OptimizerArgs): void {
  const [LR, B1, OB1] = [f(lr), f(beta1), f(1 - beta1)];
  for (let i = 0; i < n; i++) {
    const vi = f(f(B1 * v[vo + i]) + f(OB1 * g[go + i]));
    v[vo + i] = vi;
    w[wo + i] = w[wo + i] - f(LR * vi);
  }
}

function rmsprop64({ w, wo, g, go, s, so, n, lr, beta2, eps }: OptimizerArgs): void {
  const ob2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const gi = g[go + i];
    const si = beta2 * s[so + i] + ob2 * (gi * gi);
    s[so + i] = si;
    w[wo + i] = w[wo + i] - (lr * gi) / (Math.sqrt(si) + eps);
  }
}

function rmsprop32({ w, wo, g, go, s, so, n, lr, beta2, eps }: OptimizerArgs): void {
  const [LR, B2, OB2, E] = [f(lr), f(beta2), f(1 - beta2), f(eps)];
  for (let i = 0; i < n; i++) {
    const gi = g[go + i];
    const si = f(f(B2 * s[so + i]) + f(OB2 * f(gi * gi)));
    s[so + i] = si;
    w[wo + i] = w[wo + i] - f(f(LR * gi) / f(f(Math.sqrt(si)) + E));
  }
}

function adam64({ w, wo, g, go, v, vo, s, so, n, lr, beta1, beta2, eps, c1, c2 }: OptimizerArgs): void {
  const ob1 = 1 - beta1;
  const ob2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const gi = g[go + i];
    const vi = beta1 * v[vo + i] + ob1 * gi;
    const si = beta2 * s[so + i] + ob2 * (gi * gi);
    v[vo + i] = vi;
    s[so + i] = si;
    w[wo + i] = w[wo + i] - (lr * (vi / c1)) / (Math.sqrt(si / c2) + eps);
  }
}

function adam32(a: OptimizerArgs): void {
  const { w, wo, g, go, v, vo, s, so, n } = a;
  const [LR, B1, OB1, B2, OB2, E, C1, C2] = [
    f(a.lr),
    f(a.beta1),
    f(1 - a.beta1),
    f(a.beta2),
    f(1 - a.beta2),
    f(a.eps),
    f(a.c1),
    f(a.c2),
  ];
  for (let i = 0; i < n; i++) {
    const gi = g[go + i];
    const vi = f(f(B1 * v[vo + i]) + f(OB1 * gi));
    const si = f(f(B2 * s[so + i]) + f(OB2 * f(gi * gi)));
    v[vo + i] = vi;
    s[so + i] = si;
    w[wo + i] = w[wo + i] - f(f(LR * f(vi / C1)) / f(f(Math.sqrt(f(si / C2))) + E));
  }
}
