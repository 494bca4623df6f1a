import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlanarDataset } from '../src/data/planar.js';
import { flattenImages, scale, standardize, trainTestSplit } from '../src/data/preprocess.js';
import { loadToyDataset } from '../src/data/registry.js';
import { TOY_DATASETS } from '../src/data/toy.js';
import { array } from '../src/ndarray/create.js';
import { expectClose } from './helpers/close.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/data_planar.json', import.meta.url), 'utf8'));

describe('loadPlanarDataset (the course flower)', () => {
  it('matches NumPy load_planar_dataset: X to 1e-12, Y exactly', () => {
    const { X, Y } = loadPlanarDataset();
    expect(X.shape).toEqual(fixture.planar.X_shape);
    expect(Y.shape).toEqual(fixture.planar.Y_shape);
    expect(X.dtype).toBe('float64');
    expectClose(X.data, fixture.planar.X, { atol: 1e-12, rtol: 0 });
    expect(Array.from(Y.data)).toEqual(fixture.planar.Y);
  });

  it('is deterministic and honours dtype', () => {
    const a = loadPlanarDataset();
    const b = loadPlanarDataset({ dtype: 'float32' });
    expect(b.X.dtype).toBe('float32');
    expect(Array.from(b.X.data)).toEqual(Array.from(Float32Array.from(a.X.data)));
    expect(Array.from(loadPlanarDataset().X.data)).toEqual(Array.from(a.X.data));
  });
});

describe('the other 2-D data sets', () => {
  for (const name of TOY_DATASETS) {
    it(`${name}: (2, m) and (1, m), 0/1 labels, reproducible by seed`, () => {
      const a = loadToyDataset(name);
      const m = name === 'planar' ? 400 : 200;
      expect(a.X.shape).toEqual([2, m]);
      expect(a.Y.shape).toEqual([1, m]);
      const labels = Array.from(a.Y.data);
      expect(labels.every((v) => v === 0 || v === 1)).toBe(true);
      expect(labels.some((v) => v === 0) && labels.some((v) => v === 1)).toBe(true);
      expect(Array.from(a.X.data).every(Number.isFinite)).toBe(true);
      const b = loadToyDataset(name);
      expect(Array.from(b.X.data)).toEqual(Array.from(a.X.data));
      if (name !== 'planar') {
        const c = loadToyDataset(name, { seed: 7, samples: 50 });
        expect(c.X.shape).toEqual([2, 50]);
        expect(Array.from(c.X.data.slice(0, 10))).not.toEqual(Array.from(a.X.data.slice(0, 10)));
      }
    });
  }

  it('circles: the inner class lies inside (on average) the outer one', () => {
    const { X, Y } = loadToyDataset('circles', { noise: 0 });
    const m = 200;
    const x = X.data;
    const y = Y.data;
    for (let i = 0; i < m; i++) {
      const r = Math.hypot(x[i], x[m + i]);
      expect(r).toBeCloseTo(y[i] === 1 ? 0.5 : 1, 12);
    }
  });

  it('quantiles: class 1 is farther from the origin than class 0', () => {
    const { X, Y } = loadToyDataset('quantiles');
    const m = 200;
    const x = X.data;
    const y = Y.data;
    let max0 = 0;
    let min1 = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      const r = Math.hypot(x[i], x[m + i]);
      if (y[i] === 0) max0 = Math.max(max0, r);
      else min1 = Math.min(min1, r);
    }
    expect(max0).toBeLessThanOrEqual(min1);
  });

  it('rejects bad options with the function and option named', () => {
    expect(() => loadToyDataset('moons', { samples: 0 })).toThrow(
      'loadNoisyMoons: samples must be a positive integer, got 0',
    );
    expect(() => loadToyDataset('spiral', { noise: -1 })).toThrow(
      'loadSpiral: noise must be a non-negative finite number',
    );
    expect(() => loadToyDataset('blobs', { seed: -1 })).toThrow('loadBlobs: seed must be an integer');
  });
});

describe('preprocessing', () => {
  it('flattenImages is reshape(m, -1).T', () => {
    const imgs = array(
      Float64Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => i),
      { shape: [2, 2, 2, 3] },
    );
    const f = flattenImages(imgs);
    expect(f.shape).toEqual([12, 2]);
    const d = f.data;
    for (let k = 0; k < 12; k++) {
      expect(d[k * 2]).toBe(k);
      expect(d[k * 2 + 1]).toBe(12 + k);
    }
    expect(() => flattenImages(array([1, 2, 3]))).toThrow('flattenImages: images must have shape (m, ...)');
  });

  it('scale(1/255) divides by 255 exactly as NumPy does', () => {
    const vals = Float64Array.from({ length: 256 }, (_, i) => i);
    const s = scale(array(vals, { shape: [1, 256] }), 1 / 255).data;
    for (let i = 0; i < 256; i++) expect(s[i]).toBe(i / 255);
    expect(scale(array([[2, 4]]), 0.3).data[1]).toBe(4 * 0.3);
  });

  it('standardize fits on train and applies to test', () => {
    const Xtr = array([
      [1, 2, 3, 4],
      [10, 10, 10, 10],
    ]);
    const s = standardize(Xtr);
    const mu = 2.5;
    const sd = Math.sqrt((1.5 ** 2 + 0.5 ** 2 + 0.5 ** 2 + 1.5 ** 2) / 4);
    expectClose(s.mean.data, [mu, 10]);
    expectClose(s.std.data, [sd, 1]);
    expectClose(s.X.data, [(1 - mu) / sd, (2 - mu) / sd, (3 - mu) / sd, (4 - mu) / sd, 0, 0, 0, 0]);
    const t = s.apply(array([[5], [11]]));
    expectClose(t.data, [(5 - mu) / sd, 1]);
    expect(() => s.apply(array([[1, 2, 3]]))).toThrow('standardize: expected a (2, m) array');
  });

  it('trainTestSplit shuffles columns together, reproducibly, and partitions the examples', () => {
    const m = 20;
    const X = array(
      Float64Array.from({ length: 2 * m }, (_, i) => (i < m ? i : 100 + i - m)),
      { shape: [2, m] },
    );
    const Y = array(
      Float64Array.from({ length: m }, (_, i) => i % 2),
      { shape: [1, m] },
    );
    const a = trainTestSplit(X, Y, { testSize: 0.25, seed: 3 });
    expect(a.XTrain.shape).toEqual([2, 15]);
    expect(a.XTest.shape).toEqual([2, 5]);
    const ids = [...Array.from(a.XTrain.data.slice(0, 15)), ...Array.from(a.XTest.data.slice(0, 5))];
    expect([...ids].sort((p, q) => p - q)).toEqual(Array.from({ length: m }, (_, i) => i));
    const tr = a.XTrain.data;
    const ytr = a.YTrain.data;
    for (let j = 0; j < 15; j++) {
      expect(tr[15 + j]).toBe(100 + tr[j]);
      expect(ytr[j]).toBe(tr[j] % 2);
    }
    const b = trainTestSplit(X, Y, { testSize: 0.25, seed: 3 });
    expect(Array.from(b.XTest.data)).toEqual(Array.from(a.XTest.data));
    expect(() => trainTestSplit(X, Y, { testSize: 1 })).toThrow(
      'trainTestSplit: testSize must be a fraction in (0, 1)',
    );
  });
});
