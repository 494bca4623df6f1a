// Parity of the vectorized backend against the loop backend (the oracle), kernel by kernel, at the
// Backend level, for both dtypes.
//
// Tolerances:
// - element-wise kernels (binary, unary, unaryGrad, fill, copy) and max/min/argmax/argmin: exact,
//   compared with Object.is (NaN equals NaN, 0 and -0 differ);
// - gemm and sum: |vectorized - loop| <= tol * Σ|terms|, tol = 1e-12 (float64) or 1e-5 (float32), where
//   Σ|terms| is |alpha| Σ_k |a_ik b_kj| + |beta c_ij| for gemm and Σ_k |x_k| for sum (the two differ only
//   in summation order). Non-finite loop results must be matched exactly.
// Every call writes into a buffer with a margin around the target range, and the whole buffer is
// compared, so writes out of range are caught too.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Backend, Buffer } from '../src/backend/backend.js';
import { LoopBackend } from '../src/backend/loop.js';
import { BinaryOp, ReduceOp, UnaryOp } from '../src/backend/ops.js';
import { VectorizedBackend } from '../src/backend/vectorized/backend.js';
import { DTYPES, type DType } from '../src/core/dtype.js';
import { broadcastStrides, collapseDims, contiguousStrides, sizeOf } from '../src/core/shape.js';

const loop = new LoopBackend();
const vec = new VectorizedBackend();
/** Sends every gemm with M, N >= 4 through packing, so small random shapes test its edges too. */
const vecPacked = new VectorizedBackend({ gemmDirectMax: 0 });

const TOL: Record<DType, number> = { float64: 1e-12, float32: 1e-5 };
const SENTINEL = 12345.5;

const BINARY_OPS = Object.values(BinaryOp).filter((v): v is BinaryOp => typeof v === 'number');
const UNARY_OPS = Object.values(UnaryOp).filter((v): v is UnaryOp => typeof v === 'number');
const REDUCE_OPS = Object.values(ReduceOp).filter((v): v is ReduceOp => typeof v === 'number');

// ---------------------------------------------------------------------------------------------------
// data

/** mulberry32: bulk data comes from a seed, so fast-check only shrinks the shapes and flags. */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIALS = [0, -0, 1, -1, 2, 0.5, -0.5, 3, Number.NaN, Infinity, -Infinity, 1e-300, 700, -700, 1e30];

/**
 * 'any': a mix of specials (NaN, ±0, ±Infinity, overflow bait), small integers (ties, exact compares)
 * and random reals of both signs; 'finite': reals in [-2, 2] and small integers; 'nan': like 'finite'
 * with some NaN and ±Infinity.
 */
type Kind = 'any' | 'finite' | 'nan';

function values(seed: number, n: number, kind: Kind): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (kind === 'any' && u < 0.15) out[i] = SPECIALS[Math.floor(r() * SPECIALS.length)];
    else if (kind === 'nan' && u < 0.05) out[i] = [Number.NaN, Infinity, -Infinity][Math.floor(r() * 3)];
    else if (u < 0.35) out[i] = Math.floor(r() * 7) - 3;
    else out[i] = (r() * 2 - 1) * (kind === 'any' ? 10 : 2);
  }
  return out;
}

/** The same contents as a buffer of each backend. */
function pair(dtype: DType, data: ArrayLike<number>): [Buffer, Buffer] {
  const l = loop.alloc(dtype, data.length);
  const v = vec.alloc(dtype, data.length);
  loop.view(l).set(data);
  vec.view(v).set(data);
  return [l, v];
}

function filled(dtype: DType, n: number, value: number): [Buffer, Buffer] {
  return pair(dtype, new Float64Array(n).fill(value));
}

function expectExact(what: string, want: ArrayLike<number>, got: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(want[i], got[i])) {
      throw new Error(`${what}: element ${i}: loop ${want[i]}, vectorized ${got[i]}`);
    }
  }
}

