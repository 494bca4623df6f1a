// wasm vs loop, kernel by kernel, at the Backend level: the same inputs go into both backends and the
// outputs (the whole output buffer, so writes outside the target range are caught too) are compared.
//
// Tolerances, per kernel:
// - exact (Object.is, NaN matches NaN): binary +, -, *, /, maximum, minimum, comparisons; unary neg,
//   abs, sqrt, square, relu, leaky relu, linear, clip and their gradients except those listed below;
//   max/min/argmax/argmin; fill; copy.
// - f64 exp, log, tanh, sigmoid: rtol 1e-14 (subnormal results: 4 subnormal ulps).
// - f32 exp, log, tanh, sigmoid: 4 ulp of the loop's correctly rounded result.
// - gradients of tanh, sigmoid: f64 rtol 1e-12, f32 8 ulp, plus 1e-15·|dy| absolute: the loop's form
//   dy·(1 - t²) / dy·s·(1 - s) cancels for large |x| (the loop's own error; the kernel uses the
//   cancellation-free 4u/(1+u)² and e/(1+e)²). exp's gradient: f64 rtol 1e-14, f32 1 ulp (the f32
//   kernel forms dy·exp(x) in f64, as JS does, so exp(x) cannot overflow or flush first).
// - f32 sqrt gradient: 2 ulp (the loop keeps sqrt(x) in double). pow: f64 rtol 1e-15, f32 1 ulp.
// - sum: |got - want| <= 1e-13·Σ|x| (f64), plus 1 ulp of the result for f32 (both accumulate in f64).
// - gemm: rtol 1e-12 (f64) / 1e-5 (f32) of Σ|a||b| + |beta·c|.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Backend, Buffer } from '../src/backend/backend.js';
import { LoopBackend } from '../src/backend/loop.js';
import { BinaryOp, ReduceOp, UnaryOp } from '../src/backend/ops.js';
import { createWasmBackendSync } from '../src/backend/wasm/index.js';
import type { DType } from '../src/core/dtype.js';

const loop = new LoopBackend();
const wasm = createWasmBackendSync();

const DTYPES: DType[] = ['float64', 'float32'];
/** sizes around the SIMD widths (2 and 4 lanes, unrolled x2) */
const EDGE_SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 100];
const RUNS = { numRuns: 60 };

// ---------------------------------------------------------------------------------------------
// data

/** mulberry32: a small seeded generator, so fast-check shrinks seeds and sizes, not 1000-element arrays */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen = (r: () => number) => number;
const uniform =
  (lo: number, hi: number): Gen =>
  (r) =>
    lo + (hi - lo) * r();
/** mostly `base`, sometimes one of `specials` */
const withSpecials =
  (base: Gen, specials: number[], p = 0.1): Gen =>
  (r) =>
    r() < p ? specials[Math.floor(r() * specials.length)] : base(r);
const pool =
  (values: number[]): Gen =>
  (r) =>
    values[Math.floor(r() * values.length)];

function values(seed: number, n: number, gen: Gen): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => gen(r));
}

/** a buffer of `length` elements on `backend`, filled from `data` (rounded to the dtype by the view) */
function put(backend: Backend, dtype: DType, data: readonly number[], length = data.length): Buffer {
  const buf = backend.alloc(dtype, length);
  backend.view(buf).set(data);
  return buf;
}

/** the same data on both backends */
function both(dtype: DType, data: readonly number[]): { l: Buffer; w: Buffer } {
  return { l: put(loop, dtype, data), w: put(wasm, dtype, data) };
}

// ---------------------------------------------------------------------------------------------
// comparison

interface Tol {
  rtol?: number;
  atol?: number;
  ulps?: number;
  /** per-element extra absolute tolerance */
  extra?: (i: number) => number;
}

const f32buf = new Float32Array(1);
const i32buf = new Int32Array(f32buf.buffer);
const f64buf = new Float64Array(1);
const i64buf = new BigInt64Array(f64buf.buffer);

