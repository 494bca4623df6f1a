// The `vecnet` command: train | predict | sweep. Parsing and validation only; the work is in
// train.ts, predict.ts and sweep.ts. Exit status: 0 success, 1 failure (unreadable data, bad model
// file), 2 usage error (unknown option, bad value), 130 interrupted. Errors are one line on stderr;
// VECNET_DEBUG=1 adds the stack trace.

import { Command, CommanderError, Option } from 'commander';
import { MAX_THREADS, printable, TOY_DATASETS, VERSION } from '../index.js';
import type { ExportFlags, ModelFlags, PredictFlags, SweepFlags } from './flags.js';
import { type CliIO, nodeIO } from './io.js';
import {
  checkEnvironment,
  parseFraction,
  parseIntList,
  parseKeepProb,
  parseNonNegative,
  parseNonNegativeInt,
  parseNumberList,
  parsePixels,
  parsePositive,
  parsePositiveInt,
  parseSeed,
  UsageError,
} from './parse.js';

function addModelOptions(cmd: Command, { lrList = false } = {}): Command {
  return cmd
    .addOption(
      new Option('--dataset <name>', 'generated 2-D data set (ignored with --train)').choices([
        ...TOY_DATASETS,
      ]),
    )
    .option('--train <file.h5>', "train on an HDF5 file in the course's layout (e.g. train_catvnoncat.h5)")
    .option('--test <file.h5>', 'evaluate on this HDF5 file too (e.g. test_catvnoncat.h5)')
    .option('--data <file.npz>', 'train on a NumPy .npz file: X and Y (or train_x, train_y; test_x, test_y)')
    .option(
      '--test-size <fraction>',
      'hold out this fraction of a generated data set as a test set',
      parseFraction,
    )
    .option('--data-seed <n>', 'seed of the generated data set (planar is fixed by the course)', parseSeed)
    .option(
      '--layers <sizes>',
      'layer sizes after the input, ending with the output 1 (default 4,1; 20,7,5,1 with --train)',
      parseIntList,
    )
    .addOption(
      new Option('--hidden <activation>', 'hidden activation (default tanh; relu with --train)').choices([
        'relu',
        'tanh',
        'sigmoid',
        'leaky-relu',
      ]),
    )
    .addOption(
      new Option('--output <activation>', 'output activation (default sigmoid)').choices([
        'sigmoid',
        'linear',
      ]),
    )
    .addOption(
      new Option('--init <scheme>', 'weight init (default small; scaled with --train)').choices([
        'zeros',
        'small',
        'scaled',
        'he',
        'xavier',
      ]),
    )
    .addOption(
      lrList
        ? new Option(
            '--lr <rates>',
            'learning rate, or comma-separated rates to sweep (e.g. 0.01,0.001,0.0001)',
          ).argParser(parseNumberList)
        : new Option('--lr <rate>', 'learning rate (default 1.2; 0.0075 with --train)').argParser(
            parsePositive,
          ),
    )
    .option(
      '--iterations <n>',
      'gradient-descent iterations (default 10000; 2500 with --train)',
      parsePositiveInt,
    )
    .option('--seed <n>', 'seed of the weight initialisation (default 2; 1 with --train)', parseSeed)
    .addOption(
      new Option('--backend <name>', 'compute backend (default: fastest available)').choices([
        'loop',
        'vectorized',
        'wasm',
      ]),
    )
    .addOption(new Option('--dtype <type>', 'element type (default float64)').choices(['float64', 'float32']))
    .option(
      '--print-every <n>',
      'print the cost every n iterations, 0 = never (default 1000; 100 with --train)',
      parseNonNegativeInt,
    )
    .addOption(
      new Option('--optimizer <name>', 'update rule (default gd)').choices([
        'gd',
        'momentum',
        'rmsprop',
        'adam',
      ]),
    )
    .option(
      '--batch-size <n>',
      'train on shuffled mini-batches of n examples (default 64 with --epochs)',
      parsePositiveInt,
    )
    .option(
      '--epochs <n>',
      'passes over the data in mini-batches (default 100 with --batch-size)',
      parsePositiveInt,
    )
    .option('--beta <b>', "momentum's beta (default 0.9)", parseFraction)
    .option('--beta1 <b>', "Adam's beta1 (default 0.9)", parseFraction)
    .option('--beta2 <b>', "Adam's and RMSprop's beta2 (default 0.999)", parseFraction)
    .option('--epsilon <e>', "Adam's and RMSprop's epsilon (default 1e-8)", parsePositive)
    .option(
      '--decay-rate <r>',
      'learning-rate decay lr0 / (1 + r * epoch) (default 0: none)',
      parseNonNegative,
    )
    .option('--time-interval <n>', 'decay in steps of n epochs (schedule_lr_decay)', parsePositiveInt)
    .option('--l2 <lambda>', 'L2 regularisation strength (default 0)', parseNonNegative)
    .option(
      '--keep-prob <p>',
      'dropout: probability of keeping a hidden unit (default 1: none)',
      parseKeepProb,
    )
    .option(
      '--validation-split <fraction>',
      'hold out this fraction of the training data for validation',
      parseFraction,
    )
    .option('--patience <n>', 'early stopping: epochs without a better validation cost', parsePositiveInt)
    .option('--out <dir>', 'directory for plots and files (default out)')
    .option('--no-baseline', 'skip the logistic-regression baseline')
    .option('-q, --quiet', 'print only the results (no cost lines, no progress bar)');
}

