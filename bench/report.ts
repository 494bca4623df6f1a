// What a run produces: the rows of every workload, the console tables, the target verdicts, the
// markdown summary (for docs/performance.md) and the vega-lite chart.
import type { TopLevelSpec } from 'vega-lite';
import type { DType } from '../src/core/dtype.js';
import type { Ceilings } from './ceiling.js';
import { formatSeconds, type Stats } from './harness.js';
import { describeWork, type Group, type Spec, type Workload } from './workloads.js';

export interface Row {
  workload: string;
  title: string;
  group: Group;
  dtype: DType;
  contender: string;
  label: string;
  unit: Workload['unit'];
  stats?: Stats;
  /** GFLOP/s, GB/s, ms per iteration for training, or ms per run for course runs */
  rate?: number;
  /** this contender's median time ÷ vecnet wasm's (how many times slower than wasm) */
  vsWasm?: number;
  skipped?: string;
  note?: string;
}

export function rowFor(w: Workload, dtype: DType, contender: string, label: string): Row {
  return { workload: w.id, title: w.title, group: w.group, dtype, contender, label, unit: w.unit };
}

/** Fills rate from the median. */
export function withRate(row: Row, w: Workload, stats: Stats): Row {
  const rate =
    w.unit === 'ms/iter'
      ? stats.median / (w.spec as Extract<Spec, { kind: 'train' }>).chunk
      : w.unit === 'ms/run'
        ? stats.median
        : w.work(row.dtype) / (stats.median * 1e6);
  return { ...row, stats, rate };
}

/** Adds vsWasm to the rows of one workload and dtype (against wasm on its default threads where only it ran). */
export function addRatios(rows: Row[]): void {
  const wasm = (rows.find((r) => r.contender === 'wasm') ?? rows.find((r) => r.contender === 'wasm-mt'))
    ?.stats?.median;
  for (const r of rows) if (wasm && r.stats) r.vsWasm = r.stats.median / wasm;
}

