// Property-based fuzzing of the file readers: random byte mutations of valid model files, PNG and
// JPEG images and HDF5 data sets (and, for model files, hostile values written into a valid document
// whose checksum is then recomputed, so the field checks behind the checksum are reached). Each
// mutated file must give a valid result or one line of vecnet's own error (DataFileError,
// ModelFormatError): never another error, an abort or a hang.
//
// The files are loaded in a child process (test/fuzz/load-files.mjs, on the built dist/) with a
// 3 GiB heap, a time limit, and its peak resident memory checked against MEMORY_BOUND: the
// bound docs/limits.md states for loading any file under the default limits.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogisticRegression, NeuralNetwork, sha256, writeH5Dataset } from '../src/index.js';
import { canonicalJson } from '../src/io/format.js';
import { ensureDist, root } from './helpers/dist.js';
import { FUZZ_SEED, fuzzRuns } from './helpers/fuzz.js';

const child = join(root, 'test', 'fuzz', 'load-files.mjs');
/** Peak resident memory allowed for loading any file under the default limits. */
const MEMORY_BOUND = 3 * 2 ** 30;
const TIME_LIMIT_MS = 240_000;

let work: string;
beforeAll(() => {
  ensureDist();
  work = mkdtempSync(join(tmpdir(), 'vecnet-fuzz-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One edit of a file's bytes, at a position taken modulo its length. */
type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'truncate'; at: number };

const position = fc.nat({ max: 2 ** 31 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('set' as const),
      at: position,
      value: fc.oneof(fc.constantFrom(0, 0xff, 0x7f, 0x80, 0x30, 0x39, 0x22, 0x5b), fc.nat({ max: 255 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      at: position,
      bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('delete' as const),
      at: position,
      length: fc.integer({ min: 1, max: 64 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('duplicate' as const),
      at: position,
      length: fc.integer({ min: 1, max: 64 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: position }) },
);

function mutate(bytes: Uint8Array, edits: readonly Mutation[]): Uint8Array {
  let b = Buffer.from(bytes);
  for (const m of edits) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.op === 'flip') b[at] ^= 1 << m.bit;
    else if (m.op === 'set') b[at] = m.value;
    else if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    else if (m.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
    else if (m.op === 'duplicate') b = Buffer.concat([b.subarray(0, at + m.length), b.subarray(at)]);
    else b = b.subarray(0, at);
  }
  return b;
}

/** Values a forger might write into a model document's fields. */
const hostile = fc.constantFrom<unknown>(
  null,
  0,
  -1,
  1.5,
  1e308,
  2 ** 53,
  2 ** 31,
  '',
  'x'.repeat(5000),
  '\u001b[2J',
  [],
  [0],
  [2 ** 40, 2 ** 40],
  [1, -1],
  {},
  { type: 'scale', factor: 1e308 },
  true,
);

/** Every path to a value inside a JSON document (object keys and array indices). */
function paths(doc: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(doc)) {
    for (const [i, v] of doc.entries()) out.push(...paths(v, [...prefix, i]));
  } else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

/** The document with the value at `path` replaced and its checksum recomputed, as a forger would. */
function forge(text: string, pick: number, value: unknown): Uint8Array {
  const doc = JSON.parse(text) as Record<string, unknown>;
  const { checksum: _, ...body } = doc;
  const all = paths(body).filter((p) => p.length > 0);
  const path = all[pick % all.length];
  let target = body as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path[path.length - 1]] = value;
  const forged = { ...body, checksum: { algorithm: 'sha256', value: sha256(canonicalJson(body)) } };
  return Buffer.from(JSON.stringify(forged));
}

interface Outcome {
  i: number;
  outcome: 'valid' | 'ours' | 'foreign';
  detail: string;
}

/** Loads the files in the child process; fails naming the file on a crash, hang or foreign error. */
async function loadAll(
  kind: 'model' | 'image' | 'h5',
  files: string[],
  origins: string[],
): Promise<Outcome[]> {
  const list = join(work, `${kind}-list.json`);
  writeFileSync(list, JSON.stringify(files));
  const { stdout, stderr, error } = await new Promise<{
    stdout: string;
    stderr: string;
    error: Error | null;
  }>((done) =>
    execFile(
      process.execPath,
      ['--max-old-space-size=3072', child, kind, list],
      { timeout: TIME_LIMIT_MS, maxBuffer: 1 << 26 },
      (err, out, errOut) => done({ stdout: out, stderr: errOut, error: err }),
    ),
  );
  if (error) {
    const last = Number(
      stderr
        .trim()
        .split('\n')
        .filter((l) => /^\d+$/.test(l))
        .pop(),
    );
    expect.fail(
      `the loader process failed (${error.message.split('\n')[0]}) on ${files[last]} (${origins[last]}): ${stderr.slice(-500)}`,
    );
  }
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as { results: Outcome[]; maxRssBytes: number };
  expect(report.maxRssBytes, 'peak resident memory of the loader').toBeLessThan(MEMORY_BOUND);
  for (const r of report.results) {
    if (r.outcome === 'foreign') expect.fail(`${files[r.i]} (${origins[r.i]}): ${r.detail}`);
  }
  expect(report.results).toHaveLength(files.length);
  return report.results;
}

/** Writes `runs` mutations of each seed file and loads them all in one child process. */
async function fuzz(
  kind: 'model' | 'image' | 'h5',
  seeds: { name: string; bytes: Uint8Array }[],
  runs: number,
  extra?: (seed: { name: string; bytes: Uint8Array }, i: number) => Uint8Array | undefined,
) {
  const dir = join(work, kind);
  mkdirSync(dir, { recursive: true });
  const edits = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 8 }), {
    seed: FUZZ_SEED,
    numRuns: runs,
  });
  const files: string[] = [];
  const origins: string[] = [];
  edits.forEach((e, i) => {
    const seed = seeds[i % seeds.length];
    const forged = extra?.(seed, i);
    const bytes = forged ?? mutate(seed.bytes, e);
    const file = join(dir, `${i}-${seed.name}`);
    writeFileSync(file, bytes);
    files.push(file);
    origins.push(forged ? `${seed.name}, forged field` : `${seed.name} with ${JSON.stringify(e)}`);
  });
  const results = await loadAll(kind, files, origins);
  // the mutations reach past the format's first check: some files load, some fail for many reasons
  const reasons = new Set(
    results
      .filter((r) => r.outcome === 'ours')
      .map((r) => r.detail.replace(/^[^:]*: [^:]*: /, '').slice(0, 30)),
  );
  return { results, reasons };
}

describe('fuzz: mutated files give a result or one error of ours', () => {
  it('model files (inline weights), byte mutations and forged fields', async () => {
    const dir = join(work, 'seeds');
    const net = new NeuralNetwork({ layerDims: [4, 3, 1], hidden: 'relu', seed: 3 });
    await net.save(join(dir, 'net.json'), {
      classes: ['no', 'yes'],
      inputShape: [2, 2],
      preprocessing: { type: 'standardize', mean: [0, 1, 2, 3], std: [1, 2, 3, 4] },
      training: { iterations: 10, dataset: 'toy' },
    });
    const lr = new LogisticRegression({ nx: 3 });
    await lr.save(join(dir, 'lr.json'));
    net.dispose();
    lr.dispose();
    const seeds = ['net.json', 'lr.json'].map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
    const forgeries = fc.sample(fc.tuple(fc.nat(), hostile), { seed: FUZZ_SEED, numRuns: fuzzRuns(1000) });
    const { results, reasons } = await fuzz('model', seeds, fuzzRuns(1000), (seed, i) =>
      i % 2 === 0
        ? forge(Buffer.from(seed.bytes).toString('utf8'), forgeries[i][0], forgeries[i][1])
        : undefined,
    );
    expect(results.some((r) => r.outcome === 'ours')).toBe(true);
    expect(reasons.size).toBeGreaterThan(5);
  }, 300_000);

  it('PNG and JPEG images', async () => {
    const png = new PNG({ width: 16, height: 12 });
    for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) % 256;
    const rgba = new Uint8Array(png.data);
    const jpg = jpeg.encode({ data: Buffer.from(rgba), width: 16, height: 12 }, 90).data;
    const seeds = [
      { name: 'a.png', bytes: PNG.sync.write(png) },
      { name: 'b.png', bytes: PNG.sync.write(png, { colorType: 2 }) },
      { name: 'c.jpg', bytes: jpg },
    ];
    const { results } = await fuzz('image', seeds, fuzzRuns(1000));
    expect(results.some((r) => r.outcome === 'valid')).toBe(true);
    expect(results.some((r) => r.outcome === 'ours')).toBe(true);
  }, 300_000);

  it('HDF5 data sets', async () => {
    const path = join(work, 'seeds', 'set.h5');
    mkdirSync(join(work, 'seeds'), { recursive: true });
    await writeH5Dataset(path, {
      images: Uint8Array.from({ length: 6 * 4 * 4 * 3 }, (_, i) => i % 251),
      exampleShape: [4, 4, 3],
      labels: [0, 1, 1, 0, 1, 0],
      classes: ['non-cat', 'cat'],
    });
    const { results } = await fuzz('h5', [{ name: 'set.h5', bytes: readFileSync(path) }], fuzzRuns(500));
    expect(results.some((r) => r.outcome === 'ours')).toBe(true);
  }, 300_000);
});