function expectClose(what: string, want: number, got: number, scale: number, tol: number): void {
  if (!Number.isFinite(want)) {
    if (!Object.is(want, got)) throw new Error(`${what}: loop ${want}, vectorized ${got}`);
  } else if (!(Math.abs(want - got) <= tol * scale)) {
    throw new Error(
      `${what}: loop ${want}, vectorized ${got}, |diff| ${Math.abs(want - got)} > ${tol} * ${scale}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// arbitraries

const dtypeArb = fc.constantFrom<DType>(...DTYPES);
/** Sizes that hit tails of 4- and 8-wide loops, plus anything up to 70. */
const dimArb = fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 15, 16, 17, 64, 65), fc.integer({ min: 1, max: 70 }));
const dim0Arb = fc.oneof(fc.constantFrom(0, 1, 3, 4, 5, 17), fc.integer({ min: 0, max: 70 }));
const offArb = fc.integer({ min: 0, max: 7 });
const seedArb = fc.integer();

/** Halves the largest dimension until the shape holds at most `max` elements. */
function capSize(shape: number[], max: number): number[] {
  const s = shape.slice();
  while (sizeOf(s) > max) {
    const i = s.indexOf(Math.max(...s));
    s[i] = Math.ceil(s[i] / 2);
  }
  return s;
}

/** A permutation of 0..n-1 drawn from `r`. */
function permutation(n: number, r: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Strides of a view of `shape` stored contiguously in the axis order `perm` (a transposed array). */
function permutedStrides(shape: readonly number[], perm: readonly number[]): number[] {
  const stored = contiguousStrides(perm.map((d) => shape[d]));
  const strides = new Array<number>(shape.length);
  perm.forEach((d, i) => {
    strides[d] = stored[i];
  });
  return strides;
}

// ---------------------------------------------------------------------------------------------------
// binary

describe('binary', () => {
  const operandArb = fc.record({
    ones: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), // which dims broadcast
    drop: fc.integer({ min: 0, max: 4 }), // leading dims missing
    transposed: fc.boolean(), // stored in a permuted axis order
    off: offArb,
  });
  const caseArb = fc.record({
    dtype: dtypeArb,
    op: fc.constantFrom(...BINARY_OPS),
    shape: fc.array(dimArb, { minLength: 1, maxLength: 4 }).map((s) => capSize(s, 6000)),
    a: operandArb,
    b: operandArb,
    collapse: fc.boolean(),
    outOff: offArb,
    seed: seedArb,
  });

  it('equals the loop backend bit for bit for every op, broadcast and layout', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = rng(c.seed);
        const rank = c.shape.length;
        const operand = (o: typeof c.a, kind: number) => {
          const drop = Math.min(o.drop, rank);
          const shape = c.shape.slice(drop).map((d, i) => (o.ones[i + drop] ? 1 : d));
          const perm = o.transposed ? permutation(shape.length, r) : shape.map((_, i) => i);
          const strides = permutedStrides(shape, perm);
          const bufs = pair(c.dtype, values(c.seed + kind, o.off + sizeOf(shape), 'any'));
          return { bufs, off: o.off, strides: broadcastStrides(shape, strides, c.shape) };
        };
        const a = operand(c.a, 1);
        const b = operand(c.b, 2);
        let shape = c.shape;
        let aStrides = a.strides;
        let bStrides = b.strides;
        if (c.collapse) {
          const outStrides = contiguousStrides(c.shape);
          const col = collapseDims(c.shape, [outStrides, aStrides, bStrides]);
          shape = col.shape;
          aStrides = col.strides[1];
          bStrides = col.strides[2];
        }
        const out = filled(c.dtype, c.outOff + sizeOf(shape) + 3, SENTINEL);
        [loop, vec].forEach((be: Backend, k) => {
          be.binary(c.op, out[k], c.outOff, a.bufs[k], a.off, aStrides, b.bufs[k], b.off, bStrides, shape);
        });
        expectExact(`${BinaryOp[c.op]} ${c.dtype}`, loop.view(out[0]), vec.view(out[1]));
      }),
      { numRuns: 600 },
    );
  });

  it('covers the fast paths explicitly: same shape, scalar, row and column broadcast', () => {
    const m = 17;
    const n = 67;
    const cases: [number[], number[], number[], number, number][] = [
      // shape, a strides, b strides (after collapsing), a size, b size
      [[m * n], [1], [1], m * n, m * n],
      [[m * n], [1], [0], m * n, 1],
      [[m * n], [0], [1], 1, m * n],
      [[m, n], [n, 1], [0, 1], m * n, n],
      [[m, n], [n, 1], [1, 0], m * n, m],
      [[m, n], [0, 1], [1, 0], n, m], // outer product shape
      [[n, 3], [3, 1], [1, 0], n * 3, n], // short rows: walked by columns
    ];
    for (const dtype of DTYPES) {
      for (const op of BINARY_OPS) {
        for (const [shape, as, bs, an, bn] of cases) {
          const a = pair(dtype, values(op * 7 + 1, an + 2, 'any'));
          const b = pair(dtype, values(op * 7 + 2, bn + 1, 'any'));
          const out = filled(dtype, sizeOf(shape) + 1, SENTINEL);
          [loop, vec].forEach((be: Backend, k) => {
            be.binary(op, out[k], 1, a[k], 2, as, b[k], 1, bs, shape);
          });
          expectExact(`${BinaryOp[op]} ${dtype} ${shape}`, loop.view(out[0]), vec.view(out[1]));
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// unary and unaryGrad

describe('unary and unaryGrad', () => {
  const nArb = fc.oneof(fc.constantFrom(0, 1, 3, 4, 5, 15, 16, 17), fc.integer({ min: 0, max: 300 }));
  const caseArb = fc.record({
    dtype: dtypeArb,
    op: fc.constantFrom(...UNARY_OPS),
    n: nArb,
    xOff: offArb,
    dyOff: offArb,
    outOff: offArb,
    alias: fc.boolean(),
    p0: fc.oneof(fc.constantFrom(0, 0.01, -1, 1), fc.double({ min: -3, max: 3, noNaN: true })),
    width: fc.double({ min: 0, max: 4, noNaN: true }),
    seed: seedArb,
  });

  it('unary equals the loop backend bit for bit (out may alias x)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const p1 = c.p0 + c.width; // clip's high bound; ignored by the other ops
        const x = pair(c.dtype, values(c.seed, c.xOff + c.n + 2, 'any'));
        const out = c.alias ? x : filled(c.dtype, c.outOff + c.n + 2, SENTINEL);
        const outOff = c.alias ? c.xOff : c.outOff;
        [loop, vec].forEach((be: Backend, k) => {
          be.unary(c.op, out[k], outOff, x[k], c.xOff, c.n, c.p0, p1);
        });
        expectExact(`${UnaryOp[c.op]} ${c.dtype}`, loop.view(out[0]), vec.view(out[1]));
      }),
      { numRuns: 400 },
    );
  });

  it('unaryGrad equals the loop backend bit for bit (out may alias dy)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const p1 = c.p0 + c.width;
        const x = pair(c.dtype, values(c.seed, c.xOff + c.n + 2, 'any'));
        const dy = pair(c.dtype, values(c.seed + 1, c.dyOff + c.n + 2, 'any'));
        const out = c.alias ? dy : filled(c.dtype, c.outOff + c.n + 2, SENTINEL);
        const outOff = c.alias ? c.dyOff : c.outOff;
        [loop, vec].forEach((be: Backend, k) => {
          be.unaryGrad(c.op, out[k], outOff, x[k], c.xOff, dy[k], c.dyOff, c.n, c.p0, p1);
        });
        expectExact(`${UnaryOp[c.op]}' ${c.dtype}`, loop.view(out[0]), vec.view(out[1]));
      }),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// reduce

describe('reduce', () => {
  const caseArb = fc.record({
    dtype: dtypeArb,
    op: fc.constantFrom(...REDUCE_OPS),
    outer: fc.oneof(fc.constantFrom(0, 1, 2, 3), fc.integer({ min: 0, max: 9 })),
    len: fc.oneof(
      fc.constantFrom(0, 1, 2, 7, 8, 9, 127, 128, 129, 257, 1000),
      fc.integer({ min: 0, max: 300 }),
    ),
    inner: fc.oneof(fc.constantFrom(1, 2, 7, 8, 9, 511, 512, 513, 1030), fc.integer({ min: 1, max: 40 })),
    kind: fc.constantFrom<Kind>('finite', 'nan', 'any'),
    xOff: offArb,
    outOff: offArb,
    seed: seedArb,
  });

  it('max/min/argmax/argmin equal the loop backend exactly, NaN included; sum to tolerance', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const len = c.op === ReduceOp.Sum ? c.len : Math.max(1, c.len);
        const [outer, , inner] = capSize([c.outer, len, c.inner], 40000);
        const data = values(
          c.seed,
          c.xOff + outer * len * inner,
          c.op === ReduceOp.Sum && c.kind === 'any' ? 'nan' : c.kind,
        );
        const x = pair(c.dtype, data);
        const out = filled(c.dtype, c.outOff + outer * inner + 2, SENTINEL);
        [loop, vec].forEach((be: Backend, k) => {
          be.reduce(c.op, out[k], c.outOff, x[k], c.xOff, outer, len, inner);
        });
        const what = `${ReduceOp[c.op]} ${c.dtype} (${outer},${len},${inner})`;
        const want = loop.view(out[0]);
        const got = vec.view(out[1]);
        if (c.op !== ReduceOp.Sum) {
          expectExact(what, want, got);
          return;
        }
        const xs = loop.view(x[0]);
        for (let i = 0; i < want.length; i++) {
          const inside = i >= c.outOff && i < c.outOff + outer * inner;
          if (!inside) {
            expectExact(`${what} margin`, [want[i]], [got[i]]);
            continue;
          }
          const p = Math.floor((i - c.outOff) / inner);
          const q = (i - c.outOff) % inner;
          let scale = 0;
          for (let k = 0; k < len; k++) scale += Math.abs(xs[c.xOff + (p * len + k) * inner + q]);
          expectClose(`${what} [${p},${q}]`, want[i], got[i], scale, TOL[c.dtype]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// fill and copy

describe('fill and copy', () => {
  it('fill equals the loop backend', () => {
    fc.assert(
      fc.property(dtypeArb, offArb, fc.integer({ min: 0, max: 300 }), fc.double(), (dtype, off, n, value) => {
        const out = filled(dtype, off + n + 3, SENTINEL);
        loop.fill(out[0], off, n, value);
        vec.fill(out[1], off, n, value);
        expectExact(`fill ${dtype}`, loop.view(out[0]), vec.view(out[1]));
      }),
      { numRuns: 200 },
    );
  });

  const caseArb = fc.record({
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
  });

  it('copy of any strided view (permuted, stepped, reversed) equals the loop backend', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = rng(c.seed);
        const rank = c.shape.length;
        const perm = c.transposed ? permutation(rank, r) : c.shape.map((_, i) => i);
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
        const x = pair(c.dtype, values(c.seed, c.xOff + sizeOf(stored) + 1, 'any'));
        const out = filled(c.dtype, c.outOff + sizeOf(c.shape) + 2, SENTINEL);
        [loop, vec].forEach((be: Backend, k) => {
          be.copy(out[k], c.outOff, x[k], off, strides, c.shape);
        });
        expectExact(`copy ${c.dtype} ${c.shape} ${strides}`, loop.view(out[0]), vec.view(out[1]));
      }),
      { numRuns: 300 },
    );
  });

  it('copy of large 2-D and 3-D transposes (the blocked path)', () => {
    for (const dtype of DTYPES) {
      for (const shape of [
        [70, 90],
        [200, 131],
        [3, 65, 66],
      ]) {
        const rank = shape.length;
        const perm = shape.map((_, i) => i);
        [perm[rank - 1], perm[rank - 2]] = [perm[rank - 2], perm[rank - 1]];
        const strides = permutedStrides(shape, perm);
        const x = pair(dtype, values(rank, sizeOf(shape), 'any'));
        const out = filled(dtype, sizeOf(shape), SENTINEL);
        [loop, vec].forEach((be: Backend, k) => {
          be.copy(out[k], 0, x[k], 0, strides, shape);
        });
        expectExact(`copy ${dtype} ${shape}`, loop.view(out[0]), vec.view(out[1]));
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
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

/** Runs one product on the loop backend and `other`, checks C to tolerance and its margins exactly. */
function checkGemm(c: GemmCase, other: Backend = vec): void {
  const { dtype, transA, transB, M, N, K, alpha, beta } = c;
  const lda = (transA ? M : K) + c.padA;
  const ldb = (transB ? K : N) + c.padB;
  const ldc = N + c.padC;
  const a = pair(dtype, values(c.seed, c.aOff + (transA ? K : M) * lda + 1, 'finite'));
  const b = pair(dtype, values(c.seed + 1, c.bOff + (transB ? N : K) * ldb + 1, 'finite'));
  // beta = 0 must overwrite C: prefill it with NaN so any read of it shows
  const cLen = c.cOff + M * ldc + 2;
  const cInit = beta === 0 ? new Float64Array(cLen).fill(Number.NaN) : values(c.seed + 2, cLen, 'finite');
  const cb = pair(dtype, cInit);
  const c0 = loop.view(cb[0]).slice(); // C before, as stored in the dtype
  [loop, other].forEach((be: Backend, k) => {
    be.gemm(cb[k], c.cOff, ldc, a[k], c.aOff, lda, transA, b[k], c.bOff, ldb, transB, M, N, K, alpha, beta);
  });
  const as = loop.view(a[0]);
  const bs = loop.view(b[0]);
  const want = loop.view(cb[0]);
  const got = other.view(cb[1]);
  const what = `gemm ${other === vecPacked ? 'packed ' : ''}${dtype} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} M=${M} N=${N} K=${K} alpha=${alpha} beta=${beta}`;
  for (let idx = 0; idx < cLen; idx++) {
    const rel = idx - c.cOff;
    const i = ldc > 0 ? Math.floor(rel / ldc) : 0;
    const j = rel - i * ldc;
    if (rel < 0 || i >= M || j >= N) {
      expectExact(`${what} margin`, [want[idx]], [got[idx]]);
      continue;
    }
    let scale = beta === 0 ? 0 : Math.abs(beta * c0[idx]);
    for (let p = 0; p < K; p++) {
      const aip = transA ? as[c.aOff + p * lda + i] : as[c.aOff + i * lda + p];
      const bpj = transB ? bs[c.bOff + j * ldb + p] : bs[c.bOff + p * ldb + j];
      scale += Math.abs(alpha * aip * bpj);
    }
    expectClose(`${what} C[${i},${j}]`, want[idx], got[idx], scale, TOL[dtype]);
  }
}

describe('gemm', () => {
  const scalarArb = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: -2, max: 2, noNaN: true }));
  const padArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 }));
  const caseArb: fc.Arbitrary<GemmCase> = fc.record({
    dtype: dtypeArb,
    transA: fc.boolean(),
    transB: fc.boolean(),
    M: dim0Arb,
    N: dim0Arb,
    K: dim0Arb,
    alpha: scalarArb,
    beta: scalarArb,
    padA: padArb,
    padB: padArb,
    padC: padArb,
    aOff: offArb,
    bOff: offArb,
    cOff: offArb,
    seed: seedArb,
  });

  it('matches the loop backend for all transposes, sizes 0..70, strided operands, alpha/beta', () => {
    fc.assert(
      fc.property(caseArb, (c) => checkGemm(c)),
      { numRuns: 400 },
    );
  });

  it('the same through the packed path (tile and panel edges at small sizes)', () => {
    fc.assert(
      fc.property(caseArb, (c) => checkGemm(c, vecPacked)),
      { numRuns: 400 },
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
      it(`large blocked products: ${dtype} ${t}, 130x257x300 beta 0 over NaN, 131x65x290 beta 0.5 (K > KC, M > MC)`, () => {
        checkGemm({ ...base, dtype, transA, transB, M: 130, N: 257, K: 300, alpha: 1, beta: 0 });
        checkGemm({ ...base, dtype, transA, transB, M: 131, N: 65, K: 290, alpha: -0.75, beta: 0.5 });
      });
      it(`wide and tall products: ${dtype} ${t}, N > NC and small M; M > 2 MC and small N`, () => {
        checkGemm({ ...base, dtype, transA, transB, M: 9, N: 1030, K: 21, alpha: 1.5, beta: 0 }, vecPacked);
        checkGemm({ ...base, dtype, transA, transB, M: 260, N: 6, K: 600, alpha: 1, beta: 1 }, vecPacked);
        checkGemm({ ...base, dtype, transA, transB, M: 260, N: 6, K: 600, alpha: 1, beta: 1 });
      });
    }
    it(`the course's small products, direct path: ${dtype}`, () => {
      // W1 X, W2 A1, dZ A^T, W^T dZ of the planar-data network
      checkGemm({ ...base, dtype, transA: false, transB: false, M: 4, N: 400, K: 2, alpha: 1, beta: 0 });
      checkGemm({ ...base, dtype, transA: false, transB: false, M: 1, N: 400, K: 4, alpha: 1, beta: 0 });
      checkGemm({ ...base, dtype, transA: false, transB: true, M: 4, N: 2, K: 400, alpha: 1 / 400, beta: 0 });
      checkGemm({ ...base, dtype, transA: true, transB: false, M: 4, N: 400, K: 1, alpha: 1, beta: 0 });
    });
  }
});
