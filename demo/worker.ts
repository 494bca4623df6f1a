// The training worker: owns the session and runs gradient descent in slices of about 10 ms, sending
// the page a frame (new costs, throughput, accuracy, heat map) every 50 ms or so and reading its
// messages (pause, learning rate, reset) between slices. Keeping all of this off the main thread is
// what keeps the page responsive while the network trains.

import { getBackend, ready, wasmSimdSupported } from '../src/browser.js';
import type { FromWorker, PlaygroundConfig, ToWorker } from './config.js';
import { GRID, Session } from './session.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
/** The current run's number (from its reset message), stamped on everything sent. */
let run = 0;
type Body = FromWorker extends infer M ? (M extends unknown ? Omit<M, 'run'> : never) : never;
const post = (message: Body, transfer: Transferable[] = []) =>
  scope.postMessage({ ...message, run } as FromWorker, transfer);

/** Time spent training per slice, and the shortest interval between frames. */
const SLICE_MS = 10;
const FRAME_MS = 50;

const loaded = ready().catch(() => getBackend()); // the backend falls back to vectorized by itself
let session: Session | undefined;
let running = false;
/** Iterations per slice, adapted so a slice lasts about SLICE_MS. */
let sliceSize = 1;

// a MessageChannel round trip yields to the event loop without setTimeout's 4 ms clamp
const channel = new MessageChannel();
const yieldToEvents = () =>
  new Promise<void>((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

function finished(s: Session): boolean {
  return s.config.iterations > 0 && s.iteration >= s.config.iterations;
}

async function reset(config: PlaygroundConfig, id: number): Promise<void> {
  await loaded;
  run = id;
  running = false;
  session?.dispose();
  session = undefined;
  let warning: string | undefined;
  if (config.backend === 'wasm' && !wasmSimdSupported()) {
    warning = 'WebAssembly SIMD is not supported here: training on the vectorized backend instead.';
    config = { ...config, backend: 'vectorized' };
  }
  const s = new Session(config);
  session = s;
  sliceSize = 1;
  post(
    {
      type: 'ready',
      simd: wasmSimdSupported(),
      backend: config.backend,
      warning,
      points: s.points,
      labels: s.labels,
      bounds: s.bounds,
      grid: GRID,
    },
    [],
  );
  sendFrame(s, [], 0);
}

function sendFrame(s: Session, costs: number[], itersPerSecond: number): number {
  const t0 = performance.now();
  const probabilities = s.probabilities();
  const accuracy = s.accuracy();
  post(
    {
      type: 'frame',
      iteration: s.iteration,
      costs: Float64Array.from(costs),
      itersPerSecond,
      accuracy,
      probabilities,
    },
    [probabilities.buffer],
  );
  return performance.now() - t0;
}

async function train(s: Session): Promise<void> {
  let frameCost = 0;
  while (running && session === s && !finished(s)) {
    // train for a frame's worth of slices (longer when drawing the frame is expensive, so the
    // heat map never takes more than a fifth of the time)
    const frameEnd = performance.now() + Math.max(FRAME_MS, 4 * frameCost);
    const costs: number[] = [];
    let trainMs = 0;
    do {
      const remaining = s.config.iterations > 0 ? s.config.iterations - s.iteration : Infinity;
      const n = Math.min(sliceSize, remaining);
      const t0 = performance.now();
      for (const c of s.train(n)) costs.push(c);
      const dt = performance.now() - t0;
      trainMs += dt;
      sliceSize = Math.max(1, Math.min(100_000, Math.round((n * SLICE_MS) / Math.max(dt, 0.05))));
    } while (performance.now() < frameEnd && !finished(s));
    frameCost = sendFrame(s, costs, trainMs > 0 ? (costs.length * 1000) / trainMs : 0);
    await yieldToEvents();
  }
  if (session === s && finished(s)) {
    running = false;
    post({ type: 'done', iteration: s.iteration });
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'reset':
      await reset(message.config, message.run);
      break;
    case 'start':
      await loaded;
      if (!running && session && !finished(session)) {
        running = true;
        await train(session);
      }
      break;
    case 'pause':
      running = false;
      break;
    case 'learningRate':
      if (session) session.learningRate = message.value;
      break;
  }
}

scope.addEventListener('message', (event) => {
  handle(event.data).catch((error: unknown) => {
    running = false;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});
