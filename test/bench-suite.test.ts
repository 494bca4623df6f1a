// The benchmark suite's plumbing (flags, workloads, target verdicts, the harness on a trivial call).
// Speed is never asserted here: `npm run bench -- --quick` is the smoke run of the suite itself.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/args.js';
import { plainJs } from '../bench/contenders/plain.js';
import { vecnetContender } from '../bench/contenders/vecnet.js';
import { measure, QUICK } from '../bench/harness.js';
import { addRatios, evaluateTargets, type Row, rowFor, versusNumpy, withRate } from '../bench/report.js';
import { workloads } from '../bench/workloads.js';

const CONTEXT = {
  ceilings: [{ form: 'mul+add' as const, float32: 70, float64: 35 }],
  build: 'simd128',
  defaultThreads: 2,
};

const statsOf = (median: number) => ({
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
      'course/logreg',
      'course/two_layer',
      'course/deep',
      'course/planar',
    ]) {
      expect(ids).toContain(id);
    }
  });
  it("runs the course's complete runs at their iterations, a fiftieth in a quick run", () => {
    const iterations = (quick: boolean) =>
      Object.fromEntries(
        workloads(quick).flatMap((w) =>
          w.spec.kind === 'course' ? [[w.spec.model, w.spec.iterations]] : [],
        ),
      );
    expect(iterations(false)).toEqual({ logreg: 2000, two_layer: 2500, deep: 2500, planar: 10000 });
    expect(iterations(true)).toEqual({ logreg: 40, two_layer: 50, deep: 50, planar: 200 });
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
    const stats = statsOf;
    const rows: Row[] = [
      withRate(rowFor(w, 'float32', 'wasm', 'vecnet wasm'), w, stats(10)),
      withRate(rowFor(w, 'float32', 'loop', 'vecnet loop'), w, stats(500)),
      withRate(rowFor(w, 'float32', 'tfjs-wasm', 'tfjs-wasm'), w, stats(10.5)),
    ];
    addRatios(rows);
    const t = evaluateTargets(rows, CONTEXT);
    expect(t.find((x) => x.goal === 'wasm >= 30x loop on GEMM 512³ f32')?.pass).toBe(true);
    expect(t.find((x) => x.goal === 'wasm >= 1.1x tfjs-wasm on GEMM 512³ f32')?.pass).toBe(false);
    expect(t.find((x) => x.goal.includes('deep-cat') && x.goal.includes('loop'))?.pass).toBeNull();
  });
});

describe('vecnet vs NumPy', () => {
  const deep = workloads(false).find((w) => w.id === 'train/deep_cat')!;
  const gemm = workloads(false).find((w) => w.id === 'gemm/512x512x512')!;
  const rows: Row[] = [
    withRate(rowFor(deep, 'float32', 'wasm', 'vecnet wasm'), deep, statsOf(4)),
    withRate(rowFor(deep, 'float32', 'wasm-mt', 'vecnet wasm, 2 threads'), deep, statsOf(2.2)),
    withRate(rowFor(deep, 'float32', 'numpy', 'numpy'), deep, statsOf(2.4)),
    withRate(rowFor(deep, 'float64', 'wasm', 'vecnet wasm'), deep, statsOf(9)),
    withRate(rowFor(deep, 'float64', 'wasm-mt', 'vecnet wasm, 2 threads'), deep, statsOf(5)),
    withRate(rowFor(deep, 'float64', 'numpy', 'numpy'), deep, statsOf(4.8)),
    // 2·512³ flops in 4.2 ms: 63.9 GFLOP/s, 91% of the 70 GFLOP/s ceiling
    withRate(rowFor(gemm, 'float32', 'wasm', 'vecnet wasm'), gemm, statsOf(4.2)),
  ];
  const targets = evaluateTargets(rows, CONTEXT);
  const verdict = (part: string) => targets.find((t) => t.goal.includes(part))?.pass;

  it('compares default threads with NumPy and with one thread, per dtype', () => {
    expect(verdict('<= NumPy (1 thread) on the deep-cat iteration f32')).toBe(true);
    expect(verdict('<= NumPy (1 thread) on the deep-cat iteration f64')).toBe(false);
    expect(verdict('<= NumPy (1 thread) on the logistic-regression iteration f32')).toBeNull();
    expect(verdict('>= 1.7x one thread on the deep-cat iteration f32')).toBe(true); // 4 / 2.2 = 1.82
    expect(verdict('>= 1.7x one thread on the deep-cat iteration f64')).toBe(true); // 9 / 5 = 1.8
  });

  it('measures GEMM against the ceiling of the run', () => {
    expect(verdict('ceiling on GEMM 512³ f32')).toBe(true);
    expect(targets.find((t) => t.goal.includes('ceiling on GEMM 512³ f32'))?.measured).toMatch(
      /^91% \(63\.9 of 70\.0/,
    );
    expect(verdict('ceiling on W1·X f32')).toBeNull();
  });

  it('prints one line per workload and dtype with NumPy ÷ vecnet and the threads gain', () => {
    const text = versusNumpy(rows, [deep]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/f32 +4\.000 ms +2\.200 ms +2\.400 ms +1\.09x +1\.82x$/);
    expect(lines[2]).toMatch(/f64 +9\.000 ms +5\.000 ms +4\.800 ms +0\.96x +1\.80x$/);
    expect(
      versusNumpy(
        rows.filter((r) => r.contender !== 'numpy'),
        [deep],
      ),
    ).toBe('');
  });
});
