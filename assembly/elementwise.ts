// Element-wise binary ops with broadcasting, fill and strided copy, for T = f32 | f64.
//
// Layout: every pointer is a byte address into memory; sizes and strides are in elements (i32,
// a stride may be 0 to broadcast or negative); out is always written contiguously in C order. Any
// alignment works, 16 bytes is fastest. out may alias an operand exactly when that operand has the
// same contiguous layout; any other overlap is undefined.
//
// binary2d is the workhorse: out (m, n) = a OP b with a, b read through (row, column) strides. It
// recognises the shapes the facade's collapseDims produces (same shape, scalar, row vector (1, n),
// column vector (m, 1), the bias add W·A + b) and runs them as SIMD row loops; anything else walks
// the strides one element at a time. binaryNd peels leading dimensions down to binary2d.

import { BinaryOp } from './ops';

// One @final class per op: `vec` for a whole vector, `one` for a scalar tail, bit-identical per lane
// (and to scalar.ts). Called on a null instance (changetype<Op>(0)) so each op gets its own loop.

@final class AddOp {
  @inline vec<T>(a: v128, b: v128): v128 { return v128.add<T>(a, b); }
  @inline one<T>(a: T, b: T): T { return a + b; }
}

@final class SubOp {
  @inline vec<T>(a: v128, b: v128): v128 { return v128.sub<T>(a, b); }
  @inline one<T>(a: T, b: T): T { return a - b; }
}

@final class MulOp {
  @inline vec<T>(a: v128, b: v128): v128 { return v128.mul<T>(a, b); }
  @inline one<T>(a: T, b: T): T { return a * b; }
}

@final class DivOp {
  @inline vec<T>(a: v128, b: v128): v128 { return v128.div<T>(a, b); }
  @inline one<T>(a: T, b: T): T { return a / b; }
}

// NumPy's maximum/minimum: NaN in either operand wins; between ±0 the comparison keeps b, exactly
// as `a > b || isNaN(a) ? a : b` (so not the IEEE max, which orders -0 < +0)
@final class MaximumOp {
  @inline vec<T>(a: v128, b: v128): v128 {
    return v128.bitselect(a, b, v128.or(v128.gt<T>(a, b), v128.ne<T>(a, a)));
  }
  @inline one<T>(a: T, b: T): T { return a > b || a != a ? a : b; }
}

@final class MinimumOp {
  @inline vec<T>(a: v128, b: v128): v128 {
    return v128.bitselect(a, b, v128.or(v128.lt<T>(a, b), v128.ne<T>(a, a)));
  }
  @inline one<T>(a: T, b: T): T { return a < b || a != a ? a : b; }
}

// comparisons give 1 or +0 of T
@final class GtOp {
  @inline vec<T>(a: v128, b: v128): v128 { return v128.and(v128.gt<T>(a, b), v128.splat<T>(<T>1)); }
  @inline one<T>(a: T, b: T): T { return a > b ? <T>1 : <T>0; }
}

@final class GeOp {
  @inline vec<T>(a: v128, b: v128): v128 { return v128.and(v128.ge<T>(a, b), v128.splat<T>(<T>1)); }
  @inline one<T>(a: T, b: T): T { return a >= b ? <T>1 : <T>0; }
}

@final class LtOp {
  @inline vec<T>(a: v128, b: v128): v128 { return v128.and(v128.lt<T>(a, b), v128.splat<T>(<T>1)); }
  @inline one<T>(a: T, b: T): T { return a < b ? <T>1 : <T>0; }
}

@final class LeOp {
  @inline vec<T>(a: v128, b: v128): v128 { return v128.and(v128.le<T>(a, b), v128.splat<T>(<T>1)); }
  @inline one<T>(a: T, b: T): T { return a <= b ? <T>1 : <T>0; }
}

@final class EqOp {
  @inline vec<T>(a: v128, b: v128): v128 { return v128.and(v128.eq<T>(a, b), v128.splat<T>(<T>1)); }
  @inline one<T>(a: T, b: T): T { return a == b ? <T>1 : <T>0; }
}

