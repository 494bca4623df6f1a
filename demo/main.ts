// The playground page: controls, the worker, and the drawing. The main thread only draws what the
// worker sends; the library itself lives in the worker (this bundle imports types from it only).

import {
  BACKENDS,
  type Bounds,
  configFromQuery,
  configToQuery,
  DATASETS,
  type DatasetName,
  DTYPES,
  type FromWorker,
  HIDDEN_ACTIVATIONS,
  INITS,
  type PlaygroundConfig,
  type PlaygroundSnapshot,
  parseHidden,
  type ToWorker,
  withPreset,
} from './config.js';
import { drawCostCurve, drawHeatmap } from './render.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const DATASET_LABELS: Record<DatasetName, string> = {
  flower: 'Flower',
  circles: 'Circles',
  moons: 'Moons',
  blobs: 'Blobs',
  quantiles: 'Quantiles',
  spiral: 'Spiral',
};

type Status = PlaygroundSnapshot['status'];

const state = {
  config: configFromQuery(location.search),
  /** Number of the latest reset; messages from older runs are ignored. */
  run: 0,
  status: 'loading' as Status,
  simd: undefined as boolean | undefined,
  backend: undefined as string | undefined,
  iteration: 0,
  costs: new Float64Array(4096),
  count: 0,
  accuracy: Number.NaN,
  /** Smoothed iterations per second. */
  speed: 0,
  /** Latest speed per "backend · dtype" for the current data set and network. */
  speeds: new Map<string, number>(),
  speedKey: '',
  heat: undefined as
    | {
        bounds: Bounds;
        points: Float64Array;
        labels: Float64Array;
        grid: number;
        probabilities?: Float32Array;
      }
    | undefined,
  error: undefined as string | undefined,
};

// ---------------------------------------------------------------- worker

const worker = new Worker(new URL('./worker.js', import.meta.url), {
  type: 'module',
  name: 'vecnet-trainer',
});
const send = (message: ToWorker) => worker.postMessage(message);

worker.addEventListener('message', (event: MessageEvent<FromWorker>) => receive(event.data));
worker.addEventListener('error', (event) => fail(event.message || 'the training worker failed to start'));

function receive(message: FromWorker): void {
  if (message.run !== state.run) return;
  switch (message.type) {
    case 'ready':
      state.simd = message.simd;
      state.backend = message.backend;
      state.heat = {
        bounds: message.bounds,
        points: message.points,
        labels: message.labels,
        grid: message.grid,
      };
      state.iteration = 0;
      state.count = 0;
      state.accuracy = Number.NaN;
      state.speed = 0;
      showBanner(message.warning);
      if (state.status === 'loading') setStatus('ready');
      break;
    case 'frame':
      appendCosts(message.costs);
      state.iteration = message.iteration;
      state.accuracy = message.accuracy;
      if (state.heat) state.heat.probabilities = message.probabilities;
      if (message.costs.length > 0 && message.itersPerSecond > 0) {
        state.speed =
          state.speed === 0 ? message.itersPerSecond : 0.8 * state.speed + 0.2 * message.itersPerSecond;
        state.speeds.set(`${state.backend} · ${state.config.dtype}`, state.speed);
      }
      break;
    case 'done':
      setStatus('done');
      break;
    case 'error':
      fail(message.message);
      break;
  }
  scheduleDraw();
}

function appendCosts(costs: Float64Array): void {
  if (state.count + costs.length > state.costs.length) {
    const grown = new Float64Array(Math.max(state.costs.length * 2, state.count + costs.length));
    grown.set(state.costs.subarray(0, state.count));
    state.costs = grown;
  }
  state.costs.set(costs, state.count);
  state.count += costs.length;
}

function fail(message: string): void {
  state.error = message;
  setStatus('error');
  showBanner(message);
}

// ---------------------------------------------------------------- controls

function chips<T extends string>(
  containerId: string,
  values: readonly T[],
  label: (v: T) => string,
  onPick: (v: T) => void,
): (current: T) => void {
  const container = $(containerId);
  const buttons = values.map((value) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'chip';
    b.setAttribute('role', 'radio');
    b.dataset.value = value;
    b.textContent = label(value);
    b.addEventListener('click', () => onPick(value));
    container.append(b);
    return b;
  });
  return (current) => {
    for (const b of buttons) b.setAttribute('aria-checked', String(b.dataset.value === current));
  };
}

