// SVG charts for the CLI: vega-lite specs compiled to vega and rendered headless (`renderer: 'none'`
// needs no canvas; text widths are estimated). Each function returns the SVG text.

import type { TopLevelSpec } from 'vega-lite';

/** One cost curve: `costs[k]` was recorded at iteration `iterations[k]`. */
export interface CostSeries {
  name: string;
  iterations: number[];
  costs: number[];
}

/**
 * Why the plots cannot be drawn here, or undefined when they can: vega and vega-lite are optional
 * peer dependencies (only the CLI's plots use them, so a library user does not install ~11 MB for
 * them). @example if (await plotsUnavailable()) skipPlots();
 */
export async function plotsUnavailable(): Promise<string | undefined> {
  try {
    await import('vega');
    await import('vega-lite');
    return undefined;
  } catch {
    return 'plots skipped: they are drawn with vega and vega-lite, which are not installed (npm install vega vega-lite)';
  }
}

/** Renders a vega-lite spec to an SVG string. @example const svg = await renderSvg(spec); */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  // warnings would interleave with the CLI's output; the specs are ours and tested
  const quiet = vega.logger(vega.None);
  const compiled = vl.compile(spec, { logger: quiet }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.None });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Cost against iteration, one line per model (log-scaled y when the costs span two decades).
 *
 * @example
 * const svg = await costPlot([{ name: 'tanh [2,4,1]', iterations: [0, 1000], costs: [0.69, 0.26] }]);
 */
export async function costPlot(series: CostSeries[], title = 'Cost during training'): Promise<string> {
  const values = series.flatMap((s) =>
    s.costs.map((cost, k) => ({ model: s.name, iteration: s.iterations[k], cost })),
  );
  const positive = values.filter((v) => v.cost > 0).map((v) => v.cost);
  const logY = positive.length === values.length && Math.max(...positive) / Math.min(...positive) > 100;
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 480,
    height: 300,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: values.length <= 60 },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
      y: {
        field: 'cost',
        type: 'quantitative',
        title: 'cost J',
        scale: logY ? { type: 'log' } : { zero: false },
      },
      color: {
        field: 'model',
        type: 'nominal',
        title: 'model',
        legend: { labelLimit: 400, orient: 'bottom' },
      },
    },
  } as TopLevelSpec);
}

/** Class colours of the points (as the course's red/blue), and lighter ones for the regions. */
const POINT_COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const REGION_COLORS = ['#f3c4c4', '#c3d8ec', '#c8e6c8', '#ffd9b3', '#ddd0ea', '#e0cdc9'];

/** A model's predicted class on a grid of points, for `decisionBoundaryPlot`. */
export interface DecisionRegions {
  name: string;
  /** Accuracy shown in the panel title, if given. */
  accuracy?: number;
  /** labels[r * resolution + c] is the class at (xs[c], ys[r]). */
  labels: ArrayLike<number>;
}

/** The grid `decisionBoundaryPlot` evaluates models on: a square of `resolution`² cell centres. */
export interface Grid {
  resolution: number;
  xs: Float64Array;
  ys: Float64Array;
  /** The bounds of the plotted area: the data's range plus a margin. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** The grid points as a (2, resolution²) column-per-point matrix, row-major: x's then y's. */
  points: Float64Array;
}

/**
 * A `resolution` x `resolution` grid covering the data (X's first two rows, (2, m) row-major) with
 * a margin of 1 on each side, as the course's `plot_decision_boundary`.
 *
 * @example
 * const grid = makeGrid(X.data, X.shape[1], 100);
 * const labels = model.predict(array(grid.points, { shape: [2, 100 * 100] })).data;
 */
export function makeGrid(x: ArrayLike<number>, m: number, resolution = 100): Grid {
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, x[m + i]);
    y1 = Math.max(y1, x[m + i]);
  }
  if (!(m > 0)) [x0, x1, y0, y1] = [0, 0, 0, 0];
  x0 -= 1;
  x1 += 1;
  y0 -= 1;
  y1 += 1;
  const xs = new Float64Array(resolution);
  const ys = new Float64Array(resolution);
  for (let k = 0; k < resolution; k++) {
    xs[k] = x0 + ((k + 0.5) * (x1 - x0)) / resolution;
    ys[k] = y0 + ((k + 0.5) * (y1 - y0)) / resolution;
  }
  const n = resolution * resolution;
  const points = new Float64Array(2 * n);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      points[r * resolution + c] = xs[c];
      points[n + r * resolution + c] = ys[r];
    }
  }
  return { resolution, xs, ys, x0, x1, y0, y1, points };
}

