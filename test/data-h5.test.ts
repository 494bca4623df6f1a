import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../src/core/errors.js';
import { loadH5Dataset, writeH5Dataset } from '../src/data/h5.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vecnet-h5-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** m images of h x w x 3 with distinct pixel values (i*7 + k) mod 256. */
function images(m: number, h: number, w: number): Uint8Array {
  const n = h * w * 3;
  return Uint8Array.from({ length: m * n }, (_, j) => (Math.floor(j / n) * 7 + (j % n)) % 256);
}

describe('loadH5Dataset', () => {
  it('reads the course layout and flattens each image in C order (reshape(m, -1).T), exactly', async () => {
    const m = 5;
    const [h, w] = [4, 3];
    const n = h * w * 3;
    const imgs = images(m, h, w);
    const labels = [1, 0, 0, 1, 1];
    const path = join(dir, 'train_tiny.h5');
    await writeH5Dataset(path, {
      prefix: 'train_set',
      images: imgs,
      exampleShape: [h, w, 3],
      labels,
      classes: ['non-cat', 'cat'],
    });

    const d = await loadH5Dataset(path);
    expect(d.X.shape).toEqual([n, m]);
    expect(d.Y.shape).toEqual([1, m]);
    expect(d.classes).toEqual(['non-cat', 'cat']);
    expect(d.exampleShape).toEqual([h, w, 3]);
    expect(d.names).toEqual({ x: 'train_set_x', y: 'train_set_y', classes: 'list_classes' });
    const X = d.X.data;
    for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) expect(X[k * m + i]).toBe(imgs[i * n + k]);
    expect(Array.from(d.Y.data)).toEqual(labels);
  });

  it('finds test_set_x / test_set_y by default and takes explicit names', async () => {
    const path = join(dir, 'test_tiny.h5');
    await writeH5Dataset(path, {
      prefix: 'test_set',
      images: images(3, 2, 2),
      exampleShape: [2, 2, 3],
      labels: [0, 1, 0],
    });
    const a = await loadH5Dataset(path);
    expect(a.names.x).toBe('test_set_x');
    expect(a.classes).toEqual([]);
    const b = await loadH5Dataset(path, { x: 'test_set_x', y: 'test_set_y' }, { dtype: 'float32' });
    expect(b.X.dtype).toBe('float32');
    expect(Array.from(b.X.data)).toEqual(Array.from(a.X.data));
  });

  it('the full-size course shape (m, 64, 64, 3) becomes (12288, m)', async () => {
    const path = join(dir, 'full.h5');
    await writeH5Dataset(path, { images: images(2, 64, 64), exampleShape: [64, 64, 3], labels: [0, 1] });
    const d = await loadH5Dataset(path);
    expect(d.X.shape).toEqual([12288, 2]);
  });

  it('names the file and what was expected for a missing dataset', async () => {
    const path = join(dir, 'train_tiny.h5');
    const err = await loadH5Dataset(path, { x: 'images' }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect(err.message).toContain(path);
    expect(err.message).toContain("no dataset 'images'");
    expect(err.message).toContain('train_set_x');
  });

  it('names the file and the expected rank for a wrong-rank dataset', async () => {
    const h5 = await import('h5wasm/node');
    await h5.ready;
    const path = join(dir, 'rank.h5');
    const f = new h5.File(path, 'w');
    f.create_dataset({ name: 'train_set_x', data: new Uint8Array(6), shape: [6], dtype: '<B' });
    f.create_dataset({ name: 'train_set_y', data: new BigInt64Array(6), shape: [6], dtype: '<q' });
    f.create_dataset({ name: 'bad_x', data: new Uint8Array(12), shape: [2, 6], dtype: '<B' });
    f.create_dataset({ name: 'bad_y', data: new BigInt64Array(8), shape: [2, 2, 2], dtype: '<q' });
    f.close();
    const e1 = await loadH5Dataset(path).catch((e) => e);
    expect(e1.message).toBe(
      `${path}: dataset 'train_set_x' has shape (6,), expected rank >= 2: (m, ...) such as (m, 64, 64, 3)`,
    );
    const e2 = await loadH5Dataset(path, { x: 'bad_x', y: 'bad_y' }).catch((e) => e);
    expect(e2.message).toContain(`${path}: dataset 'bad_y' has shape (2,2,2), expected (2,)`);
  });

  it('rejects a file that is not HDF5, and a missing file, naming them', async () => {
    const path = join(dir, 'not.h5');
    writeFileSync(path, 'just some text, not HDF5\n'.repeat(50));
    const e1 = await loadH5Dataset(path).catch((e) => e);
    expect(e1).toBeInstanceOf(DataFileError);
    expect(e1.message).toBe(`${path}: not an HDF5 file (expected an .h5 file such as train_catvnoncat.h5)`);
    const missing = join(dir, 'nope.h5');
    const e2 = await loadH5Dataset(missing).catch((e) => e);
    expect(e2.message).toBe(`${missing}: no such file (expected an HDF5 data set)`);
  });

  it('a truncated HDF5 file gets one clear error (HDF5 diagnostics are captured, not printed)', async () => {
    const full = join(dir, 'full.h5');
    const { readFileSync } = await import('node:fs');
    const path = join(dir, 'truncated.h5');
    writeFileSync(path, readFileSync(full).subarray(0, 3000));
    const err = await loadH5Dataset(path).catch((e) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect(err.message).toBe(
      `${path}: HDF5 could not read the file (file has been truncated); it may be truncated or damaged`,
    );
  });
});
