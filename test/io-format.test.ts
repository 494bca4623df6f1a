import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../src/core/errors.js';
import { decodeBase64, encodeBase64 } from '../src/io/base64.js';
import {
  type Architecture,
  canonicalJson,
  decodeModelFile,
  encodeModelFile,
  type ModelRecord,
  parseModelFile,
} from '../src/io/format.js';
import { sha256 } from '../src/io/sha256.js';

const bits = (a: Float64Array | Float32Array) =>
  Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** A [3, 2, 1] network record with awkward float64 values: -0, subnormals, extremes. */
function record(): ModelRecord {
  const architecture: Architecture = {
    type: 'NeuralNetwork',
    layerDims: [3, 2, 1],
    hidden: 'tanh',
    output: 'sigmoid',
    leakySlope: 0.01,
    init: 'small',
    seed: 2,
  };
  const W1 = new Float64Array([0.1 + 0.2, -0, 5e-324, Number.MAX_VALUE, -1 / 3, Math.PI]);
  const b1 = new Float64Array([-Number.MAX_VALUE, -5e-324]);
  return {
    architecture,
    dtype: 'float64',
    parameters: new Map([
      ['W1', { shape: [2, 3], data: W1 }],
      ['b1', { shape: [2, 1], data: b1 }],
      ['W2', { shape: [1, 2], data: new Float64Array([1e-300, -2.5]) }],
      ['b2', { shape: [1, 1], data: new Float64Array([0.7]) }],
    ]),
    metadata: { classes: ['red', 'blue'], preprocessing: { type: 'scale', factor: 1 / 255 } },
  };
}

const errorOf = (fn: () => unknown): ModelFormatError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFormatError);
    return e as ModelFormatError;
  }
  throw new Error('expected an error');
};