function options(selectId: string, values: readonly string[]): HTMLSelectElement {
  const select = $<HTMLSelectElement>(selectId);
  for (const v of values) select.add(new Option(v, v));
  return select;
}

const markDataset = chips(
  'dataset',
  DATASETS,
  (d) => DATASET_LABELS[d],
  (d) => apply(withPreset(state.config, d)),
);
const markBackend = chips(
  'backend',
  BACKENDS,
  (b) => b,
  (backend) => apply({ ...state.config, backend }),
);
const markDtype = chips(
  'dtype',
  DTYPES,
  (d) => d,
  (dtype) => apply({ ...state.config, dtype }),
);
const hiddenInput = $<HTMLInputElement>('hidden');
const activationSelect = options('activation', HIDDEN_ACTIVATIONS);
const initSelect = options('init', INITS);
const lrInput = $<HTMLInputElement>('lr');
const seedInput = $<HTMLInputElement>('seed');
const iterationsInput = $<HTMLInputElement>('iterations');
const startButton = $<HTMLButtonElement>('start');

function showConfig(config: PlaygroundConfig): void {
  markDataset(config.dataset);
  markBackend(config.backend);
  markDtype(config.dtype);
  hiddenInput.value = config.hidden.join(', ');
  activationSelect.value = config.activation;
  initSelect.value = config.init;
  lrInput.value = String(config.learningRate);
  seedInput.value = String(config.seed);
  iterationsInput.value = String(config.iterations);
  for (const input of [hiddenInput, lrInput, seedInput, iterationsInput])
    input.removeAttribute('aria-invalid');
}

/** What makes speeds comparable: the same data set and network (backend and dtype may differ). */
const speedKeyOf = (c: PlaygroundConfig) => `${c.dataset}|${c.hidden}|${c.activation}`;

/** Adopts a new config: a new run (from the same seed), carrying on training if it was running. */
function apply(config: PlaygroundConfig): void {
  const wasRunning = state.status === 'running';
  state.config = config;
  history.replaceState(null, '', configToQuery(config));
  showConfig(config);
  if (speedKeyOf(config) !== state.speedKey) {
    state.speedKey = speedKeyOf(config);
    state.speeds.clear();
  }
  resetRun(wasRunning);
}

function resetRun(autostart: boolean): void {
  state.count = 0;
  state.iteration = 0;
  state.accuracy = Number.NaN;
  state.speed = 0;
  state.error = undefined;
  if (state.heat) state.heat.probabilities = undefined;
  showBanner(undefined);
  send({ type: 'reset', config: state.config, run: ++state.run });
  setStatus(state.simd === undefined ? 'loading' : 'ready');
  if (autostart) start();
  scheduleDraw();
}

function start(): void {
  if (state.status === 'done') resetRun(false);
  send({ type: 'start' });
  setStatus('running');
}

function pause(): void {
  send({ type: 'pause' });
  setStatus('paused');
}

hiddenInput.addEventListener('change', () => {
  const hidden = parseHidden(hiddenInput.value);
  if (!hidden) return hiddenInput.setAttribute('aria-invalid', 'true');
  apply({ ...state.config, hidden });
});
activationSelect.addEventListener('change', () =>
  apply({ ...state.config, activation: activationSelect.value as PlaygroundConfig['activation'] }),
);
initSelect.addEventListener('change', () =>
  apply({ ...state.config, init: initSelect.value as PlaygroundConfig['init'] }),
);
seedInput.addEventListener('change', () => {
  const seed = Number(seedInput.value);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    return seedInput.setAttribute('aria-invalid', 'true');
  apply({ ...state.config, seed });
});
// the learning rate and the stopping point change the run in place, without starting over
lrInput.addEventListener('change', () => {
  const value = Number(lrInput.value);
  if (!(value > 0 && value <= 100)) return lrInput.setAttribute('aria-invalid', 'true');
  lrInput.removeAttribute('aria-invalid');
  state.config = { ...state.config, learningRate: value };
  history.replaceState(null, '', configToQuery(state.config));
  send({ type: 'learningRate', value });
});
iterationsInput.addEventListener('change', () => {
  const iterations = Number(iterationsInput.value);
  if (!Number.isInteger(iterations) || iterations < 0)
    return iterationsInput.setAttribute('aria-invalid', 'true');
  apply({ ...state.config, iterations });
});
$('controls').addEventListener('submit', (event) => event.preventDefault());
startButton.addEventListener('click', () => (state.status === 'running' ? pause() : start()));
$('reset').addEventListener('click', () => resetRun(false));

