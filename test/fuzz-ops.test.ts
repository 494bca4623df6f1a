// Property-based fuzzing of the array API where its views meet: random shapes, dtypes, transposed and
// shifted views of one buffer as operands, and `out` as a fresh array, an operand itself, or an
// overlapping view. Every backend must give NumPy's answer, which is the op computed on copies of
// the operands and then written to `out`; and nothing outside `out` may change.
//
// Expected values come from the loop backend on contiguous copies. Tolerances: element-wise binary
// ops and relu exact; exp, tanh and sigmoid rtol 1e-14 (float64) or 2^-21 (float32, 4 ulp: the wasm
// backend brings its own vector math); gemm and sum |got - want| <= (K + 2)·u·(Σ|terms| + 1), Higham's
// bound for any summation order (u = 2^-53 or 2^-24).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackendName, DType } from '../src/index.js';
import {
  abs,
  add,
  array,
  div,
  exp,
  gemm,
  maximum,
  mul,
  type NDArray,
  relu,
  sigmoid,
  sub,
  sum,
  tanh,
  tidy,
} from '../src/index.js';
import { copy } from '../src/ndarray/index.js';
import { BACKENDS, onBackend } from './helpers/backends.js';
import { FUZZ_SEED, fuzzRuns } from './helpers/fuzz.js';
import { draw } from './helpers/rng.js';

const BINARY = { add, sub, mul, div, maximum } as const;
const UNARY = { exp, tanh, sigmoid, relu } as const;
type BinaryName = keyof typeof BINARY;
type UnaryName = keyof typeof UNARY;

/** Where an operand comes from: the shared buffer (whole, transposed or a window), another array, a scalar. */
type Operand = 'B' | 'BT' | 'O' | 'OT' | 'row' | 'scalar' | { window: number };
/** Where the result goes: a new array, the shared buffer, a window of it, or a fresh array given as out. */
type Out = 'none' | 'B' | 'fresh' | { window: number };

interface Case {
  layout: 'square' | 'row';
  /** square: the buffer is n x n; row: it is 1 x (w + slack), windows are 1 x w */
  n: number;
  w: number;
  slack: number;
  dtype: DType;
  op: { kind: 'binary'; name: BinaryName } | { kind: 'unary'; name: UnaryName } | GemmOp | SumOp;
  a: Operand;
  b: Operand;
  out: Out;
  seed: number;
}
interface GemmOp {
  kind: 'gemm';
  transA: boolean;
  transB: boolean;
  beta: 0 | 1;
}
interface SumOp {
  kind: 'sum';
}

const dtype = fc.constantFrom<DType>('float64', 'float32');
const size = fc.oneof(fc.constantFrom(1, 3, 4, 5, 17), fc.integer({ min: 1, max: 9 }));

const elementwiseOp = fc.oneof(
  fc.record({
    kind: fc.constant('binary' as const),
    name: fc.constantFrom(...(Object.keys(BINARY) as BinaryName[])),
  }),
  fc.record({
    kind: fc.constant('unary' as const),
    name: fc.constantFrom(...(Object.keys(UNARY) as UnaryName[])),
  }),
);

const squareCase: fc.Arbitrary<Case> = fc
  .record({
    n: size,
    dtype,
    op: fc.oneof(
      elementwiseOp,
      fc.record({
        kind: fc.constant('gemm' as const),
        transA: fc.boolean(),
        transB: fc.boolean(),
        beta: fc.constantFrom<0 | 1>(0, 1),
      }),
    ),
    a: fc.constantFrom<Operand>('B', 'BT', 'O', 'OT'),
    b: fc.constantFrom<Operand>('B', 'BT', 'O', 'OT', 'row', 'scalar'),
    out: fc.constantFrom<Out>('none', 'B', 'fresh'),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  })
  .filter((c) => c.op.kind !== 'gemm' || (c.b !== 'row' && c.b !== 'scalar'))
  .filter((c) => !(c.op.kind === 'gemm' && c.op.beta === 1 && c.out === 'none'))
  .map((c) => ({ ...c, layout: 'square' as const, w: c.n, slack: 0 }));