// JavaScript's a ** b, computed in f64 and rounded once to T (as a Float32Array store would):
// C's pow differs only where JS says NaN, namely NaN exponents and (±1) ** ±inf
@final class PowOp {
  @inline vec<T>(a: v128, b: v128): v128 {
    let r = v128.splat<T>(this.one<T>(v128.extract_lane<T>(a, 0), v128.extract_lane<T>(b, 0)));
    r = v128.replace_lane<T>(r, 1, this.one<T>(v128.extract_lane<T>(a, 1), v128.extract_lane<T>(b, 1)));
    if (sizeof<T>() == 4) {
      r = v128.replace_lane<T>(r, 2, this.one<T>(v128.extract_lane<T>(a, 2), v128.extract_lane<T>(b, 2)));
      r = v128.replace_lane<T>(r, 3, this.one<T>(v128.extract_lane<T>(a, 3), v128.extract_lane<T>(b, 3)));
    }
    return r;
  }
  @inline one<T>(a: T, b: T): T {
    const x = <f64>a;
    const y = <f64>b;
    if (isNaN(y) || (Math.abs(x) == 1.0 && !isFinite(y))) return <T>NaN;
    return <T>Math.pow(x, y);
  }
}

/** out[i] = a[i] OP b[i], i < n, all contiguous. */
// @ts-ignore: decorator
@inline
function rowVV<T, Op>(out: usize, a: usize, b: usize, n: i32): void {
  const op = changetype<Op>(0);
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  let i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    const o = <usize>i * S;
    v128.store(out + o, op.vec<T>(v128.load(a + o), v128.load(b + o)));
    v128.store(out + o, op.vec<T>(v128.load(a + o, 16), v128.load(b + o, 16)), 16);
  }
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(out + o, op.vec<T>(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    store<T>(out + o, op.one<T>(load<T>(a + o), load<T>(b + o)));
  }
}

/** out[i] = a[i] OP s, i < n (b broadcast to a scalar). */
// @ts-ignore: decorator
@inline
function rowVS<T, Op>(out: usize, a: usize, s: T, n: i32): void {
  const op = changetype<Op>(0);
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const vs = v128.splat<T>(s);
  let i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    const o = <usize>i * S;
    v128.store(out + o, op.vec<T>(v128.load(a + o), vs));
    v128.store(out + o, op.vec<T>(v128.load(a + o, 16), vs), 16);
  }
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(out + o, op.vec<T>(v128.load(a + o), vs));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    store<T>(out + o, op.one<T>(load<T>(a + o), s));
  }
}

/** out[i] = s OP b[i], i < n (a broadcast to a scalar). */
// @ts-ignore: decorator
@inline
function rowSV<T, Op>(out: usize, s: T, b: usize, n: i32): void {
  const op = changetype<Op>(0);
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const vs = v128.splat<T>(s);
  let i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    const o = <usize>i * S;
    v128.store(out + o, op.vec<T>(vs, v128.load(b + o)));
    v128.store(out + o, op.vec<T>(vs, v128.load(b + o, 16)), 16);
  }
  for (; i + L <= n; i += L) {
    const o = <usize>i * S;
    v128.store(out + o, op.vec<T>(vs, v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * S;
    store<T>(out + o, op.one<T>(s, load<T>(b + o)));
  }
}

/** out[i] = a[i·as] OP b[i·bs], i < n: the general case, one element at a time. */
// @ts-ignore: decorator
@inline
function rowStrided<T, Op>(out: usize, a: usize, as: i32, b: usize, bs: i32, n: i32): void {
  const op = changetype<Op>(0);
  const S = <usize>sizeof<T>();
  const da = <usize>as * S; // wraps for negative strides: address arithmetic is modulo 2^32
  const db = <usize>bs * S;
  for (let i = 0; i < n; i++) {
    store<T>(out + <usize>i * S, op.one<T>(load<T>(a), load<T>(b)));
    a += da;
    b += db;
  }
}

/** out[i] = v, i < n. */
// @ts-ignore: decorator
@inline
function fillRow<T>(out: usize, v: T, n: i32): void {
  const S = <usize>sizeof<T>();
  const L = 16 / sizeof<T>();
  const vv = v128.splat<T>(v);
  let i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    v128.store(out + <usize>i * S, vv);
    v128.store(out + <usize>i * S, vv, 16);
  }
  for (; i + L <= n; i += L) v128.store(out + <usize>i * S, vv);
  for (; i < n; i++) store<T>(out + <usize>i * S, v);
}