/** distance in units in the last place, across zero and the subnormals */
function ulps(a: number, b: number, dtype: DType): number {
  if (dtype === 'float32') {
    f32buf[0] = a;
    let ia = i32buf[0];
    f32buf[0] = b;
    let ib = i32buf[0];
    if (ia < 0) ia = -(ia & 0x7fffffff);
    if (ib < 0) ib = -(ib & 0x7fffffff);
    return Math.abs(ia - ib);
  }
  f64buf[0] = a;
  let ia = i64buf[0];
  f64buf[0] = b;
  let ib = i64buf[0];
  if (ia < 0n) ia = -(ia & 0x7fffffffffffffffn);
  if (ib < 0n) ib = -(ib & 0x7fffffffffffffffn);
  const d = ia - ib;
  return Number(d < 0n ? -d : d);
}

function expectMatch(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  dtype: DType,
  tol: Tol = {},
  what = '',
): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    if (Number.isFinite(g) && Number.isFinite(w)) {
      const bound = (tol.atol ?? 0) + (tol.extra?.(i) ?? 0) + (tol.rtol ?? 0) * Math.abs(w);
      if (Math.abs(g - w) <= bound) continue;
      if (tol.ulps !== undefined && ulps(g, w, dtype) <= tol.ulps) continue;
    }
    expect.fail(
      `${what} ${dtype} element ${i}: wasm ${g}, loop ${w} (diff ${g - w}, ${ulps(g, w, dtype)} ulp)`,
    );
  }
}

/** runs fn on both backends' buffers and compares whole buffers */
function compareBuffers(l: Buffer, w: Buffer, dtype: DType, tol: Tol, what: string): void {
  expectMatch(Array.from(wasm.view(w)), Array.from(loop.view(l)), dtype, tol, what);
}

/** frees wasm buffers (the loop's are garbage collected) */
function release(...bufs: Buffer[]): void {
  for (const b of bufs) wasm.free(b);
}

// ---------------------------------------------------------------------------------------------
// shapes and layouts

function prod(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** strides (in elements) of an array of `shape` stored with its axes in `order` (outermost first), each dim spaced by `step` */
function stridesFor(shape: readonly number[], order: readonly number[], step = 1): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let s = step;
  for (let k = order.length - 1; k >= 0; k--) {
    strides[order[k]] = s;
    s *= shape[order[k]];
  }
  return strides;
}

/** elements a view of `shape` / `strides` reaches from offset 0 (strides >= 0) */
function extent(shape: readonly number[], strides: readonly number[]): number {
  if (prod(shape) === 0) return 0;
  return 1 + shape.reduce((acc, d, i) => acc + (d - 1) * strides[i], 0);
}

const dimArb = fc.constantFrom(1, 1, 2, 3, 4, 5, 7, 16, 17, 33, 64, 65);
const shapeArb = (maxRank: number, maxSize: number) =>
  fc.array(dimArb, { minLength: 0, maxLength: maxRank }).filter((s) => prod(s) <= maxSize);

/** an operand of an op over `shape`: which dims it broadcasts, its storage order, spacing and offset */
const operandArb = (rank: number) =>
  fc.record({
    keep: fc.array(fc.boolean(), { minLength: rank, maxLength: rank }),
    lead: fc.integer({ min: 0, max: rank }),
    order: fc.shuffledSubarray(
      Array.from({ length: rank }, (_, i) => i),
      { minLength: rank, maxLength: rank },
    ),
    permute: fc.boolean(),
    step: fc.constantFrom(1, 1, 1, 2),
    off: fc.integer({ min: 0, max: 3 }),
  });

interface Operand {
  /** strides over the full shape, 0 where broadcast */
  strides: number[];
  off: number;
  length: number;
}

function layOut(shape: readonly number[], o: OperandSpec): Operand {
  // dims before `lead` are missing (NumPy aligns trailing dims); others kept or broadcast to 1
  const own = shape.map((d, i) => (i < o.lead || !o.keep[i] ? 1 : d));
  const order = o.permute ? o.order : shape.map((_, i) => i);
  const stored = stridesFor(own, order, o.step);
  const strides = own.map((d, i) => (d === 1 ? 0 : stored[i]));
  return { strides, off: o.off, length: o.off + extent(own, stored) };
}

interface OperandSpec {
  keep: boolean[];
  lead: number;
  order: number[];
  permute: boolean;
  step: number;
  off: number;
}

// ---------------------------------------------------------------------------------------------
// binary

