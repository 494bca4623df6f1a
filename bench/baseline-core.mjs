// A training iteration of a baseline vecnet (an older commit, built by bench/baseline.mjs in a
// temporary worktree) against the current one, both loaded in ONE JavaScript context: Node, or a
// cross-origin isolated page in headless Chromium. Plain JavaScript with neither Node nor DOM APIs
// except in pageMain, so the driver imports it and the page bundles it.
//
// The networks (NETS): 'deep', the deep cat net [12288, 20, 7, 5, 1], ReLU hidden layers, init
// 'scaled' with seed 1, learning rate 0.0075, m = 209 examples (pixel values 0..255 divided by 255,
// 0/1 labels, seeded); 'planar', the planar net [2, 4, 1], tanh, init 'small' with seed 2, learning
// rate 1.2, m = 400 points in [-4, 4]² (seeded, 0/1 labels), where per-call overhead, not GEMM,
// is the cost (what issue 8's fused steps address). Sigmoid output, wasm backend, float32 and float64. One iteration is timed as the time of
// `net.fit(X, Y, { iterations: k })` divided by k (measure 'fit', the public API; fit checks X and Y
// once per call), or of k iterations of the TrainingPlan loop that fit runs (measure 'plan', what
// `npm run bench` times), after warm-up. Rounds are interleaved: every configuration once per round
// in a rotating order, so load from other processes hits all of them alike.

/** The networks: their sizes, options, default iterations per timed call, and data. */
export const NETS = {
  deep: {
    title: 'deep cat training iteration, [12288, 20, 7, 5, 1] x 209, ReLU, learning rate 0.0075',
    layerDims: [12288, 20, 7, 5, 1],
    m: 209,
    hidden: 'relu',
    init: 'scaled',
    seed: 1,
    learningRate: 0.0075,
    iterations: 10,
    data: deepCatData,
  },
  planar: {
    title: 'planar training iteration, [2, 4, 1] x 400, tanh, learning rate 1.2',
    layerDims: [2, 4, 1],
    m: 400,
    hidden: 'tanh',
    init: 'small',
    seed: 2,
    learningRate: 1.2,
    iterations: 1000,
    data: planarData,
  },
};

/**
 * X (12288, 209): whole pixel values 0..255 divided by 255; Y (1, 209): 0/1 labels. Drawn with the
 * given version's RandomState (NumPy's MT19937, bit for bit: `np.random.seed(7);
 * np.floor(np.random.rand(12288 * 209) * 256) / 255`, and seed 11, `rand(209) >= 0.5`).
 */
export function deepCatData(RandomState) {
  const X = new RandomState(7).randData(12288 * 209).map((u) => Math.floor(u * 256) / 255);
  const Y = new RandomState(11).randData(209).map((u) => (u < 0.5 ? 0 : 1));
  return { X, Y };
}

/** X (2, 400) uniform in [-4, 4] (seed 3), Y (1, 400): 1 inside the circle of radius 2.5. */
export function planarData(RandomState) {
  const X = new RandomState(3).randData(2 * 400).map((u) => u * 8 - 4);
  const Y = Array.from({ length: 400 }, (_, j) => (X[j] ** 2 + X[400 + j] ** 2 < 6.25 ? 1 : 0));
  return { X, Y };
}

/**
 * @typedef {object} Config
 * @property {string} name        row label, e.g. 'current, 2 threads'
 * @property {string} build       the wasm build it runs
 * @property {boolean} [baseline] the row the speed-ups are relative to (exactly one)
 * @property {any} lib            that version's public API (dist/src/index.js; in a page dist/src/browser.js)
 * @property {any} TrainingPlan   that version's TrainingPlan class (dist/src/nn/plan.js)
 * @property {() => void} [select]          points 'wasm' at this configuration's backend (before its arrays are made)
 * @property {() => Promise<void>} [ready]  resolves once its worker threads run
 */

