// NumPy's .npy and .npz files (test/fixtures/gen_npy.py wrote them with np.save, np.savez and
// np.savez_compressed): every dtype, order and rank reads back with the values NumPy stored; vecnet's
// writer gives NumPy's bytes exactly; damaged files give a DataFileError naming the file and why.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  array,
  DataFileError,
  fromNpy,
  fromNpz,
  loadNpy,
  loadNpz,
  saveNpy,
  saveNpz,
  toNpy,
  toNpz,
} from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';

const dir = join(import.meta.dirname, 'fixtures', 'npy');
const work = mkdtempSync(join(tmpdir(), 'vecnet-npy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The values gen_npy.py stored, in C order. */
function values(n: number, kind: 'float' | 'int' | 'bool'): number[] {
  return Array.from({ length: n }, (_, i) =>
    kind === 'bool' ? (i % 3 === 0 ? 1 : 0) : kind === 'int' ? i - 3 : i * 0.5 - 3,
  );
}

const CASES: [string, number[], 'float32' | 'float64', 'float' | 'int' | 'bool'][] = [
  ['f8_2x3', [2, 3], 'float64', 'float'],
  ['f4_2x3', [2, 3], 'float32', 'float'],
  ['f8_scalar', [], 'float64', 'float'],
  ['f8_vector', [5], 'float64', 'float'],
  ['f4_3d', [2, 3, 4], 'float32', 'float'],
  ['f8_fortran', [3, 4], 'float64', 'float'],
  ['f4_fortran_3d', [2, 3, 4], 'float32', 'float'],
  ['big_endian', [2, 2], 'float64', 'float'],
  ['i8', [1, 7], 'float64', 'int'],
  ['bool', [2, 3], 'float64', 'bool'],
  ['empty', [0, 3], 'float64', 'float'],
];

describe.each(BACKENDS)('.npy and .npz on %s', (backend) => {
  it.each(CASES)('reads %s: shape, dtype and every value', (name, shape, dtype, kind) =>
    (async () => {
      const x = await loadNpy(join(dir, `${name}.npy`), { backend });
      expect(x.shape).toEqual(shape);
      expect(x.dtype).toBe(dtype);
      expect(x.backend).toBe(backend);
      expect(Array.from(x.data)).toEqual(values(x.size, kind));
      x.dispose();
    })(),
  );

  it('reads unsigned bytes, and a dtype asked for', () =>
    (async () => {
      const u = await loadNpy(join(dir, 'u1.npy'), { dtype: 'float32', backend });
      expect(u.dtype).toBe('float32');
      expect(Array.from(u.data)).toEqual([0, 1, 2, 3]);
    })());

  it('reads .npz archives, stored and compressed, by name', () =>
    (async () => {
      const { X, Y } = await loadNpz(join(dir, 'data.npz'), { backend });
      expect(X.backend).toBe(backend);
      expect(X.shape).toEqual([3, 5]);
      expect(Array.from(X.data)).toEqual(values(15, 'float'));
      expect(Array.from(Y.data)).toEqual(values(5, 'int'));
      const t = await loadNpz(join(dir, 'train.npz'));
      expect(Object.keys(t).sort()).toEqual(['train_x', 'train_y']);
      expect(t.train_x.dtype).toBe('float32');
      expect(Array.from(t.train_y.data)).toEqual(values(6, 'bool'));
    })());

  it('writes the bytes np.save writes, and round-trips through .npz', () =>
    (async () => {
      for (const [name, shape, dtype] of CASES.filter(
        (c) => c[3] === 'float' && !c[0].includes('fortran') && c[0] !== 'big_endian',
      )) {
        const x = array(
          values(
            shape.reduce((a, b) => a * b, 1),
            'float',
          ),
          { shape, dtype },
        );
        expect(Buffer.from(toNpy(x)).equals(readFileSync(join(dir, `${name}.npy`))), name).toBe(true);
      }
      const a = array([[1.5, -2, 1e-310]], { dtype: 'float64', backend });
      const b = array([0.1, 0.2], { dtype: 'float32', backend });
      const back = fromNpz(toNpz({ a, b }));
      expect(Array.from(back.a.data)).toEqual(Array.from(a.data));
      expect(back.b.dtype).toBe('float32');
      expect(Array.from(back.b.data)).toEqual(Array.from(b.data));
      await saveNpy(join(work, backend, 'a.npy'), a);
      expect(Array.from((await loadNpy(join(work, backend, 'a.npy'))).data)).toEqual(Array.from(a.data));
      await saveNpz(join(work, backend, 'ab.npz'), { a, b });
      expect((await loadNpz(join(work, backend, 'ab.npz'))).b.shape).toEqual([2]);
      // a strided view is written in C order
      const t = array([
        [1, 2],
        [3, 4],
      ]).T;
      expect(Array.from(fromNpy(toNpy(t)).data)).toEqual([1, 3, 2, 4]);
    })());
});

describe('damaged and foreign files', () => {
  const bytes = readFileSync(join(dir, 'f8_2x3.npy'));
  const fails = (b: Uint8Array, message: string) => {
    expect(() => fromNpy(b, {}, 'x.npy')).toThrow(DataFileError);
    expect(() => fromNpy(b, {}, 'x.npy')).toThrow(message);
  };

  it('names the file and the reason', async () => {
    fails(new Uint8Array([1, 2, 3]), 'x.npy: not a readable .npy file: it does not start with \\x93NUMPY');
    fails(bytes.subarray(0, 60), 'the header claims 118 bytes; the file ends first');
    fails(bytes.subarray(0, 150), 'shape (2, 3) needs 48 bytes of data; the file has 22');
    fails(
      readFileSync(join(dir, 'c16.npy')),
      "dtype '<c16' (vecnet reads float32, float64, integer and bool arrays",
    );
    const header = Buffer.from(bytes);
    header.write("'shaep'", header.indexOf("'shape'"));
    fails(header, 'is not a .npy header');
    expect(() => fromNpz(new Uint8Array([80, 75, 1, 2]), {}, 'y.npz')).toThrow(
      'y.npz: not a readable .npz file',
    );
    await expect(loadNpy(join(work, 'missing.npy'))).rejects.toThrow(
      'missing.npy: no such file (expected a .npy file)',
    );
    writeFileSync(join(work, 'bad.npz'), bytes);
    await expect(loadNpz(join(work, 'bad.npz'))).rejects.toThrow(DataFileError);
  });

  it('refuses an array above the data-values limit before allocating it', () => {
    const text = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }";
    const b = new Uint8Array(10 + 128);
    b.set(bytes.subarray(0, 8));
    new DataView(b.buffer).setUint16(8, 128, true);
    b.set(Buffer.from(`${text.padEnd(127, ' ')}\n`), 10);
    fails(b, 'holds 10000000000 values, more than the limit of');
  });
});
