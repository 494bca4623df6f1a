// Parity of every Backend kernel on the vectorized and wasm backends against the loop backend (the
// oracle): one harness, run per engine, for both dtypes, on random shapes, layouts and offsets with
// the sizes that hit every SIMD and tile tail (0, 1, 3, 17, and others not a multiple of 2, 4 or 8).
// Every output buffer has a sentinel margin and is compared whole, so stray writes are caught too.
//
// Tolerances (w the loop's result, g the engine's; exact = Object.is, NaN matching NaN):
// - vectorized: exact for every element-wise and fused kernel (the same formulas as the loop, inlined
//   in the same order); gemm and sum to the summation bound below (blocked or pairwise order).
// - wasm, where it computes with its own vector math instead of Math:
//   - f64 exp, log, tanh, sigmoid: rtol 1e-14 (subnormal results: 4 subnormal ulps); f32: 4 ulp;
//   - gradients of tanh and sigmoid: f64 rtol 1e-12, f32 8 ulp, plus 1e-15·|dy| absolute: the loop's
//     dy·(1 - t²) and dy·s·(1 - s) cancel for large |x| (their own error); sigmoid's kernel computes
//     the same s·(1 - s) (the course's formula) with s in T lanes, so in f32 the absolute term is
//     2^-23·|dy| (the loop rounds s in f64, a float32 NumPy and the kernel in f32);
//     exp's gradient: f64 rtol 1e-14, f32 1 ulp; f32 sqrt's gradient: 2 ulp; pow: f64 rtol 1e-15,
//     f32 1 ulp;
//   - the fused kernels' A = g(Z) as the unary kernels; sigmoidOutput's T = log1p(e^-|z|) and Σ T:
//     f64 as loss, f32 2^-20 relative plus 2^-126 per term (T in f32 lanes); loss rtol 1e-14;
//   - everything else exact.
// - sum: |g - w| <= 1e-13·Σ|x| along the reduced axis, plus 1 ulp of the result in f32 (both round
//   an f64 sum once); gemm: |g - w| <= max(K·u, floor)·(|alpha|·Σ_k|a_ik·b_kj| + |beta·c_ij|), Higham's
//   bound for any summation order (u = 2^-53 or 2^-24; floor 1e-12 or 1e-5), plus 4 subnormal steps for
//   results that underflow (alpha and beta are rounded to float32 first); the fused db = scale·Σ dZ:
//   1e-13 (f64) or 2^-22 (f32) of |scale|·Σ_j|dZ_ij|.

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivationOp, Backend, Buffer } from '../src/backend/backend.js';
import { LoopBackend } from '../src/backend/loop.js';
import { BinaryOp, LossOp, OptimizerOp, ReduceOp, UnaryOp } from '../src/backend/ops.js';
import { gradReadsOutput, lossFn } from '../src/backend/scalar.js';
import { VectorizedBackend } from '../src/backend/vectorized/index.js';
import { createWasmBackendSync } from '../src/backend/wasm/index.js';
import { DTYPES, type DType } from '../src/core/dtype.js';
import { broadcastStrides, collapseDims, contiguousStrides, sizeOf } from '../src/core/shape.js';
import { activationOp } from './helpers/arbitraries.js';
import { expectMatch, type Tol } from './helpers/match.js';
import { draw, type Gen, oneOf, permutation, rng, uniform, withSpecials } from './helpers/rng.js';

/** A backend under test and whether it brings its own vector math for exp, log, tanh and sigmoid. */
interface Engine {
  name: string;
  backend: Backend;
  ownMath: boolean;
}

const loop = new LoopBackend();
const ENGINES: Engine[] = [
  { name: 'vectorized', backend: new VectorizedBackend(), ownMath: false },
  { name: 'wasm', backend: createWasmBackendSync(), ownMath: true },
];
/** Sends every product with M, N >= 4 through packing, so small random shapes test its edges too. */
const PACKED: Engine = {
  name: 'vectorized, every gemm packed',
  backend: new VectorizedBackend({ gemmDirectMax: 0 }),
  ownMath: false,
};

const SENTINEL = 12345.5;
const EDGE_SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 100];
const BINARY_OPS = Object.values(BinaryOp).filter((v): v is BinaryOp => typeof v === 'number');
const UNARY_OPS = Object.values(UnaryOp).filter((v): v is UnaryOp => typeof v === 'number');
const REDUCE_OPS = Object.values(ReduceOp).filter((v): v is ReduceOp => typeof v === 'number');

const dtypeArb = fc.constantFrom<DType>(...DTYPES);
const offArb = fc.integer({ min: 0, max: 5 });
const sizeArb = fc.oneof(fc.constantFrom(...EDGE_SIZES), fc.integer({ min: 0, max: 300 }));
const seedArb = fc.integer();

/** Buffers allocated since the last `freeAll`, so the wasm heap does not fill up over many runs. */
const allocated: [Backend, Buffer][] = [];

function freeAll(): void {
  for (const [backend, buf] of allocated) backend.free(buf);
  allocated.length = 0;
}

afterEach(freeAll);

/** `data` with `off` sentinels before it and 3 after, as a buffer of `backend`. */
function put(backend: Backend, dtype: DType, data: ArrayLike<number>, off = 0): Buffer {
  const buf = backend.alloc(dtype, off + data.length + 3);
  allocated.push([backend, buf]);
  const v = backend.view(buf);
  v.fill(SENTINEL);
  v.set(data, off);
  return buf;
}

/** A buffer of `n` sentinels. */
const blank = (backend: Backend, dtype: DType, n: number) => put(backend, dtype, new Float64Array(n));

/** Runs `run` on the loop backend and on `engine` (each with buffers of its own), compares the results. */
function compare<T extends Record<string, ArrayLike<number>>>(
  engine: Engine,
  dtype: DType,
  what: string,
  run: (backend: Backend) => T,
  tols: Partial<Record<keyof T, Tol>> = {},
): T {
  const want = run(loop);
  const got = run(engine.backend);
  freeAll();
  for (const key of Object.keys(want)) expectMatch(`${what} ${key}`, dtype, want[key], got[key], tols[key]);
  return want;
}

/** A copy of the buffer's elements (the wasm view is invalidated by the next allocation). */
const read = (backend: Backend, buf: Buffer) => backend.view(buf).slice();

/** Strides of a view of `shape` stored contiguously in the axis order `perm` (a transposed array). */
function permutedStrides(shape: readonly number[], perm: readonly number[]): number[] {
  const stored = contiguousStrides(perm.map((d) => shape[d]));
  const strides = new Array<number>(shape.length);
  perm.forEach((d, i) => {
    strides[d] = stored[i];
  });
  return strides;
}

