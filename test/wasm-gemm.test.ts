// GEMM kernels (assembly/gemm.ts) against a naive triple loop in float64, called directly through the
// exports of the release build (build/vecnet.wasm), without the wasm backend around them.
//
// Tolerances: |got - ref| <= rtol * (|alpha| * sum_k |a_ik||b_kj| + |beta * c_ij|) + atol, with rtol = 1e-12
// for f64 and 1e-5 for f32 (the reference reads the f32-rounded inputs and uses f32-rounded alpha/beta,
// as the kernel does); atol = 4 subnormal steps (2^-149 f32, 2^-1074 f64) covers results that underflow,
// e.g. a tiny alpha. Cases built from small integers are exact in both dtypes and compared with ===.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelFn } from '../src/backend/wasm/abi.js';
import { rng } from './helpers/rng.js';

type DType = 'f32' | 'f64';
type GemmFn = KernelFn<'gemm'>;
interface GemmExports {
  gemm_f32: GemmFn;
  gemm_f64: GemmFn;
  gemm_scratch_bytes(): number;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RTOL: Record<DType, number> = { f32: 1e-5, f64: 1e-12 };
const ATOL: Record<DType, number> = { f32: 4 * 2 ** -149, f64: 4 * 2 ** -1074 };
/** Written around and between the rows of C; the kernel must never touch it. */
const SENTINEL = -12345.5;
/** Bytes after the scratch area filled with a byte pattern: a kernel that uses more scratch than it reports would write there. */
const GUARD_BYTES = 1 << 20;
const GUARD_BYTE = 0xa5;

let wasm: GemmExports;
let memory: WebAssembly.Memory;
let scratch = 0;
let heapStart = 0;

beforeAll(async () => {
  const binary = await readFile(path.join(root, 'build', 'vecnet.wasm'));
  memory = new WebAssembly.Memory({ initial: 512 }); // 32 MiB
  const { instance } = await WebAssembly.instantiate(binary, {
    env: {
      memory,
      abort: () => {
        throw new Error('gemm called abort');
      },
    },
  });
  wasm = instance.exports as unknown as GemmExports;
  scratch = 64;
  heapStart = align16(scratch + wasm.gemm_scratch_bytes() + GUARD_BYTES);
});

function align16(n: number): number {
  return (n + 15) & ~15;
}

interface Case {
  dtype: DType;
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  alpha: number;
  beta: number;
  /** extra elements per stored row beyond the logical width */
  padA: number;
  padB: number;
  padC: number;
  /** element offsets from a 16-byte boundary: a, b, c are only element-aligned */
  offA: number;
  offB: number;
  offC: number;
  /** 'int' fills with small integers (exact results), 'real' with uniform [-1, 1) */
  fill: 'int' | 'real';
  /** pre-fill the logical part of C with NaN (only meaningful with beta == 0) */
  nanC: boolean;
  seed: number;
}

interface Outcome {
  got: Float64Array;
  ref: Float64Array;
  bound: Float64Array;
}

/** Lays A, B, C out in wasm memory, runs the kernel, checks that nothing outside C's view moved. */
function run(cs: Case): Outcome {
  const { dtype, M, N, K } = cs;
  const bytes = dtype === 'f32' ? 4 : 8;
  const round = dtype === 'f32' ? Math.fround : (x: number) => x;
  const rand = rng(cs.seed);
  const value = () => (cs.fill === 'int' ? Math.floor(rand() * 9) - 4 : rand() * 2 - 1);

  const [aRows, aCols] = cs.transA ? [K, M] : [M, K];
  const [bRows, bCols] = cs.transB ? [N, K] : [K, N];
  const lda = Math.max(aCols, 1) + cs.padA;
  const ldb = Math.max(bCols, 1) + cs.padB;
  const ldc = Math.max(N, 1) + cs.padC;
  const guard = 4; // sentinel elements before and after C
  const aLen = aRows * lda;
  const bLen = bRows * ldb;
  const cLen = M * ldc + 2 * guard;

  let top = heapStart;
  const place = (len: number, off: number) => {
    const p = align16(top) + off * bytes;
    top = p + len * bytes + 16;
    return p;
  };
  const aPtr = place(aLen, cs.offA);
  const bPtr = place(bLen, cs.offB);
  const cBase = place(cLen, cs.offC);
  const cPtr = cBase + guard * bytes;
  if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));

  const View = dtype === 'f32' ? Float32Array : Float64Array;
  const aView = new View(memory.buffer, aPtr, aLen);
  const bView = new View(memory.buffer, bPtr, bLen);
  const cView = new View(memory.buffer, cBase, cLen);
  for (let i = 0; i < aLen; i++) aView[i] = value();
  for (let i = 0; i < bLen; i++) bView[i] = value();
  cView.fill(SENTINEL);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) cView[guard + i * ldc + j] = cs.nanC ? Number.NaN : value();
  const aBefore = aView.slice();
  const bBefore = bView.slice();
  const cBefore = cView.slice();

  const alpha = round(cs.alpha);
  const beta = round(cs.beta);
  const ref = new Float64Array(M * N);
  const bound = new Float64Array(M * N);
  const aAt = (i: number, k: number) => (cs.transA ? aBefore[k * lda + i] : aBefore[i * lda + k]);
  const bAt = (k: number, j: number) => (cs.transB ? bBefore[j * ldb + k] : bBefore[k * ldb + j]);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let sAbs = 0;
      for (let k = 0; k < K; k++) {
        const p = aAt(i, k) * bAt(k, j);
        s += p;
        sAbs += Math.abs(p);
      }
      const c0 = cBefore[guard + i * ldc + j];
      // BLAS semantics: beta == 0 never reads C; alpha == 0 or K == 0 never reads A or B
      const ab = alpha === 0 ? 0 : alpha * s;
      ref[i * N + j] = beta === 0 ? ab : ab + beta * c0;
      bound[i * N + j] =
        RTOL[dtype] * (Math.abs(alpha) * sAbs + (beta === 0 ? 0 : Math.abs(beta * c0))) + ATOL[dtype];
    }
  }

  const fn = dtype === 'f32' ? wasm.gemm_f32 : wasm.gemm_f64;
  fn(cPtr, ldc, aPtr, lda, +cs.transA, bPtr, ldb, +cs.transB, M, N, K, cs.alpha, cs.beta, scratch);

  // a fresh view: the call does not grow memory, but never trust a view across a call
  const cAfter = new View(memory.buffer, cBase, cLen);
  expect(sameBytes(new View(memory.buffer, aPtr, aLen), aBefore), 'A was modified').toBe(true);
  expect(sameBytes(new View(memory.buffer, bPtr, bLen), bBefore), 'B was modified').toBe(true);
  const got = new Float64Array(M * N);
  for (let x = 0; x < cLen; x++) {
    const r = Math.floor((x - guard) / ldc);
    const j = (x - guard) % ldc;
    const inView = x >= guard && r < M && j < N;
    if (inView) got[r * N + j] = cAfter[x];
    else if (cAfter[x] !== SENTINEL) expect.fail(`C element ${x} outside the ${M}x${N} view was written`);
  }
  return { got, ref, bound };
}

