// `vecnet train`: the course's planar experiment by default — logistic regression, then a
// [2, 4, 1] tanh network (lr 1.2, 10,000 iterations, init small, seed 2) — or any network on the
// data the flags choose. Prints the costs and accuracies; writes cost.svg, decision-boundary.svg
// (2-D data) and model.json to --out.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { array, LogisticRegression, NeuralNetwork, saveModel } from '../index.js';
import {
  classify,
  type ExperimentConfig,
  type ExperimentData,
  loadData,
  networkLabel,
  pct,
  resolveConfig,
  runLabel,
  type TrainedModel,
  trainModel,
  useBackend,
} from './experiment.js';
import type { ModelFlags } from './flags.js';
import { interruptSignal } from './interrupt.js';
import type { CliIO } from './io.js';
import { checkOutputs } from './outputs.js';
import { costPlot, decisionBoundaryPlot, makeGrid, plotsUnavailable } from './plots.js';

/** Runs `vecnet train` with parsed flags. @example await runTrain({ dataset: 'moons' }, nodeIO()); */
export async function runTrain(flags: ModelFlags, io: CliIO): Promise<void> {
  const config = await resolveConfig(flags);
  await checkOutputs(config.out, ['model.json', 'cost.svg', 'decision-boundary.svg']);
  const backend = useBackend(config.backend);
  const data = await loadData(config);
  const nx = data.XTrain.shape[0];
  io.out(`Data: ${data.description}\n`);
  io.out(`Backend: ${backend}, dtype ${config.dtype}\n`);

  const { signal, release } = interruptSignal();
  const trained: TrainedModel[] = [];
  try {
    if (config.baseline) {
      if (!config.quiet) {
        io.out(`\nLogistic regression (${runLabel(config)})\n`);
      }
      const lr = new LogisticRegression({ dtype: config.dtype });
      trained.push(await trainModel(io, 'logistic regression', lr, data, config, signal));
    }
    const dims = [nx, ...config.layers];
    const label = networkLabel(dims, config.hidden);
    if (!config.quiet) {
      io.out(
        `\nNetwork ${JSON.stringify(dims)}, ${config.hidden} hidden, init ${config.init} seed ${config.seed} (${runLabel(config)})\n`,
      );
    }
    const net = new NeuralNetwork({
      layerDims: dims,
      hidden: config.hidden,
      output: config.output,
      init: config.init,
      seed: config.seed,
      dtype: config.dtype,
    });
    trained.push(await trainModel(io, label, net, data, config, signal));
  } finally {
    release();
  }

  io.out('\n');
  for (const t of trained) {
    const test = t.testAccuracy === undefined ? '' : `, test accuracy ${pct(t.testAccuracy)}`;
    io.out(`Accuracy of ${t.label}: train ${pct(t.trainAccuracy)}${test} (${t.seconds.toFixed(2)} s)\n`);
  }
  const noPlots = await plotsUnavailable();
  const files = await writeOutputs(config, data, trained, noPlots === undefined);
  io.out(`\nWrote ${files.join(', ')}${noPlots ? ` (${noPlots})` : ''}\n`);
  for (const t of trained) t.model.dispose();
}

/** Writes cost.svg, decision-boundary.svg (2-D data only) when `plots`, and model.json (the network); returns the paths. */
async function writeOutputs(
  config: ExperimentConfig,
  data: ExperimentData,
  trained: TrainedModel[],
  plots: boolean,
): Promise<string[]> {
  await mkdir(config.out, { recursive: true });
  const files: string[] = [];
  if (plots) files.push(...(await writePlots(config, data, trained)));
  const net = trained[trained.length - 1];
  const modelFile = join(config.out, 'model.json');
  await saveModel(net.model, modelFile, {
    classes: data.classes,
    inputShape: data.inputShape,
    preprocessing: data.preprocessing,
    training: {
      data: data.description,
      learningRate: config.learningRate,
      iterations: config.iterations,
      ...trainingRecord(config.training),
      finalCost: net.costs[net.costs.length - 1] ?? null,
      trainAccuracy: net.trainAccuracy,
      testAccuracy: net.testAccuracy ?? null,
    },
  });
  files.push(modelFile);
  return files;
}

/** Writes cost.svg and, for 2-D data, decision-boundary.svg; returns their paths. */
async function writePlots(
  config: ExperimentConfig,
  data: ExperimentData,
  trained: TrainedModel[],
): Promise<string[]> {
  const files: string[] = [];
  const costFile = join(config.out, 'cost.svg');
  // every cost is kept; the plot gets about 200 points per curve
  const series = trained.map((t) => {
    const step = Math.max(1, Math.ceil(t.costs.length / 200));
    const iterations: number[] = [];
    const costs: number[] = [];
    for (let i = 0; i < t.costs.length; i += step) {
      iterations.push(i);
      costs.push(t.costs[i]);
    }
    if (t.costs.length && iterations[iterations.length - 1] !== t.costs.length - 1) {
      iterations.push(t.costs.length - 1);
      costs.push(t.costs[t.costs.length - 1]);
    }
    return { name: t.label, iterations, costs };
  });
  await writeFile(costFile, await costPlot(series));
  files.push(costFile);

  if (data.planar) {
    const x = data.XTrain.data;
    const m = data.XTrain.shape[1];
    const grid = makeGrid(x, m, 100);
    const G = array(grid.points, { shape: [2, grid.resolution ** 2], dtype: config.dtype });
    const regions = trained.map((t) => ({
      name: t.label,
      accuracy: t.trainAccuracy,
      labels: classify(t.model, G),
    }));
    G.dispose();
    const file = join(config.out, 'decision-boundary.svg');
    await writeFile(file, await decisionBoundaryPlot(x, data.YTrain.data, grid, regions));
    files.push(file);
  }

  return files;
}

/** The training options as the model file's flat record (earlyStopping as its patience). */
function trainingRecord(t: ExperimentConfig['training']): Record<string, string | number> {
  const { earlyStopping, validationData: _, ...flat } = t;
  return {
    ...(flat as Record<string, string | number>),
    ...(earlyStopping ? { patience: earlyStopping.patience } : {}),
  };
}