/** Builds the commander program; `run` receives the chosen command and its options. */
function buildProgram(
  io: CliIO,
  run: (command: string, opts: Record<string, unknown>) => Promise<void>,
): Command {
  const program = new Command('vecnet')
    .description(
      "Andrew Ng's Neural Networks and Deep Learning, in TypeScript: train the course's networks from the command line.",
    )
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: () => {}, // reported by main() as one line
    })
    .showSuggestionAfterError(true);

  const train = addModelOptions(
    program
      .command('train')
      .description(
        "train the course's planar experiment (logistic regression, then a [2,4,1] tanh network), or a network on the data you choose",
      ),
  ).action(async (opts) => run('train', opts));

  program
    .command('predict')
    .description('load a saved model and predict: accuracy on an HDF5 data set, or the class of one image')
    .requiredOption('--model <file>', 'a model saved by `vecnet train` (out/model.json)')
    .option('--data <file.h5>', 'HDF5 data set to evaluate (prints accuracy and predictions)')
    .addOption(
      new Option('--dataset <name>', 'generated 2-D data set to evaluate').choices([...TOY_DATASETS]),
    )
    .option('--image <photo>', 'a PNG or JPEG to classify (resized to the model input)')
    .option('--max-pixels <n>', 'largest image to decode, width x height (default 64000000)', parsePixels)
    .addOption(new Option('--backend <name>', 'compute backend').choices(['loop', 'vectorized', 'wasm']))
    .option('-q, --quiet', 'print only the summary, not each prediction')
    .action(async (opts) => run('predict', opts));

  addModelOptions(
    program
      .command('sweep')
      .description(
        'rerun the experiment for each hidden-layer size or learning rate and tabulate train/test accuracy',
      )
      .option('--hidden-sizes <sizes>', 'hidden-layer sizes to try (e.g. 1,2,3,4,5,20,50)', parseIntList),
    { lrList: true },
  ).action(async (opts) => run('sweep', opts));

  program
    .command('export')
    .description('convert a saved model to another format: ONNX, for ONNX Runtime and other consumers')
    .argument('<model>', 'a model saved by `vecnet train` or `save()` (model.json)')
    .addOption(new Option('--format <format>', 'output format').choices(['onnx']).default('onnx'))
    .requiredOption('-o, --output <file>', 'where to write the converted model (e.g. model.onnx)')
    .action(async (model, opts) => run('export', { ...opts, model }));

  program
    .command('info')
    .description('print the version, the backend that runs (build, threads, memory) and the live arrays')
    .addOption(new Option('--backend <name>', 'compute backend').choices(['loop', 'vectorized', 'wasm']))
    .action(async (opts) => run('info', opts));

  program.addHelpText(
    'after',
    `
Train options (also for sweep):
${train
  .createHelp()
  .visibleOptions(train)
  .map((o) => `  ${o.flags.padEnd(26)} ${o.description}${o.argChoices ? ` [${o.argChoices.join('|')}]` : ''}`)
  .join('\n')}

Examples:
  vecnet train                                  the course's planar experiment (npm start)
  vecnet train --dataset moons --layers 8,1 --lr 0.5
  vecnet train --train train_catvnoncat.h5 --test test_catvnoncat.h5
  vecnet predict --model out/model.json --data test_catvnoncat.h5
  vecnet predict --model out/model.json --image my_cat.jpg
  vecnet sweep --hidden-sizes 1,2,3,4,5,20,50
`,
  );
  return program;
}

/** One line describing an error, without commander's "error: " prefix. */
function oneLine(message: string): string {
  return message
    .replace(/^error: /, '')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ');
}

/**
 * Runs the `vecnet` command with `argv` (the arguments after `vecnet`) and returns the exit status.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: string[], io: CliIO = nodeIO()): Promise<number> {
  const program = buildProgram(io, async (command, opts) => {
    if (command === 'train') {
      const { runTrain } = await import('./train.js');
      await runTrain(opts as ModelFlags, io);
    } else if (command === 'predict') {
      const { runPredict } = await import('./predict.js');
      await runPredict(opts as unknown as PredictFlags, io);
    } else if (command === 'export') {
      const { runExport } = await import('./export.js');
      await runExport(opts as unknown as ExportFlags, io);
    } else if (command === 'info') {
      const { runInfo } = await import('./info.js');
      runInfo(opts as { backend?: 'loop' | 'vectorized' | 'wasm' }, io);
    } else {
      const { runSweep } = await import('./sweep.js');
      await runSweep(opts as SweepFlags, io);
    }
  });
  if (argv.length === 0) {
    io.err(program.helpInformation());
    return 2;
  }
  try {
    checkEnvironment(MAX_THREADS);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return report(e, io);
  }
}

/** Errors whose message says it all: printed without their class name. */
const OUR_ERRORS = new Set(['DataFileError', 'ModelFormatError', 'TrainingDivergedError', 'OutputError']);

/** Prints an error as one line and picks the exit status. */
function report(e: unknown, io: CliIO): number {
  if (e instanceof CommanderError) {
    if (
      e.code === 'commander.helpDisplayed' ||
      e.code === 'commander.version' ||
      e.code === 'commander.help'
    ) {
      return 0;
    }
    io.err(`vecnet: ${printable(oneLine(e.message))} (see vecnet --help)\n`);
    return 2;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name === 'AbortError' || err.message === 'interrupted') {
    io.err('vecnet: interrupted\n');
    return 130;
  }
  const usage = err instanceof UsageError;
  const known = usage || OUR_ERRORS.has(err.name);
  // messages may quote a file's contents: nothing in them reaches the terminal as a control sequence
  io.err(`vecnet: ${known ? '' : `${err.name}: `}${printable(oneLine(err.message))}\n`);
  if (process.env.VECNET_DEBUG && err.stack) io.err(`${err.stack}\n`);
  return usage ? 2 : 1;
}