/** Halves the largest dimension until the shape holds at most `max` elements. */
function capSize(shape: number[], max: number): number[] {
  const s = shape.slice();
  while (sizeOf(s) > max) {
    const i = s.indexOf(Math.max(...s));
    s[i] = Math.ceil(s[i] / 2);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------
// data and tolerances per op

const SPECIALS = [0, -0, 1, -1, Infinity, -Infinity, Number.NaN, 1e30, -1e-30, 2.5, 700, -700, 1e-300];
const SATURATING = [0, -0, 800, -800, Infinity, -Infinity, NaN, 1e-300, -1e-300, 20, -20, 100, -100, 30, -30];

function binaryGen(op: BinaryOp, side: 'a' | 'b'): Gen {
  if (op === BinaryOp.Pow) {
    return side === 'a'
      ? withSpecials(uniform(0, 4), [0, -0, 1, -1, -2, 0.5, Infinity, NaN, -Infinity])
      : withSpecials(uniform(-3, 3), [0, -0, 1, 2, 3, -1, 0.5, Infinity, -Infinity, NaN]);
  }
  // comparisons and max/min: many ties and signed zeros
  if (op >= BinaryOp.Maximum) return withSpecials(oneOf([-2, -1, -0, 0, 0.5, 1, 2]), SPECIALS, 0.2);
  return withSpecials(uniform(-10, 10), SPECIALS, 0.15);
}

function binaryTol(e: Engine, op: BinaryOp, dtype: DType): Tol {
  if (!e.ownMath || op !== BinaryOp.Pow) return {};
  return dtype === 'float64' ? { rtol: 1e-15 } : { ulps: 1 };
}

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

const TRANSCENDENTAL = new Set([UnaryOp.Exp, UnaryOp.Log, UnaryOp.Tanh, UnaryOp.Sigmoid]);

function unaryTol(e: Engine, op: UnaryOp, dtype: DType): Tol {
  if (!e.ownMath || !TRANSCENDENTAL.has(op)) return {};
  return dtype === 'float64' ? { rtol: 1e-14, atol: 4 * 5e-324 } : { ulps: 4 };
}

function unaryGradTol(e: Engine, op: UnaryOp, dtype: DType, dy: ArrayLike<number>): Tol {
  if (!e.ownMath) return {};
  if (op === UnaryOp.Exp) return dtype === 'float64' ? { rtol: 1e-14, atol: 4 * 5e-324 } : { ulps: 1 };
  if (op === UnaryOp.Tanh || op === UnaryOp.Sigmoid) {
    // sigmoid' is the course's s·(1 - s): in float32 lanes, 1 - s carries s's rounding (2^-24)
    const floor = op === UnaryOp.Sigmoid && dtype === 'float32' ? 2 ** -23 : 1e-15;
    const extra = (i: number) => floor * Math.abs(dy[i] ?? 0);
    return dtype === 'float64' ? { rtol: 1e-12, atol: 4 * 5e-324, extra } : { ulps: 8, extra };
  }
  if (op === UnaryOp.Sqrt && dtype === 'float32') return { ulps: 2 };
  return {};
}

/** The sum bound: 1e-13 of Σ|x| along each reduced column, plus 1 ulp of the result in float32. */
function sumTol(
  dtype: DType,
  x: ArrayLike<number>,
  xOff: number,
  outOff: number,
  len: number,
  inner: number,
  count: number,
): Tol {
  return {
    ulps: dtype === 'float32' ? 1 : undefined,
    extra: (i) => {
      const j = i - outOff;
      if (j < 0 || j >= count) return 0;
      const p = Math.floor(j / inner);
      const q = j % inner;
      let s = 0;
      for (let k = 0; k < len; k++) s += Math.abs(x[xOff + (p * len + k) * inner + q]);
      return 1e-13 * s;
    },
  };
}

describe.each(ENGINES)('$name equals the loop backend', (engine) => {
  // -------------------------------------------------------------------------------------------------
  // binary

  describe('binary', () => {
    const operandArb = fc.record({
      ones: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), // which dims broadcast
      drop: fc.integer({ min: 0, max: 4 }), // leading dims missing
      transposed: fc.boolean(), // stored in a permuted axis order
      off: offArb,
    });
    const dimArb = fc.oneof(
      fc.constantFrom(1, 2, 3, 4, 5, 15, 16, 17, 64, 65),
      fc.integer({ min: 1, max: 70 }),
    );

    it('every op, broadcast and layout up to rank 4, collapsed or not, with offsets', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            op: fc.constantFrom(...BINARY_OPS),
            shape: fc.array(dimArb, { minLength: 1, maxLength: 4 }).map((s) => capSize(s, 6000)),
            a: operandArb,
            b: operandArb,
            collapse: fc.boolean(),
            outOff: offArb,
            seed: seedArb,
          }),
          (c) => {
            const rank = c.shape.length;
            const r = rng(c.seed);
            const operand = (o: typeof c.a, side: 'a' | 'b') => {
              const drop = Math.min(o.drop, rank);
              const shape = c.shape.slice(drop).map((d, i) => (o.ones[i + drop] ? 1 : d));
              const perm = o.transposed ? permutation(shape.length, r) : shape.map((_, i) => i);
              const data = draw(c.seed + (side === 'a' ? 1 : 2), sizeOf(shape), binaryGen(c.op, side));
              return {
                data,
                off: o.off,
                strides: broadcastStrides(shape, permutedStrides(shape, perm), c.shape),
              };
            };
            const a = operand(c.a, 'a');
            const b = operand(c.b, 'b');
            let shape = c.shape;
            let [as, bs] = [a.strides, b.strides];
            if (c.collapse) {
              const col = collapseDims(c.shape, [contiguousStrides(c.shape), as, bs]);
              [shape, as, bs] = [col.shape, col.strides[1], col.strides[2]];
            }
            compare(
              engine,
              c.dtype,
              `${BinaryOp[c.op]} ${shape}`,
              (be) => {
                const out = blank(be, c.dtype, c.outOff + sizeOf(shape));
                const A = put(be, c.dtype, a.data, a.off);
                const B = put(be, c.dtype, b.data, b.off);
                be.binary(c.op, out, c.outOff, A, a.off, as, B, b.off, bs, shape);
                return { out: read(be, out) };
              },
              { out: binaryTol(engine, c.op, c.dtype) },
            );
          },
        ),
        { numRuns: 500 },
      );
    });

    it('the fast paths: same shape, scalars, row and column broadcasts, short rows, in place', () => {
      const [m, n] = [17, 67];
      const cases: [number[], number[], number[], number, number][] = [
        // shape, a strides, b strides (collapsed), a size, b size
        [[m * n], [1], [1], m * n, m * n],
        [[m * n], [1], [0], m * n, 1],
        [[m * n], [0], [1], 1, m * n],
        [[m, n], [n, 1], [0, 1], m * n, n],
        [[m, n], [n, 1], [1, 0], m * n, m], // the bias add Z + b
        [[m, n], [0, 1], [1, 0], n, m], // outer product shape
        [[n, 3], [3, 1], [1, 0], n * 3, n], // short rows
        [[20, 12288], [12288, 1], [1, 0], 20 * 12288, 20], // the cat net's first layer
      ];
      for (const dtype of DTYPES) {
        for (const op of BINARY_OPS) {
          for (const [shape, as, bs, an, bn] of cases) {
            const a = draw(op * 7 + 1, an, binaryGen(op, 'a'));
            const b = draw(op * 7 + 2, bn, binaryGen(op, 'b'));
            const tol = binaryTol(engine, op, dtype);
            compare(
              engine,
              dtype,
              `${BinaryOp[op]} ${shape}`,
              (be) => {
                const out = blank(be, dtype, 1 + sizeOf(shape));
                be.binary(op, out, 1, put(be, dtype, a, 2), 2, as, put(be, dtype, b, 1), 1, bs, shape);
                return { out: read(be, out) };
              },
              { out: tol },
            );
            if (an === sizeOf(shape)) {
              // in place: out is a
              compare(
                engine,
                dtype,
                `${BinaryOp[op]} ${shape} in place`,
                (be) => {
                  const A = put(be, dtype, a, 2);
                  be.binary(op, A, 2, A, 2, as, put(be, dtype, b, 1), 1, bs, shape);
                  return { a: read(be, A) };
                },
                { a: tol },
              );
            }
          }
        }
      }
    });
  });

  // -------------------------------------------------------------------------------------------------
  // unary and unaryGrad

  describe('unary and unaryGrad', () => {
    const paramsArb = fc.record({
      slope: fc.constantFrom(0.01, 0.2, 0, 1, -0.5, 0.1 + 1e-9),
      lo: fc.double({ min: -1.5, max: 0, noNaN: true }),
      width: fc.double({ min: 0, max: 2, noNaN: true }),
    });
    for (const op of UNARY_OPS) {
      it(`${UnaryOp[op]} and its gradient: random n, offsets, out apart or in place`, () => {
        fc.assert(
          fc.property(
            dtypeArb,
            sizeArb,
            offArb,
            offArb,
            fc.boolean(),
            paramsArb,
            seedArb,
            (dtype, n, xOff, outOff, inPlace, prm, seed) => {
              const p0 = op === UnaryOp.LeakyRelu ? prm.slope : prm.lo;
              const p1 = prm.lo + prm.width;
              const x = draw(seed, n, unaryGen(op, dtype, p0, p1));
              const dy = draw(seed + 7, n, withSpecials(uniform(-3, 3), [0, -0, 1e30, 1e-30]));
              compare(
                engine,
                dtype,
                `${UnaryOp[op]}${inPlace ? ' in place' : ''} n=${n}`,
                (be) => {
                  const X = put(be, dtype, x, xOff);
                  const out = inPlace ? X : blank(be, dtype, outOff + n);
                  be.unary(op, out, inPlace ? xOff : outOff, X, xOff, n, p0, p1);
                  return { out: read(be, out) };
                },
                { out: unaryTol(engine, op, dtype) },
              );
              const dyStored = read(loop, put(loop, dtype, dy, outOff));
              compare(
                engine,
                dtype,
                `${UnaryOp[op]}'${inPlace ? ' in place' : ''} n=${n}`,
                (be) => {
                  const X = put(be, dtype, x, xOff);
                  const DY = put(be, dtype, dy, outOff);
                  const out = inPlace ? DY : blank(be, dtype, outOff + n);
                  be.unaryGrad(op, out, outOff, X, xOff, DY, outOff, n, p0, p1);
                  return { out: read(be, out) };
                },
                { out: unaryGradTol(engine, op, dtype, dyStored) },
              );
            },
          ),
          { numRuns: 60 },
        );
      });
    }

    it('saturates: sigmoid(±800) is exactly 1 / 0, tanh(±inf) = ±1, exp(-inf) = 0, never NaN', () => {
      const be = engine.backend;
      for (const dtype of DTYPES) {
        const x = [800, -800, Infinity, -Infinity, 1e308, -1e308, 0, -0];
        const X = put(be, dtype, x);
        const O = blank(be, dtype, x.length);
        const run = (op: UnaryOp) => {
          be.unary(op, O, 0, X, 0, x.length, 0, 0);
          return Array.from(be.view(O)).slice(0, x.length);
        };
        expect(run(UnaryOp.Sigmoid)).toEqual([1, 0, 1, 0, 1, 0, 0.5, 0.5]);
        const t = run(UnaryOp.Tanh);
        expect(t).toEqual([1, -1, 1, -1, 1, -1, 0, -0]);
        expect(Object.is(t[7], -0)).toBe(true);
        expect(run(UnaryOp.Exp)).toEqual([Infinity, 0, Infinity, 0, Infinity, 0, 1, 1]);
        const dy = put(be, dtype, new Array(x.length).fill(1));
        for (const op of [UnaryOp.Sigmoid, UnaryOp.Tanh]) {
          be.unaryGrad(op, O, 0, X, 0, dy, 0, x.length, 0, 0);
          const g = Array.from(be.view(O)).slice(0, x.length);
          expect(g.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
          expect(g.slice(6)).toEqual(op === UnaryOp.Sigmoid ? [0.25, 0.25] : [1, 1]);
        }
      }
    });

    it('float64 exp, log, tanh and sigmoid stay within 1e-14 of Math on 20,000 points each', () => {
      const be = engine.backend;
      const n = 20000;
      const x = draw(42, n, (r) => (r() - 0.5) * 1400);
      const pos = x.map((v) => Math.exp(v / 2));
      const check = (op: UnaryOp, inputs: Float64Array, f: (v: number) => number) => {
        const O = blank(be, 'float64', n);
        be.unary(op, O, 0, put(be, 'float64', inputs), 0, n, 0, 0);
        const got = be.view(O);
        let worst = 0;
        for (let i = 0; i < n; i++) {
          const want = f(inputs[i]);
          if (Math.abs(want) < 1e-300) continue;
          worst = Math.max(worst, Math.abs(got[i] - want) / Math.abs(want));
        }
        expect(worst, UnaryOp[op]).toBeLessThanOrEqual(1e-14);
      };
      check(UnaryOp.Exp, x, Math.exp);
      check(UnaryOp.Log, pos, Math.log);
      check(UnaryOp.Tanh, x, Math.tanh);
      check(UnaryOp.Sigmoid, x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
    });
  });

  // -------------------------------------------------------------------------------------------------
  // reduce

  describe('reduce', () => {
    it('every op over random (outer, len, inner): max/min/arg* exact with ties, ±0 and NaN; sum to its bound', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            op: fc.constantFrom(...REDUCE_OPS),
            outer: fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.integer({ min: 0, max: 9 })),
            len: fc.oneof(
              fc.constantFrom(0, 1, 2, 7, 8, 9, 127, 128, 129, 257, 1000),
              fc.integer({ min: 0, max: 300 }),
            ),
            inner: fc.oneof(
              fc.constantFrom(1, 2, 7, 8, 9, 17, 511, 512, 513, 1030),
              fc.integer({ min: 1, max: 40 }),
            ),
            kind: fc.constantFrom('numbers', 'ties', 'specials'),
            xOff: offArb,
            outOff: offArb,
            seed: seedArb,
          }),
          (c) => {
            const len = c.op === ReduceOp.Sum ? c.len : Math.max(1, c.len);
            const [outer, , inner] = capSize([c.outer, len, c.inner], 40000);
            const gen =
              c.kind === 'numbers'
                ? uniform(-100, 100)
                : c.kind === 'ties'
                  ? oneOf([-0, 0, 1, 1, -1, 3, 3, -3])
                  : withSpecials(oneOf([-0, 0, 1, -1, 2]), [NaN, Infinity, -Infinity], 0.05);
            const x = draw(c.seed, outer * len * inner, gen);
            const xStored = read(loop, put(loop, c.dtype, x, c.xOff));
            const tol =
              c.op === ReduceOp.Sum
                ? sumTol(c.dtype, xStored, c.xOff, c.outOff, len, inner, outer * inner)
                : {};
            compare(
              engine,
              c.dtype,
              `${ReduceOp[c.op]} (${outer},${len},${inner})`,
              (be) => {
                const out = blank(be, c.dtype, c.outOff + outer * inner);
                be.reduce(c.op, out, c.outOff, put(be, c.dtype, x, c.xOff), c.xOff, outer, len, inner);
                return { out: read(be, out) };
              },
              { out: tol },
            );
          },
        ),
        { numRuns: 400 },
      );
    });

    it('a sum of 10^6 float32 values is within 1e-6 relative of the exact sum', () => {
      const be = engine.backend;
      const n = 1_000_000;
      const x = Float32Array.from(draw(3, n, uniform(0, 1)));
      let sum = 0; // Neumaier's compensated sum in f64: exact to far below 1e-6 here
      let comp = 0;
      for (const v of x) {
        const t = sum + v;
        comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
        sum = t;
      }
      const exact = sum + comp;
      const O = blank(be, 'float32', 1);
      be.reduce(ReduceOp.Sum, O, 0, put(be, 'float32', x), 0, 1, n, 1);
      expect(Math.abs(be.view(O)[0] - exact) / exact).toBeLessThan(1e-6);
    });
  });

  // -------------------------------------------------------------------------------------------------
  // fill and copy

  describe('fill and copy', () => {
    it('fill: random n, offset and value (-0, NaN, huge)', () => {
      fc.assert(
        fc.property(
          dtypeArb,
          sizeArb,
          offArb,
          fc.oneof(fc.double(), fc.constantFrom(0.1, -0, NaN, Infinity, 1e300)),
          (dtype, n, off, value) => {
            compare(engine, dtype, `fill n=${n}`, (be) => {
              const out = blank(be, dtype, off + n);
              be.fill(out, off, n, value);
              return { out: read(be, out) };
            });
          },
        ),
        { numRuns: 200 },
      );
    });

    it('copy of any strided view (permuted, stepped, reversed) up to rank 4', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            shape: fc
              .array(fc.oneof(fc.constantFrom(0, 1, 2, 3, 33, 64, 70), fc.integer({ min: 1, max: 40 })), {
                minLength: 0,
                maxLength: 4,
              })
              .map((s) => capSize(s, 20000)),
            steps: fc.array(fc.constantFrom(1, 1, 2, -1, -2), { minLength: 4, maxLength: 4 }),
            transposed: fc.boolean(),
            xOff: offArb,
            outOff: offArb,
            seed: seedArb,
          }),
          (c) => {
            const rank = c.shape.length;
            const perm = c.transposed ? permutation(rank, rng(c.seed)) : c.shape.map((_, i) => i);
            // the view takes every |step|-th element of a larger stored array, backwards when step < 0
            const stored = c.shape.map((d, i) => d * Math.abs(c.steps[i]));
            const base = permutedStrides(stored, perm);
            let off = c.xOff;
            const strides = c.shape.map((d, i) => {
              const s = base[i] * Math.abs(c.steps[i]);
              if (c.steps[i] > 0) return s;
              off += (d - 1) * s;
              return -s;
            });
            const x = draw(c.seed, sizeOf(stored) + 1, withSpecials(uniform(-9, 9), SPECIALS));
            compare(engine, c.dtype, `copy ${c.shape} ${strides}`, (be) => {
              const out = blank(be, c.dtype, c.outOff + sizeOf(c.shape));
              be.copy(out, c.outOff, put(be, c.dtype, x, c.xOff), off, strides, c.shape);
              return { out: read(be, out) };
            });
          },
        ),
        { numRuns: 300 },
      );
    });

    it('copy of large 2-D and 3-D transposes (the tiled path)', () => {
      for (const dtype of DTYPES) {
        for (const shape of [
          [129, 77],
          [70, 90],
          [200, 131],
          [3, 65, 66],
        ]) {
          const rank = shape.length;
          const perm = shape.map((_, i) => i);
          [perm[rank - 1], perm[rank - 2]] = [perm[rank - 2], perm[rank - 1]];
          const strides = permutedStrides(shape, perm);
          const x = draw(rank, sizeOf(shape), uniform(-1, 1));
          compare(engine, dtype, `copy ${shape}`, (be) => {
            const out = blank(be, dtype, sizeOf(shape));
            be.copy(out, 0, put(be, dtype, x), 0, strides, shape);
            return { out: read(be, out) };
          });
        }
      }
    });
  });

  // -------------------------------------------------------------------------------------------------
  // the fused training kernels

  describe('fused kernels', () => {
    const DB_TOL: Record<DType, number> = { float64: 1e-13, float32: 2 ** -22 };
    const FUSED_SPECIALS = [0, -0, 1, -1, 0.5, Number.NaN, Infinity, -Infinity, 1e-300, 40, -40, 800, -800];
    /** Reals in [-scale, scale], small integers (exact ties, kinks at 0) and, if `special`, NaN/±inf/±0. */
    const fusedGen = (scale: number, special: boolean): Gen =>
      withSpecials(
        (r) => (r() < 0.15 ? Math.floor(r() * 5) - 2 : (r() * 2 - 1) * scale),
        FUSED_SPECIALS,
        special ? 0.08 : 0,
      );
    const dimArb = fc.oneof(
      fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33),
      fc.integer({ min: 1, max: 70 }),
    );
    const rowsArb = fc.oneof(fc.constantFrom(1, 2, 3, 4, 5), fc.integer({ min: 1, max: 12 }));
    const slopeArb = fc.constantFrom(0.01, 0.2, 0, -0.5);
    const RUNS = 300;

    /** A = g(Z) on this engine. */
    const activationTol = (op: ActivationOp, dtype: DType): Tol =>
      engine.ownMath && gradReadsOutput(op) ? unaryTol(engine, UnaryOp.Sigmoid, dtype) : {};
    /** sigmoidOutput's T (n = 1) and Σ T (n terms). */
    const tailTol = (dtype: DType, n: number): Tol =>
      !engine.ownMath
        ? {}
        : dtype === 'float64'
          ? { rtol: 1e-14, atol: n * 4 * 5e-324 }
          : { rtol: 2 ** -20, atol: n * 2 ** -126 };
    /** db at dbOff + i: DB_TOL·|scale|·Σ_j|dZ_ij| of the loop's dZ at dzOff. */
    const dbTol = (
      dtype: DType,
      dz: ArrayLike<number>,
      dzOff: number,
      dbOff: number,
      rows: number,
      cols: number,
      scale: number,
    ): Tol => ({
      extra: (i) => {
        const row = i - dbOff;
        if (row < 0 || row >= rows) return 0;
        let s = 0;
        for (let j = 0; j < cols; j++) s += Math.abs(dz[dzOff + row * cols + j]);
        return DB_TOL[dtype] * Math.abs(scale) * s;
      },
    });

    it('biasActivation: Z exact, A per activation; in place (A = Z) too', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            op: activationOp,
            rows: rowsArb,
            cols: dimArb,
            zOff: offArb,
            aOff: offArb,
            bOff: offArb,
            inPlace: fc.boolean(),
            special: fc.boolean(),
            slope: slopeArb,
            seed: seedArb,
          }),
          (c) => {
            const n = c.rows * c.cols;
            const z = draw(c.seed, n, fusedGen(6, c.special));
            const b = draw(c.seed + 1, c.rows, fusedGen(2, c.special));
            const aTol = activationTol(c.op, c.dtype);
            compare(
              engine,
              c.dtype,
              `${UnaryOp[c.op]} ${c.rows}x${c.cols}${c.inPlace ? ' in place' : ''}`,
              (be) => {
                const Z = put(be, c.dtype, z, c.zOff);
                const A = c.inPlace ? Z : blank(be, c.dtype, c.aOff + n);
                const B = put(be, c.dtype, b, c.bOff);
                be.biasActivation(
                  c.op,
                  Z,
                  c.zOff,
                  A,
                  c.inPlace ? c.zOff : c.aOff,
                  B,
                  c.bOff,
                  c.rows,
                  c.cols,
                  c.slope,
                );
                const out: Record<string, ArrayLike<number>> = { A: read(be, A), b: read(be, B) };
                if (!c.inPlace) out.Z = read(be, Z);
                return out;
              },
              { A: aTol },
            );
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('activationGradSum: dZ exact, db within the summation bound; dZ in place of dA too', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            op: activationOp,
            rows: rowsArb,
            cols: fc.oneof(dimArb, fc.constant(0)),
            dzOff: offArb,
            dyOff: offArb,
            cOff: offArb,
            dbOff: offArb,
            inPlace: fc.boolean(),
            special: fc.boolean(),
            slope: slopeArb,
            seed: seedArb,
          }),
          (c) => {
            const n = c.rows * c.cols;
            // the cache is an activation's output (in (-1, 1) for tanh, (0, 1) for sigmoid) or a Z
            const cache = draw(c.seed, n, fusedGen(gradReadsOutput(c.op) ? 1 : 4, c.special));
            if (c.op === UnaryOp.Sigmoid) for (let i = 0; i < n; i++) cache[i] = Math.abs(cache[i]);
            const dy = draw(c.seed + 1, n, fusedGen(3, c.special));
            const scale = 1 / Math.max(c.cols, 1);
            const dzOff = c.inPlace ? c.dyOff : c.dzOff;
            const run = (be: Backend) => {
              const DY = put(be, c.dtype, dy, c.dyOff);
              const DZ = c.inPlace ? DY : blank(be, c.dtype, c.dzOff + n);
              const DB = blank(be, c.dtype, c.dbOff + c.rows);
              be.activationGradSum(
                c.op,
                DZ,
                dzOff,
                DB,
                c.dbOff,
                DY,
                c.dyOff,
                put(be, c.dtype, cache, c.cOff),
                c.cOff,
                c.rows,
                c.cols,
                scale,
                c.slope,
              );
              return { dZ: read(be, DZ), db: read(be, DB) };
            };
            const want = run(loop);
            const what = `${UnaryOp[c.op]} ${c.rows}x${c.cols}${c.inPlace ? ' in place' : ''}`;
            compare(engine, c.dtype, what, run, {
              db: dbTol(c.dtype, want.dZ, dzOff, c.dbOff, c.rows, c.cols, scale),
            });
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('subRowSum: A - Y exact, db within the summation bound; in place of A too', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            rows: rowsArb,
            cols: dimArb,
            dzOff: offArb,
            aOff: offArb,
            yOff: offArb,
            dbOff: offArb,
            inPlace: fc.boolean(),
            special: fc.boolean(),
            seed: seedArb,
          }),
          (c) => {
            const n = c.rows * c.cols;
            const a = draw(c.seed, n, fusedGen(1, c.special));
            const y = draw(c.seed + 1, n, oneOf([0, 1]));
            const scale = 1 / c.cols;
            const dzOff = c.inPlace ? c.aOff : c.dzOff;
            const run = (be: Backend) => {
              const A = put(be, c.dtype, a, c.aOff);
              const DZ = c.inPlace ? A : blank(be, c.dtype, c.dzOff + n);
              const DB = blank(be, c.dtype, c.dbOff + c.rows);
              be.subRowSum(
                DZ,
                dzOff,
                DB,
                c.dbOff,
                A,
                c.aOff,
                put(be, c.dtype, y, c.yOff),
                c.yOff,
                c.rows,
                c.cols,
                scale,
              );
              return { dZ: read(be, DZ), db: read(be, DB) };
            };
            const want = run(loop);
            compare(engine, c.dtype, `A - Y ${c.rows}x${c.cols}`, run, {
              db: dbTol(c.dtype, want.dZ, dzOff, c.dbOff, c.rows, c.cols, scale),
            });
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('axpy: exact, with alpha rounded to float32 for float32 arrays', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            n: sizeArb,
            yOff: offArb,
            xOff: offArb,
            alpha: fc.oneof(
              fc.constantFrom(-1.2, -0.0075, 0.1, -1 / 3, 0),
              fc.double({ min: -10, max: 10, noNaN: true }),
            ),
            special: fc.boolean(),
            seed: seedArb,
          }),
          (c) => {
            const y = draw(c.seed, c.n, fusedGen(3, c.special));
            const x = draw(c.seed + 1, c.n, fusedGen(3, c.special));
            compare(engine, c.dtype, `axpy n=${c.n}`, (be) => {
              const Y = put(be, c.dtype, y, c.yOff);
              const X = put(be, c.dtype, x, c.xOff);
              be.axpy(Y, c.yOff, X, c.xOff, c.n, c.alpha);
              return { y: read(be, Y), x: read(be, X) };
            });
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('sigmoidOutput: Z exact; A, T = log1p(e^-|z|) and the returned Σ T within tolerance', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            rows: rowsArb,
            cols: dimArb,
            zOff: offArb,
            aOff: offArb,
            tOff: offArb,
            bOff: offArb,
            scale: fc.constantFrom(1, 10, 40),
            special: fc.boolean(),
            seed: seedArb,
          }),
          (c) => {
            const n = c.rows * c.cols;
            const z = draw(c.seed, n, fusedGen(c.scale, c.special));
            const b = draw(c.seed + 1, c.rows, fusedGen(2, c.special));
            compare(
              engine,
              c.dtype,
              `sigmoidOutput ${c.rows}x${c.cols}`,
              (be) => {
                const Z = put(be, c.dtype, z, c.zOff);
                const A = blank(be, c.dtype, c.aOff + n);
                const T = blank(be, c.dtype, c.tOff + n);
                const sum = be.sigmoidOutput(
                  Z,
                  c.zOff,
                  A,
                  c.aOff,
                  T,
                  c.tOff,
                  put(be, c.dtype, b, c.bOff),
                  c.bOff,
                  c.rows,
                  c.cols,
                );
                return { Z: read(be, Z), A: read(be, A), T: read(be, T), sum: [sum] };
              },
              {
                A: activationTol(UnaryOp.Sigmoid, c.dtype),
                T: tailTol(c.dtype, 1),
                sum: tailTol(c.dtype, n),
              },
            );
          },
        ),
        { numRuns: RUNS },
      );
    });

    // The wasm loss adds 16 vectors of terms plainly before each compensated step (assembly/fused.ts):
    // its error is within 16·2^-53 of Σ|terms|, which only shows where terms of both signs cancel
    // (SoftmaxLinear's -z·y); the other losses' terms are never negative.
    it('loss: every LossOp within 1e-14 relative plus 16·2^-53·Σ|terms| (exact on vectorized)', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            op: fc.constantFrom(
              LossOp.CrossEntropyLinear,
              LossOp.SquaredError,
              LossOp.Square,
              LossOp.SoftmaxLinear,
            ),
            n: fc.oneof(dimArb, fc.integer({ min: 0, max: 3000 })),
            aOff: offArb,
            yOff: offArb,
            scale: fc.constantFrom(1, 10, 40),
            labels: fc.boolean(),
            special: fc.boolean(),
            seed: seedArb,
          }),
          (c) => {
            const a = draw(c.seed, c.n, fusedGen(c.scale, c.special));
            const y = draw(c.seed + 1, c.n, c.labels ? oneOf([0, 1]) : uniform(0, 1));
            const term = lossFn(c.op);
            let absSum = 0;
            for (let i = 0; i < c.n; i++) absSum += Math.abs(term(a[i], y[i]));
            compare(
              engine,
              'float64',
              `${LossOp[c.op]} ${c.dtype} n=${c.n}`,
              (be) => ({
                loss: [
                  be.loss(
                    c.op,
                    put(be, c.dtype, a, c.aOff),
                    c.aOff,
                    put(be, c.dtype, y, c.yOff),
                    c.yOff,
                    c.n,
                  ),
                ],
              }),
              { loss: engine.ownMath ? { rtol: 1e-14, atol: 16 * 2 ** -53 * absSum } : { rtol: 0 } },
            );
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('optimizerStep: every rule exact on both dtypes (each operation rounded to the dtype)', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            op: fc.constantFrom(OptimizerOp.Momentum, OptimizerOp.RMSprop, OptimizerOp.Adam),
            n: sizeArb,
            offs: fc.tuple(offArb, offArb, offArb, offArb),
            lr: fc.constantFrom(0.0007, 0.01, 0.1, 1),
            beta1: fc.constantFrom(0, 0.9, 0.5),
            beta2: fc.constantFrom(0.999, 0.9),
            eps: fc.constantFrom(1e-8, 1e-2),
            t: fc.integer({ min: 1, max: 50 }),
            special: fc.boolean(),
            seed: seedArb,
          }),
          (c) => {
            const [wOff, gOff, vOff, sOff] = c.offs;
            const w = draw(c.seed, c.n, fusedGen(3, c.special));
            const g = draw(c.seed + 1, c.n, fusedGen(2, c.special));
            const v = draw(c.seed + 2, c.n, fusedGen(1, false));
            const sq = draw(c.seed + 3, c.n, uniform(0, 2));
            const c1 = 1 - c.beta1 ** c.t;
            const c2 = 1 - c.beta2 ** c.t;
            compare(engine, c.dtype, `${OptimizerOp[c.op]} n=${c.n}`, (be) => {
              const W = put(be, c.dtype, w, wOff);
              const V = put(be, c.dtype, v, vOff);
              const S = put(be, c.dtype, sq, sOff);
              const G = put(be, c.dtype, g, gOff);
              be.optimizerStep(
                c.op,
                W,
                wOff,
                G,
                gOff,
                V,
                vOff,
                S,
                sOff,
                c.n,
                c.lr,
                c.beta1,
                c.beta2,
                c.eps,
                c1,
                c2,
              );
              return { w: read(be, W), v: read(be, V), s: read(be, S), g: read(be, G) };
            });
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('gatherColumns: exact, batch blocks of any size, strided rows', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            rows: rowsArb,
            m: dimArb,
            size: fc.integer({ min: 1, max: 40 }),
            pad: fc.integer({ min: 0, max: 3 }),
            outOff: offArb,
            seed: seedArb,
          }),
          (c) => {
            const ld = c.m + c.pad;
            const x = draw(c.seed, c.rows * ld, fusedGen(3, false));
            const order = permutation(c.m, rng(c.seed));
            const want = compare(engine, c.dtype, `gather ${c.rows}x${c.m} by ${c.size}`, (be) => {
              const X = put(be, c.dtype, x, 1);
              const out = blank(be, c.dtype, c.outOff + c.rows * c.m);
              const idx = put(
                be,
                'float64',
                order.map((j) => 1 + j),
              );
              be.gatherColumns(out, c.outOff, X, 0, idx, 0, c.rows, ld, c.m, c.size);
              return { out: read(be, out) };
            });
            // the loop reference itself: batch k's block holds rows of its columns, in order
            const round = c.dtype === 'float32' ? Math.fround : (v: number) => v;
            for (let first = 0; first < c.m; first += c.size) {
              const width = Math.min(c.size, c.m - first);
              for (let i = 0; i < c.rows; i++) {
                for (let j = 0; j < width; j++) {
                  const got = want.out[c.outOff + first * c.rows + i * width + j];
                  expect(Object.is(got, round(x[i * ld + order[first + j]]))).toBe(true);
                }
              }
            }
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('softmaxOutput: Z exact; A and Σ log Σ e^z within 1e-14 relative (f32 A: 1 ulp)', () => {
      fc.assert(
        fc.property(
          fc.record({
            dtype: dtypeArb,
            rows: rowsArb,
            cols: dimArb,
            zOff: offArb,
            aOff: offArb,
            bOff: offArb,
            scale: fc.constantFrom(1, 10, 40, 400),
            seed: seedArb,
          }),
          (c) => {
            const n = c.rows * c.cols;
            const z = draw(c.seed, n, fusedGen(c.scale, false));
            const b = draw(c.seed + 1, c.rows, fusedGen(2, false));
            const own = engine.ownMath;
            compare(
              engine,
              c.dtype,
              `softmaxOutput ${c.rows}x${c.cols}`,
              (be) => {
                const Z = put(be, c.dtype, z, c.zOff);
                const A = blank(be, c.dtype, c.aOff + n);
                const B = put(be, c.dtype, b, c.bOff);
                const lse = be.softmaxOutput(Z, c.zOff, A, c.aOff, B, c.bOff, c.rows, c.cols);
                return { Z: read(be, Z), A: read(be, A), lse: [lse] };
              },
              {
                A: own ? (c.dtype === 'float32' ? { ulps: 1 } : { rtol: 1e-14, atol: 1e-300 }) : undefined,
                lse: { rtol: own ? 1e-14 : 0, atol: own ? 1e-14 * c.cols : 0 },
              },
            );
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('the cross-entropy keeps a confident prediction’s cost (where log(1 + e^-40) rounds to 0)', () => {
      for (const dtype of DTYPES) {
        // σ(40) rounds to 1, but the cost of predicting y = 1 there is e^-40 ≈ 4.2e-18, not 0
        const cost = (be: Backend, z: number[], y: number[]) => {
          const Z = put(be, dtype, z);
          const tail = be.sigmoidOutput(
            Z,
            0,
            put(be, dtype, z),
            0,
            put(be, dtype, z),
            0,
            put(be, dtype, [0]),
            0,
            1,
            z.length,
          );
          return tail + be.loss(LossOp.CrossEntropyLinear, Z, 0, put(be, dtype, y), 0, z.length);
        };
        // float32 stores the term as a float32 (every backend), so it is float32-accurate
        expect(cost(engine.backend, [40], [1]) / Math.exp(-40), dtype).toBeCloseTo(
          1,
          dtype === 'float32' ? 6 : 14,
        );
        const z = [40, -40, 700, -745, 0, 1e-300, 36.7];
        const y = [1, 0, 1, 0, 1, 1, 1];
        const want = cost(loop, z, y);
        const bound = engine.ownMath && dtype === 'float32' ? 2 ** -20 : 1e-14;
        expect(Math.abs(cost(engine.backend, z, y) - want) / want, dtype).toBeLessThan(bound);
      }
    });
  });
});

// -----------------------------------------------------------------------------------------------------
// gemm

interface GemmCase {
  dtype: DType;
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  alpha: number;
  beta: number;
  padA: number;
  padB: number;
  padC: number;
  aOff: number;
  bOff: number;
  cOff: number;
  seed: number;
}

/** One product on the loop backend and `engine`: C to Higham's bound, its margins exactly. */
function checkGemm(engine: Engine, c: GemmCase): void {
  const { dtype, transA, transB, M, N, K, alpha, beta } = c;
  const lda = (transA ? M : K) + c.padA;
  const ldb = (transB ? K : N) + c.padB;
  const ldc = N + c.padC;
  const a = draw(c.seed, (transA ? K : M) * lda, withSpecials(uniform(-1, 1), [0, 1, -1, 0.5]));
  const b = draw(c.seed + 1, (transB ? N : K) * ldb, withSpecials(uniform(-1, 1), [0, 1, -1, 0.5]));
  // beta = 0 must overwrite C: prefill it with NaN so any read of it shows
  const cLen = M * ldc;
  const c0 = beta === 0 ? new Float64Array(cLen).fill(Number.NaN) : draw(c.seed + 2, cLen, uniform(-1, 1));
  const stored = (data: Float64Array, off: number) => read(loop, put(loop, dtype, data, off));
  const [as, bs, cs] = [stored(a, c.aOff), stored(b, c.bOff), stored(c0, c.cOff)];
  const u = dtype === 'float64' ? 2 ** -53 : 2 ** -24;
  const rel = Math.max(K * u, dtype === 'float64' ? 1e-12 : 1e-5);
  const extra = (idx: number) => {
    const r = idx - c.cOff;
    const i = Math.floor(r / ldc);
    const j = r - i * ldc;
    if (r < 0 || i >= M || j >= N) return 0;
    let scale = beta === 0 ? 0 : Math.abs(beta * cs[idx]);
    for (let p = 0; p < K; p++) {
      const aip = transA ? as[c.aOff + p * lda + i] : as[c.aOff + i * lda + p];
      const bpj = transB ? bs[c.bOff + j * ldb + p] : bs[c.bOff + p * ldb + j];
      scale += Math.abs(alpha * aip * bpj);
    }
    return rel * scale;
  };
  const what = `gemm ${dtype} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} M=${M} N=${N} K=${K} alpha=${alpha} beta=${beta}`;
  compare(
    engine,
    dtype,
    what,
    (be) => {
      const C = put(be, dtype, c0, c.cOff);
      be.gemm(
        C,
        c.cOff,
        ldc,
        put(be, dtype, a, c.aOff),
        c.aOff,
        lda,
        transA,
        put(be, dtype, b, c.bOff),
        c.bOff,
        ldb,
        transB,
        M,
        N,
        K,
        alpha,
        beta,
      );
      return { C: read(be, C) };
    },
    { C: { extra, atol: 4 * (dtype === 'float64' ? 2 ** -1074 : 2 ** -149) } },
  );
}

describe.each([...ENGINES, PACKED])('gemm on $name equals the loop backend', (engine) => {
  const dimArb = fc.oneof(fc.constantFrom(0, 1, 3, 4, 5, 8, 9, 17), fc.integer({ min: 0, max: 70 }));
  const scalarArb = fc.oneof(fc.constantFrom(0, 1, -1, 0.5, 2), fc.double({ min: -2, max: 2, noNaN: true }));
  const padArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 }));
  const caseArb: fc.Arbitrary<GemmCase> = fc.record({
    dtype: dtypeArb,
    transA: fc.boolean(),
    transB: fc.boolean(),
    M: dimArb,
    N: dimArb,
    K: dimArb,
    alpha: scalarArb,
    beta: fc.oneof(fc.constantFrom(0, 1, 0.25), scalarArb),
    padA: padArb,
    padB: padArb,
    padC: padArb,
    aOff: offArb,
    bOff: offArb,
    cOff: offArb,
    seed: seedArb,
  });

  it('all transposes, sizes 0..70, padded leading dimensions, offsets, alpha and beta', () => {
    fc.assert(
      fc.property(caseArb, (c) => checkGemm(engine, c)),
      { numRuns: 300 },
    );
  });

  const base = { padA: 3, padB: 1, padC: 2, aOff: 1, bOff: 2, cOff: 3, seed: 7 };
  for (const dtype of DTYPES) {
    for (const [transA, transB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ]) {
      const t = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
      it(`blocked products: ${dtype} ${t}, K > KC, M > MC, N > NC, tall and wide`, () => {
        checkGemm(engine, { ...base, dtype, transA, transB, M: 130, N: 257, K: 300, alpha: 1, beta: 0 });
        checkGemm(engine, { ...base, dtype, transA, transB, M: 131, N: 65, K: 290, alpha: -0.75, beta: 0.5 });
        checkGemm(engine, { ...base, dtype, transA, transB, M: 9, N: 1030, K: 21, alpha: 1.5, beta: 0 });
        checkGemm(engine, { ...base, dtype, transA, transB, M: 260, N: 6, K: 600, alpha: 1, beta: 1 });
      });
    }
    it(`the course's products: ${dtype}`, () => {
      // the planar net: W1·X, W2·A1, dZ·Aᵀ, Wᵀ·dZ; the cat net's small layers
      checkGemm(engine, {
        ...base,
        dtype,
        transA: false,
        transB: false,
        M: 4,
        N: 400,
        K: 2,
        alpha: 1,
        beta: 0,
      });
      checkGemm(engine, {
        ...base,
        dtype,
        transA: false,
        transB: false,
        M: 1,
        N: 400,
        K: 4,
        alpha: 1,
        beta: 0,
      });
      checkGemm(engine, {
        ...base,
        dtype,
        transA: false,
        transB: true,
        M: 4,
        N: 2,
        K: 400,
        alpha: 1 / 400,
        beta: 0,
      });
      checkGemm(engine, {
        ...base,
        dtype,
        transA: true,
        transB: false,
        M: 4,
        N: 400,
        K: 1,
        alpha: 1,
        beta: 0,
      });
      checkGemm(engine, {
        ...base,
        dtype,
        transA: false,
        transB: false,
        M: 7,
        N: 209,
        K: 20,
        alpha: 1,
        beta: 0,
      });
      checkGemm(engine, {
        ...base,
        dtype,
        transA: true,
        transB: false,
        M: 20,
        N: 209,
        K: 7,
        alpha: 1,
        beta: 0,
      });
    });
  }
});

