// `vecnet sweep`: rerun the experiment for each hidden-layer size (or learning rate) and print a
// table of train/test accuracy — the course's "hyperparameters are found by trying".

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NeuralNetwork } from '../index.js';
import { loadData, networkLabel, resolveConfig, trainModel, useBackend } from './experiment.js';
import type { SweepFlags } from './flags.js';
import { interruptSignal } from './interrupt.js';
import type { CliIO } from './io.js';
import { checkOutputs } from './outputs.js';
import { UsageError } from './parse.js';
import { plotsUnavailable, type SweepRow, sweepPlot } from './plots.js';

/**
 * Runs `vecnet sweep`. Generated data sets hold out 20% as a test set unless --test-size says
 * otherwise; each run re-seeds, as the course does for every hidden size.
 *
 * @example await runSweep({ hiddenSizes: [1, 2, 4] }, nodeIO());
 */
export async function runSweep(flags: SweepFlags, io: CliIO): Promise<void> {
  const rates = Array.isArray(flags.lr) ? flags.lr : undefined;
  const sizes = flags.hiddenSizes;
  if (!sizes && !(rates && rates.length > 1)) {
    throw new UsageError('sweep needs --hidden-sizes 1,2,3,... or several learning rates (--lr 0.01,0.001)');
  }
  if (sizes && rates && rates.length > 1)
    throw new UsageError('sweep one thing at a time: --hidden-sizes or a list of --lr');
  if (sizes && flags.layers)
    throw new UsageError('--hidden-sizes sets the layers itself ([n_h, 1]); drop --layers');
  const config = await resolveConfig(
    { ...flags, lr: rates?.length === 1 ? rates[0] : undefined },
    { testSize: 0.2 },
  );
  // a sweep is many trainings: find an unwritable --out before them, not after
  if (flags.out !== undefined) await checkOutputs(config.out, ['sweep.json', 'sweep.svg']);
  useBackend(config.backend);
  const data = await loadData(config);
  const nx = data.XTrain.shape[0];
  io.out(`Data: ${data.description}\n`);
  const parameter = sizes ? 'hidden units' : 'learning rate';
  const values: number[] = sizes ?? (rates as number[]);
  const rows: SweepRow[] = [];
  const { signal, release } = interruptSignal();
  try {
    for (const value of values) {
      const layers = sizes ? [value, 1] : config.layers;
      const learningRate = sizes ? config.learningRate : value;
      const dims = [nx, ...layers];
      const net = new NeuralNetwork({
        layerDims: dims,
        hidden: config.hidden,
        output: config.output,
        init: config.init,
        seed: config.seed,
        dtype: config.dtype,
      });
      if (!config.quiet) io.out(`\n${networkLabel(dims, config.hidden)}, learning rate ${learningRate}\n`);
      const t = await trainModel(
        io,
        networkLabel(dims, config.hidden),
        net,
        data,
        { ...config, learningRate, printEvery: config.quiet ? 0 : config.printEvery },
        signal,
      );
      net.dispose();
      rows.push({ value, train: t.trainAccuracy, test: t.testAccuracy });
      if (!config.quiet) {
        io.out(`Accuracy for ${value} ${parameter}: ${(t.trainAccuracy * 100).toFixed(2)} %\n`);
      }
    }
  } finally {
    release();
  }
  const hasTest = rows.some((r) => r.test !== undefined);
  const width = Math.max(parameter.length, ...rows.map((r) => String(r.value).length));
  io.out(`\n${parameter.padStart(width)}  train acc${hasTest ? '  test acc' : ''}\n`);
  for (const r of rows) {
    const test = hasTest
      ? `  ${r.test === undefined ? '-' : `${(r.test * 100).toFixed(2)} %`.padStart(8)}`
      : '';
    io.out(`${String(r.value).padStart(width)}  ${`${(r.train * 100).toFixed(2)} %`.padStart(9)}${test}\n`);
  }
  if (flags.out !== undefined) {
    const json = join(config.out, 'sweep.json');
    const svg = join(config.out, 'sweep.svg');
    await writeFile(
      json,
      `${JSON.stringify({ parameter, data: data.description, learningRate: config.learningRate, iterations: config.iterations, rows }, null, 2)}\n`,
    );
    const noPlots = await plotsUnavailable();
    if (noPlots) io.out(`\nWrote ${json} (${noPlots})\n`);
    else {
      await writeFile(svg, await sweepPlot(parameter, rows));
      io.out(`\nWrote ${json}, ${svg}\n`);
    }
  }
}
