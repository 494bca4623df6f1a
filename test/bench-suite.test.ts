// The benchmark suite's plumbing (flags, workloads, target verdicts, the harness on a trivial call).
// Speed is never asserted here: `npm run bench -- --quick` is the smoke run of the suite itself.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/args.js';
import { plainJs } from '../bench/contenders/plain.js';
import { vecnetContender } from '../bench/contenders/vecnet.js';
import { measure, QUICK } from '../bench/harness.js';
import { addRatios, evaluateTargets, type Row, rowFor, withRate } from '../bench/report.js';
import { workloads } from '../bench/workloads.js';

describe('bench flags', () => {
  it('parses every flag', () => {
    const a = parseArgs([
      '--quick',
      '--filter',
      'GEMM',
      '--dtype',
      'f32',
      '--json',
      '--no-numpy',
      '--no-tfjs',
    ]);
    expect(a).toMatchObject({
      quick: true,
      filters: ['gemm'],
      dtypes: ['float32'],
      json: true,
      numpy: false,
      tfjs: false,
    });
    expect(parseArgs(['--dtype=float64']).dtypes).toEqual(['float64']);
  });
  it('rejects unknown flags and bad values', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown flag --fast/);
    expect(() => parseArgs(['--dtype', 'int8'])).toThrow(/float32 or float64/);
    expect(() => parseArgs(['--filter'])).toThrow(/--filter needs a value/);
  });
});

describe('bench workloads', () => {
  it('lists the course workloads with unique ids', () => {
    const ids = workloads(false).map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'dot/1e6',
      'gemm/1024x1024x1024',
      'gemm/W1X',
      'gemm/dZ1XT',
      'gemm/W2A1',
      'train/deep_cat',
      'train/planar',
      'train/logreg',
    ]) {
      expect(ids).toContain(id);
    }
  });
});

describe('bench contenders', () => {
  it('vecnet and plain JS run a small GEMM through the harness', async () => {
    const spec = { kind: 'gemm', M: 3, N: 5, K: 7, transA: false, transB: true } as const;
    for (const c of [vecnetContender('loop'), vecnetContender('wasm'), plainJs]) {
      const p = await c.prepare(spec, 'float64');
      const o = measure(c.id, p.run, { ...QUICK, timeMs: 1 });
      p.dispose();
      expect('stats' in o && o.stats.median > 0).toBe(true);
    }
  });
});

describe('bench targets', () => {
  it('reports PASS, MISS and unmeasured targets from the rows', () => {
    const w = workloads(false).find((x) => x.id === 'gemm/512x512x512')!;
    const stats = (median: number) => ({
      median,
      mean: median,
      p75: median,
      p99: median,
      min: median,
      max: median,
      samples: 1,
      batch: 1,
      rme: 0,
    });
    const rows: Row[] = [
      withRate(rowFor(w, 'float32', 'wasm', 'vecnet wasm'), w, stats(10)),
      withRate(rowFor(w, 'float32', 'loop', 'vecnet loop'), w, stats(500)),
      withRate(rowFor(w, 'float32', 'tfjs-wasm', 'tfjs-wasm'), w, stats(10.5)),
    ];
    addRatios(rows);
    const t = evaluateTargets(rows);
    expect(t.find((x) => x.goal === 'wasm >= 30x loop on GEMM 512³ f32')?.pass).toBe(true);
    expect(t.find((x) => x.goal === 'wasm >= 1.1x tfjs-wasm on GEMM 512³ f32')?.pass).toBe(false);
    expect(t.find((x) => x.goal.includes('deep-cat') && x.goal.includes('loop'))?.pass).toBeNull();
  });
});