function sameBytes(x: Float32Array | Float64Array, y: Float32Array | Float64Array): boolean {
  return (
    Buffer.compare(
      new Uint8Array(x.buffer, x.byteOffset, x.byteLength),
      new Uint8Array(y.buffer, y.byteOffset, y.byteLength),
    ) === 0
  );
}

function expectWithin({ got, ref, bound }: Outcome, label: string): void {
  for (let x = 0; x < ref.length; x++) {
    const err = Math.abs(got[x] - ref[x]);
    if (!(err <= bound[x])) expect.fail(`${label}: C[${x}] = ${got[x]}, expected ${ref[x]} ± ${bound[x]}`);
  }
}

function expectExact({ got, ref }: Outcome, label: string): void {
  for (let x = 0; x < ref.length; x++) {
    if (!Object.is(got[x], ref[x]) && got[x] !== ref[x]) {
      expect.fail(`${label}: C[${x}] = ${got[x]}, expected exactly ${ref[x]}`);
    }
  }
}

function baseCase(over: Partial<Case>): Case {
  return {
    dtype: 'f32',
    transA: false,
    transB: false,
    M: 4,
    N: 8,
    K: 4,
    alpha: 1,
    beta: 0,
    padA: 0,
    padB: 0,
    padC: 0,
    offA: 0,
    offB: 0,
    offC: 0,
    fill: 'int',
    nanC: false,
    seed: 1,
    ...over,
  };
}

