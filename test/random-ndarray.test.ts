import { describe, expect, it } from 'vitest';
import { arange, RandomState } from '../src/index.js';
import { BACKENDS, onBackend } from './helpers/backends.js';

describe.each(BACKENDS)('RandomState NDArray methods on %s', (backend) => {
  it('rand and randn give NumPy numbers in NumPy shapes', () =>
    onBackend(backend, () => {
      expect(new RandomState(2).rand(3).toArray()).toEqual([
        0.43599490214200376, 0.025926231827891333, 0.5496624778787091,
      ]);
      const w = new RandomState(1).randn(4, 2).mul(0.01);
      expect(w.shape).toEqual([4, 2]);
      expect(w.backend).toBe(backend);
      expect(w.toArray()).toEqual([
        [0.01624345363663242, -0.006117564136500754],
        [-0.005281717522634557, -0.010729686221561705],
        [0.008654076293246785, -0.02301538696880283],
        [0.0174481176421648, -0.007612069008951028],
      ]);
      const f = new RandomState(0).randn([2, 3], { dtype: 'float32' });
      expect(f.dtype).toBe('float32');
      expect(f.get(0, 0)).toBe(Math.fround(1.764052345967664));
      expect(() => new RandomState(0).randn(2, -1)).toThrow('randn: shape must hold non-negative integers');
    }));

  it('uniform, randint, permutation, shuffle', () =>
    onBackend(backend, () => {
      expect(new RandomState(1).permutation(10).toArray()).toEqual([2, 9, 6, 4, 0, 3, 1, 7, 8, 5]);
      const u = new RandomState(3).uniform(-2, 2, [50]).data;
      expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
      expect(Math.max(...u)).toBeLessThan(2);
      const r = new RandomState(4).randint(3, 7, 100).data;
      expect(new Set(r)).toEqual(new Set([3, 4, 5, 6]));
      const x = arange(10);
      new RandomState(1).shuffle(x);
      expect(x.toArray()).toEqual(new RandomState(1).permutation(10).toArray());
      const rows = arange(6).reshape(3, 2);
      new RandomState(5).shuffle(rows);
      for (const row of rows.toArray() as number[][]) expect(row[1] - row[0]).toBe(1);
    }));
});