/**
 * out (m, n), contiguous, = a OP b where a[i, j] = a[i·am + j·an] and b likewise: one specialised
 * function per (dtype, op).
 */
function binary2d<T, Op>(out: usize, a: usize, b: usize, m: i32, n: i32, am: i32, an: i32, bm: i32, bn: i32): void {
  if (m <= 0 || n <= 0) return;
  const op = changetype<Op>(0);
  const S = <usize>sizeof<T>();
  // the whole block as one run: same shape, or one side a single scalar
  const aFlat = m == 1 || am == n * an;
  const bFlat = m == 1 || bm == n * bn;
  if (aFlat && bFlat) {
    if (an == 1 && bn == 1) return rowVV<T, Op>(out, a, b, m * n);
    if (an == 1 && bn == 0) return rowVS<T, Op>(out, a, load<T>(b), m * n);
    if (an == 0 && bn == 1) return rowSV<T, Op>(out, load<T>(a), b, m * n);
    if (an == 0 && bn == 0) return fillRow<T>(out, op.one<T>(load<T>(a), load<T>(b)), m * n);
  }
  const rowBytes = <usize>n * S;
  const da = <usize>am * S;
  const db = <usize>bm * S;
  for (let i = 0; i < m; i++) {
    if (an == 1 && bn == 1) rowVV<T, Op>(out, a, b, n); // e.g. (m, n) + (1, n)
    else if (an == 1 && bn == 0) rowVS<T, Op>(out, a, load<T>(b), n); // (m, n) + (m, 1): the bias add
    else if (an == 0 && bn == 1) rowSV<T, Op>(out, load<T>(a), b, n);
    else if (an == 0 && bn == 0) fillRow<T>(out, op.one<T>(load<T>(a), load<T>(b)), n); // (m, 1) + (m, 1) seen as (m, n)
    else rowStrided<T, Op>(out, a, an, b, bn, n);
    out += rowBytes;
    a += da;
    b += db;
  }
}

/** Walks dimensions [dim, ndim - 2) of the args area and runs binary2d on the last two. */
function binaryNdAt<T, Op>(out: usize, a: usize, b: usize, ndim: i32, args: usize, dim: i32): void {
  const shape = args;
  const as = args + (<usize>ndim << 2);
  const bs = args + (<usize>ndim << 3);
  const d = <usize>dim << 2;
  if (dim == ndim - 2) {
    binary2d<T, Op>(
      out, a, b,
      load<i32>(shape + d), load<i32>(shape + d, 4),
      load<i32>(as + d), load<i32>(as + d, 4),
      load<i32>(bs + d), load<i32>(bs + d, 4)
    );
    return;
  }
  let block: i32 = 1; // elements of out per index of this dimension
  for (let k = dim + 1; k < ndim; k++) block *= load<i32>(shape + (<usize>k << 2));
  const S = <usize>sizeof<T>();
  const dOut = <usize>block * S;
  const da = <usize>load<i32>(as + d) * S;
  const db = <usize>load<i32>(bs + d) * S;
  const len = load<i32>(shape + d);
  for (let i = 0; i < len; i++) {
    binaryNdAt<T, Op>(out, a, b, ndim, args, dim + 1);
    out += dOut;
    a += da;
    b += db;
  }
}