const rowCase: fc.Arbitrary<Case> = fc
  .record({
    w: size,
    slack: fc.integer({ min: 0, max: 5 }),
    dtype,
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  })
  .chain((c) => {
    const window = fc.integer({ min: 0, max: c.slack }).map((s) => ({ window: s }));
    return fc
      .record({
        op: fc.oneof(elementwiseOp, fc.constant({ kind: 'sum' as const })),
        a: fc.oneof(window, fc.constant<Operand>('O')),
        b: fc.oneof(window, fc.constantFrom<Operand>('O', 'scalar')),
        out: fc.oneof(window, fc.constantFrom<Out>('none', 'fresh')),
      })
      .map((r) => ({ ...c, ...r, layout: 'row' as const, n: 1 }));
  });

/** The arrays of a case on one backend: the shared buffer B and the other array O. */
function buffers(c: Case, backend: BackendName) {
  return onBackend(backend, () => {
    const bShape = c.layout === 'square' ? [c.n, c.n] : [1, c.w + c.slack];
    const B = array(draw(c.seed, bShape[0] * bShape[1]), { shape: bShape, dtype: c.dtype });
    const O = array(draw(c.seed + 1, c.n * c.w), { shape: [c.n, c.w], dtype: c.dtype });
    const R = array(draw(c.seed + 2, c.w), { shape: [1, c.w], dtype: c.dtype });
    return { B, O, R };
  });
}

function operand(c: Case, which: Operand, { B, O, R }: ReturnType<typeof buffers>): NDArray | number {
  if (which === 'B') return B;
  if (which === 'BT') return B.T;
  if (which === 'O') return O;
  if (which === 'OT') return O.T;
  if (which === 'row') return R;
  if (which === 'scalar') return 1.5;
  return B.cols(which.window, which.window + c.w);
}

/** The shape an op's result has in a case. */
function resultShape(c: Case): number[] {
  return c.op.kind === 'sum' ? [1, 1] : [c.n, c.w];
}

function outArray(c: Case, arrays: ReturnType<typeof buffers>, backend: BackendName): NDArray | undefined {
  if (c.out === 'none') return undefined;
  if (c.out === 'B') return arrays.B;
  if (c.out === 'fresh') {
    const fill = draw(
      c.seed + 3,
      resultShape(c).reduce((p, d) => p * d, 1),
    );
    return onBackend(backend, () => array(fill, { shape: resultShape(c), dtype: c.dtype }));
  }
  const start = c.out.window;
  return arrays.B.cols(start, start + resultShape(c)[1]);
}

/** Runs the case's op; `copies` computes it on contiguous copies of the operands and without out. */
function apply(c: Case, a: NDArray | number, b: NDArray | number, out: NDArray | undefined): NDArray {
  const x = a as NDArray;
  switch (c.op.kind) {
    case 'binary':
      return BINARY[c.op.name](x, b, out);
    case 'unary':
      return UNARY[c.op.name](x, out);
    case 'sum':
      return sum(x, 1, true, out);
    case 'gemm':
      return gemm(x, b as NDArray, { transA: c.op.transA, transB: c.op.transB, beta: c.op.beta, out });
  }
}

/** |got - want| allowed for element i of a case's result. */
function tolerance(c: Case, want: number, magnitude: number): number {
  const u = c.dtype === 'float64' ? 2 ** -53 : 2 ** -24;
  if (c.op.kind === 'gemm' || c.op.kind === 'sum') {
    const K = c.op.kind === 'sum' ? c.w : c.n;
    return (K + 2) * u * (magnitude + 1);
  }
  if (c.op.kind === 'unary' && c.op.name !== 'relu') {
    return (c.dtype === 'float64' ? 1e-14 : 2 ** -21) * Math.abs(want);
  }
  return 0;
}