const BINARY_OPS = [
  BinaryOp.Add,
  BinaryOp.Sub,
  BinaryOp.Mul,
  BinaryOp.Div,
  BinaryOp.Pow,
  BinaryOp.Maximum,
  BinaryOp.Minimum,
  BinaryOp.Gt,
  BinaryOp.Ge,
  BinaryOp.Lt,
  BinaryOp.Le,
  BinaryOp.Eq,
];
const SPECIALS = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e30, -1e-30, 2.5];
const binaryGen = (op: BinaryOp, side: 'a' | 'b'): Gen => {
  if (op === BinaryOp.Pow) {
    return side === 'a'
      ? withSpecials(uniform(0, 4), [0, -0, 1, -1, -2, 0.5, Infinity, NaN, -Infinity])
      : withSpecials(uniform(-3, 3), [0, -0, 1, 2, 3, -1, 0.5, Infinity, -Infinity, NaN]);
  }
  if (op >= BinaryOp.Maximum) return withSpecials(pool([-2, -1, -0, 0, 0.5, 1, 2]), SPECIALS, 0.2);
  return withSpecials(uniform(-10, 10), SPECIALS);
};

function binaryTol(op: BinaryOp, dtype: DType): Tol {
  if (op !== BinaryOp.Pow) return {};
  return dtype === 'float64' ? { rtol: 1e-15 } : { ulps: 1 };
}

