// Files from anywhere give a model, a data set, an image or one error of ours: never an abort, a
// stack overflow, a heap blown by a file's declared sizes, or a model lost half-written. The limits
// these tests meet are listed in docs/limits.md.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import h5wasm from 'h5wasm/node';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFileError, ModelFormatError } from '../src/core/errors.js';
import { decodeImage, loadH5Dataset, loadImageColumn, NeuralNetwork, writeH5Dataset } from '../src/index.js';
import { readModelFile } from '../src/io/files.js';
import { canonicalJson, encodeModelFile, type ModelRecord } from '../src/io/format.js';
import { sha256 } from '../src/io/sha256.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vecnet-trust-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** A [2, 3, 1] network's record (small weights, valid) with the given metadata. */
function smallRecord(metadata: unknown): ModelRecord {
  const p = (rows: number, cols: number) => ({
    shape: [rows, cols],
    data: Float64Array.from({ length: rows * cols }, (_, i) => 0.1 * (i + 1)),
  });
  return {
    architecture: {
      type: 'NeuralNetwork',
      layerDims: [2, 3, 1],
      hidden: 'tanh',
      output: 'sigmoid',
      leakySlope: 0.01,
      init: 'small',
      seed: 2,
    },
    dtype: 'float64',
    parameters: new Map([
      ['W1', p(3, 2)],
      ['b1', p(3, 1)],
      ['W2', p(1, 3)],
      ['b2', p(1, 1)],
    ]),
    metadata: metadata as ModelRecord['metadata'],
  };
}

/** A model document with `metadata` swapped in and the checksum recomputed, as a forger would. */
function forged(metadata: unknown): string {
  const { checksum: _, ...doc } = encodeModelFile(smallRecord({})) as unknown as Record<string, unknown>;
  const edited = { ...doc, metadata };
  return JSON.stringify({
    ...edited,
    checksum: { algorithm: 'sha256', value: sha256(canonicalJson(edited)) },
  });
}

