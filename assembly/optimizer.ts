// The optimizers' update of one parameter array and its moment arrays, in one sweep (OptimizerOp in
// ops.ts gives the rules). Every operation rounds to T, with every scalar rounded to T first, in the
// order NumPy evaluates the course's expressions; wasm's f32 arithmetic and square root are IEEE, so
// both dtypes equal the loop backend's (src/backend/loop.ts) bit for bit. The scalar tail repeats
// the vector formulas lane by lane.

import { OptimizerOp } from './ops';

/** w, g, v, s: n contiguous T each (v unread by RMSprop, s by Momentum); w, v, s are updated. */
export function optimizerStep<T>(
  op: i32,
  w: usize,
  g: usize,
  v: usize,
  s: usize,
  n: i32,
  lr: f64,
  beta1: f64,
  beta2: f64,
  eps: f64,
  c1: f64,
  c2: f64,
): void {
  if (op == OptimizerOp.Momentum) momentum<T>(w, g, v, n, <T>lr, <T>beta1, <T>(1.0 - beta1));
  else if (op == OptimizerOp.RMSprop) rmsprop<T>(w, g, s, n, <T>lr, <T>beta2, <T>(1.0 - beta2), <T>eps);
  else adam<T>(w, g, v, s, n, <T>lr, <T>beta1, <T>(1.0 - beta1), <T>beta2, <T>(1.0 - beta2), <T>eps, <T>c1, <T>c2);
}

function momentum<T>(w: usize, g: usize, v: usize, n: i32, lr: T, b1: T, ob1: T): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const LR = v128.splat<T>(lr);
  const B1 = v128.splat<T>(b1);
  const OB1 = v128.splat<T>(ob1);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const vv = v128.add<T>(v128.mul<T>(B1, v128.load(v + o)), v128.mul<T>(OB1, v128.load(g + o)));
    v128.store(v + o, vv);
    v128.store(w + o, v128.sub<T>(v128.load(w + o), v128.mul<T>(LR, vv)));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const vv: T = b1 * load<T>(v + o) + ob1 * load<T>(g + o);
    store<T>(v + o, vv);
    store<T>(w + o, load<T>(w + o) - lr * vv);
  }
}

function rmsprop<T>(w: usize, g: usize, s: usize, n: i32, lr: T, b2: T, ob2: T, eps: T): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const LR = v128.splat<T>(lr);
  const B2 = v128.splat<T>(b2);
  const OB2 = v128.splat<T>(ob2);
  const E = v128.splat<T>(eps);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const gv = v128.load(g + o);
    const sv = v128.add<T>(v128.mul<T>(B2, v128.load(s + o)), v128.mul<T>(OB2, v128.mul<T>(gv, gv)));
    v128.store(s + o, sv);
    const step = v128.div<T>(v128.mul<T>(LR, gv), v128.add<T>(v128.sqrt<T>(sv), E));
    v128.store(w + o, v128.sub<T>(v128.load(w + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const gv = load<T>(g + o);
    const sv: T = b2 * load<T>(s + o) + ob2 * (gv * gv);
    store<T>(s + o, sv);
    store<T>(w + o, load<T>(w + o) - (lr * gv) / (<T>Math.sqrt(sv) + eps));
  }
}

function adam<T>(
  w: usize,
  g: usize,
  v: usize,
  s: usize,
  n: i32,
  lr: T,
  b1: T,
  ob1: T,
  b2: T,
  ob2: T,
  eps: T,
  c1: T,
  c2: T,
): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const LR = v128.splat<T>(lr);
  const B1 = v128.splat<T>(b1);
  const OB1 = v128.splat<T>(ob1);
  const B2 = v128.splat<T>(b2);
  const OB2 = v128.splat<T>(ob2);
  const E = v128.splat<T>(eps);
  const C1 = v128.splat<T>(c1);
  const C2 = v128.splat<T>(c2);
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    const gv = v128.load(g + o);
    const vv = v128.add<T>(v128.mul<T>(B1, v128.load(v + o)), v128.mul<T>(OB1, gv));
    const sv = v128.add<T>(v128.mul<T>(B2, v128.load(s + o)), v128.mul<T>(OB2, v128.mul<T>(gv, gv)));
    v128.store(v + o, vv);
    v128.store(s + o, sv);
    const vc = v128.div<T>(vv, C1);
    const sc = v128.div<T>(sv, C2);
    const step = v128.div<T>(v128.mul<T>(LR, vc), v128.add<T>(v128.sqrt<T>(sc), E));
    v128.store(w + o, v128.sub<T>(v128.load(w + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    const gv = load<T>(g + o);
    const vv: T = b1 * load<T>(v + o) + ob1 * gv;
    const sv: T = b2 * load<T>(s + o) + ob2 * (gv * gv);
    store<T>(v + o, vv);
    store<T>(s + o, sv);
    const vc: T = vv / c1;
    const sc: T = sv / c2;
    store<T>(w + o, load<T>(w + o) - (lr * vc) / (<T>Math.sqrt(sc) + eps));
  }
}