describe('binary: wasm matches loop', () => {
  it('every op, both dtypes, random broadcasting shapes up to rank 4, layouts and offsets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES),
        fc.constantFrom(...BINARY_OPS),
        shapeArb(4, 6000).chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            operandArb(shape.length),
            operandArb(shape.length),
            fc.integer({ min: 0, max: 3 }),
          ),
        ),
        fc.integer(),
        (dtype, op, [shape, sa, sb, outOff], seed) => {
          const a = layOut(shape, sa);
          const b = layOut(shape, sb);
          const n = prod(shape);
          const av = values(seed, a.length, binaryGen(op, 'a'));
          const bv = values(seed + 1, b.length, binaryGen(op, 'b'));
          const A = both(dtype, av);
          const B = both(dtype, bv);
          const sentinel = new Array(outOff + n + 2).fill(-7.25);
          const O = both(dtype, sentinel);
          loop.binary(op, O.l, outOff, A.l, a.off, a.strides, B.l, b.off, b.strides, shape);
          wasm.binary(op, O.w, outOff, A.w, a.off, a.strides, B.w, b.off, b.strides, shape);
          compareBuffers(O.l, O.w, dtype, binaryTol(op, dtype), `binary ${BinaryOp[op]} ${shape}`);
          release(A.w, B.w, O.w);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the course shapes: bias add (n, m) + (n, 1), row broadcast, scalar, in place', () => {
    for (const dtype of DTYPES) {
      for (const [n, m] of [
        [4, 400],
        [1, 209],
        [20, 12288],
        [7, 3],
        [5, 1],
      ]) {
        const z = values(n * m, n * m, uniform(-3, 3));
        const bias = values(n, n, uniform(-1, 1));
        for (const op of BINARY_OPS) {
          const Z = both(dtype, z);
          const Bv = both(dtype, bias);
          const O = both(dtype, new Array(n * m).fill(0));
          // column vector (n, 1): stride 1 down the rows, 0 across
          loop.binary(op, O.l, 0, Z.l, 0, [m, 1], Bv.l, 0, [1, 0], [n, m]);
          wasm.binary(op, O.w, 0, Z.w, 0, [m, 1], Bv.w, 0, [1, 0], [n, m]);
          compareBuffers(O.l, O.w, dtype, binaryTol(op, dtype), `bias ${BinaryOp[op]}`);
          // scalar on the left, in place into Z
          loop.binary(op, Z.l, 0, Bv.l, 0, [0, 0], Z.l, 0, [m, 1], [n, m]);
          wasm.binary(op, Z.w, 0, Bv.w, 0, [0, 0], Z.w, 0, [m, 1], [n, m]);
          compareBuffers(Z.l, Z.w, dtype, binaryTol(op, dtype), `scalar-left ${BinaryOp[op]}`);
          release(Z.w, Bv.w, O.w);
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// unary and unaryGrad

const UNARY_OPS = [
  UnaryOp.Neg,
  UnaryOp.Abs,
  UnaryOp.Exp,
  UnaryOp.Log,
  UnaryOp.Sqrt,
  UnaryOp.Square,
  UnaryOp.Tanh,
  UnaryOp.Sigmoid,
  UnaryOp.Relu,
  UnaryOp.LeakyRelu,
  UnaryOp.Linear,
  UnaryOp.Clip,
];
const SATURATING = [0, -0, 800, -800, Infinity, -Infinity, NaN, 1e-300, -1e-300, 20, -20, 100, -100, 30, -30];

function unaryGen(op: UnaryOp, dtype: DType, lo: number, hi: number): Gen {
  const big = dtype === 'float64' ? 700 : 87;
  switch (op) {
    case UnaryOp.Exp:
      return withSpecials(uniform(-big, big), [...SATURATING, -745, -104, -88, -103]);
    case UnaryOp.Tanh:
    case UnaryOp.Sigmoid:
      return withSpecials((r) => (r() < 0.5 ? uniform(-2, 2)(r) : uniform(-big, big)(r)), SATURATING);
    case UnaryOp.Log:
    case UnaryOp.Sqrt:
      // positives across the whole range (subnormals too), plus 0, -0, inf, NaN and a negative
      return withSpecials(
        (r) => Math.exp(uniform(-big, big)(r)),
        [0, -0, 5e-324, 1e-45, Infinity, NaN, -1, 1],
      );
    case UnaryOp.Clip: {
      // values on and next to the bounds as the dtype rounds them
      const f = dtype === 'float32' ? Math.fround : (x: number) => x;
      return withSpecials(uniform(-2, 2), [f(lo), f(hi), lo, hi, Infinity, -Infinity, NaN, 0, -0], 0.3);
    }
    default:
      return withSpecials(uniform(-5, 5), [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 3e38]);
  }
}

function unaryTol(op: UnaryOp, dtype: DType): Tol {
  const transcendental =
    op === UnaryOp.Exp || op === UnaryOp.Log || op === UnaryOp.Tanh || op === UnaryOp.Sigmoid;
  if (!transcendental) return {};
  return dtype === 'float64' ? { rtol: 1e-14, atol: 4 * 5e-324 } : { ulps: 4 };
}

function unaryGradTol(op: UnaryOp, dtype: DType, dy: ArrayLike<number>): Tol {
  if (op === UnaryOp.Exp) return dtype === 'float64' ? { rtol: 1e-14, atol: 4 * 5e-324 } : { ulps: 1 };
  if (op === UnaryOp.Tanh || op === UnaryOp.Sigmoid) {
    const extra = (i: number) => 1e-15 * Math.abs(dy[i] ?? 0);
    return dtype === 'float64' ? { rtol: 1e-12, atol: 4 * 5e-324, extra } : { ulps: 8, extra };
  }
  if (op === UnaryOp.Sqrt && dtype === 'float32') return { ulps: 2 };
  return {};
}

const paramsArb = fc.record({
  slope: fc.constantFrom(0.01, 0.2, 0, 1, 0.1 + 1e-9),
  lo: fc.double({ min: -1.5, max: 0, noNaN: true }),
  width: fc.double({ min: 0, max: 2, noNaN: true }),
});

describe('unary and unaryGrad: wasm matches loop', () => {
  for (const op of UNARY_OPS) {
    it(`${UnaryOp[op]}: random n (0..300 and the SIMD edges), offsets, in place`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...DTYPES),
          fc.oneof(fc.constantFrom(...EDGE_SIZES), fc.integer({ min: 0, max: 300 })),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 3 }),
          fc.boolean(),
          paramsArb,
          fc.integer(),
          (dtype, n, xOff, outOff, inPlace, prm, seed) => {
            const p0 = op === UnaryOp.LeakyRelu ? prm.slope : prm.lo;
            const p1 = prm.lo + prm.width;
            const x = values(seed, xOff + n, unaryGen(op, dtype, p0, p1));
            const dy = values(seed + 7, outOff + n, withSpecials(uniform(-3, 3), [0, -0, 1e30, 1e-30]));

            // forward, into a separate buffer or in place
            const X = both(dtype, x);
            if (inPlace) {
              loop.unary(op, X.l, xOff, X.l, xOff, n, p0, p1);
              wasm.unary(op, X.w, xOff, X.w, xOff, n, p0, p1);
              compareBuffers(X.l, X.w, dtype, unaryTol(op, dtype), `${UnaryOp[op]} in place`);
            } else {
              const O = both(dtype, new Array(outOff + n + 1).fill(-3.5));
              loop.unary(op, O.l, outOff, X.l, xOff, n, p0, p1);
              wasm.unary(op, O.w, outOff, X.w, xOff, n, p0, p1);
              compareBuffers(O.l, O.w, dtype, unaryTol(op, dtype), UnaryOp[op]);
              release(O.w);
            }
            release(X.w);

            // gradient, out aliasing dy when in place
            const X2 = both(dtype, x);
            const D = both(dtype, dy);
            const dyStored = Array.from(loop.view(D.l));
            const gt = unaryGradTol(op, dtype, dyStored);
            if (inPlace) {
              loop.unaryGrad(op, D.l, outOff, X2.l, xOff, D.l, outOff, n, p0, p1);
              wasm.unaryGrad(op, D.w, outOff, X2.w, xOff, D.w, outOff, n, p0, p1);
              compareBuffers(D.l, D.w, dtype, gt, `${UnaryOp[op]}' in place`);
            } else {
              const O = both(dtype, new Array(outOff + n + 1).fill(-3.5));
              loop.unaryGrad(op, O.l, outOff, X2.l, xOff, D.l, outOff, n, p0, p1);
              wasm.unaryGrad(op, O.w, outOff, X2.w, xOff, D.w, outOff, n, p0, p1);
              compareBuffers(O.l, O.w, dtype, gt, `${UnaryOp[op]}'`);
              release(O.w);
            }
            release(X2.w, D.w);
          },
        ),
        RUNS,
      );
    });
  }

  it('saturates: sigmoid(±800) is exactly 1 / 0, tanh(±inf) = ±1, exp(-inf) = 0, never NaN', () => {
    for (const dtype of DTYPES) {
      const x = [800, -800, Infinity, -Infinity, 1e308, -1e308, 0, -0];
      const X = put(wasm, dtype, x);
      const O = wasm.alloc(dtype, x.length);
      wasm.unary(UnaryOp.Sigmoid, O, 0, X, 0, x.length, 0, 0);
      expect(Array.from(wasm.view(O))).toEqual([1, 0, 1, 0, 1, 0, 0.5, 0.5]);
      wasm.unary(UnaryOp.Tanh, O, 0, X, 0, x.length, 0, 0);
      expect(Array.from(wasm.view(O))).toEqual([1, -1, 1, -1, 1, -1, 0, -0]);
      expect(Object.is(wasm.view(O)[7], -0)).toBe(true);
      wasm.unary(UnaryOp.Exp, O, 0, X, 0, x.length, 0, 0);
      expect(Array.from(wasm.view(O))).toEqual([Infinity, 0, Infinity, 0, Infinity, 0, 1, 1]);
      const dy = put(wasm, dtype, new Array(x.length).fill(1));
      for (const op of [UnaryOp.Sigmoid, UnaryOp.Tanh]) {
        wasm.unaryGrad(op, O, 0, X, 0, dy, 0, x.length, 0, 0);
        const g = Array.from(wasm.view(O));
        expect(g.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
        expect(g.slice(6)).toEqual(op === UnaryOp.Sigmoid ? [0.25, 0.25] : [1, 1]);
      }
      wasm.free(X);
      wasm.free(O);
      wasm.free(dy);
    }
  });

  it('f64 exp, log, tanh and sigmoid stay within 1e-14 of Math on 20,000 points each', () => {
    const n = 20000;
    const x = values(42, n, (r) => (r() - 0.5) * 1400);
    const pos = x.map((v) => Math.exp(v / 2));
    const X = put(wasm, 'float64', x);
    const P = put(wasm, 'float64', pos);
    const O = wasm.alloc('float64', n);
    const check = (op: UnaryOp, input: Buffer, inputs: number[], f: (v: number) => number) => {
      wasm.unary(op, O, 0, input, 0, n, 0, 0);
      const got = wasm.view(O);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const want = f(inputs[i]);
        if (Math.abs(want) < 1e-300) continue;
        worst = Math.max(worst, Math.abs(got[i] - want) / Math.abs(want));
      }
      expect(worst, UnaryOp[op]).toBeLessThanOrEqual(1e-14);
    };
    check(UnaryOp.Exp, X, x, Math.exp);
    check(UnaryOp.Log, P, pos, Math.log);
    check(UnaryOp.Tanh, X, x, Math.tanh);
    check(UnaryOp.Sigmoid, X, x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
    wasm.free(X);
    wasm.free(P);
    wasm.free(O);
  });
});