describe('model files', () => {
  it('a parameter above 512 MB saves to a .bin beside the JSON and loads back exactly', async () => {
    // 16384 x 8200 float32 = 537 MB in W1 (zeros init: nothing to draw), a few values marked
    const net = new NeuralNetwork({
      layerDims: [16384, 8200, 1],
      dtype: 'float32',
      init: 'zeros',
      backend: 'wasm',
    });
    const W1 = net.parameters.W1;
    const marks: [number, number, number][] = [
      [0, 0, 1.5],
      [4100, 8191, -2.25],
      [8199, 16383, 3.125],
    ];
    for (const [i, j, v] of marks) W1.set([i, j], v);
    const path = join(work, 'big', 'model.json');
    await net.save(path);
    const files = readdirSync(join(work, 'big')).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^model\.[0-9a-f]{12}\.bin$/);
    expect(files[1]).toBe('model.json');
    const back = await NeuralNetwork.load(path, { backend: 'wasm' });
    for (const [i, j, v] of marks) expect(back.parameters.W1.get(i, j)).toBe(v);
    expect(back.parameters.W1.get(1, 1)).toBe(0);
    expect(back.layerDims).toEqual([16384, 8200, 1]);
    net.dispose();
    back.dispose();
  }, 120_000);

  it('a weights file that is missing, cut short or altered is named', async () => {
    const dir = join(work, 'v2');
    const record = smallRecord({});
    mkdirSync(dir, { recursive: true });
    // a hand-made version-2 document over a 104-byte weights file
    const bin = new Uint8Array(new Float64Array(13).fill(0.5).buffer);
    const { checksum: _c, ...v1 } = encodeModelFile(record) as unknown as Record<string, unknown>;
    const parameters: Record<string, { shape: number[]; offset: number }> = {};
    let offset = 0;
    for (const [name, p] of record.parameters) {
      parameters[name] = { shape: p.shape, offset };
      offset += p.data.byteLength;
    }
    const doc = {
      ...v1,
      version: 2,
      parameters,
      weights: { file: 'w.bin', bytes: bin.length, sha256: sha256(bin) },
    };
    const text = JSON.stringify({
      ...doc,
      checksum: { algorithm: 'sha256', value: sha256(canonicalJson(doc)) },
    });
    writeFileSync(join(dir, 'model.json'), text);
    expect((await rejection(readModelFile(join(dir, 'model.json')))).message).toContain(
      'its weights file w.bin is missing',
    );
    writeFileSync(join(dir, 'w.bin'), bin.subarray(0, 100));
    expect((await rejection(readModelFile(join(dir, 'model.json')))).message).toContain(
      'its weights file w.bin holds 100 bytes, the model file says 104',
    );
    const altered = bin.slice();
    altered[7] ^= 1;
    writeFileSync(join(dir, 'w.bin'), altered);
    expect((await rejection(readModelFile(join(dir, 'model.json')))).message).toContain(
      'was corrupted or replaced',
    );
    writeFileSync(join(dir, 'w.bin'), bin);
    const ok = await readModelFile(join(dir, 'model.json'));
    expect(Array.from(ok.parameters.get('b2')!.data)).toEqual([0.5]);
  });

  it('200 MB of small numbers is refused before JSON.parse', async () => {
    const path = join(work, 'numbers.json');
    writeFileSync(path, `[${'0,'.repeat(100_000_000)}0]`);
    const e = await rejection(NeuralNetwork.load(path));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.message).toBe(`${path}: holds more than 1000000 values: not a vecnet model file`);
  }, 60_000);

  it('10,000 levels of nesting is refused without overflowing the stack', async () => {
    const path = join(work, 'deep.json');
    writeFileSync(path, `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const e = await rejection(NeuralNetwork.load(path));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.message).toBe(`${path}: nests deeper than 32 levels: not a vecnet model file`);
    // inside an otherwise valid document too
    const nested = forged({ training: { deep: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) } });
    expect(() => NeuralNetwork.fromJSON(nested)).toThrow('nests deeper than 32 levels');
  });

  it('a JSON file above the size limit is refused from its size alone', async () => {
    const path = join(work, 'huge.json');
    writeFileSync(path, ' '.repeat(2048));
    process.env.VECNET_MAX_MODEL_JSON_BYTES = '1024';
    try {
      expect((await rejection(NeuralNetwork.load(path))).message).toMatch(
        /is 2\.05 kB, more than a model file's JSON may be \(1\.02 kB, \$VECNET_MAX_MODEL_JSON_BYTES\)/,
      );
    } finally {
      delete process.env.VECNET_MAX_MODEL_JSON_BYTES;
    }
  });

  it('every metadata field is checked, with a valid checksum', () => {
    const cases: [unknown, string][] = [
      [{ classes: ['a', 7] }, 'invalid metadata "classes"'],
      [{ classes: Array(1001).fill('x') }, 'invalid metadata "classes"'],
      [{ classes: ['x'.repeat(1001)] }, 'invalid metadata "classes"'],
      [
        { inputShape: [30000, 30000, 3] },
        '[30000, 30000, 3] holds 2700000000 values per example, but the model takes 2',
      ],
      [{ inputShape: [2, 0] }, 'invalid metadata "inputShape"'],
      [{ inputShape: 'x' }, 'invalid metadata "inputShape"'],
      [{ preprocessing: { type: 'scale', factor: 0 } }, '"scale" needs a finite, non-zero "factor"'],
      [{ preprocessing: { type: 'rotate' } }, 'invalid metadata "preprocessing"'],
      [{ preprocessing: { type: 'standardize', mean: [0], std: [1] } }, 'invalid metadata "preprocessing"'],
      [
        { preprocessing: { type: 'standardize', mean: [0, 0], std: [1, 0] } },
        'invalid metadata "preprocessing"',
      ],
      [{ training: { lr: { a: 1 } } }, 'invalid metadata "training.lr"'],
      [{ createdBy: 5 }, 'invalid metadata "createdBy"'],
      [{ clases: ['a', 'b'] }, 'unknown metadata field "clases"'],
      [[1, 2], 'invalid "metadata": expected an object'],
    ];
    for (const [metadata, message] of cases) {
      expect(() => NeuralNetwork.fromJSON(forged(metadata)), JSON.stringify(metadata).slice(0, 80)).toThrow(
        message,
      );
    }
    // and a valid one passes
    const ok = NeuralNetwork.fromJSON(
      forged({ classes: ['no', 'yes'], inputShape: [1, 2], preprocessing: { type: 'scale', factor: 0.5 } }),
    );
    expect(ok.layerDims).toEqual([2, 3, 1]);
    ok.dispose();
  });

  it('saving refuses metadata the loader would refuse, before writing anything', async () => {
    const net = new NeuralNetwork({ layerDims: [2, 3, 1] });
    const path = join(work, 'refused', 'model.json');
    await expect(net.save(path, { inputShape: [3, 3] })).rejects.toThrow(
      '[3, 3] holds 9 values per example, but the model takes 2',
    );
    expect(existsSync(path)).toBe(false);
    net.dispose();
  });

  it('a failed save leaves no temporary file and keeps the previous model', async () => {
    const dir = join(work, 'atomic');
    const net = new NeuralNetwork({ layerDims: [2, 3, 1], seed: 1 });
    await net.save(join(dir, 'model.json'));
    // model.json replaced by a folder: the rename fails, the temporary must go
    mkdirSync(join(dir, 'blocked.json'));
    writeFileSync(join(dir, 'blocked.json', 'keep'), 'x');
    await expect(net.save(join(dir, 'blocked.json'))).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['blocked.json', 'model.json']);
    const back = await NeuralNetwork.load(join(dir, 'model.json'));
    expect(back.parameters.W1.toArray()).toEqual(net.parameters.W1.toArray());
    net.dispose();
    back.dispose();
  });
});

/** A PNG file of only a header: signature, an IHDR claiming width x height, an empty IDAT, IEND. */
function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 4 + body.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('images', () => {
  it('a 65-byte PNG declaring 30000x30000 pixels is refused from its header', async () => {
    const bomb = pngHeader(30000, 30000);
    expect(bomb.length).toBe(65);
    const path = join(work, 'bomb.png');
    writeFileSync(path, bomb);
    const e = await rejection(loadImageColumn(path, 64, 64));
    expect(e).toBeInstanceOf(DataFileError);
    expect(e.message).toBe(
      `${path}: the image is 30000x30000 pixels, more than vecnet decodes (64000000 pixels; raise it with --max-pixels or $VECNET_MAX_IMAGE_PIXELS)`,
    );
  });

  it('the pixel limit is an option and an environment variable', async () => {
    const png = new PNG({ width: 20, height: 10 });
    png.data.fill(200);
    const bytes = PNG.sync.write(png);
    await expect(decodeImage(bytes, 'a.png', { maxPixels: 199 })).rejects.toThrow('20x10 pixels');
    expect((await decodeImage(bytes, 'a.png', { maxPixels: 200 })).width).toBe(20);
    process.env.VECNET_MAX_IMAGE_PIXELS = '100';
    try {
      await expect(decodeImage(bytes, 'a.png')).rejects.toThrow('more than vecnet decodes (100 pixels');
    } finally {
      delete process.env.VECNET_MAX_IMAGE_PIXELS;
    }
    process.env.VECNET_MAX_IMAGE_PIXELS = 'lots';
    try {
      await expect(decodeImage(bytes, 'a.png')).rejects.toThrow(
        "VECNET_MAX_IMAGE_PIXELS must be a positive integer (pixels), got 'lots'",
      );
    } finally {
      delete process.env.VECNET_MAX_IMAGE_PIXELS;
    }
  });

  it('a malformed PNG or JPEG gets one line of ours, not the decoder message', async () => {
    const png = new PNG({ width: 8, height: 8 });
    const good = PNG.sync.write(png);
    const cut = good.subarray(0, good.length - 20);
    await expect(decodeImage(cut, 'cut.png')).rejects.toThrow(
      'cut.png: not a valid PNG image (the file is damaged or truncated)',
    );
    await expect(decodeImage(good.subarray(0, 20), 'short.png')).rejects.toThrow(
      'short.png: not a valid PNG image (its header is damaged or missing)',
    );
    await expect(decodeImage(pngHeader(0, 5), 'zero.png')).rejects.toThrow('its header is damaged');
    await expect(decodeImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 2]), 'x.jpg')).rejects.toThrow(
      'x.jpg: not a valid JPEG image',
    );
    await expect(decodeImage(Buffer.from('GIF89a....'), 'x.gif')).rejects.toThrow(
      'x.gif: not a PNG or JPEG image',
    );
  });
});

describe('HDF5 files', () => {
  it('a small file declaring a huge compressed dataset is refused before reading it', async () => {
    await h5wasm.ready;
    const path = join(work, 'declares-huge.h5');
    const f = new h5wasm.File(path, 'w');
    const x = f.create_dataset({
      name: 'train_set_x',
      data: new Uint8Array(64 * 64 * 3),
      shape: [1, 64, 64, 3],
      dtype: '<B',
      maxshape: [null, 64, 64, 3],
      chunks: [1, 64, 64, 3],
      compression: 9,
    });
    x.resize([1_000_000, 64, 64, 3]); // 12 GB declared, nothing written: the file stays small
    f.create_dataset({ name: 'train_set_y', data: new Uint8Array(1), shape: [1] });
    f.close();
    const e = await rejection(loadH5Dataset(path));
    expect(e).toBeInstanceOf(DataFileError);
    expect(e.message).toBe(
      `${path}: dataset 'train_set_x' declares shape (1000000,64,64,3), 12288000000 values, more than vecnet reads from one dataset (67108864, $VECNET_MAX_DATA_VALUES)`,
    );
  });

  it('class names: too many are refused, long ones cut to 1000 characters', async () => {
    const path = join(work, 'classes.h5');
    await writeH5Dataset(path, {
      images: new Uint8Array(2 * 3),
      exampleShape: [3],
      labels: [0, 1],
      classes: ['a'.repeat(1500), 'b'],
    });
    const d = await loadH5Dataset(path);
    expect(d.classes.map((c) => c.length)).toEqual([1000, 1]);
    const many = join(work, 'many-classes.h5');
    await writeH5Dataset(many, {
      images: new Uint8Array(2 * 3),
      exampleShape: [3],
      labels: [0, 1],
      classes: Array.from({ length: 1001 }, (_, i) => `c${i}`),
    });
    await expect(loadH5Dataset(many)).rejects.toThrow(
      "dataset 'list_classes' holds more than 1000 class names",
    );
  });

  it('elements declared wider than a number are refused before reading', async () => {
    await h5wasm.ready;
    const path = join(work, 'wide.h5');
    const f = new h5wasm.File(path, 'w');
    f.create_dataset({ name: 'train_set_x', data: new Float64Array(4), shape: [2, 2] });
    f.create_dataset({ name: 'train_set_y', data: ['x'.repeat(100), 'y'.repeat(100)], dtype: 'S100' });
    f.close();
    await expect(loadH5Dataset(path)).rejects.toThrow(
      "dataset 'train_set_y' declares 100-byte elements, expected at most 8",
    );
  });
});
