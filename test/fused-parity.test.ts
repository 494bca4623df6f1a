// Parity of the training step's fused kernels (Backend.biasActivation, activationGradSum, subRowSum,
// axpy, sigmoidOutput, loss) on the vectorized and wasm backends against the loop backend (the oracle), for both
// dtypes, at sizes that hit every SIMD tail (1, 3, 17, and others not a multiple of 2, 4 or 8), with
// offsets, in-place aliasing and a sentinel margin around every output (stray writes are caught).
//
// Tolerances:
// - exact (Object.is, NaN equals NaN) everywhere: Z after the bias add; every gradient dZ (f32 ones
//   too: the wasm kernel computes them in f64 lanes and rounds once, as the loop backend does); A - Y;
//   axpy; and on vectorized also A and the loss (the same formulas, in the same order);
// - A on wasm: relu, leakyRelu, linear exact; tanh and sigmoid (sigmoidOutput's too) as the unary
//   kernels' parity: float64 1e-14 relative (plus 4 subnormal ulps), float32 4 ulp;
// - db = scale·Σ_j dZ: |Δ| <= tol·|scale|·Σ_j|dZ_ij| with tol 1e-13 (float64) or 2^-22 (float32),
//   since backends sum in different orders (the float32 sum is also rounded to float32 before scaling);
// - loss: float64 and float32 input alike, 1e-14 relative on wasm (terms and sum in f64, compensated,
//   the vector exp/log1p within a few ulp of Math's); exact on vectorized; non-finite sums exactly;
// - sigmoidOutput's T = log1p(e^-|z|) and Σ T: as loss for float64 (plus 4 subnormal ulps per term);
//   for float32 wasm computes T in f32 lanes (the loop backend in f64, rounded once), so 2^-20
//   relative, plus 2^-126 per term where e^-|z| underflows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActivationOp, Backend, Buffer } from '../src/backend/backend.js';
import { LoopBackend } from '../src/backend/loop.js';
import { LossOp, UnaryOp } from '../src/backend/ops.js';
import { gradReadsOutput } from '../src/backend/scalar.js';
import { VectorizedBackend } from '../src/backend/vectorized/backend.js';
import { createWasmBackendSync } from '../src/backend/wasm/index.js';
import { DTYPES, type DType } from '../src/core/dtype.js';
import { activationOp } from './helpers/arbitraries.js';

const loop = new LoopBackend();
const others: [string, Backend][] = [
  ['vectorized', new VectorizedBackend()],
  ['wasm', createWasmBackendSync()],
];
const SENTINEL = 12345.5;
const DB_TOL: Record<DType, number> = { float64: 1e-13, float32: 2 ** -22 };
/** sigmoidOutput's T = log1p(e^-|z|) (n = 1) and Σ T (n terms) on wasm (see the header). */
function tailTol(name: string, dtype: DType, n: number): Tol {
  if (name !== 'wasm') return {};
  return dtype === 'float64'
    ? { rtol: 1e-14, atol: n * 4 * 5e-324 }
    : { rtol: 2 ** -20, atol: n * 2 ** -126 };
}

/** mulberry32: the data comes from a seed, so fast-check shrinks only sizes and flags. */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIALS = [0, -0, 1, -1, 0.5, Number.NaN, Infinity, -Infinity, 1e-300, 40, -40, 800, -800];

/** Reals in [-scale, scale], small integers (exact ties, kinks at 0) and, if `special`, NaN/±inf/±0. */
function values(seed: number, n: number, scale: number, special: boolean): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (special && u < 0.08) out[i] = SPECIALS[Math.floor(r() * SPECIALS.length)];
    else if (u < 0.2) out[i] = Math.floor(r() * 5) - 2;
    else out[i] = (r() * 2 - 1) * scale;
  }
  return out;
}