/** An upper bound of Σ|terms| for each result element (gemm: Σ_k |a_ik·b_kj| + |c_ij|; sum: Σ|x|). */
function magnitudes(
  c: Case,
  a: NDArray | number,
  b: NDArray | number,
  before: NDArray | undefined,
): number[] {
  if (c.op.kind === 'gemm') {
    const m = gemm(abs(a as NDArray), abs(b as NDArray), { transA: c.op.transA, transB: c.op.transB });
    return Array.from(before && c.op.beta ? add(m, abs(before)).data : m.data);
  }
  if (c.op.kind === 'sum') return [Array.from(abs(copy(a as NDArray)).data).reduce((s, v) => s + v, 0)];
  return [];
}

/** The result and the whole shared buffer after the op, as NumPy gives them. */
function expected(c: Case) {
  return tidy(() => {
    const arrays = buffers(c, 'loop');
    const a = operand(c, c.a, arrays);
    const b = operand(c, c.b, arrays);
    const out = outArray(c, arrays, 'loop');
    const snapshot = (x: NDArray | number) => (typeof x === 'number' ? x : copy(x));
    const before = out ? copy(out) : undefined;
    const ca = snapshot(a);
    const cb = snapshot(b);
    // gemm with beta reads out: give the copy-based computation a copy of out to accumulate into
    const result = onBackend('loop', () =>
      c.op.kind === 'gemm' && c.op.beta === 1 ? apply(c, ca, cb, copy(before!)) : apply(c, ca, cb, undefined),
    );
    const mags = magnitudes(c, ca, cb, before);
    // the shared buffer afterwards: untouched except where out lies in it
    const buffer = Array.from(copy(arrays.B).data);
    if (typeof c.out === 'object') {
      const start = c.out.window;
      result.data.forEach((v, i) => {
        buffer[start + i] = v;
      });
    } else if (c.out === 'B') {
      buffer.splice(0, buffer.length, ...Array.from(result.data));
    }
    return { result: Array.from(result.data), buffer, other: Array.from(arrays.O.data), mags };
  });
}

function describeCase(c: Case): string {
  return JSON.stringify(c);
}

describe('fuzz: ops over views and out on every backend match NumPy semantics', () => {
  for (const [name, arbitrary] of [
    ['square buffers, transposes, gemm', squareCase],
    ['row buffers, shifted windows', rowCase],
  ] as const) {
    it(name, () => {
      fc.assert(
        fc.property(arbitrary, (c) => {
          const want = expected(c);
          for (const backend of BACKENDS) {
            tidy(() => {
              const arrays = buffers(c, backend);
              const out = outArray(c, arrays, backend);
              const got = apply(c, operand(c, c.a, arrays), operand(c, c.b, arrays), out);
              if (out) expect(got).toBe(out);
              const data = Array.from(copy(got).data as Float64Array);
              expect(data.length).toBe(want.result.length);
              data.forEach((g, i) => {
                const w = want.result[i];
                const tol = tolerance(c, w, want.mags[i] ?? 0);
                const ok = Object.is(g, w) || Math.abs(g - w) <= tol;
                if (!ok)
                  expect.fail(
                    `${backend}: element ${i} is ${g}, expected ${w} (tol ${tol}) in ${describeCase(c)}`,
                  );
              });
              // outside out nothing changed; inside it, the result (checked above through `got`)
              const buffer = Array.from(copy(arrays.B).data);
              const inOut = (i: number) =>
                c.out === 'B' ||
                (typeof c.out === 'object' && i >= c.out.window && i < c.out.window + data.length);
              buffer.forEach((v, i) => {
                if (!inOut(i) && !Object.is(v, want.buffer[i])) {
                  expect.fail(
                    `${backend}: buffer element ${i} changed to ${v} from ${want.buffer[i]} in ${describeCase(c)}`,
                  );
                }
              });
              expect(Array.from(arrays.O.data)).toEqual(want.other);
            });
          }
        }),
        { seed: FUZZ_SEED, numRuns: fuzzRuns(1000) },
      );
    });
  }
});