describe('the loop reference', () => {
  it('computes the course formulas', () => {
    const buf = (d: number[]) => put(loop, 'float64', d, 0);
    // tanh layer: Z = [[0.5, -1]] + 0.25, A = tanh(Z); dZ = dA·(1 - A²); db = mean over the row
    const Z = buf([0.5, -1]);
    const A = buf([0, 0]);
    loop.biasActivation(UnaryOp.Tanh, Z, 0, A, 0, buf([0.25]), 0, 1, 2, 0);
    expect([...loop.view(Z).slice(0, 2)]).toEqual([0.75, -0.75]);
    expect([...loop.view(A).slice(0, 2)]).toEqual([Math.tanh(0.75), Math.tanh(-0.75)]);
    const dZ = buf([0, 0]);
    const db = buf([0]);
    loop.activationGradSum(UnaryOp.Tanh, dZ, 0, db, 0, buf([1, 2]), 0, A, 0, 1, 2, 0.5, 0);
    const t = Math.tanh(0.75);
    expect([...loop.view(dZ).slice(0, 2)]).toEqual([1 - t * t, 2 * (1 - t * t)]);
    expect(loop.view(db)[0]).toBe((1 - t * t + 2 * (1 - t * t)) * 0.5);
    // W -= lr·dW as NumPy rounds it
    const W = buf([0.1, 0.2]);
    loop.axpy(W, 0, buf([0.3, -0.7]), 0, 2, -1.2);
    expect([...loop.view(W).slice(0, 2)]).toEqual([0.1 - 1.2 * 0.3, 0.2 - 1.2 * -0.7]);
  });
});