/** `data` with `off` sentinels before it and 3 after, as a buffer of `backend`. */
function put(backend: Backend, dtype: DType, data: ArrayLike<number>, off: number): Buffer {
  const buf = backend.alloc(dtype, off + data.length + 3);
  const v = backend.view(buf);
  v.fill(SENTINEL);
  v.set(data, off);
  return buf;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Distance in units in the last place (across zero). */
function ulps(a: number, b: number, dtype: DType): number {
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

interface Tol {
  rtol?: number;
  atol?: number;
  ulps?: number;
  /** extra absolute tolerance of element i */
  extra?: (i: number) => number;
}

function expectMatch(
  what: string,
  dtype: DType,
  want: ArrayLike<number>,
  got: ArrayLike<number>,
  tol: Tol = {},
) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (Object.is(w, g) || (Number.isNaN(w) && Number.isNaN(g))) continue;
    if (Number.isFinite(w) && Number.isFinite(g)) {
      const bound = (tol.atol ?? 0) + (tol.rtol ?? 0) * Math.abs(w) + (tol.extra?.(i) ?? 0);
      if (Math.abs(w - g) <= bound) continue;
      if (tol.ulps !== undefined && ulps(w, g, dtype) <= tol.ulps) continue;
    }
    expect.fail(`${what} ${dtype} element ${i}: loop ${w}, got ${g} (${ulps(w, g, dtype)} ulp)`);
  }
}

/** Tolerance of A = g(Z) on `name` (see the header). */
function activationTol(name: string, op: ActivationOp, dtype: DType): Tol {
  if (name !== 'wasm' || !gradReadsOutput(op)) return {};
  return dtype === 'float64' ? { rtol: 1e-14, atol: 4 * 5e-324 } : { ulps: 4 };
}

/** Tolerance of the db column: tol·|scale|·Σ_j |dZ_ij| for row i (from the loop's dZ). */
function dbTol(dtype: DType, dz: ArrayLike<number>, off: number, rows: number, cols: number, scale: number) {
  return {
    extra: (i: number) => {
      const row = i - off;
      if (row < 0 || row >= rows) return 0;
      let s = 0;
      for (let j = 0; j < cols; j++) s += Math.abs(dz[off + row * cols + j]);
      return DB_TOL[dtype] * Math.abs(scale) * s;
    },
  };
}

const dtypeArb = fc.constantFrom<DType>(...DTYPES);
/** 1, 3, 17 and friends: every tail of 2-, 4- and 8-element loops, plus random sizes up to 70. */
const dimArb = fc.oneof(
  fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33),
  fc.integer({ min: 1, max: 70 }),
);
const rowsArb = fc.oneof(fc.constantFrom(1, 2, 3, 4, 5), fc.integer({ min: 1, max: 12 }));
const offArb = fc.integer({ min: 0, max: 5 });
const RUNS = 300;