const dtypes: DType[] = ['f32', 'f64'];
const transCombos = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;
const label = (cs: Case) =>
  `${cs.dtype} ${cs.transA ? 'T' : 'N'}${cs.transB ? 'T' : 'N'} M=${cs.M} N=${cs.N} K=${cs.K} ` +
  `alpha=${cs.alpha} beta=${cs.beta} pads=${cs.padA},${cs.padB},${cs.padC} offs=${cs.offA},${cs.offB},${cs.offC}`;

/** The guard area after the scratch, as bytes. */
function guard(): Uint8Array {
  return new Uint8Array(memory.buffer, scratch + wasm.gemm_scratch_bytes(), GUARD_BYTES);
}

/** Offset of the first guard byte the kernels overwrote, or -1. */
function guardBreach(): number {
  return guard().findIndex((b) => b !== GUARD_BYTE);
}

describe('gemm_scratch_bytes', () => {
  it('is a positive multiple of 16', () => {
    const n = wasm.gemm_scratch_bytes();
    expect(n).toBeGreaterThan(0);
    expect(n % 16).toBe(0);
  });

  it('is all the scratch gemm uses: full cache blocks of every path, both dtypes, all transposes', () => {
    for (const dtype of dtypes) {
      for (const [transA, transB] of transCombos) {
        for (const [M, N, K] of [
          [300, 1100, 600], // blocked, several full M, N and K blocks
          [20, 1100, 600], // few rows: B read in place, edge strips packed
          [6, 1100, 600], // B transposed: dot products, op(A) copied per K block
          [1, 1100, 600], // gemv
          [20, 209, 5000], // few rows, long K: four parts of K, the later three in the partial areas
        ]) {
          guard().fill(GUARD_BYTE);
          const cs = baseCase({
            dtype,
            transA,
            transB,
            M,
            N,
            K,
            fill: 'int',
            alpha: 1,
            beta: 0,
            seed: M + N,
          });
          run(cs);
          expect(guardBreach(), label(cs)).toBe(-1);
        }
      }
    }
  });
});

describe.each(dtypes)('gemm_%s against a float64 triple loop', (dtype) => {
  const dim = fc.oneof(
    fc.constantFrom(0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33),
    fc.integer({ min: 0, max: 70 }),
  );
  const scalar = fc.oneof(
    fc.constant(0),
    fc.constant(1),
    fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }),
  );
  const caseArb: fc.Arbitrary<Case> = fc
    .record({
      transA: fc.boolean(),
      transB: fc.boolean(),
      M: dim,
      N: dim,
      K: dim,
      alpha: scalar,
      beta: scalar,
      padA: fc.constantFrom(0, 0, 1, 3, 8),
      padB: fc.constantFrom(0, 0, 1, 3, 8),
      padC: fc.constantFrom(0, 0, 1, 3, 8),
      offA: fc.integer({ min: 0, max: 3 }),
      offB: fc.integer({ min: 0, max: 3 }),
      offC: fc.integer({ min: 0, max: 3 }),
      fill: fc.constantFrom<'int' | 'real'>('int', 'real'),
      nanC: fc.boolean(),
      seed: fc.integer(),
    })
    .map((r) => ({ ...r, dtype, nanC: r.nanC && r.beta === 0 }));

  it('matches for random shapes, transposes, strides, offsets, alpha and beta', () => {
    fc.assert(
      fc.property(caseArb, (cs) => {
        expectWithin(run(cs), label(cs));
      }),
      { numRuns: 300 },
    );
  });

  it('is exact on small-integer data (every index lands where it should)', () => {
    fc.assert(
      fc.property(caseArb, (cs) => {
        const exact = {
          ...cs,
          fill: 'int' as const,
          alpha: cs.alpha === 0 ? 0 : 1,
          beta: cs.beta === 0 ? 0 : 1,
        };
        expectExact(run(exact), label(exact));
      }),
      { numRuns: 150 },
    );
  });
});

