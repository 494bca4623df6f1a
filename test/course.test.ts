// `vecnet/course` against NumPy: every graded function of weeks 2-4, run by
// test/fixtures/gen_course.py in NumPy on the notebooks' test inputs and on small seeded data
// (course.json), is run here on each backend with the same inputs. Arrays match to 1e-12 relative
// (plus 1e-14 absolute for values that cancel to ~0); printed lines match the notebook's, their
// numbers to the same tolerance; np.random draws match bit for bit.
import { describe, expect, it } from 'vitest';
import * as course from '../src/course/index.js';
import { course as fromMain, NDArray } from '../src/index.js';
import fixture from './fixtures/course.json' with { type: 'json' };
import { BACKENDS, onBackend } from './helpers/backends.js';

type Encoded =
  | number
  | string
  | boolean
  | { nd: number[]; v: number[] }
  | Encoded[]
  | { [k: string]: Encoded };

const isArrayValue = (x: unknown): x is { nd: number[]; v: number[] } =>
  typeof x === 'object' && x !== null && 'nd' in x && 'v' in x;

function decode(x: Encoded): unknown {
  if (isArrayValue(x)) return course.np.reshape(course.np.array(x.v), x.nd);
  if (Array.isArray(x)) return x.map(decode);
  if (typeof x === 'object' && x !== null)
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decode(v)]));
  return x;
}

const RTOL = 1e-12;
const ATOL = 1e-14;

function expectMatches(got: unknown, want: Encoded, path: string): void {
  if (isArrayValue(want)) {
    expect(got, path).toBeInstanceOf(NDArray);
    const g = got as NDArray;
    expect(g.shape, `${path} shape`).toEqual(want.nd);
    const data = Array.from(g.data);
    want.v.forEach((w, i) => {
      const d = Math.abs(data[i] - w);
      if (!(d <= ATOL + RTOL * Math.abs(w))) expect.fail(`${path}[${i}] = ${data[i]}, NumPy ${w}`);
    });
  } else if (Array.isArray(want)) {
    expect(Array.isArray(got), `${path} is an array (a tuple)`).toBe(true);
    expect((got as unknown[]).length, `${path} length`).toBe(want.length);
    for (const [i, w] of want.entries()) expectMatches((got as unknown[])[i], w, `${path}[${i}]`);
  } else if (typeof want === 'object') {
    expect(Object.keys(got as object).sort(), `${path} keys`).toEqual(Object.keys(want).sort());
    for (const [k, w] of Object.entries(want))
      expectMatches((got as Record<string, unknown>)[k], w, `${path}.${k}`);
  } else if (typeof want === 'number') {
    expect(typeof got, `${path} is a number`).toBe('number');
    if (!(Math.abs((got as number) - want) <= ATOL + RTOL * Math.abs(want))) {
      expect.fail(`${path} = ${got}, NumPy ${want}`);
    }
  } else {
    expect(got, path).toBe(want);
  }
}

/** Printed lines equal NumPy's, the numbers in them within the tolerance. */
function expectSameOutput(got: string, want: string, path: string): void {
  const split = (s: string) => s.split(/(-?\d+\.\d+(?:e[+-]\d+)?)/);
  const g = got.split('\n');
  const w = want.split('\n');
  expect(g.length, `${path}: lines printed\n${got}`).toBe(w.length);
  w.forEach((line, i) => {
    const a = split(g[i]);
    const b = split(line);
    expect(a.length, `${path}: "${g[i]}" vs NumPy "${line}"`).toBe(b.length);
    b.forEach((part, j) => {
      if (j % 2 === 0) expect(a[j], `${path}: "${g[i]}" vs "${line}"`).toBe(part);
      else
        expect(Math.abs(Number(a[j]) - Number(part)), `${path}: ${a[j]} vs ${part}`).toBeLessThanOrEqual(
          1e-10 * Math.abs(Number(part)) + 5e-7,
        );
    });
  });
}

const WEEKS: Record<string, object> = { week2: course.week2, week3: course.week3, week4: course.week4 };

function run(week: string, fn: string, args: unknown[]): { result: unknown; printed: string } {
  const lines: string[] = [];
  const write = course.output.write;
  course.output.write = (line) => void lines.push(line);
  try {
    const ns = WEEKS[week] as unknown as Record<string, (...a: unknown[]) => unknown>;
    return { result: ns[fn](...args), printed: lines.length ? `${lines.join('\n')}\n` : '' };
  } finally {
    course.output.write = write;
  }
}