/** The generic form, 0 <= ndim: shape, aStrides, bStrides as i32[ndim] each, back to back at args. */
// @ts-ignore: decorator
@inline
function binaryNdOp<T, Op>(out: usize, a: usize, b: usize, ndim: i32, args: usize): void {
  if (ndim == 0) binary2d<T, Op>(out, a, b, 1, 1, 0, 0, 0, 0);
  else if (ndim == 1) {
    binary2d<T, Op>(out, a, b, 1, load<i32>(args), 0, load<i32>(args, 4), 0, load<i32>(args + 8));
  } else binaryNdAt<T, Op>(out, a, b, ndim, args, 0);
}

/** out (m, n) = a OP b through (row, column) element strides; see binary2d. op: BinaryOp. */
export function binary<T>(op: i32, out: usize, a: usize, am: i32, an: i32, b: usize, bm: i32, bn: i32, m: i32, n: i32): void {
  switch (op) {
    case BinaryOp.Add: binary2d<T, AddOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Sub: binary2d<T, SubOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Mul: binary2d<T, MulOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Div: binary2d<T, DivOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Pow: binary2d<T, PowOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Maximum: binary2d<T, MaximumOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Minimum: binary2d<T, MinimumOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Gt: binary2d<T, GtOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Ge: binary2d<T, GeOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Lt: binary2d<T, LtOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Le: binary2d<T, LeOp>(out, a, b, m, n, am, an, bm, bn); break;
    case BinaryOp.Eq: binary2d<T, EqOp>(out, a, b, m, n, am, an, bm, bn); break;
    default: break;
  }
}

/** out = a OP b over ndim dimensions, shape and strides read from args (see binaryNdOp). */
export function binaryNd<T>(op: i32, out: usize, a: usize, b: usize, ndim: i32, args: usize): void {
  switch (op) {
    case BinaryOp.Add: binaryNdOp<T, AddOp>(out, a, b, ndim, args); break;
    case BinaryOp.Sub: binaryNdOp<T, SubOp>(out, a, b, ndim, args); break;
    case BinaryOp.Mul: binaryNdOp<T, MulOp>(out, a, b, ndim, args); break;
    case BinaryOp.Div: binaryNdOp<T, DivOp>(out, a, b, ndim, args); break;
    case BinaryOp.Pow: binaryNdOp<T, PowOp>(out, a, b, ndim, args); break;
    case BinaryOp.Maximum: binaryNdOp<T, MaximumOp>(out, a, b, ndim, args); break;
    case BinaryOp.Minimum: binaryNdOp<T, MinimumOp>(out, a, b, ndim, args); break;
    case BinaryOp.Gt: binaryNdOp<T, GtOp>(out, a, b, ndim, args); break;
    case BinaryOp.Ge: binaryNdOp<T, GeOp>(out, a, b, ndim, args); break;
    case BinaryOp.Lt: binaryNdOp<T, LtOp>(out, a, b, ndim, args); break;
    case BinaryOp.Le: binaryNdOp<T, LeOp>(out, a, b, ndim, args); break;
    case BinaryOp.Eq: binaryNdOp<T, EqOp>(out, a, b, ndim, args); break;
    default: break;
  }
}

/** out[i] = value, i < n. */
export function fill<T>(out: usize, n: i32, value: T): void {
  fillRow<T>(out, value, n);
}

/** Side of the square tiles the transposing copy walks, so both sides of a tile stay in L1. */
const TILE: i32 = 32;

/**
 * One L x L block (L = 4 f32 or 2 f64 lanes) transposed in registers: row k of the block at
 * o + k·oRow (bytes) receives lane k of the L vectors read at p + r·pRow.
 */
// @ts-ignore: decorator
@inline
function transposeBlock<T>(o: usize, oRow: usize, p: usize, pRow: usize): void {
  if (sizeof<T>() == 8) {
    const r0 = v128.load(p);
    const r1 = v128.load(p + pRow);
    v128.store(o, v128.shuffle<i64>(r0, r1, 0, 2));
    v128.store(o + oRow, v128.shuffle<i64>(r0, r1, 1, 3));
    return;
  }
  const r0 = v128.load(p);
  const r1 = v128.load(p + pRow);
  const r2 = v128.load(p + 2 * pRow);
  const r3 = v128.load(p + 3 * pRow);
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
  const t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
  const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
  v128.store(o, v128.shuffle<i64>(t0, t2, 0, 2)); // a0 b0 c0 d0
  v128.store(o + oRow, v128.shuffle<i64>(t0, t2, 1, 3));
  v128.store(o + 2 * oRow, v128.shuffle<i64>(t1, t3, 0, 2));
  v128.store(o + 3 * oRow, v128.shuffle<i64>(t1, t3, 1, 3));
}

