// The optimizers' update of one parameter array and its moment arrays, in one sweep (OptimizerOp in
// ops.ts gives the rules). Every operation rounds to T, with every scalar rounded to T first, in the
// order NumPy evaluates the course's expressions; wasm's f32 arithmetic and square root are IEEE, so
// both dtypes equal the loop backend's (src/backend/loop.ts) bit for bit. One loop serves the three
// rules (the branches on `op` go the same way every time); the tail runs the same vector code on a
// vector whose first lane is the element (the other lanes are ignored), so every element takes the
// same arithmetic wherever it sits.

import { OptimizerOp } from './ops';

/** One vector of the update: w, v, s updated in place at byte offset o from their bases. */
// @ts-ignore: decorator
@inline
function update<T>(
  op: i32,
  w: usize,
  g: usize,
  v: usize,
  s: usize,
  o: usize,
  lanes: bool,
  LR: v128,
  B1: v128,
  OB1: v128,
  B2: v128,
  OB2: v128,
  E: v128,
  C1: v128,
  C2: v128,
): void {
  const gv = lanes ? v128.load(g + o) : v128.splat<T>(load<T>(g + o));
  let step: v128;
  let vv = gv;
  if (op != OptimizerOp.RMSprop) {
    const v0 = lanes ? v128.load(v + o) : v128.splat<T>(load<T>(v + o));
    vv = v128.add<T>(v128.mul<T>(B1, v0), v128.mul<T>(OB1, gv));
    if (lanes) v128.store(v + o, vv);
    else store<T>(v + o, v128.extract_lane<T>(vv, 0));
  }
  if (op == OptimizerOp.Momentum) {
    step = v128.mul<T>(LR, vv);
  } else {
    const s0 = lanes ? v128.load(s + o) : v128.splat<T>(load<T>(s + o));
    let sv = v128.add<T>(v128.mul<T>(B2, s0), v128.mul<T>(OB2, v128.mul<T>(gv, gv)));
    if (lanes) v128.store(s + o, sv);
    else store<T>(s + o, v128.extract_lane<T>(sv, 0));
    if (op == OptimizerOp.Adam) {
      vv = v128.div<T>(vv, C1);
      sv = v128.div<T>(sv, C2);
    }
    step = v128.div<T>(v128.mul<T>(LR, vv), v128.add<T>(v128.sqrt<T>(sv), E));
  }
  const w0 = lanes ? v128.load(w + o) : v128.splat<T>(load<T>(w + o));
  const wv = v128.sub<T>(w0, step);
  if (lanes) v128.store(w + o, wv);
  else store<T>(w + o, v128.extract_lane<T>(wv, 0));
}

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
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const LR = v128.splat<T>(<T>lr);
  const B1 = v128.splat<T>(<T>beta1);
  const OB1 = v128.splat<T>(<T>(1.0 - beta1));
  const B2 = v128.splat<T>(<T>beta2);
  const OB2 = v128.splat<T>(<T>(1.0 - beta2));
  const E = v128.splat<T>(<T>eps);
  const C1 = v128.splat<T>(<T>c1);
  const C2 = v128.splat<T>(<T>c2);
  let i = 0;
  for (; i + L <= n; i += L) update<T>(op, w, g, v, s, <usize>i * S, true, LR, B1, OB1, B2, OB2, E, C1, C2);
  for (; i < n; i++) update<T>(op, w, g, v, s, <usize>i * S, false, LR, B1, OB1, B2, OB2, E, C1, C2);
}