// ---------------------------------------------------------------- display

function setStatus(status: Status): void {
  state.status = status;
  document.documentElement.dataset.status = status;
  startButton.disabled = status === 'loading' || status === 'error';
  startButton.textContent =
    status === 'running'
      ? 'Pause'
      : status === 'paused'
        ? 'Resume'
        : status === 'done'
          ? 'Train again'
          : 'Start';
}

function showBanner(text: string | undefined): void {
  const banner = $('banner');
  banner.hidden = !text;
  banner.textContent = text ?? '';
}

const numberFormat = new Intl.NumberFormat('en-US');

function renderStats(): void {
  $('stat-iteration').textContent = numberFormat.format(state.iteration);
  $('stat-cost').textContent = state.count > 0 ? state.costs[state.count - 1].toFixed(4) : '–';
  $('stat-accuracy').textContent = Number.isNaN(state.accuracy)
    ? '–'
    : `${(state.accuracy * 100).toFixed(1)}%`;
  $('stat-speed').textContent = state.speed > 0 ? numberFormat.format(Math.round(state.speed)) : '–';
  const simd = $('simd-badge');
  simd.dataset.state = state.simd === undefined ? 'pending' : state.simd ? 'yes' : 'no';
  simd.textContent = `WebAssembly SIMD ${state.simd === undefined ? '…' : state.simd ? '✓' : '✗'}`;
  $('backend-badge').textContent = `${state.backend ?? state.config.backend} · ${state.config.dtype}`;
}

function renderSpeeds(): void {
  const list = $('speeds');
  if (state.speeds.size === 0) return;
  const max = Math.max(...state.speeds.values());
  const current = `${state.backend} · ${state.config.dtype}`;
  const rows = [...state.speeds].sort((a, b) => b[1] - a[1]);
  list.replaceChildren(
    ...rows.map(([key, speed]) => {
      const li = document.createElement('li');
      li.className = key === current ? 'current' : '';
      const name = document.createElement('span');
      name.textContent = key;
      const bar = document.createElement('span');
      bar.className = 'bar';
      const fill = document.createElement('i');
      fill.style.width = `${((speed / max) * 100).toFixed(1)}%`;
      bar.append(fill);
      const value = document.createElement('b');
      value.textContent = numberFormat.format(Math.round(speed));
      li.append(name, bar, value);
      return li;
    }),
  );
}

let drawPending = false;
function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    renderStats();
    renderSpeeds();
    if (state.heat) drawHeatmap($<HTMLCanvasElement>('heatmap'), state.heat);
    drawCostCurve($<HTMLCanvasElement>('cost'), state.costs, state.count);
  });
}
new ResizeObserver(scheduleDraw).observe($('heatmap'));

// ---------------------------------------------------------------- for tests and the console

const snapshot = (): PlaygroundSnapshot => ({
  status: state.status,
  simd: state.simd,
  backend: state.backend,
  config: structuredClone(state.config),
  iteration: state.iteration,
  accuracy: state.accuracy,
  costs: Array.from(state.costs.subarray(0, state.count)),
  error: state.error,
});
(globalThis as unknown as { playground: { snapshot: () => PlaygroundSnapshot } }).playground = { snapshot };

// ---------------------------------------------------------------- go

const autostart = new URLSearchParams(location.search).get('autostart') === '1';
showConfig(state.config);
state.speedKey = speedKeyOf(state.config);
history.replaceState(null, '', configToQuery(state.config));
resetRun(autostart);