/** Arrays and network of one configuration, and a function running k iterations. */
function prepare(config, dtype, data, measure, spec) {
  config.select?.();
  const { lib } = config;
  const { layerDims, m, learningRate } = spec;
  const X = lib.array(data.X, { shape: [layerDims[0], m], dtype, backend: 'wasm' });
  const Y = lib.array(data.Y, { shape: [1, m], dtype, backend: 'wasm' });
  const net = new lib.NeuralNetwork({
    layerDims,
    hidden: spec.hidden,
    output: 'sigmoid',
    init: spec.init,
    seed: spec.seed,
    dtype,
    backend: 'wasm',
  });
  let plan;
  /** k iterations; the first and last cost */
  let step;
  if (measure === 'fit') {
    step = (k) => {
      const { costs } = net.fit(X, Y, { learningRate, iterations: k });
      return { first: costs[0], last: costs[costs.length - 1] };
    };
  } else {
    const { W, b } = net.layers();
    plan = new config.TrainingPlan(net.spec, W, b, m);
    step = (k) => {
      let first = Number.NaN;
      let last = Number.NaN;
      for (let i = 0; i < k; i++) {
        plan.forward(X);
        last = plan.cost(Y);
        if (i === 0) first = last;
        plan.backward(X, Y);
        plan.update(learningRate);
      }
      return { first, last };
    };
  }
  const dispose = () => {
    plan?.dispose();
    net.dispose();
    X.dispose();
    Y.dispose();
  };
  return { step, dispose };
}

/** Milliseconds with four significant digits at least (the planar net's iterations take ~10 µs). */
function ms(x) {
  return x >= 1 ? x.toFixed(3) : x.toPrecision(4);
}

function median(xs) {
  const s = [...xs].sort((p, q) => p - q);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export const MEASURES = {
  fit: 'net.fit(X, Y, { iterations: k }) / k',
  plan: 'k iterations of the TrainingPlan loop / k',
};

/**
 * Runs the interleaved comparison and logs, per dtype and measure, the cost of iteration 0 in every
 * configuration (the same network on the same data: they must agree) and a Markdown table of median
 * and best ms per iteration with each configuration's speed-up over the baseline: the ratio of the
 * medians, and the paired one (the median of the per-round ratios).
 *
 * @param {{ configs: Config[], net: 'deep' | 'planar', dtypes: string[], measures: ('fit' | 'plan')[],
 *   rounds: number, iterations: number, log: (line: string) => void, now: () => number }} options
 * @returns {Promise<{ dtype: string, measure: string, name: string, build: string, median: number,
 *   best: number, speedup: number, paired: number }[]>}
 */
export async function compare({ configs, net, dtypes, measures, rounds, iterations, log, now }) {
  const spec = NETS[net];
  const data = spec.data(configs.find((c) => c.baseline).lib.RandomState);
  const rows = [];
  for (const dtype of dtypes) {
    for (const measure of measures) {
      const runs = [];
      for (const config of configs) {
        const p = prepare(config, dtype, data, measure, spec);
        await config.ready?.();
        // warm-up: the JIT, the plan's buffers, worker threads, the wasm memory's growth
        const { first } = p.step(iterations);
        p.step(iterations);
        runs.push({ config, p, first, times: [] });
      }
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < runs.length; i++) {
          const run = runs[(i + r) % runs.length];
          const t0 = now();
          const { last } = run.p.step(iterations);
          run.times.push((now() - t0) / iterations);
          if (!Number.isFinite(last)) throw new Error(`${run.config.name}, ${dtype}: cost ${last}`);
        }
      }
      for (const run of runs) run.p.dispose();
      const baseTimes = runs.find((run) => run.config.baseline).times;
      const base = median(baseTimes);
      const costs = runs.map((run) => `${run.config.name} ${run.first.toFixed(7)}`).join('; ');
      log('');
      log(`${dtype}, ${MEASURES[measure]}; cost of iteration 0 (same network, same data): ${costs}`);
      log('');
      log(
        '| dtype | measure | configuration | wasm build | median ms | best ms | speed-up vs baseline | ' +
          'paired speed-up |',
      );
      log('|---|---|---|---|---:|---:|---:|---:|');
      for (const run of runs) {
        const med = median(run.times);
        const row = {
          dtype,
          measure,
          name: run.config.name,
          build: run.config.build,
          median: med,
          best: Math.min(...run.times),
          speedup: base / med,
          // the median over rounds of the baseline's time / this one's in the same round: load that
          // drifts between rounds cancels out
          paired: median(run.times.map((t, r) => baseTimes[r] / t)),
        };
        rows.push(row);
        log(
          `| ${dtype} | ${measure} | ${row.name} | ${row.build} | ${ms(row.median)} | ` +
            `${ms(row.best)} | ${row.speedup.toFixed(2)}x | ${row.paired.toFixed(2)}x |`,
        );
      }
    }
  }
  return rows;
}