// ---------------------------------------------------------------------------------------------
// reduce

const REDUCE_OPS = [ReduceOp.Sum, ReduceOp.Max, ReduceOp.Min, ReduceOp.ArgMax, ReduceOp.ArgMin];

describe('reduce: wasm matches loop', () => {
  it('every op, random (outer, len, inner), ties, ±0 and NaN', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES),
        fc.constantFrom(...REDUCE_OPS),
        fc.integer({ min: 1, max: 6 }),
        fc.oneof(fc.constantFrom(...EDGE_SIZES), fc.integer({ min: 0, max: 700 })),
        fc.oneof(fc.constantFrom(1, 1, 2, 3, 4, 5, 8, 9, 16, 17), fc.integer({ min: 1, max: 40 })),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('numbers', 'ties', 'specials'),
        fc.integer(),
        (dtype, op, outer, len0, inner, xOff, kind, seed) => {
          const len = op === ReduceOp.Sum ? len0 : Math.max(1, len0);
          const gen =
            kind === 'numbers'
              ? uniform(-100, 100)
              : kind === 'ties'
                ? pool([-0, 0, 1, 1, -1, 3, 3, -3])
                : withSpecials(pool([-0, 0, 1, -1, 2]), [NaN, Infinity, -Infinity], 0.05);
          const x = values(seed, xOff + outer * len * inner, gen);
          const X = both(dtype, x);
          const O = both(dtype, new Array(outer * inner + 1).fill(-9.5));
          loop.reduce(op, O.l, 0, X.l, xOff, outer, len, inner);
          wasm.reduce(op, O.w, 0, X.w, xOff, outer, len, inner);
          let tol: Tol = {};
          if (op === ReduceOp.Sum) {
            // per output: 1e-13 of the sum of |x| along its column
            const stored = Array.from(loop.view(X.l));
            const absSum = (i: number): number => {
              const p = Math.floor(i / inner);
              const q = i % inner;
              let s = 0;
              for (let k = 0; k < len; k++) s += Math.abs(stored[xOff + (p * len + k) * inner + q]);
              return s;
            };
            tol = {
              extra: (i) => (i < outer * inner ? 1e-13 * absSum(i) : 0),
              ulps: dtype === 'float32' ? 1 : 0,
            };
          }
          compareBuffers(O.l, O.w, dtype, tol, `reduce ${ReduceOp[op]} (${outer},${len},${inner})`);
          release(X.w, O.w);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a sum of 10^6 float32 values is within 1e-6 relative of the exact sum', () => {
    const n = 1_000_000;
    const x = Float32Array.from(values(3, n, uniform(0, 1)));
    // Neumaier's compensated sum in f64 is exact to far below 1e-6 here
    let sum = 0;
    let comp = 0;
    for (const v of x) {
      const t = sum + v;
      comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
      sum = t;
    }
    const exact = sum + comp;
    const X = put(wasm, 'float32', Array.from(x));
    const O = wasm.alloc('float32', 1);
    wasm.reduce(ReduceOp.Sum, O, 0, X, 0, 1, n, 1);
    expect(Math.abs(wasm.view(O)[0] - exact) / exact).toBeLessThan(1e-6);
    wasm.free(X);
    wasm.free(O);
  });
});

