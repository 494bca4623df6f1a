// The command's parsing and validation, in process (fast): every bad flag or value gives exit
// status 2 and one line on stderr naming what was wrong, never a stack trace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { formatCost } from '../src/cli/progress.js';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

describe('vecnet usage errors', () => {
  const cases: [string[], string][] = [
    [['train', '--bogus'], "vecnet: unknown option '--bogus' (see vecnet --help)"],
    [['train', '--lrr', '1'], "vecnet: unknown option '--lrr' (Did you mean --lr?) (see vecnet --help)"],
    [
      ['train', '--lr', 'abc'],
      "vecnet: option '--lr <rate>' argument 'abc' is invalid. expected a positive number such as 1.2 or 0.0075. (see vecnet --help)",
    ],
    [['train', '--lr', '-1'], "vecnet: option '--lr <rate>' argument '-1' is invalid."],
    [
      ['train', '--iterations', '1.5'],
      "vecnet: option '--iterations <n>' argument '1.5' is invalid. expected a positive integer",
    ],
    [['train', '--iterations', '0'], "argument '0' is invalid. expected a positive integer"],
    [['train', '--seed', 'x'], "option '--seed <n>' argument 'x' is invalid. expected an integer seed"],
    [
      ['train', '--layers', '4,0,1'],
      "option '--layers <sizes>' argument '4,0,1' is invalid. expected comma-separated positive integers",
    ],
    [
      ['train', '--hidden', 'swish'],
      "option '--hidden <activation>' argument 'swish' is invalid. Allowed choices are relu, tanh, sigmoid, leaky-relu.",
    ],
    [
      ['train', '--backend', 'gpu'],
      "option '--backend <name>' argument 'gpu' is invalid. Allowed choices are loop, vectorized, wasm.",
    ],
    [['train', '--dtype', 'int8'], 'Allowed choices are float64, float32.'],
    [
      ['train', '--dataset', 'iris'],
      'Allowed choices are planar, circles, moons, blobs, quantiles, no-structure, spiral.',
    ],
    [['train', '--print-every', '-5'], "option '--print-every <n>' argument '-5' is invalid."],
    [
      ['train', '--test-size', '1'],
      "option '--test-size <fraction>' argument '1' is invalid. expected a fraction in [0, 1)",
    ],
    [['train', '--lr'], "vecnet: option '--lr <rate>' argument missing"],
    [['train', 'extra'], "vecnet: too many arguments for 'train'."],
    [
      ['train', '--layers', '4'],
      'vecnet: --layers 4: the last layer is the output and must have 1 unit (labels are one row), e.g. --layers 4,1',
    ],
    [['train', '--test', 'x.h5'], 'vecnet: --test needs --train (an HDF5 training set)'],
    [['train', '--train', 'no-such-file.h5'], 'vecnet: --train no-such-file.h5: no such file'],
    [['frobnicate'], "vecnet: unknown command 'frobnicate'"],
    [['predict'], "vecnet: required option '--model <file>' not specified"],
    [
      ['predict', '--model', 'm.json'],
      'vecnet: predict needs exactly one of --data FILE.h5, --dataset NAME or --image PHOTO',
    ],
    [['sweep'], 'vecnet: sweep needs --hidden-sizes 1,2,3,... or several learning rates (--lr 0.01,0.001)'],
    [
      ['sweep', '--lr', '0.1,x'],
      "option '--lr <rates>' argument '0.1,x' is invalid. expected comma-separated positive numbers",
    ],
    [['sweep', '--hidden-sizes', '1,2', '--layers', '3,1'], '--hidden-sizes sets the layers itself'],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')} -> exit 2`, async () => {
      const { code, out, err } = await run(...argv);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain(message);
      expect(err.trimEnd().split('\n')).toHaveLength(1);
      expect(err).not.toMatch(/\n\s+at /);
    });
  }

  it('a bad model file is a failure (exit 1) with one line naming it', async () => {
    const { code, err } = await run('predict', '--model', 'no-such-model.json', '--dataset', 'planar');
    expect(code).toBe(1);
    expect(err).toBe('vecnet: no-such-model.json: no such file\n');
  });
});

describe('vecnet --help', () => {
  it('lists the commands and every train option', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    for (const word of ['train', 'predict', 'sweep']) expect(out).toContain(word);
    for (const flag of [
      '--dataset',
      '--train',
      '--test',
      '--layers',
      '--hidden',
      '--output',
      '--init',
      '--lr',
      '--iterations',
      '--seed',
      '--backend',
      '--dtype',
      '--print-every',
      '--out',
      '--quiet',
    ]) {
      expect(out).toContain(flag);
    }
  });

  it('train --help, predict --help and --version exit 0', async () => {
    expect((await run('train', '--help')).out).toContain('--hidden <activation>');
    expect((await run('predict', '--help')).out).toContain('--image <photo>');
    expect((await run('--version')).out).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('no arguments prints the help on stderr with status 2', async () => {
    const { code, err } = await run();
    expect(code).toBe(2);
    expect(err).toContain('Usage: vecnet');
  });

  it('formats costs as the notebook (%f)', () => {
    expect(formatCost(0.6930480201239823)).toBe('0.693048');
  });
});

describe('vecnet train variants (in process, short runs)', () => {
  const variants: [string[], RegExp][] = [
    [['--dtype', 'float32'], /Accuracy of network \[2, 4, 1\] tanh: train [\d.]+ %/],
    [['--output', 'linear', '--lr', '0.1'], /Accuracy of network \[2, 4, 1\] tanh: train [\d.]+ %/],
    [['--dataset', 'moons', '--hidden', 'leaky-relu', '--layers', '8,1'], /network \[2, 8, 1\] leakyRelu/],
    [
      ['--dataset', 'spiral', '--test-size', '0.25', '--init', 'he'],
      /train [\d.]+ %, test accuracy [\d.]+ %/,
    ],
    [['--backend', 'loop', '--no-baseline'], /^(?![\s\S]*logistic regression)[\s\S]*Accuracy of network/],
  ];
  for (const [flags, pattern] of variants) {
    it(`train ${flags.join(' ')}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vecnet-variant-'));
      try {
        const { code, out, err } = await run(
          'train',
          ...flags,
          '--iterations',
          '200',
          '--quiet',
          '--out',
          dir,
        );
        expect(err).toBe('');
        expect(code).toBe(0);
        expect(out).toMatch(pattern);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