describe.each(others)('fused kernels on %s equal the loop backend', (name, be) => {
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
          slope: fc.constantFrom(0.01, 0.2, 0, -0.5),
          seed: fc.integer(),
        }),
        (c) => {
          const n = c.rows * c.cols;
          const z = values(c.seed, n, 6, c.special);
          const b = values(c.seed + 1, c.rows, 2, c.special);
          const run = (x: Backend) => {
            const Z = put(x, c.dtype, z, c.zOff);
            const A = c.inPlace ? Z : put(x, c.dtype, new Float64Array(n), c.aOff);
            const B = put(x, c.dtype, b, c.bOff);
            const aOff = c.inPlace ? c.zOff : c.aOff;
            x.biasActivation(c.op, Z, c.zOff, A, aOff, B, c.bOff, c.rows, c.cols, c.slope);
            return { Z: x.view(Z).slice(), A: x.view(A).slice(), B: x.view(B).slice() };
          };
          const want = run(loop);
          const got = run(be);
          const what = `${UnaryOp[c.op]} ${c.rows}x${c.cols}${c.inPlace ? ' in place' : ''}`;
          expectMatch(`${what} b`, c.dtype, want.B, got.B);
          if (c.inPlace) expectMatch(`${what} A`, c.dtype, want.A, got.A, activationTol(name, c.op, c.dtype));
          else {
            expectMatch(`${what} Z`, c.dtype, want.Z, got.Z);
            expectMatch(`${what} A`, c.dtype, want.A, got.A, activationTol(name, c.op, c.dtype));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('activationGradSum: dZ exact, db within the summation tolerance; dZ in place of dA too', () => {
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
          slope: fc.constantFrom(0.01, 0.2, 0, -0.5),
          seed: fc.integer(),
        }),
        (c) => {
          const n = c.rows * c.cols;
          // the cache is an activation's output (in (-1, 1) for tanh, (0, 1) for sigmoid) or a Z
          const cache = values(c.seed, n, gradReadsOutput(c.op) ? 1 : 4, c.special);
          if (c.op === UnaryOp.Sigmoid) for (let i = 0; i < n; i++) cache[i] = Math.abs(cache[i]);
          const dy = values(c.seed + 1, n, 3, c.special);
          const scale = 1 / Math.max(c.cols, 1);
          const run = (x: Backend) => {
            const DY = put(x, c.dtype, dy, c.dyOff);
            const DZ = c.inPlace ? DY : put(x, c.dtype, new Float64Array(n), c.dzOff);
            const C = put(x, c.dtype, cache, c.cOff);
            const DB = put(x, c.dtype, new Float64Array(c.rows), c.dbOff);
            const dzOff = c.inPlace ? c.dyOff : c.dzOff;
            x.activationGradSum(
              c.op,
              DZ,
              dzOff,
              DB,
              c.dbOff,
              DY,
              c.dyOff,
              C,
              c.cOff,
              c.rows,
              c.cols,
              scale,
              c.slope,
            );
            return { DZ: x.view(DZ).slice(), DB: x.view(DB).slice(), dzOff };
          };
          const want = run(loop);
          const got = run(be);
          const what = `${UnaryOp[c.op]} ${c.rows}x${c.cols}${c.inPlace ? ' in place' : ''}`;
          expectMatch(`${what} dZ`, c.dtype, want.DZ, got.DZ);
          const tol = dbTol(c.dtype, want.DZ, want.dzOff, c.rows, c.cols, scale);
          expectMatch(`${what} db`, c.dtype, want.DB, got.DB, {
            extra: (i) => tol.extra(i - c.dbOff + want.dzOff),
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('subRowSum: A - Y exact, db within the summation tolerance; in place of A too', () => {
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
          seed: fc.integer(),
        }),
        (c) => {
          const n = c.rows * c.cols;
          const a = values(c.seed, n, 1, c.special);
          const y = values(c.seed + 1, n, 1, false).map((v) => (v > 0 ? 1 : 0));
          const scale = 1 / c.cols;
          const run = (x: Backend) => {
            const A = put(x, c.dtype, a, c.aOff);
            const DZ = c.inPlace ? A : put(x, c.dtype, new Float64Array(n), c.dzOff);
            const Y = put(x, c.dtype, y, c.yOff);
            const DB = put(x, c.dtype, new Float64Array(c.rows), c.dbOff);
            const dzOff = c.inPlace ? c.aOff : c.dzOff;
            x.subRowSum(DZ, dzOff, DB, c.dbOff, A, c.aOff, Y, c.yOff, c.rows, c.cols, scale);
            return { DZ: x.view(DZ).slice(), DB: x.view(DB).slice(), dzOff };
          };
          const want = run(loop);
          const got = run(be);
          expectMatch(`A - Y ${c.rows}x${c.cols}`, c.dtype, want.DZ, got.DZ);
          const tol = dbTol(c.dtype, want.DZ, want.dzOff, c.rows, c.cols, scale);
          expectMatch(`db ${c.rows}x${c.cols}`, c.dtype, want.DB, got.DB, {
            extra: (i) => tol.extra(i - c.dbOff + want.dzOff),
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
          n: fc.oneof(dimArb, fc.integer({ min: 0, max: 300 })),
          yOff: offArb,
          xOff: offArb,
          alpha: fc.oneof(
            fc.constantFrom(-1.2, -0.0075, 0.1, -1 / 3, 0),
            fc.double({ min: -10, max: 10, noNaN: true }),
          ),
          special: fc.boolean(),
          seed: fc.integer(),
        }),
        (c) => {
          const y = values(c.seed, c.n, 3, c.special);
          const x = values(c.seed + 1, c.n, 3, c.special);
          const run = (be_: Backend) => {
            const Y = put(be_, c.dtype, y, c.yOff);
            const X = put(be_, c.dtype, x, c.xOff);
            be_.axpy(Y, c.yOff, X, c.xOff, c.n, c.alpha);
            return { Y: be_.view(Y).slice(), X: be_.view(X).slice() };
          };
          const want = run(loop);
          const got = run(be);
          expectMatch(`axpy n=${c.n}`, c.dtype, want.Y, got.Y);
          expectMatch(`axpy x n=${c.n}`, c.dtype, want.X, got.X);
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
          seed: fc.integer(),
        }),
        (c) => {
          const n = c.rows * c.cols;
          const z = values(c.seed, n, c.scale, c.special);
          const b = values(c.seed + 1, c.rows, 2, c.special);
          const run = (x: Backend) => {
            const Z = put(x, c.dtype, z, c.zOff);
            const A = put(x, c.dtype, new Float64Array(n), c.aOff);
            const T = put(x, c.dtype, new Float64Array(n), c.tOff);
            const B = put(x, c.dtype, b, c.bOff);
            const sum = x.sigmoidOutput(Z, c.zOff, A, c.aOff, T, c.tOff, B, c.bOff, c.rows, c.cols);
            return { Z: x.view(Z).slice(), A: x.view(A).slice(), T: x.view(T).slice(), sum };
          };
          const want = run(loop);
          const got = run(be);
          const what = `sigmoidOutput ${c.rows}x${c.cols}`;
          expectMatch(`${what} Z`, c.dtype, want.Z, got.Z);
          expectMatch(`${what} A`, c.dtype, want.A, got.A, activationTol(name, UnaryOp.Sigmoid, c.dtype));
          expectMatch(`${what} T`, c.dtype, want.T, got.T, tailTol(name, c.dtype, 1));
          expectMatch(`${what} sum`, 'float64', [want.sum], [got.sum], tailTol(name, c.dtype, n));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('loss: the cross-entropy’s linear part and squared error within 1e-14 relative (exact on vectorized)', () => {
    fc.assert(
      fc.property(
        fc.record({
          dtype: dtypeArb,
          op: fc.constantFrom(LossOp.CrossEntropyLinear, LossOp.SquaredError),
          n: fc.oneof(dimArb, fc.integer({ min: 0, max: 3000 })),
          aOff: offArb,
          yOff: offArb,
          scale: fc.constantFrom(1, 10, 40),
          labels: fc.boolean(),
          special: fc.boolean(),
          seed: fc.integer(),
        }),
        (c) => {
          const a = values(c.seed, c.n, c.scale, c.special);
          const y = values(c.seed + 1, c.n, 1, false).map((v) => (c.labels ? (v > 0 ? 1 : 0) : Math.abs(v)));
          const run = (x: Backend) =>
            x.loss(c.op, put(x, c.dtype, a, c.aOff), c.aOff, put(x, c.dtype, y, c.yOff), c.yOff, c.n);
          const want = run(loop);
          const got = run(be);
          const rtol = name === 'wasm' ? 1e-14 : 0;
          expectMatch(`${LossOp[c.op]} n=${c.n}`, 'float64', [want], [got], { rtol });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the cross-entropy keeps a confident prediction’s cost (where log(1 + e^-40) rounds to 0)', () => {
    for (const dtype of DTYPES) {
      // σ(40) rounds to 1, but the cost of predicting y = 1 there is e^-40 ≈ 4.2e-18, not 0
      const cost = (x: Backend, z: number[], y: number[]) => {
        const Z = put(x, dtype, z, 0);
        const A = put(x, dtype, z, 0);
        const tail = x.sigmoidOutput(
          Z,
          0,
          A,
          0,
          put(x, dtype, z, 0),
          0,
          put(x, dtype, [0], 0),
          0,
          1,
          z.length,
        );
        return tail + x.loss(LossOp.CrossEntropyLinear, Z, 0, put(x, dtype, y, 0), 0, z.length);
      };
      // float32 stores the term as a float32 (every backend), so it is float32-accurate
      expect(cost(be, [40], [1]) / Math.exp(-40), dtype).toBeCloseTo(1, dtype === 'float32' ? 6 : 14);
      const f32 = name === 'wasm' && dtype === 'float32';
      const z = [40, -40, 700, -745, 0, 1e-300, 36.7];
      const y = [1, 0, 1, 0, 1, 1, 1];
      const want = cost(loop, z, y);
      expect(Math.abs(cost(be, z, y) - want) / want, dtype).toBeLessThan(f32 ? 2 ** -20 : 1e-14);
    }
  });
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
