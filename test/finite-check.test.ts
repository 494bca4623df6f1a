// The finite check of fit's inputs (checkFinite in src/nn/validate.ts) on every backend: the wasm
// backend tests contiguous runs in SIMD (assembly/finite.ts, 64-byte blocks, a scalar tail), the
// others loop over the elements. Property: for random shapes (sizes around the block: 1, 3, 17, 31,
// 33, …), layouts (C order, a transposed view, a column slice) and dtypes, with NaN, +Infinity or
// -Infinity planted at random places or none, every backend reports the same first position in
// row-major order and the same value as the loop backend. Exact comparison: positions are integers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { array, type DType, type NDArray } from '../src/index.js';
import { checkFinite } from '../src/nn/validate.js';
import { BACKENDS, onBackend } from './helpers/backends.js';

const size = fc.oneof(fc.constantFrom(1, 3, 15, 16, 17, 31, 32, 33, 65), fc.integer({ min: 1, max: 90 }));

const caseArb = fc.record({
  rows: size,
  cols: size,
  dtype: fc.constantFrom<DType>('float32', 'float64'),
  layout: fc.constantFrom('c', 'transposed', 'slice'),
  planted: fc.array(
    fc.record({
      at: fc.nat(),
      value: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    }),
    { maxLength: 3 },
  ),
});

type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

/** The (rows, cols) view the case describes, values 0..1 with the planted ones, on the current backend. */
function build(c: Case): NDArray {
  // storage holds the view's elements plus, for the slice layout, two extra columns the check must not read
  const storedCols = c.layout === 'slice' ? c.cols + 2 : c.cols;
  const [sr, sc] = c.layout === 'transposed' ? [storedCols, c.rows] : [c.rows, storedCols];
  const values = new Float64Array(sr * sc).map((_, i) => (i % 7) / 7);
  const stored = array(values, { shape: [sr, sc], dtype: c.dtype });
  if (c.layout === 'slice') {
    // infinities outside the view: ignored
    for (let i = 0; i < c.rows; i++) stored.set([i, c.cols + 1], Number.NaN);
  }
  const view = c.layout === 'transposed' ? stored.T : c.layout === 'slice' ? stored.cols(0, c.cols) : stored;
  for (const p of c.planted) {
    const k = p.at % (c.rows * c.cols);
    view.set([Math.floor(k / c.cols), k % c.cols], p.value);
  }
  return view;
}

function report(c: Case): string {
  try {
    checkFinite('check', 'X', build(c));
    return 'finite';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('checkFinite', () => {
  it('finds the same first non-finite element on every backend as on loop', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const expected = onBackend('loop', () => report(c));
        if (c.planted.length === 0) expect(expected).toBe('finite');
        else
          expect(expected).toMatch(
            /^check: X must hold finite numbers, found -?(NaN|Infinity) at \(\d+,\d+\)$/,
          );
        for (const backend of BACKENDS)
          expect(
            onBackend(backend, () => report(c)),
            backend,
          ).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('names the element in the middle of a long contiguous run (past the vector blocks)', () => {
    for (const backend of BACKENDS) {
      for (const dtype of ['float32', 'float64'] as DType[]) {
        const x = onBackend(backend, () => array(new Float64Array(2000 * 3), { shape: [2000, 3], dtype }));
        x.set([1234, 2], Number.NEGATIVE_INFINITY);
        expect(() => checkFinite('fit', 'X', x), `${backend} ${dtype}`).toThrow(
          'fit: X must hold finite numbers, found -Infinity at (1234,2)',
        );
      }
    }
  });
});
