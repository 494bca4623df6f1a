// The command under hostile or mistaken use: a diverging run stops, says so and keeps the previous
// model; outputs are checked before training; bad numbers and environment variables are usage errors
// (exit 2); text from files never reaches the terminal as escapes; a closed pipe ends quietly.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { array, NeuralNetwork } from '../src/index.js';
import { ensureDist, root } from './helpers/dist.js';

let work: string;
beforeAll(() => {
  ensureDist();
  work = mkdtempSync(join(tmpdir(), 'vecnet-trust-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

/** Runs fn with the environment variables set, then restores them. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const oneLine = (err: string) => {
  expect(err.endsWith('\n')).toBe(true);
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
};

describe('a diverging run', () => {
  it('stops with exit 1, names the iteration and keeps the previous model', async () => {
    const out = join(work, 'diverge');
    const good = await run('train', '--iterations', '50', '--quiet', '--out', out);
    expect(good.code).toBe(0);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    for (const backend of ['loop', 'vectorized', 'wasm']) {
      const bad = await run(
        ...['train', '--hidden', 'relu', '--lr', '1e6', '--iterations', '200', '--quiet', '--no-baseline'],
        ...['--backend', backend, '--out', out],
      );
      expect(bad.code).toBe(1);
      oneLine(bad.err);
      expect(bad.err).toMatch(
        /^vecnet: network \[2, 4, 1\] relu: training diverged at iteration \d+: the cost became (NaN|Infinity) .*nothing was written\. Try a smaller learning rate than --lr 1000000\n$/,
      );
      for (const [f, text] of Object.entries(before)) expect(readFileSync(join(out, f), 'utf8')).toBe(text);
      expect(readdirSync(out).sort()).toEqual(Object.keys(before).sort());
    }
  });
});

describe('outputs are checked before training', () => {
  it('--out whose model.json is a folder fails at once, leaving nothing behind', async () => {
    const out = join(work, 'blocked');
    mkdirSync(join(out, 'model.json'), { recursive: true });
    const r = await run('train', '--iterations', '20000', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`vecnet: cannot write ${join(out, 'model.json')}: it is a folder\n`);
    expect(r.out).not.toContain('Cost after');
    expect(readdirSync(out)).toEqual(['model.json']);
  });

  it('--out naming a file, for train and for sweep', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    for (const argv of [
      ['train', '--out', file],
      ['sweep', '--hidden-sizes', '1,2', '--out', file],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toBe(`vecnet: --out ${file}: it is a file, not a folder\n`);
      expect(r.out).toBe('');
    }
  });
});

describe('numbers and environment variables', () => {
  const cases: [string[], string][] = [
    [['train', '--lr', '0x10'], "option '--lr <rate>' argument '0x10' is invalid"],
    [['train', '--iterations', '0x10'], "option '--iterations <n>' argument '0x10' is invalid"],
    [['train', '--lr', 'Infinity'], "option '--lr <rate>' argument 'Infinity' is invalid"],
    [
      ['train', '--test-size', '0.999'],
      '--test-size 0.999 holds out 400 of the 400 examples, leaving none to train on',
    ],
    [['predict', '--model', 'm.json', '--dataset', 'planar', '--max-pixels', '-1'], "'--max-pixels"],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')} -> exit 2`, async () => {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      oneLine(r.err);
      expect(r.err).toContain(message);
    });
  }

  for (const [name, value, message] of [
    ['VECNET_THREADS', 'four', "VECNET_THREADS must be an integer from 1 to 64, got 'four'"],
    ['VECNET_THREADS', '0', "VECNET_THREADS must be an integer from 1 to 64, got '0'"],
    ['VECNET_THREADS', '1000', "VECNET_THREADS must be an integer from 1 to 64, got '1000'"],
    ['VECNET_MAX_IMAGE_PIXELS', '1e6', "VECNET_MAX_IMAGE_PIXELS must be a positive integer, got '1e6'"],
    ['VECNET_MAX_DATA_VALUES', '-5', "VECNET_MAX_DATA_VALUES must be a positive integer, got '-5'"],
  ] as const) {
    it(`${name}=${value} -> exit 2`, async () => {
      const r = await withEnv({ [name]: value }, () => run('train', '--iterations', '1'));
      expect(r.code).toBe(2);
      expect(r.err).toBe(`vecnet: ${message}\n`);
    });
  }
});

describe('text from files', () => {
  it('class names with terminal escapes are printed as visible escapes', async () => {
    const net = new NeuralNetwork({ layerDims: [2, 3, 1], hidden: 'tanh', seed: 2 });
    const path = join(work, 'escapes', 'model.json');
    await net.save(path, { classes: ['\u001b[2Jred\u0007', 'blue\u001b]0;owned\u0007'] });
    net.dispose();
    const r = await run('predict', '--model', path, '--dataset', 'planar');
    expect(r.code).toBe(0);
    const controls = [...r.out].filter((c) => c !== '\n' && (c < ' ' || c === '\u007f'));
    expect(controls).toEqual([]);
    expect(r.out).toContain('\\x1b[2Jred\\x07');
    expect(r.out).toContain('blue\\x1b]0;owned\\x07');
  });
});

describe('images through the command', () => {
  let model: string;
  beforeAll(async () => {
    // a model over 2x2 RGB images
    const net = new NeuralNetwork({ layerDims: [12, 2, 1], seed: 1 });
    net.fit(array(Array.from({ length: 12 }, (_, i) => [i / 12, 1 - i / 12])), array([[0, 1]]), {
      iterations: 5,
    });
    model = join(work, 'image-model', 'model.json');
    await net.save(model, { inputShape: [2, 2, 3], classes: ['dark', 'light'] });
    net.dispose();
  });

  it('a PNG larger than --max-pixels is one line of ours, exit 1', async () => {
    const png = new PNG({ width: 40, height: 30 });
    png.data.fill(255);
    const photo = join(work, 'photo.png');
    writeFileSync(photo, PNG.sync.write(png));
    const ok = await run('predict', '--model', model, '--image', photo);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(
      /^.*photo\.png: (dark|light) \(probability of light 0\.\d{4}; resized to 2x2\)\n$/,
    );
    const r = await run('predict', '--model', model, '--image', photo, '--max-pixels', '1000');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `vecnet: ${photo}: the image is 40x30 pixels, more than vecnet decodes (1000 pixels; raise it with --max-pixels or $VECNET_MAX_IMAGE_PIXELS)\n`,
    );
  });

  it('a damaged PNG is one line of ours, exit 1', async () => {
    const png = new PNG({ width: 4, height: 4 });
    const bytes = PNG.sync.write(png);
    const path = join(work, 'damaged.png');
    writeFileSync(path, bytes.subarray(0, bytes.length - 16));
    const r = await run('predict', '--model', model, '--image', path);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`vecnet: ${path}: not a valid PNG image (the file is damaged or truncated)\n`);
  });
});

describe('a closed pipe', () => {
  it('`vecnet train | head -1` ends quietly with status 0', async () => {
    const child = spawn(
      'node',
      [join(root, 'bin', 'vecnet.js'), 'train', '--iterations', '1000000', '--print-every', '1'],
      { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // read the first chunk, then close the reading end as `head -1` does
    await new Promise<void>((done) => child.stdout.once('data', () => done()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
