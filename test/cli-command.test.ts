// The `vecnet` command run as a user runs it: `node bin/vecnet.js ...` in a subprocess (stdout is a
// pipe, so no progress bar), on the compiled dist/ (built here when older than src/).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeH5Dataset } from '../src/data/h5.js';
import { loadToyDataset, toNpz } from '../src/index.js';
import { ensureDist } from './helpers/dist.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'vecnet.js');
let work: string;

beforeAll(() => {
  ensureDist();
  work = mkdtempSync(join(tmpdir(), 'vecnet-cli-'));
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function vecnet(args: string[], cwd = work) {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [bin, ...args], { cwd, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Tags balance and the document is one <svg> element: a light well-formedness check. */
function expectWellFormedSvg(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, selfClose] = m;
    if (selfClose) continue;
    if (close) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
}

/** The number of data points in each scatter layer (vega renders a symbol mark as <path>s). */
function symbolCounts(svg: string): number[] {
  const counts: number[] = [];
  for (const m of svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>/g)) {
    const start = (m.index ?? 0) + m[0].length;
    counts.push(svg.slice(start, svg.indexOf('</g>', start)).split('<path').length - 1);
  }
  return counts;
}

describe('vecnet train (the main job, no arguments)', () => {
  let run: Awaited<ReturnType<typeof vecnet>>;
  beforeAll(async () => {
    run = await vecnet(['train']);
  }, 180_000);

  it('finishes and prints the course cost lines and both accuracies, the network >= 0.85', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Cost after iteration 0: 0.693147'); // logistic regression, w = 0
    expect(run.stdout).toContain('Cost after iteration 0: 0.693048'); // the notebook's first network cost
    expect(run.stdout).toContain('Cost after iteration 1000: 0.288083');
    const lr = run.stdout.match(/Accuracy of logistic regression: train ([\d.]+) %/);
    const net = run.stdout.match(/Accuracy of network \[2, 4, 1\] tanh: train ([\d.]+) %/);
    expect(lr).not.toBeNull();
    expect(net).not.toBeNull();
    expect(Number(lr![1])).toBeCloseTo(47, 0); // the course: 47 %
    expect(Number(net![1])).toBeGreaterThanOrEqual(85); // the course: 90 %
    expect(run.stdout).toContain('Wrote out/cost.svg, out/decision-boundary.svg, out/model.json');
    expect(run.stdout).not.toContain('\x1b['); // no progress bar when stdout is not a terminal
  });

  it('writes a valid cost.svg with both cost curves', () => {
    const svg = readFileSync(join(work, 'out', 'cost.svg'), 'utf8');
    expectWellFormedSvg(svg);
    expect(svg.includes('Cost during training')).toBe(true);
    expect(svg.includes('logistic regression')).toBe(true);
    expect(svg.includes('network [2, 4, 1] tanh')).toBe(true);
    // one line mark per model, each a path through the (thinned) cost history
    const lines = [...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].map((m) => m[1]);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(/ d="M[\d.,-]+(L[\d.,-]+){150,}"/.test(line)).toBe(true);
    expect(
      svg.includes('aria-label="iteration: 0; cost J: 0.693048020124; model: network [2, 4, 1] tanh"'),
    ).toBe(true);
  });

  it('writes a valid decision-boundary.svg: 400 data points over the regions of each model', () => {
    const svg = readFileSync(join(work, 'out', 'decision-boundary.svg'), 'utf8');
    expectWellFormedSvg(svg);
    expect(symbolCounts(svg)).toEqual([400, 400]);
    expect(svg.match(/<g class="mark-rect role-mark/g)).toHaveLength(2);
    expect(/logistic regression: accuracy 0\.4[67]/.test(svg)).toBe(true);
    expect(/network \[2, 4, 1\] tanh: accuracy 0\.(8[5-9]|9)/.test(svg)).toBe(true);
    // the first point of the flower, as the aria label vega writes for it (in both panels)
    expect(svg.split('aria-label="x1: 1.20444229225; x2: 3.57611414813; class: 0"').length - 1).toBe(2);
  });

  it('writes model.json that `vecnet predict` loads and scores the same', async () => {
    const model = JSON.parse(readFileSync(join(work, 'out', 'model.json'), 'utf8'));
    expect(model.format).toBe('vecnet-model');
    expect(model.model.layerDims).toEqual([2, 4, 1]);
    const p = await vecnet(['predict', '--model', 'out/model.json', '--dataset', 'planar', '-q']);
    expect(p.code).toBe(0);
    const acc = run.stdout.match(/Accuracy of network \[2, 4, 1\] tanh: train ([\d.]+ %)/)![1];
    expect(p.stdout).toBe(`Accuracy on planar (400 examples): ${acc}\n`);
  });
});

describe('vecnet on course-style HDF5 files', () => {
  it('trains with --train/--test, then predicts on the .h5 and on a PNG', async () => {
    // 8x8 "images": class 1 bright in the left half, class 0 bright on the right
    const side = 8;
    const make = (m: number, offset: number) => {
      const imgs = new Uint8Array(m * side * side * 3);
      const labels: number[] = [];
      for (let i = 0; i < m; i++) {
        const y = (i + offset) % 2;
        labels.push(y);
        for (let r = 0; r < side; r++)
          for (let c = 0; c < side; c++)
            for (let k = 0; k < 3; k++) {
              const bright = c < side / 2 === (y === 1);
              imgs[((i * side + r) * side + c) * 3 + k] = bright
                ? 200 + ((i * 7 + r) % 50)
                : 30 + ((i + c) % 20);
            }
      }
      return { imgs, labels };
    };
    const tr = make(40, 0);
    const te = make(10, 1);
    await writeH5Dataset(join(work, 'train_tiny.h5'), {
      prefix: 'train_set',
      images: tr.imgs,
      exampleShape: [side, side, 3],
      labels: tr.labels,
      classes: ['non-cat', 'cat'],
    });
    await writeH5Dataset(join(work, 'test_tiny.h5'), {
      prefix: 'test_set',
      images: te.imgs,
      exampleShape: [side, side, 3],
      labels: te.labels,
      classes: ['non-cat', 'cat'],
    });
    const t = await vecnet([
      'train',
      '--train',
      'train_tiny.h5',
      '--test',
      'test_tiny.h5',
      '--layers',
      '5,1',
      '--lr',
      '0.05',
      '--iterations',
      '300',
      '--out',
      'cat',
      '--quiet',
    ]);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(t.stdout).toContain(
      'train_tiny.h5 + test_tiny.h5: 40 training and 10 test examples of 8x8x3, scaled by 1/255',
    );
    expect(t.stdout).toMatch(
      /Accuracy of network \[192, 5, 1\] relu: train 100\.00 %, test accuracy 100\.00 %/,
    );
    expect(t.stdout).toContain('Wrote cat/cost.svg, cat/model.json'); // no decision boundary for images

    const p = await vecnet(['predict', '--model', 'cat/model.json', '--data', 'test_tiny.h5']);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('example  prediction  probability  label');
    expect(p.stdout.trimEnd().split('\n')).toHaveLength(12);
    expect(p.stdout).toContain('Accuracy on test_tiny.h5 (10 examples): 100.00 %');

    // a 32x24 photo of a "cat": bright left half; predict resizes it to 8x8 and scales by 1/255
    const png = new PNG({ width: 32, height: 24 });
    for (let r = 0; r < 24; r++)
      for (let c = 0; c < 32; c++) {
        const o = (r * 32 + c) * 4;
        png.data.fill(c < 16 ? 230 : 40, o, o + 3);
        png.data[o + 3] = 255;
      }
    writeFileSync(join(work, 'photo.png'), PNG.sync.write(png));
    const img = await vecnet(['predict', '--model', 'cat/model.json', '--image', 'photo.png']);
    expect(img.code).toBe(0);
    expect(img.stdout).toMatch(/^photo\.png: cat \(probability of cat 0\.\d{4}; resized to 8x8\)\n$/);

    writeFileSync(join(work, 'not-an-image.png'), 'hello');
    const bad = await vecnet(['predict', '--model', 'cat/model.json', '--image', 'not-an-image.png']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('vecnet: not-an-image.png: not a PNG or JPEG image\n');
  }, 120_000);
});

describe('vecnet sweep and errors as a subprocess', () => {
  it('sweeps hidden sizes, prints the table and writes sweep.json and sweep.svg', async () => {
    const s = await vecnet([
      'sweep',
      '--hidden-sizes',
      '1,3',
      '--iterations',
      '500',
      '--out',
      'sw',
      '--quiet',
    ]);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(
      /hidden units {2}train acc {2}test acc\n +1 +[\d.]+ % +[\d.]+ %\n +3 +[\d.]+ % +[\d.]+ %\n/,
    );
    const json = JSON.parse(readFileSync(join(work, 'sw', 'sweep.json'), 'utf8'));
    expect(json.rows.map((r: { value: number }) => r.value)).toEqual([1, 3]);
    expectWellFormedSvg(readFileSync(join(work, 'sw', 'sweep.svg'), 'utf8'));
  }, 120_000);

  it('trains with mini-batches, Adam, L2, dropout and early stopping, and records them in model.json', async () => {
    const r = await vecnet([
      'train',
      '--dataset',
      'moons',
      '--optimizer',
      'adam',
      '--batch-size',
      '32',
      '--epochs',
      '40',
      '--lr',
      '0.01',
      '--l2',
      '0.1',
      '--keep-prob',
      '0.9',
      '--decay-rate',
      '0.1',
      '--validation-split',
      '0.2',
      '--patience',
      '50',
      '--print-every',
      '20',
      '--no-baseline',
      '--out',
      'adam',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(learning rate 0.01, adam, 40 epochs of 32, L2 0.1, keep 0.9, decay 0.1)');
    expect(r.stdout).toMatch(/Cost after epoch 0: [\d.]+ \(validation [\d.]+, accuracy [\d.]+ %\)\n/);
    expect(r.stdout).toMatch(/learning rate after epoch 20: [\d.]+\n/);
    expect(r.stdout).toMatch(/Cost after epoch 39: /);
    const model = JSON.parse(readFileSync(join(work, 'adam', 'model.json'), 'utf8'));
    expect(model.metadata.training).toMatchObject({
      optimizer: 'adam',
      miniBatchSize: 32,
      epochs: 40,
      l2: 0.1,
      keepProb: 0.9,
      validationSplit: 0.2,
      patience: 50,
    });
    const bad = await vecnet(['train', '--patience', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('vecnet: --patience watches the validation cost: give --validation-split too\n');
    const kp = await vecnet(['train', '--keep-prob', '1.5']);
    expect(kp.code).toBe(2);
    expect(kp.stderr).toContain(
      "option '--keep-prob <p>' argument '1.5' is invalid. expected a probability in (0, 1]",
    );
  }, 120_000);

  it('trains on a NumPy .npz file (--data) with train_x/train_y and test_x/test_y', async () => {
    const { X, Y } = loadToyDataset('moons', { seed: 3 });
    writeFileSync(
      join(work, 'moons.npz'),
      toNpz({
        train_x: X.cols(0, 150),
        train_y: Y.cols(0, 150),
        test_x: X.cols(150, 200),
        test_y: Y.cols(150, 200),
      }),
    );
    const r = await vecnet([
      'train',
      '--data',
      'moons.npz',
      '--iterations',
      '300',
      '--quiet',
      '--out',
      'npz',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Data: moons.npz: 150 training and 50 test examples of 2 features');
    expect(r.stdout).toMatch(/Accuracy of network \[2, 4, 1\] tanh: train [\d.]+ %, test accuracy [\d.]+ %/);
    writeFileSync(join(work, 'other.npz'), toNpz({ A: X }));
    const bad = await vecnet(['train', '--data', 'other.npz']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'vecnet: --data other.npz: expected arrays X and Y or train_x and train_y, found A\n',
    );
    const both = await vecnet(['train', '--data', 'other.npz', '--dataset', 'moons']);
    expect(both.stderr).toBe('vecnet: --data excludes --train and --dataset: choose one data source\n');
  }, 120_000);

  it('bad flags exit 2 with one line and no stack trace', async () => {
    const r = await vecnet(['train', '--hidden', 'swish']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "vecnet: option '--hidden <activation>' argument 'swish' is invalid. Allowed choices are relu, tanh, sigmoid, leaky-relu. (see vecnet --help)\n",
    );
    const u = await vecnet(['train', '--nope']);
    expect(u.code).toBe(2);
    expect(u.stderr).toBe("vecnet: unknown option '--nope' (see vecnet --help)\n");
  });

  it('a truncated HDF5 file fails with one line, without the HDF5 multi-line diagnostics', async () => {
    const whole = readFileSync(join(work, 'train_tiny.h5'));
    writeFileSync(join(work, 'cut.h5'), whole.subarray(0, 2500));
    const r = await vecnet(['train', '--train', 'cut.h5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'vecnet: cut.h5: HDF5 could not read the file (file has been truncated); it may be truncated or damaged\n',
    );
  });

  it('a non-HDF5 training file fails with one line naming it', async () => {
    writeFileSync(join(work, 'fake.h5'), 'not hdf5 at all');
    const r = await vecnet(['train', '--train', 'fake.h5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'vecnet: fake.h5: not an HDF5 file (expected an .h5 file such as train_catvnoncat.h5)\n',
    );
  });
});

describe('examples (npm run example -- <name>)', () => {
  async function example(args: string[]) {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        'node',
        [join(root, 'examples', 'run.mjs'), ...args],
        {
          cwd: work,
          maxBuffer: 1 << 24,
        },
      );
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  it("course/week3 prints the notebook's output in its header (NumPy values; chaotic lines to 1e-3)", async () => {
    const source = readFileSync(join(root, 'examples', 'course', 'week3.ts'), 'utf8');
    const expected = source
      .slice(source.indexOf('The size of the input layer'), source.indexOf(' */'))
      .split('\n')
      .map((l) => l.replace(/^ \*\s{3}/, ''))
      .filter((l) => l.trim() !== '' && l.trim() !== '*');
    const r = await example(['course/week3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => {
      const late = /iteration [789]000:/.exec(expected[i]);
      if (!late) expect(line).toBe(expected[i]);
      else expect(Number(line.split(': ')[1])).toBeCloseTo(Number(expected[i].split(': ')[1]), 3);
    });
  }, 120_000);

  it('deep-step-by-step prints exactly the expected output in its header (NumPy values)', async () => {
    const source = readFileSync(join(root, 'examples', 'deep-step-by-step.ts'), 'utf8');
    const header = source.slice(source.indexOf('Expected output'), source.indexOf(' */'));
    const expected = header
      .split('\n')
      .slice(2)
      .map((l) => l.replace(/^ \*\s{3}/, ''))
      .filter((l) => l.trim() !== '' && l.trim() !== '*');
    const r = await example(['deep-step-by-step']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(expected);
  }, 120_000);

  it('a cat example without the .h5 files says where to get them', async () => {
    const r = await example(['logistic-regression']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing datasets/train_catvnoncat.h5 and datasets/test_catvnoncat.h5');
    expect(r.stderr).toContain('programming assignments');
  }, 120_000);

  it('lists the examples and rejects an unknown one', async () => {
    const list = await example(['--help']);
    expect(list.stdout).toContain('planar');
    expect(list.stdout).not.toContain('_cat-data');
    const bad = await example(['nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("no example 'nope'");
  });
});