describe.each(BACKENDS)('vecnet/course on %s equals NumPy', (backend) => {
  for (const [i, c] of fixture.cases.entries()) {
    it(`${c.week}.${c.fn} #${i}`, () =>
      onBackend(backend, () => {
        if (c.seed !== null) course.np.random.seed(c.seed);
        const { result, printed } = run(c.week, c.fn, decode(c.args as Encoded) as unknown[]);
        expectMatches(result, c.result as Encoded, `${c.week}.${c.fn}`);
        expectSameOutput(printed, c.stdout, `${c.week}.${c.fn}`);
      }));
  }

  it('np.random draws NumPy numbers bit for bit', () =>
    onBackend(backend, () => {
      const { np } = course;
      np.random.seed(1);
      const draws = fixture.draws as unknown as Record<string, Encoded>;
      const bits = (x: unknown) => (typeof x === 'number' ? [x] : Array.from((x as NDArray).data));
      const want = (k: string) => {
        const e = draws[k];
        return isArrayValue(e) ? e.v : [e as number];
      };
      expect(bits(np.random.randn(3, 2))).toEqual(want('randn_3x2'));
      expect(bits(np.random.randn())).toEqual(want('randn_scalar'));
      expect(bits(np.random.rand(2, 3))).toEqual(want('rand_2x3'));
      expect(bits(np.random.permutation(7))).toEqual(want('permutation_7'));
      np.random.seed(0);
      expect(bits(np.random.randn(5))).toEqual(want('seed0_randn_5'));
    }));
});

describe('vecnet/course conventions', () => {
  const { np } = course;

  it('numbers in, numbers out; nested arrays accepted; NumPy scalars are numbers', () => {
    expect(course.week2.sigmoid(0)).toBe(0.5);
    expect(np.exp(0)).toBe(1);
    expect(
      np.sum([
        [1, 2],
        [3, 4],
      ]),
    ).toBe(10);
    expect(
      (
        np.sum(
          [
            [1, 2],
            [3, 4],
          ],
          0,
        ) as NDArray
      ).toArray(),
    ).toEqual([4, 6]);
    expect(
      (
        np.sum(
          [
            [1, 2],
            [3, 4],
          ],
          1,
          true,
        ) as NDArray
      ).shape,
    ).toEqual([2, 1]);
    expect(np.dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(np.squeeze([[[2.5]]])).toBe(2.5);
    expect(np.mean([1, 2, 3, 4])).toBe(2.5);
    expect(np.round(2.5)).toBe(2);
    expect(np.round(3.5)).toBe(4);
    expect((np.round([0.125, 1.005], 2) as NDArray).toArray()).toEqual([0.12, 1]);
    expect(np.allclose([1, 2], [1, 2 + 1e-9])).toBe(true);
    expect(np.allclose([1, Number.NaN], [1, Number.NaN])).toBe(false);
    expect(np.transpose([[1, 2, 3]]).shape).toEqual([3, 1]);
    expect(np.zeros([2, 3]).shape).toEqual([2, 3]);
  });

  it("tuples are arrays, dictionaries objects, caches the notebooks' layout", () => {
    const [A, cache] = course.linear_activation_forward([[1], [2]], [[0.5, -1]], [[0.1]], 'relu');
    const [linear_cache, activation_cache] = cache;
    expect(A.toArray()).toEqual([[0]]);
    expect(linear_cache.map((x) => x.shape)).toEqual([
      [2, 1],
      [1, 2],
      [1, 1],
    ]);
    expect(activation_cache.get(0, 0)).toBeCloseTo(-1.4, 15);
    const [w, b] = course.initialize_with_zeros(3);
    expect(w.shape).toEqual([3, 1]);
    expect(b).toBe(0);
  });

  it('update_parameters returns new arrays and leaves its inputs untouched', () => {
    const params = course.initialize_parameters_deep([3, 2, 1]);
    const before = params.W1.toArray();
    const grads = { dW1: np.ones([2, 3]), db1: np.ones([2, 1]), dW2: np.ones([1, 2]), db2: np.ones([1, 1]) };
    const next = course.update_parameters(params, grads, 0.5);
    expect(params.W1.toArray()).toEqual(before);
    expect(next.W1).not.toBe(params.W1);
    expect(next.b1.toArray()).toEqual([[-0.5], [-0.5]]);
  });

  it('the same module from vecnet, vecnet/course and the week namespaces', async () => {
    const entry = await import('../src/course-entry.js');
    expect(fromMain.L_model_forward).toBe(course.L_model_forward);
    expect(entry.L_model_forward).toBe(course.L_model_forward);
    expect(course.predict).toBe(course.week4.predict);
    expect(course.sigmoid).toBe(course.week4.sigmoid);
    expect(course.week2.sigmoid).not.toBe(course.week4.sigmoid);
    expect(course.nn_model).toBe(course.week3.nn_model);
  });

  it('bad input names what was wrong', () => {
    expect(() => course.initialize_with_zeros(0)).toThrow(
      'initialize_with_zeros: dim must be a positive integer',
    );
    expect(() => course.linear_activation_forward([[1]], [[1]], [[0]], 'tanh' as never)).toThrow(
      'activation must be "sigmoid" or "relu"',
    );
    expect(() => np.random.randn(2.5)).toThrow('np.random.randn: dimensions must be non-negative integers');
    expect(() => np.dot([[1, 2]], [[1, 2]])).toThrow();
  });
});