/**
 * The current version's configurations: one thread on the unthreaded build (relaxed SIMD where the
 * engine has it, and then also the plain SIMD128 build for comparison), and `threads` threads on the
 * threaded build (what `setBackend('wasm')` uses, with getThreads() threads unless --threads says).
 *
 * @param {object} o
 * @param {any} o.cur              dist/src/index.js
 * @param {any} o.curWasm          dist/src/backend/wasm/index.js
 * @param {any} o.registerBackend  from dist/src/backend/registry.js
 * @param {any} o.TrainingPlan     dist/src/nn/plan.js's
 * @param {number | undefined} o.threads  --threads, or undefined for getThreads()
 * @param {(relaxed: boolean, threaded: boolean) => Promise<{ backend: any, build: string }>} o.backend
 * @returns {Promise<Config[]>}
 */
export async function currentConfigs({ cur, curWasm, registerBackend, TrainingPlan, threads, backend }) {
  // a --current older than threads or relaxed SIMD has neither: one thread, its one build
  if (threads !== undefined) cur.setThreads?.(threads);
  const n = cur.getThreads?.() ?? 1;
  const relaxed = curWasm.relaxedSimdSupported?.() ?? false;
  const configs = [];
  const add = async (name, useRelaxed, threaded) => {
    const { backend: be, build } = await backend(useRelaxed, threaded);
    configs.push({
      name,
      build,
      lib: cur,
      TrainingPlan,
      select: () => registerBackend('wasm', () => be),
      ready: async () => {
        await be.threads?.ready();
      },
    });
  };
  if (relaxed) await add('current, 1 thread, SIMD128 build', false, false);
  await add('current, 1 thread', relaxed, false);
  if (n > 1) await add(`current, ${n} threads`, relaxed, true);
  return configs;
}

/**
 * The page's entry (bench/baseline.mjs --browser bundles it with both versions' dist): reads
 * ?net=&rounds=&iterations=&threads=&measures=&dtypes=&ref= , fetches the builds from /base/ and /build/,
 * runs the comparison and logs the table, then 'done' (or 'failed' after the error).
 */
export async function pageMain({ base, BaseTrainingPlan, cur, curWasm, registerBackend, TrainingPlan }) {
  try {
    const q = new URLSearchParams(globalThis.location.search);
    const bytes = async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    };
    await base.ready(await bytes('/base/vecnet.wasm'));
    const threads = q.get('threads') ? Number(q.get('threads')) : undefined;
    const files = {};
    const configs = [
      {
        name: `baseline ${q.get('ref')}, 1 thread`,
        build: 'vecnet.wasm (SIMD128, its only build)',
        baseline: true,
        lib: base,
        TrainingPlan: BaseTrainingPlan,
      },
      ...(await currentConfigs({
        cur,
        curWasm,
        registerBackend,
        TrainingPlan,
        threads,
        backend: async (relaxed, threaded) => {
          const file = relaxed ? 'vecnet.relaxed.wasm' : 'vecnet.wasm';
          files[file] ??= await bytes(`/build/${file}`);
          const be = await curWasm.createWasmBackend({ source: files[file], threads: threaded });
          return { backend: be, build: `${file}${be.threads ? ' over shared memory, threaded' : ''}` };
        },
      })),
    ];
    console.log(
      `${navigator.userAgent}; crossOriginIsolated ${globalThis.crossOriginIsolated}; ` +
        `hardwareConcurrency ${navigator.hardwareConcurrency}; relaxed SIMD ${curWasm.relaxedSimdSupported?.() ?? false}; ` +
        `getThreads() ${cur.getThreads?.() ?? 1}`,
    );
    await compare({
      configs,
      net: q.get('net') ?? 'deep',
      dtypes: (q.get('dtypes') ?? 'float32,float64').split(','),
      rounds: Number(q.get('rounds')),
      iterations: Number(q.get('iterations')),
      measures: q.get('measures').split(','),
      log: (line) => console.log(line),
      now: () => performance.now(),
    });
    cur.terminateThreads?.();
    console.log('done');
  } catch (error) {
    console.log(`error: ${error?.stack ?? error}`);
    console.log('failed');
  }
}