export function formatMs(ms: number): string {
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 100) return `${ms.toFixed(3)} ms`;
  if (ms < 10_000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function formatRate(r: Row): string {
  if (r.rate === undefined) return '';
  if (r.unit === 'ms/iter' || r.unit === 'ms/run') return formatMs(r.rate);
  return r.rate >= 100 ? r.rate.toFixed(0) : r.rate >= 10 ? r.rate.toFixed(1) : r.rate.toFixed(2);
}

function formatRatio(x: number | undefined): string {
  if (x === undefined) return '';
  return x >= 100 ? `${x.toFixed(0)}x` : x >= 10 ? `${x.toFixed(1)}x` : `${x.toFixed(2)}x`;
}

/** The console table of one workload and dtype. */
export function table(w: Workload, dtype: DType, rows: Row[]): string {
  const train = w.unit === 'ms/iter';
  const spec = w.spec as Extract<Spec, { kind: 'train' }>;
  const head = [
    'contender'.padEnd(44),
    'median/call'.padStart(12),
    (train ? 'per iter' : w.unit === 'ms/run' ? 'per run' : w.unit).padStart(10),
    ...(train ? [`≈${spec.iterations} it`.padStart(11)] : []),
    'time÷wasm'.padStart(10),
    '±rme'.padStart(7),
    'samples'.padStart(9),
  ].join(' ');
  const lines = [`${describeWork(w, dtype)}`, `  ${head}`];
  for (const r of rows) {
    if (!r.stats) {
      lines.push(`  ${r.label.padEnd(44)} skipped: ${r.skipped}`);
      continue;
    }
    const s = r.stats;
    const cells = [
      r.label.padEnd(44),
      formatMs(s.median).padStart(12),
      formatRate(r).padStart(10),
      ...(train && r.rate !== undefined ? [formatMs(r.rate * spec.iterations).padStart(11)] : []),
      formatRatio(r.vsWasm).padStart(10),
      (Number.isFinite(s.rme) ? `${s.rme.toFixed(1)}%` : '-').padStart(7),
      `${s.samples}${s.batch > 1 ? `x${s.batch}` : ''}`.padStart(9),
    ];
    lines.push(`  ${cells.join(' ')}${r.note ? `  (${r.note})` : ''}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// targets: reporting, not a test

export interface Target {
  goal: string;
  /** the measured figure, or why it was not measured */
  measured: string;
  /** null: not measured in this run */
  pass: boolean | null;
}

type Lookup = (workload: string, dtype: DType, contender: string) => Row | undefined;

/** What the targets are measured against: the run's ceilings, wasm build and default threads. */
export interface TargetContext {
  ceilings: Ceilings[];
  build: string;
  defaultThreads: number;
}

export function evaluateTargets(rows: Row[], context: TargetContext): Target[] {
  const find: Lookup = (w, d, c) => rows.find((r) => r.workload === w && r.dtype === d && r.contender === c);
  const out: Target[] = [];
  const short = (d: DType) => (d === 'float32' ? 'f32' : 'f64');
  const dtypes: DType[] = ['float32', 'float64'];
  const threaded = `wasm on ${context.defaultThreads} threads`;

  /** other contender's time ÷ wasm's time >= min */
  const speedup = (w: string, title: string, d: DType, other: string, min: number) => {
    const a = find(w, d, 'wasm');
    const b = find(w, d, other);
    const goal = `wasm >= ${min}x ${other} on ${title} ${short(d)}`;
    if (!a?.stats || !b?.stats) {
      const why = !a
        ? 'wasm not run'
        : !a.stats
          ? `wasm ${a.skipped}`
          : !b
            ? `${other} not run`
            : `${other} ${b.skipped}`;
      out.push({ goal, measured: `not measured (${why})`, pass: null });
      return;
    }
    const x = b.stats.median / a.stats.median;
    out.push({
      goal,
      measured: `${x.toFixed(2)}x (wasm ${formatMs(a.stats.median)}, ${other} ${formatMs(b.stats.median)})`,
      pass: x >= min,
    });
  };
  const gflops = (w: string, title: string, d: DType, min: number) => {
    const a = find(w, d, 'wasm');
    const goal = `wasm ${short(d)} >= ${min} GFLOP/s on ${title}`;
    if (!a?.stats || a.rate === undefined) {
      out.push({ goal, measured: `not measured (${a ? a.skipped : 'not run'})`, pass: null });
      return;
    }
    out.push({ goal, measured: `${a.rate.toFixed(1)} GFLOP/s`, pass: a.rate >= min });
  };

  speedup('gemm/512x512x512', 'GEMM 512³', 'float32', 'loop', 30);
  for (const d of ['float32', 'float64'] as DType[])
    speedup('train/deep_cat', 'the deep-cat iteration', d, 'loop', 10);
  const plain: [string, string][] = [
    ...[64, 128, 256, 512, 1024].map((s): [string, string] => [`gemm/${s}x${s}x${s}`, `GEMM ${s}³`]),
    ['gemm/W1X', 'W1·X'],
    ['gemm/W2A1', '7x20·20x209'],
  ];
  for (const [w, t] of plain) speedup(w, t, 'float32', 'tfjs-wasm', 1.1);
  speedup('gemm/dZ1XT', 'dZ1·Xᵀ', 'float32', 'tfjs-wasm', 10);
  speedup('train/deep_cat', 'the deep-cat iteration', 'float32', 'tfjs-wasm', 7);
  speedup('train/planar', 'the planar run', 'float32', 'tfjs-wasm', 15);
  speedup('train/planar', '1,000 planar iterations (<= 1/3 of NumPy)', 'float64', 'numpy', 3);

  gflops('gemm/256x256x256', 'GEMM 256³', 'float32', 40);
  gflops('gemm/512x512x512', 'GEMM 512³', 'float32', 40);
  gflops('gemm/1024x1024x1024', 'GEMM 1024³', 'float32', 35);
  gflops('gemm/W1X', 'W1·X 20x12288·12288x209', 'float32', 35);
  gflops('gemm/dZ1XT', 'dZ1·Xᵀ 20x209·(12288x209)ᵀ', 'float32', 35);
  gflops('gemm/W2A1', '7x20·20x209', 'float32', 35);
  gflops('gemm/512x512x512', 'GEMM 512³', 'float64', 18);

  // faster than NumPy on one BLAS thread on vecnet's default threads; threads that scale
  for (const [w, title] of [
    ['train/deep_cat', 'the deep-cat iteration'],
    ['train/logreg', 'the logistic-regression iteration'],
  ]) {
    for (const d of dtypes) {
      const a = find(w, d, 'wasm-mt') ?? (context.defaultThreads === 1 ? find(w, d, 'wasm') : undefined);
      const b = find(w, d, 'numpy');
      const goal = `${threaded} <= NumPy (1 thread) on ${title} ${short(d)}`;
      if (!a?.stats || !b?.stats) {
        out.push({ goal, measured: 'not measured', pass: null });
        continue;
      }
      const x = b.stats.median / a.stats.median;
      // per iteration (a timed call may run several)
      const perIteration = (r: Row) => formatMs(r.rate ?? (r.stats as Stats).median);
      out.push({
        goal,
        measured: `${x.toFixed(2)}x as fast (vecnet ${perIteration(a)}, NumPy ${perIteration(b)} per iteration)`,
        pass: a.stats.median <= b.stats.median,
      });
    }
  }
  for (const d of dtypes) {
    const one = find('train/deep_cat', d, 'wasm');
    const many = find('train/deep_cat', d, 'wasm-mt');
    const goal = `${threaded} >= 1.7x one thread on the deep-cat iteration ${short(d)}`;
    if (!one?.stats || !many?.stats) {
      out.push({ goal, measured: 'not measured', pass: null });
      continue;
    }
    const x = one.stats.median / many.stats.median;
    out.push({
      goal,
      measured: `${x.toFixed(2)}x (${formatMs(one.stats.median)} -> ${formatMs(many.stats.median)})`,
      pass: x >= 1.7,
    });
  }
  // GEMM against the machine's multiply-add ceiling, one thread: the best form the engine offers
  // (the relaxed build's fused form, or a multiply then an add, which it could use as well)
  const ceilingOf = (d: DType) => Math.max(...context.ceilings.map((c) => c[d]));
  const forms = context.ceilings.map((c) => c.form).join(' / ');
  for (const [w, title] of [
    ['gemm/512x512x512', 'GEMM 512³'],
    ['gemm/W1X', 'W1·X'],
    ['gemm/dZ1XT', 'dZ1·Xᵀ'],
    ['gemm/W2TdZ2', 'W2ᵀ·dZ2'],
  ]) {
    for (const d of dtypes) {
      const a = find(w, d, 'wasm');
      const peak = ceilingOf(d);
      const goal = `wasm (${context.build}) >= 90% of the ${forms} ceiling on ${title} ${short(d)}`;
      if (!a?.stats || a.rate === undefined || !(peak > 0)) {
        out.push({ goal, measured: 'not measured', pass: null });
        continue;
      }
      const share = a.rate / peak;
      out.push({
        goal,
        measured: `${(100 * share).toFixed(0)}% (${a.rate.toFixed(1)} of ${peak.toFixed(1)} GFLOP/s)`,
        pass: share >= 0.9,
      });
    }
  }
  // "wasm >= 30x loop" over every GEMM that loop ran: the worst case decides
  for (const d of ['float32', 'float64'] as DType[]) {
    const pairs = rows
      .filter((r) => r.group === 'gemm' && r.dtype === d && r.contender === 'loop' && r.stats && r.vsWasm)
      .map((r) => ({ title: r.title, x: r.vsWasm as number }));
    const goal = `wasm >= 30x loop on every GEMM shape loop ran, ${short(d)}`;
    if (pairs.length === 0) {
      out.push({ goal, measured: 'not measured', pass: null });
      continue;
    }
    const worst = pairs.reduce((a, b) => (b.x < a.x ? b : a));
    out.push({
      goal,
      measured: `worst ${worst.x.toFixed(1)}x (${worst.title}) over ${pairs.length} shapes`,
      pass: worst.x >= 30,
    });
  }
  return out;
}

/** The closing list of targets; `all` false (a filtered run) leaves out the unmeasured ones. */
export function targetsText(targets: Target[], all = true): string {
  const lines = ['Targets (reporting, not a test):'];
  for (const t of targets) {
    if (t.pass === null && !all) continue;
    const verdict = t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'MISS';
    lines.push(`  ${verdict}  ${t.goal}: ${t.measured}`);
  }
  const pass = targets.filter((t) => t.pass === true).length;
  const miss = targets.filter((t) => t.pass === false).length;
  lines.push(`  ${pass} PASS, ${miss} MISS, ${targets.length - pass - miss} not measured in this run`);
  return lines.join('\n');
}

/** The targets as a markdown table. */
export function targetsMarkdown(targets: Target[]): string {
  const lines = ['| target | measured | verdict |', '|---|---|---|'];
  for (const t of targets) {
    const verdict = t.pass === null ? 'not measured' : t.pass ? 'PASS' : '**MISS**';
    lines.push(`| ${t.goal} | ${t.measured} | ${verdict} |`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// vecnet vs NumPy

interface VersusLine {
  title: string;
  dtype: DType;
  one?: Row;
  many?: Row;
  numpy?: Row;
}

function versusLines(rows: Row[], workloads: Workload[]): VersusLine[] {
  const lines: VersusLine[] = [];
  for (const w of workloads.filter((x) => x.group === 'training' || x.group === 'course')) {
    for (const d of ['float32', 'float64'] as DType[]) {
      const of = (c: string) => rows.find((r) => r.workload === w.id && r.dtype === d && r.contender === c);
      const numpy = of('numpy');
      if (!numpy?.stats) continue;
      lines.push({ title: w.title, dtype: d, one: of('wasm'), many: of('wasm-mt'), numpy });
    }
  }
  return lines;
}

const timeOf = (r: Row | undefined) => (r?.stats ? formatMs(r.rate ?? r.stats.median) : '–');
/** NumPy's time ÷ vecnet's: above 1, vecnet is faster. */
const asFast = (v: Row | undefined, numpy: Row | undefined) =>
  v?.stats && numpy?.stats ? `${(numpy.stats.median / v.stats.median).toFixed(2)}x` : '–';
const threadGain = (one: Row | undefined, many: Row | undefined) =>
  one?.stats && many?.stats ? `${(one.stats.median / many.stats.median).toFixed(2)}x` : '–';

const VERSUS_HEAD = [
  'workload',
  'dtype',
  'vecnet, 1 thread',
  'vecnet, default threads',
  'NumPy, 1 thread',
  'NumPy ÷ vecnet (default threads)',
  'threads ÷ 1 thread',
];

function versusCells(l: VersusLine): string[] {
  const best = l.many ?? l.one;
  return [
    l.title,
    l.dtype === 'float32' ? 'f32' : 'f64',
    timeOf(l.one),
    timeOf(l.many),
    timeOf(l.numpy),
    asFast(best, l.numpy),
    threadGain(l.one, l.many),
  ];
}

/** The console table: per iteration (training) or per run (course), and the ratios; '' without NumPy. */
export function versusNumpy(rows: Row[], workloads: Workload[]): string {
  const lines = versusLines(rows, workloads);
  if (lines.length === 0) return '';
  const cells = [VERSUS_HEAD, ...lines.map(versusCells)];
  const widths = VERSUS_HEAD.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return cells
    .map((c) => `  ${c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ')}`)
    .join('\n');
}

/** The same as a markdown section, with the run's context (machine, Node, build, threads). */
export function versusNumpyMarkdown(rows: Row[], workloads: Workload[], context: string): string {
  const lines = versusLines(rows, workloads);
  if (lines.length === 0) return '';
  return [
    `#### vecnet vs NumPy (${context})`,
    '',
    'Training rows are per iteration (the mini-batch row per epoch), course runs per complete run; above 1x in the ratio column, vecnet is faster.',
    '',
    `| ${VERSUS_HEAD.join(' | ')} |`,
    `|---|---|${VERSUS_HEAD.slice(2)
      .map(() => '---:')
      .join('|')}|`,
    ...lines.map((l) => `| ${versusCells(l).join(' | ')} |`),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// markdown summary

const CONTENDER_ORDER = [
  'wasm',
  'wasm-mt',
  'vectorized',
  'loop',
  'plain-js',
  'tfjs-wasm',
  'tfjs-cpu',
  'numpy',
];

export function markdown(rows: Row[], workloads: Workload[], labels: Map<string, string>): string {
  const contenders = CONTENDER_ORDER.filter((c) => rows.some((r) => r.contender === c));
  const sections: [string, Group[], string][] = [
    ['Vectorization demo and GEMM', ['dot', 'gemm'], 'GFLOP/s'],
    ['Element-wise and reductions', ['elementwise', 'reduce'], 'GB/s'],
    ['Training', ['training'], 'ms per iteration'],
    ['Complete course runs', ['course'], 'time per run'],
  ];
  const out: string[] = [];
  for (const [name, groups, unit] of sections) {
    const ws = workloads.filter((w) => groups.includes(w.group));
    if (!ws.some((w) => rows.some((r) => r.workload === w.id))) continue;
    out.push(`#### ${name} (${unit}; in brackets: time ÷ vecnet wasm's)`, '');
    out.push(`| workload | dtype | ${contenders.map((c) => labels.get(c) ?? c).join(' | ')} |`);
    out.push(`|---|---|${contenders.map(() => '---:').join('|')}|`);
    for (const w of ws) {
      for (const d of ['float32', 'float64'] as DType[]) {
        const rs = rows.filter((r) => r.workload === w.id && r.dtype === d);
        if (rs.length === 0) continue;
        const cells = contenders.map((c) => {
          const r = rs.find((x) => x.contender === c);
          if (!r) return '–';
          if (!r.stats) return 'skipped';
          const rate = formatRate(r);
          if (c === 'wasm' || (c === 'wasm-mt' && !rs.some((x) => x.contender === 'wasm')))
            return `**${rate}**`;
          return r.vsWasm === undefined ? rate : `${rate} (${formatRatio(r.vsWasm)})`;
        });
        out.push(`| ${w.title} | ${d === 'float32' ? 'f32' : 'f64'} | ${cells.join(' | ')} |`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// chart

export function chartSpec(rows: Row[], title: string): TopLevelSpec {
  const measured = rows.filter((r) => r.stats);
  const gemm = measured
    .filter((r) => r.group === 'gemm' || r.group === 'dot')
    .map((r) => ({
      workload: r.title.replace(/^GEMM /, ''),
      dtype: r.dtype,
      contender: r.label,
      gflops: r.rate,
    }));
  const speed = measured
    .filter((r) => r.vsWasm !== undefined)
    .map((r) => ({ workload: r.title, dtype: r.dtype, contender: r.label, speed: 1 / (r.vsWasm as number) }));
  const axis = { labelLimit: 300 };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    vconcat: [
      {
        title: 'GEMM and dot throughput, GFLOP/s (single thread; log scale)',
        data: { values: gemm },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          column: { field: 'dtype', type: 'nominal', title: null },
          y: { field: 'workload', type: 'nominal', sort: null, title: null, axis },
          x: { field: 'gflops', type: 'quantitative', scale: { type: 'log' }, title: 'GFLOP/s' },
          color: { field: 'contender', type: 'nominal' },
          shape: { field: 'contender', type: 'nominal' },
        },
        width: 320,
      },
      {
        title: "Speed relative to vecnet wasm (wasm's time ÷ contender's time; log scale, 1 = wasm)",
        data: { values: speed },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          column: { field: 'dtype', type: 'nominal', title: null },
          y: { field: 'workload', type: 'nominal', sort: null, title: null, axis },
          x: { field: 'speed', type: 'quantitative', scale: { type: 'log' }, title: 'relative speed' },
          color: { field: 'contender', type: 'nominal' },
          shape: { field: 'contender', type: 'nominal' },
        },
        width: 320,
      },
    ],
  };
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.None });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export { formatSeconds };