describe.each(dtypes)('gemm_%s edge cases (XNNPACK-style, exact)', (dtype) => {
  const NR = dtype === 'f32' ? 8 : 4;
  const MR = 4;
  const KTILE = dtype === 'f32' ? 4 : 2; // the transposing pack works in k-chunks of this size
  const each = (name: string, cases: Partial<Case>[]) =>
    it(name, () => {
      for (const [transA, transB] of transCombos) {
        for (const over of cases) {
          const cs = baseCase({ dtype, transA, transB, ...over });
          expectExact(run(cs), `${name}: ${label(cs)}`);
        }
      }
    });

  each('k_eq_tile', [{ M: MR, N: NR, K: KTILE }]);
  each(
    'k_lt_tile',
    Array.from({ length: KTILE - 1 }, (_, k) => ({ M: MR, N: NR, K: k + 1 })),
  );
  each(
    'k_gt_tile',
    Array.from({ length: KTILE + 3 }, (_, k) => ({ M: MR, N: NR, K: KTILE + 1 + k })),
  );
  each(
    'k_div_tile',
    [2, 3, 5, 16].map((m) => ({ M: MR, N: NR, K: KTILE * m })),
  );
  each(
    'n_gt_tile',
    [1, 2, 3, NR - 1].map((d) => ({ M: MR, N: NR + d, K: 5 })),
  );
  each(
    'n_div_tile',
    [2, 3, 5].map((m) => ({ M: MR, N: NR * m, K: 5 })),
  );
  each(
    'subtile_m',
    Array.from({ length: MR }, (_, m) => ({ M: m + 1, N: NR, K: 7 })),
  );
  each(
    'subtile_n',
    Array.from({ length: NR }, (_, n) => ({ M: MR, N: n + 1, K: 7 })),
  );
  each('subtile_mn', [
    { M: 1, N: 1, K: 1 },
    { M: 3, N: 5, K: 9 },
    { M: 5, N: NR + 1, K: 3 },
    { M: 7, N: 3, K: 17 },
  ]);
  each('strided_a', [{ M: 9, N: 2 * NR + 1, K: 11, padA: 5, offA: 1 }]);
  each('strided_b', [{ M: 9, N: 2 * NR + 1, K: 11, padB: 7, offB: 3 }]);
  each('strided_c', [{ M: 9, N: 2 * NR + 1, K: 11, padC: 3, offC: 1 }]);
  each('beta_one_accumulates', [{ M: 6, N: 11, K: 13, beta: 1 }]);
  each('alpha_and_beta', [{ M: 6, N: 11, K: 13, alpha: 2, beta: -3 }]);

  each(
    'gemv_m1',
    [1, 2, 3, 4, 5, 8, 9, 17, 70].flatMap((K) => [1, 3, 4, 5, 17].map((N) => ({ M: 1, N, K, beta: 1 }))),
  );
  each(
    'gemv_n1',
    [1, 2, 3, 4, 5, 8, 9, 17, 70].flatMap((K) => [1, 3, 4, 5, 17].map((M) => ({ M, N: 1, K, beta: 1 }))),
  );
  each('gemv_strided', [
    { M: 1, N: 9, K: 13, padA: 2, padB: 3, padC: 1, offA: 1, offB: 2, offC: 3, alpha: 2, beta: -1 },
    { M: 9, N: 1, K: 13, padA: 2, padB: 3, padC: 1, offA: 1, offB: 2, offC: 3, alpha: 2, beta: -1 },
  ]);
  each('gemv_chunks', [
    { M: 1, N: 2100, K: 6 },
    { M: 2100, N: 1, K: 6 },
  ]);

  it('gemv with K beyond its vector scratch falls back to the blocked path', () => {
    const K = dtype === 'f32' ? 40_000 : 20_000;
    for (const [transA, transB] of transCombos) {
      for (const [M, N] of [
        [1, 3],
        [3, 1],
      ]) {
        const cs = baseCase({ dtype, transA, transB, M, N, K });
        expectExact(run(cs), label(cs));
      }
    }
  });

  it('beta = 0 overwrites NaN in C exactly (no NaN leaks)', () => {
    for (const [transA, transB] of transCombos) {
      for (const [M, N, K] of [
        [4, NR, 4],
        [5, NR + 3, 9],
        [1, 1, 1],
        [33, 41, 300],
      ]) {
        const cs = baseCase({ dtype, transA, transB, M, N, K, nanC: true });
        const out = run(cs);
        expect(out.got.every(Number.isFinite)).toBe(true);
        expectExact(out, label(cs));
      }
    }
  });

  it('K = 0 gives C = beta * C (zeros, not NaN, when beta = 0)', () => {
    for (const beta of [0, 1, 2.5]) {
      const cs = baseCase({ dtype, M: 5, N: 9, K: 0, beta, nanC: beta === 0, padC: 2 });
      const out = run(cs);
      expectExact(out, label(cs));
      if (beta === 0) expect(out.got.every((v) => Object.is(v, 0))).toBe(true);
    }
  });

  it('alpha = 0 gives C = beta * C without reading A or B', () => {
    const cs = baseCase({ dtype, M: 6, N: 10, K: 7, alpha: 0, beta: 2 });
    expectExact(run(cs), label(cs));
  });

  it('M = 0 or N = 0 writes nothing', () => {
    for (const [M, N] of [
      [0, 5],
      [5, 0],
      [0, 0],
    ]) {
      // run() fails if any C element outside the (empty) view changes
      run(baseCase({ dtype, M, N, K: 3, beta: 0, padC: 4 }));
    }
  });

  it('big and blocked: crosses the K, M and N cache blocks and both B paths, all transposes', () => {
    for (const [transA, transB] of transCombos) {
      for (const [M, N, K] of [
        [130, 257, 300],
        [5, 1100, 20],
        [150, 9, 600],
        [20, 300, 300], // few rows, B's K x N blocks too big to read in place: packed
        [20, 209, 2000], // few rows, B over 256 KB but each block under it: read in place (f32)
        [20, 100, 2000], // the same for f64's wider elements
        [7, 1100, 64], // few rows, B read in place, partial row strip wider than a C block
        [6, 50, 600], // B transposed, few rows: dot products over three K blocks
        [20, 209, 4096], // few rows, long K: four parts of K (B not transposed), added in order
        [7, 61, 5000], // the same with parts of unequal length and an edge strip
      ]) {
        const cs = baseCase({
          dtype,
          transA,
          transB,
          M,
          N,
          K,
          fill: 'real',
          alpha: 0.75,
          beta: -0.5,
          seed: M + N + K,
        });
        expectWithin(run(cs), label(cs));
        const exact = { ...cs, fill: 'int' as const, alpha: 1, beta: 0 };
        expectExact(run(exact), label(exact));
      }
    }
  });
});