/**
 * The data points over each model's decision regions, one panel per model. Regions are drawn as
 * rectangles: each grid row's runs of equal class merged into one rectangle, which keeps the SVG small.
 *
 * @example
 * const svg = await decisionBoundaryPlot(X.data, Y.data, grid, [{ name: 'tanh [2,4,1]', labels }]);
 */
export async function decisionBoundaryPlot(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  grid: Grid,
  models: DecisionRegions[],
  title = 'Decision boundary',
): Promise<string> {
  const m = y.length;
  const points = Array.from({ length: m }, (_, i) => ({ x1: x[i], x2: x[m + i], label: String(y[i]) }));
  const { resolution: g, x0, x1, y0, y1 } = grid;
  const dx = (x1 - x0) / g;
  const dy = (y1 - y0) / g;
  const panels = models.map((model) => {
    const cells: { a: number; b: number; c: number; d: number; label: string }[] = [];
    for (let r = 0; r < g; r++) {
      let start = 0;
      for (let c = 1; c <= g; c++) {
        const prev = model.labels[r * g + c - 1];
        if (c === g || model.labels[r * g + c] !== prev) {
          cells.push({
            a: x0 + start * dx,
            b: x0 + c * dx,
            c: y0 + r * dy,
            // rows overlap by a fraction of a cell, so anti-aliasing draws no seams between them
            d: Math.min(y1, y0 + (r + 1.3) * dy),
            label: String(prev),
          });
          start = c;
        }
      }
    }
    const name =
      model.accuracy === undefined ? model.name : `${model.name}: accuracy ${model.accuracy.toFixed(3)}`;
    return {
      title: name,
      width: 320,
      height: 320,
      layer: [
        {
          data: { values: cells },
          mark: { type: 'rect', strokeWidth: 0, aria: false },
          encoding: {
            x: { field: 'a', type: 'quantitative', scale: { domain: [x0, x1], nice: false }, title: 'x1' },
            x2: { field: 'b' },
            y: { field: 'c', type: 'quantitative', scale: { domain: [y0, y1], nice: false }, title: 'x2' },
            y2: { field: 'd' },
            fill: { field: 'label', type: 'nominal', title: 'class', scale: { range: REGION_COLORS } },
          },
        },
        {
          data: { values: points },
          mark: { type: 'circle', size: 18, opacity: 0.9, stroke: 'black', strokeWidth: 0.3 },
          encoding: {
            x: { field: 'x1', type: 'quantitative' },
            y: { field: 'x2', type: 'quantitative' },
            color: { field: 'label', type: 'nominal', title: 'class' },
          },
        },
      ],
    };
  });
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    hconcat: panels,
    resolve: { scale: { color: 'shared', fill: 'shared' } },
    config: {
      axis: { grid: false },
      range: { category: POINT_COLORS },
    },
  } as TopLevelSpec);
}

/** One row of a sweep: the value tried and the accuracies it reached. */
export interface SweepRow {
  value: number | string;
  train: number;
  test?: number;
}

/**
 * Train (and test) accuracy for each value of a swept hyperparameter, as grouped points joined by lines.
 *
 * @example
 * const svg = await sweepPlot('hidden units', [{ value: 4, train: 0.9, test: 0.88 }]);
 */
export async function sweepPlot(parameter: string, rows: SweepRow[]): Promise<string> {
  const values = rows.flatMap((r) => [
    { value: String(r.value), set: 'train', accuracy: r.train },
    ...(r.test === undefined ? [] : [{ value: String(r.value), set: 'test', accuracy: r.test }]),
  ]);
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Accuracy by ${parameter}`,
    width: 420,
    height: 260,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'value', type: 'ordinal', sort: null, title: parameter },
      y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, title: 'accuracy' },
      color: { field: 'set', type: 'nominal', title: 'set' },
    },
  } as TopLevelSpec);
}
