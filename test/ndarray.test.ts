import { describe, expect, it } from 'vitest';
import {
  arange,
  array,
  eye,
  full,
  linspace,
  matmul,
  NDArray,
  ones,
  outer,
  sigmoid,
  tidy,
  toBackend,
  zeros,
} from '../src/index.js';
import fixture from './fixtures/ndarray_numpy.json' with { type: 'json' };
import { BACKENDS, onBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

type Case = (typeof fixture.cases)[number] & Record<string, { shape: number[]; values: number[] }>;
const cases = new Map(fixture.cases.map((c) => [c.name, c as Case]));
const fromCase = (c: Case, key: string) => array(new Float64Array(c[key].values), { shape: c[key].shape });
function expectMatches(x: NDArray, c: Case, key = 'result', rtol = 1e-12) {
  expect(x.shape).toEqual(c[key].shape);
  expectClose(x.data, c[key].values, { rtol, atol: 1e-15 });
}

describe.each(BACKENDS)('NDArray on %s', (backend) => {
  const run = <T>(fn: () => T) => onBackend(backend, fn);

  describe('creation', () => {
    it('builds from nested arrays, typed arrays and numbers', () =>
      run(() => {
        const a = array([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        expect(a.shape).toEqual([2, 3]);
        expect(a.dtype).toBe('float64');
        expect(a.backend).toBe(backend);
        expect(a.toArray()).toEqual([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        const f = array(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] });
        expect(f.dtype).toBe('float32');
        expect(f.get(1, 0)).toBe(3);
        expect(array(5).shape).toEqual([]);
        expect(array(5).toArray()).toBe(5);
        expect(array([0.1], { dtype: 'float32' }).get(0)).toBe(Math.fround(0.1));
      }));

    it('rejects ragged and non-numeric input', () =>
      run(() => {
        expect(() => array([[1, 2], [3]])).toThrow(
          'setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions',
        );
        expect(() => array([['a']] as never)).toThrow('array: elements must be numbers, got string "a"');
        expect(() => array('x' as never)).toThrow(
          'array: expected nested arrays of numbers or a typed array',
        );
        expect(() => zeros([2, -1])).toThrow('zeros: shape must hold non-negative integers, got (2,-1)');
        expect(() => zeros([2], { dtype: 'int32' as never })).toThrow("dtype must be 'float32' or 'float64'");
      }));

    it('zeros, ones, full, eye, arange, linspace', () =>
      run(() => {
        expect(zeros([2, 2]).toArray()).toEqual([
          [0, 0],
          [0, 0],
        ]);
        expect(ones(3, { dtype: 'float32' }).data).toEqual(new Float32Array([1, 1, 1]));
        expect(full([2], 7).toArray()).toEqual([7, 7]);
        expect(eye(2, 3).toArray()).toEqual([
          [1, 0, 0],
          [0, 1, 0],
        ]);
        expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
        expect(arange(5, 1, -2).toArray()).toEqual([5, 3]);
        expectMatches(arange(1, 2, 0.1), cases.get('arange(1, 2, 0.1)')!, 'result', 0);
        expectMatches(linspace(3.12, 6.24, 200), cases.get('linspace(3.12, 6.24, 200)')!, 'result', 0);
        expectMatches(linspace(0, 1, 7), cases.get('linspace(0, 1, 7)')!, 'result', 0);
        expect(linspace(0, 1, 4, { endpoint: false }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
        expect(linspace(2, 3, 1).toArray()).toEqual([2]);
        expect(() => arange(0, 1, 0)).toThrow('arange: step must not be zero');
      }));
  });

  describe('shape', () => {
    it('reshape infers one -1 and names both shapes when sizes differ', () =>
      run(() => {
        const a = arange(12);
        expect(a.reshape(3, -1).shape).toEqual([3, 4]);
        expect(a.reshape([2, 2, 3]).get(1, 1, 2)).toBe(11);
        expect(() => a.reshape(5)).toThrow('cannot reshape array of size 12 into shape (5,)');
        expect(() => a.reshape(5, -1)).toThrow('cannot reshape array of size 12 into shape (5,-1)');
        expect(() => a.reshape(-1, -1)).toThrow('can only specify one unknown dimension');
      }));

    it('transpose, T, flatten, squeeze, expandDims, cols', () =>
      run(() => {
        const a = arange(6).reshape(2, 3);
        expect(a.T.toArray()).toEqual([
          [0, 3],
          [1, 4],
          [2, 5],
        ]);
        expect(a.T.flatten().toArray()).toEqual([0, 3, 1, 4, 2, 5]);
        expect(a.T.reshape(-1).toArray()).toEqual([0, 3, 1, 4, 2, 5]);
        expect(arange(6).reshape(1, 6, 1).squeeze().shape).toEqual([6]);
        expect(arange(6).reshape(1, 6, 1).squeeze(2).shape).toEqual([1, 6]);
        expect(() => a.squeeze(0)).toThrow(
          'cannot select an axis to squeeze out which has size not equal to one',
        );
        expect(arange(3).expandDims(1).shape).toEqual([3, 1]);
        expect(arange(3).expandDims(-1).shape).toEqual([3, 1]);
        const batch = a.cols(1, 3);
        expect(batch.toArray()).toEqual([
          [1, 2],
          [4, 5],
        ]);
        expect(() => a.cols(2, 4)).toThrow('cols: need integers 0 <= start <= end <= 3, got start=2 end=4');
        const h = arange(24).reshape(2, 3, 4);
        expect(h.transpose([1, 0, 2]).shape).toEqual([3, 2, 4]);
        expect(() => h.transpose([0, 1])).toThrow("transpose: axes don't match array");
      }));

    it('get, set, copy, astype, toString', () =>
      run(() => {
        const a = zeros([2, 2]);
        a.set([1, -1], 5);
        expect(a.get(1, 1)).toBe(5);
        expect(a.get(-1, -1)).toBe(5);
        expect(() => a.get(2, 0)).toThrow('index 2 is out of bounds for axis 0 with size 2');
        expect(() => a.get(0)).toThrow('get: expected 2 indices for shape (2,2), got 1');
        const b = a.copy();
        b.set([0, 0], 1);
        expect(a.get(0, 0)).toBe(0);
        expect(a.astype('float32').dtype).toBe('float32');
        expect(array([[1, 2.5]]).toString()).toBe('array([[1., 2.5]])');
        expect(array([0.5], { dtype: 'float32' }).toString()).toBe('array([0.5], dtype=float32)');
      }));
  });

  describe('element-wise', () => {
    it('broadcasts like NumPy', () =>
      run(() => {
        const add = cases.get('broadcast add (3,4)+(4,)')!;
        expectMatches(fromCase(add, 'a').add(fromCase(add, 'b')), add, 'result', 0);
        const mul = cases.get('broadcast mul (3,4)*(3,1)')!;
        expectMatches(fromCase(mul, 'a').mul(fromCase(mul, 'b')), mul, 'result', 0);
        const sub = cases.get('broadcast sub (8,1,6,1)-(7,1,5)')!;
        const d = fromCase(sub, 'a').sub(fromCase(sub, 'b'));
        expect(d.shape).toEqual([8, 7, 6, 5]);
        expectMatches(d, sub, 'result', 0);
      }));

    it("says NumPy's words on a broadcast mismatch", () =>
      run(() => {
        expect(() => zeros([2, 3]).add(zeros([4]))).toThrow(
          'add: operands could not be broadcast together with shapes (2,3) (4,)',
        );
        expect(() => zeros([3]).mul(zeros([4]))).toThrow(
          'mul: operands could not be broadcast together with shapes (3,) (4,)',
        );
      }));

    it('refuses mixed dtypes and backends', () =>
      run(() => {
        expect(() => zeros([2]).add(zeros([2], { dtype: 'float32' }))).toThrow(
          'add: dtype mismatch: float64 and float32 (vecnet never promotes silently; convert one with astype)',
        );
        const other = backend === 'loop' ? 'vectorized' : 'loop';
        expect(() => zeros([2]).add(zeros([2], { backend: other }))).toThrow(
          `add: operands live on different backends: ${backend} and ${other}`,
        );
        expect(
          toBackend(ones([2]), other)
            .add(zeros([2], { backend: other }))
            .toArray(),
        ).toEqual([1, 1]);
      }));

    it('takes scalars on either side', () =>
      run(() => {
        const a = array([1, 2, 4]);
        expect(a.add(1).toArray()).toEqual([2, 3, 5]);
        expect(a.sub(1).toArray()).toEqual([0, 1, 3]);
        expect(a.mul(2).toArray()).toEqual([2, 4, 8]);
        expect(a.div(2).toArray()).toEqual([0.5, 1, 2]);
        expect(a.pow(2).toArray()).toEqual([1, 4, 16]);
        expect(a.maximum(2).toArray()).toEqual([2, 2, 4]);
        expect(a.minimum(2).toArray()).toEqual([1, 2, 2]);
        expect(a.gt(2).toArray()).toEqual([0, 0, 1]);
        expect(a.ge(2).toArray()).toEqual([0, 1, 1]);
        expect(a.lt(2).toArray()).toEqual([1, 0, 0]);
        expect(a.le(2).toArray()).toEqual([1, 1, 0]);
        expect(a.eq(2).toArray()).toEqual([0, 1, 0]);
      }));

    it('unary ops', () =>
      run(() => {
        const x = array([-2, 0, 3]);
        expect(x.neg().toArray()).toEqual([2, -0, -3]);
        expect(x.abs().toArray()).toEqual([2, 0, 3]);
        expect(x.square().toArray()).toEqual([4, 0, 9]);
        expect(x.relu().toArray()).toEqual([0, 0, 3]);
        expect(x.leakyRelu(0.1).toArray()).toEqual([-0.2, 0, 3]);
        expect(x.leakyRelu().toArray()).toEqual([-0.02, 0, 3]);
        expect(x.clip(-1, 1).toArray()).toEqual([-1, 0, 1]);
        expect(() => x.clip(1, -1)).toThrow('clip: need lo <= hi, got lo=1 hi=-1');
        expectClose(sigmoid(array([0, 2])).data, [0.5, 0.8807970779778823], { rtol: 1e-15 });
        expect(sigmoid(array([-800, 800])).toArray()).toEqual([0, 1]);
        const c = cases.get('exp log sqrt tanh')!;
        const g = fromCase(c, 'a');
        expectMatches(g.exp(), c, 'exp', 1e-14);
        expectMatches(g.log(), c, 'log', 1e-14);
        expectMatches(g.sqrt(), c, 'sqrt', 0);
        expectMatches(g.tanh(), c, 'tanh', 1e-14);
        const p = cases.get('pow')!;
        expectMatches(fromCase(p, 'a').pow(fromCase(p, 'b')), p, 'result', 1e-14);
      }));

    it('works on non-contiguous views', () =>
      run(() => {
        const a = arange(6).reshape(2, 3);
        expect(a.T.exp().log().toArray()).toEqual(
          (a.T.toArray() as number[][]).map((r) => r.map((v) => Math.log(Math.exp(v)))),
        );
        expect(a.T.add(a.T).toArray()).toEqual([
          [0, 6],
          [2, 8],
          [4, 10],
        ]);
        expect(a.cols(1, 3).mul(10).toArray()).toEqual([
          [10, 20],
          [40, 50],
        ]);
      }));
  });

  describe('reductions', () => {
    it('match NumPy over every axis with keepdims', () =>
      run(() => {
        const s0 = cases.get('sum axis 0 keepdims')!;
        const a = fromCase(s0, 'a');
        expectMatches(a.sum(0, true), s0);
        expectMatches(a.sum(1), cases.get('sum axis 1')!);
        expectMatches(a.sum(-1, true), cases.get('sum axis -1 keepdims')!);
        expectMatches(a.mean(), cases.get('mean all')!);
        expectMatches(a.max(0), cases.get('max axis 0')!, 'result', 0);
        expectMatches(a.argmax(1), cases.get('argmax axis 1')!, 'result', 0);
        const t = cases.get('transpose (2,3,4) axes (1,0,2) then sum axis 2')!;
        expectMatches(fromCase(t, 'a').transpose([1, 0, 2]).sum(2), t);
        const r = cases.get('reshape (2,3,4)->(4,-1) T sum 0')!;
        expectMatches(fromCase(r, 'a').reshape(4, -1).T.sum(0), r);
      }));

    it('reduce all, min/argmin, errors', () =>
      run(() => {
        const a = array([
          [3, 1],
          [2, 5],
        ]);
        expect(a.sum().toArray()).toBe(11);
        expect(a.sum(null, true).shape).toEqual([1, 1]);
        expect(a.min().toArray()).toBe(1);
        expect(a.argmin().toArray()).toBe(1);
        expect(a.argmax().toArray()).toBe(3);
        expect(a.min(0).toArray()).toEqual([2, 1]);
        expect(zeros([0]).sum().toArray()).toBe(0);
        expect(() => zeros([0]).max()).toThrow(
          'zero-size array to reduction operation maximum which has no identity',
        );
        expect(() => a.sum(2)).toThrow('axis 2 is out of bounds for array of dimension 2');
        expect(() => a.sum(-3)).toThrow('axis -3 is out of bounds for array of dimension 2');
        expect(array([1, Number.NaN, 3]).max().toArray()).toBeNaN();
      }));
  });

  describe('linear algebra', () => {
    it('matmul, dot and outer follow NumPy for 1-D and 2-D operands', () =>
      run(() => {
        const mm = cases.get('matmul (3,4)x(4,5)')!;
        expectMatches(fromCase(mm, 'a').matmul(fromCase(mm, 'b')), mm);
        const tt = cases.get('matmul (3,4)^T x (3,1)')!;
        expectMatches(fromCase(tt, 'a').T.matmul(fromCase(tt, 'b')), tt);
        const dd = cases.get('dot (4,) x (4,)')!;
        const d = fromCase(dd, 'a').dot(fromCase(dd, 'b'));
        expect(d.shape).toEqual([]);
        expectMatches(d, dd);
        expectMatches(
          matmul(
            fromCase(cases.get('matmul (3,4) x (4,)')!, 'a'),
            fromCase(cases.get('matmul (3,4) x (4,)')!, 'b'),
          ),
          cases.get('matmul (3,4) x (4,)')!,
        );
        const vm = cases.get('matmul (4,) x (4,5)')!;
        expectMatches(fromCase(vm, 'a').matmul(fromCase(vm, 'b')), vm);
        const o = cases.get('outer')!;
        expectMatches(outer(fromCase(o, 'a'), fromCase(o, 'b')), o);
      }));

    it("says NumPy's words on a mismatch", () =>
      run(() => {
        expect(() => zeros([3, 4]).matmul(zeros([5, 2]))).toThrow(
          'matmul: shapes (3,4) and (5,2) not aligned: 4 (dim 1) != 5 (dim 0)',
        );
        expect(() => zeros([2, 2, 2]).matmul(zeros([2, 2]))).toThrow('vecnet supports 1-D and 2-D operands');
      }));

    it('handles empty and transposed operands', () =>
      run(() => {
        expect(
          zeros([2, 0])
            .matmul(zeros([0, 3]))
            .toArray(),
        ).toEqual([
          [0, 0, 0],
          [0, 0, 0],
        ]);
        const a = arange(6).reshape(2, 3);
        expect(a.T.matmul(a.T.T).toArray()).toEqual(
          matmul(array(a.T.toArray() as number[][]), array(a.toArray() as number[][])).toArray(),
        );
      }));
  });

  describe('memory', () => {
    it('dispose frees and use after dispose throws', () =>
      run(() => {
        const a = zeros([2]);
        a.dispose();
        expect(a.isDisposed).toBe(true);
        expect(() => a.add(1)).toThrow('array was disposed');
        expect(() => a.get(0)).toThrow('array was disposed');
        a.dispose();
      }));

    it('tidy frees what the function does not return', () =>
      run(() => {
        let inner: NDArray | undefined;
        const kept = tidy(() => {
          inner = array([1, 2]).mul(2);
          return { y: inner.add(1) };
        });
        expect(inner!.isDisposed).toBe(true);
        expect(kept.y.toArray()).toEqual([3, 5]);
        expect(() =>
          tidy(() => {
            throw new Error('boom');
          }),
        ).toThrow('boom');
      }));

    it('a view outlives the disposal of its base', () =>
      run(() => {
        const a = arange(4);
        const v = a.reshape(2, 2);
        a.dispose();
        expect(v.toArray()).toEqual([
          [0, 1],
          [2, 3],
        ]);
      }));
  });
});

describe('NDArray type', () => {
  it('is exported as a class', () => {
    expect(zeros([1])).toBeInstanceOf(NDArray);
  });
});