/** out (m, n), contiguous, = x[i·sm + j·sn]. */
function copy2d<T>(out: usize, x: usize, m: i32, n: i32, sm: i32, sn: i32): void {
  if (m <= 0 || n <= 0) return;
  const S = <usize>sizeof<T>();
  if (sn == 1) {
    // rows are contiguous runs
    if (m == 1 || sm == n) memory.copy(out, x, <usize>m * <usize>n * S);
    else for (let i = 0; i < m; i++) memory.copy(out + <usize>i * <usize>n * S, x + <usize>(i * sm) * S, <usize>n * S);
    return;
  }
  if (sm == 1 && m > 1) {
    // a transpose: square tiles keep both the strided reads and the contiguous writes cached, and
    // inside a tile L x L blocks (L = lanes) are transposed in registers
    const L = 16 / sizeof<T>();
    const oRow = <usize>n * S;
    const xRow = <usize>sn * S;
    for (let i0 = 0; i0 < m; i0 += TILE) {
      const i1 = min(i0 + TILE, m);
      for (let j0 = 0; j0 < n; j0 += TILE) {
        const j1 = min(j0 + TILE, n);
        let i = i0;
        for (; i + L <= i1; i += L) {
          let j = j0;
          for (; j + L <= j1; j += L) {
            transposeBlock<T>(out + <usize>(i * n + j) * S, oRow, x + <usize>(i + j * sn) * S, xRow);
          }
          for (; j < j1; j++) {
            for (let r = i; r < i + L; r++) store<T>(out + <usize>(r * n + j) * S, load<T>(x + <usize>(r + j * sn) * S));
          }
        }
        for (; i < i1; i++) {
          const o = out + <usize>(i * n) * S;
          for (let j = j0; j < j1; j++) store<T>(o + <usize>j * S, load<T>(x + <usize>(i + j * sn) * S));
        }
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const o = out + <usize>(i * n) * S;
    let p = x + <usize>(i * sm) * S;
    const dp = <usize>sn * S;
    for (let j = 0; j < n; j++) {
      store<T>(o + <usize>j * S, load<T>(p));
      p += dp;
    }
  }
}

function copyAt<T>(out: usize, x: usize, ndim: i32, args: usize, dim: i32): void {
  const shape = args;
  const xs = args + (<usize>ndim << 2);
  const d = <usize>dim << 2;
  if (dim == ndim - 2) {
    copy2d<T>(out, x, load<i32>(shape + d), load<i32>(shape + d, 4), load<i32>(xs + d), load<i32>(xs + d, 4));
    return;
  }
  let block: i32 = 1;
  for (let k = dim + 1; k < ndim; k++) block *= load<i32>(shape + (<usize>k << 2));
  const S = <usize>sizeof<T>();
  const dOut = <usize>block * S;
  const dx = <usize>load<i32>(xs + d) * S;
  const len = load<i32>(shape + d);
  for (let i = 0; i < len; i++) {
    copyAt<T>(out, x, ndim, args, dim + 1);
    out += dOut;
    x += dx;
  }
}

/** out (contiguous) = the strided view of x: shape then strides as i32[ndim] each at args. */
export function copy<T>(out: usize, x: usize, ndim: i32, args: usize): void {
  if (ndim == 0) store<T>(out, load<T>(x));
  else if (ndim == 1) copy2d<T>(out, x, 1, load<i32>(args), 0, load<i32>(args, 4));
  else copyAt<T>(out, x, ndim, args, 0);
}