// ---------------------------------------------------------------------------------------------
// fill and copy

describe('fill and copy: wasm matches loop', () => {
  it('fill: random n, offset and value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES),
        fc.oneof(fc.constantFrom(...EDGE_SIZES), fc.integer({ min: 0, max: 300 })),
        fc.integer({ min: 0, max: 3 }),
        fc.oneof(fc.double(), fc.constantFrom(0.1, -0, NaN, Infinity, 1e300)),
        (dtype, n, off, value) => {
          const O = both(dtype, new Array(off + n + 2).fill(4.5));
          loop.fill(O.l, off, n, value);
          wasm.fill(O.w, off, n, value);
          compareBuffers(O.l, O.w, dtype, {}, 'fill');
          release(O.w);
        },
      ),
      RUNS,
    );
  });

  it('copy: random shapes up to rank 4, transposes, spacing, broadcasting and offsets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES),
        shapeArb(4, 6000).chain((shape) =>
          fc.tuple(fc.constant(shape), operandArb(shape.length), fc.integer({ min: 0, max: 3 })),
        ),
        fc.integer(),
        (dtype, [shape, spec, outOff], seed) => {
          const x = layOut(shape, spec);
          const xv = values(seed, x.length, uniform(-9, 9));
          const X = both(dtype, xv);
          const O = both(dtype, new Array(outOff + prod(shape) + 1).fill(-1.5));
          loop.copy(O.l, outOff, X.l, x.off, x.strides, shape);
          wasm.copy(O.w, outOff, X.w, x.off, x.strides, shape);
          compareBuffers(O.l, O.w, dtype, {}, `copy ${shape} strides ${x.strides}`);
          release(X.w, O.w);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('copy: a large transpose (the tiled path)', () => {
    for (const dtype of DTYPES) {
      const [m, n] = [129, 77];
      const xv = values(5, m * n, uniform(-1, 1));
      const X = both(dtype, xv);
      const O = both(dtype, new Array(m * n).fill(0));
      // out (n, m) = x (m, n) transposed: strides (1, n)
      loop.copy(O.l, 0, X.l, 0, [1, n], [n, m]);
      wasm.copy(O.w, 0, X.w, 0, [1, n], [n, m]);
      compareBuffers(O.l, O.w, dtype, {}, 'transpose');
      release(X.w, O.w);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// gemm

describe('gemm: wasm matches loop', () => {
  it('all transpose combinations, alpha/beta, padded leading dimensions, offsets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES),
        fc.boolean(),
        fc.boolean(),
        fc.oneof(fc.constantFrom(1, 3, 4, 5, 8, 17), fc.integer({ min: 1, max: 70 })),
        fc.oneof(fc.constantFrom(1, 3, 4, 8, 9, 17), fc.integer({ min: 1, max: 70 })),
        fc.oneof(fc.constantFrom(0, 1, 3, 17), fc.integer({ min: 1, max: 70 })),
        fc.constantFrom(1, -1, 0.5, 2),
        fc.constantFrom(0, 1, 0.25),
        fc.integer({ min: 0, max: 3 }),
        fc.integer(),
        (dtype, ta, tb, M, N, K, alpha, beta, pad, seed) => {
          const [ar, ac] = ta ? [K, M] : [M, K];
          const [br, bc] = tb ? [N, K] : [K, N];
          const lda = ac + pad;
          const ldb = bc + pad;
          const ldc = N + pad;
          const aOff = pad;
          const av = values(seed, aOff + ar * lda, uniform(-1, 1));
          const bv = values(seed + 1, br * ldb, uniform(-1, 1));
          const cv = values(seed + 2, M * ldc, beta === 0 ? pool([NaN, 1]) : uniform(-1, 1));
          const A = both(dtype, av);
          const B = both(dtype, bv);
          const C = both(dtype, cv);
          loop.gemm(C.l, 0, ldc, A.l, aOff, lda, ta, B.l, 0, ldb, tb, M, N, K, alpha, beta);
          wasm.gemm(C.w, 0, ldc, A.w, aOff, lda, ta, B.w, 0, ldb, tb, M, N, K, alpha, beta);
          // bound per element of C: rtol · (|alpha| Σ_k |a_ik||b_kj| + |beta c_ij|) ≤ rtol · (|alpha| K + |beta|·|c|)
          const rtol = dtype === 'float64' ? 1e-12 : 1e-5;
          const c0 = Array.from(loop.view(put(loop, dtype, cv)));
          compareBuffers(
            C.l,
            C.w,
            dtype,
            { extra: (i) => rtol * (Math.abs(alpha) * K + (beta === 0 ? 0 : Math.abs(beta * c0[i]))) },
            'gemm',
          );
          release(A.w, B.w, C.w);
        },
      ),
      { numRuns: 150 },
    );
  });
});