describe('sha256 and base64', () => {
  it('sha256 agrees with node:crypto for lengths 0..200 and a 1 MB buffer', () => {
    for (let n = 0; n <= 200; n++) {
      const b = new Uint8Array(randomBytes(n));
      expect(sha256(b)).toBe(createHash('sha256').update(b).digest('hex'));
    }
    const big = new Uint8Array(randomBytes(1 << 20));
    expect(sha256(big)).toBe(createHash('sha256').update(big).digest('hex'));
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('base64 agrees with Buffer and rejects non-canonical text', () => {
    for (let n = 0; n < 70; n++) {
      const b = new Uint8Array(randomBytes(n));
      const text = encodeBase64(b);
      expect(text).toBe(Buffer.from(b).toString('base64'));
      expect(Array.from(decodeBase64(text)!)).toEqual(Array.from(b));
    }
    for (const bad of ['AQI', 'AQJ=', 'AR==', 'A*ID', 'AQ=D', '====', 'AQIDé===']) {
      expect(decodeBase64(bad), bad).toBeUndefined();
    }
  });
});

describe('model file format v1', () => {
  it('round-trips float64 parameters bit for bit through JSON text', () => {
    const rec = record();
    const text = JSON.stringify(encodeModelFile(rec), null, 2);
    const back = parseModelFile(text, 'm.json');
    expect(back.architecture).toEqual(rec.architecture);
    expect(back.dtype).toBe('float64');
    expect(back.metadata).toEqual(rec.metadata);
    expect([...back.parameters.keys()]).toEqual(['W1', 'b1', 'W2', 'b2']);
    for (const [name, p] of rec.parameters) {
      expect(back.parameters.get(name)!.shape).toEqual(p.shape);
      expect(bits(back.parameters.get(name)!.data)).toEqual(bits(p.data));
    }
  });

  it('round-trips float32 and logistic-regression records', () => {
    const rec: ModelRecord = {
      architecture: { type: 'LogisticRegression', nx: 3 },
      dtype: 'float32',
      parameters: new Map([
        ['w', { shape: [3, 1], data: new Float32Array([0.1, -0, 3.4e38]) }],
        ['b', { shape: [1, 1], data: new Float32Array([-1.5]) }],
      ]),
      metadata: {},
    };
    const back = parseModelFile(JSON.stringify(encodeModelFile(rec)));
    expect(back.parameters.get('w')!.data).toBeInstanceOf(Float32Array);
    expect(bits(back.parameters.get('w')!.data)).toEqual(bits(rec.parameters.get('w')!.data));
  });

  it('re-indenting or reordering keys keeps the checksum valid (it is over canonical JSON)', () => {
    const file = encodeModelFile(record());
    const { checksum, metadata, parameters, ...rest } = file;
    const reordered = { checksum, metadata, parameters, ...rest };
    expect(() => parseModelFile(JSON.stringify(reordered))).not.toThrow();
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 'x' }] })).toBe('{"a":[1,{"c":"x","d":2}],"b":1}');
  });

  it('a truncated file says so', () => {
    const text = JSON.stringify(encodeModelFile(record()));
    for (const cut of [1, 10, Math.floor(text.length / 2), text.length - 1]) {
      const e = errorOf(() => parseModelFile(text.slice(0, cut), 'out/model.json'));
      expect(e.message).toMatch(/^out\/model\.json: the file is truncated or is not JSON/);
    }
    expect(errorOf(() => parseModelFile('', 'x.json')).message).toMatch(/^x\.json: the file is empty/);
  });

  it('any flipped bit in the parameters is caught by the checksum (or the base64 check)', () => {
    const text = JSON.stringify(encodeModelFile(record()));
    const start = text.indexOf('"data":"') + 8;
    let caught = 0;
    for (let i = start; i < start + 16; i++) {
      for (const bit of [1, 2, 4]) {
        const flipped = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ bit) + text.slice(i + 1);
        const e = errorOf(() => parseModelFile(flipped, 'm.json'));
        expect(e.message).toMatch(/checksum mismatch|not valid JSON|truncated|base64/);
        caught++;
      }
    }
    expect(caught).toBe(48);
  });

  it('an edited value, architecture or metadata is caught by the checksum', () => {
    const file = encodeModelFile(record());
    const edits: ((f: typeof file) => void)[] = [
      (f) => {
        f.model = { ...f.model, hidden: 'relu' } as Architecture;
      },
      (f) => {
        f.metadata = { ...f.metadata, classes: ['a', 'b'] };
      },
      (f) => {
        (f.parameters.b2 as { data: string }).data = encodeBase64(new Uint8Array(8));
      },
      (f) => {
        f.dtype = 'float32';
      },
    ];
    for (const edit of edits) {
      const copy = JSON.parse(JSON.stringify(file));
      edit(copy);
      expect(errorOf(() => decodeModelFile(copy, 'm.json')).message).toBe(
        'm.json: checksum mismatch: the file was corrupted or edited after it was saved (sha256 of its contents does not match the stored checksum)',
      );
    }
  });

  it('a wrong version, a foreign file or a missing checksum gets a clear error', () => {
    const file = encodeModelFile(record());
    expect(errorOf(() => decodeModelFile({ ...file, version: 3 }, 'm.json')).message).toBe(
      'm.json: unsupported model format version 3 (written by a newer vecnet); this vecnet reads versions 1 and 2',
    );
    expect(errorOf(() => decodeModelFile({ ...file, version: '1' }, 'm.json')).message).toContain(
      'unsupported model format version "1"',
    );
    expect(errorOf(() => decodeModelFile({ hello: 'world' }, 'm.json')).message).toBe(
      'm.json: not a vecnet model file (expected "format": "vecnet-model")',
    );
    const { checksum: _, ...noChecksum } = file;
    expect(errorOf(() => decodeModelFile(noChecksum, 'm.json')).message).toContain('missing checksum');
  });

  it('contents inconsistent with the architecture are rejected even with a valid checksum', () => {
    const rec = record();
    rec.parameters.set('W2', { shape: [2, 2], data: new Float64Array(4) });
    expect(errorOf(() => decodeModelFile(encodeModelFile(rec), 'm.json')).message).toBe(
      'm.json: parameter W2 has shape (2,2), expected (1,2)',
    );
    const rec2 = record();
    rec2.parameters.delete('b2');
    expect(errorOf(() => decodeModelFile(encodeModelFile(rec2), 'm.json')).message).toBe(
      'm.json: missing parameter b2',
    );
    const rec3 = record();
    rec3.parameters.set('b2', { shape: [1, 1], data: new Float64Array(2) });
    expect(errorOf(() => decodeModelFile(encodeModelFile(rec3), 'm.json')).message).toBe(
      'm.json: parameter b2 holds 16 bytes, expected 8 (1 float64 values)',
    );
  });

  it('refuses non-finite weights (a model saved after training diverged), naming the parameter', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const rec = record();
      rec.parameters.set('b1', { shape: [2, 1], data: new Float64Array([0.5, bad]) });
      expect(errorOf(() => decodeModelFile(encodeModelFile(rec), 'm.json')).message).toBe(
        `m.json: parameter b1 holds ${bad} at index 1: a model with non-finite weights cannot compute (was it saved after training diverged?)`,
      );
    }
  });
});
