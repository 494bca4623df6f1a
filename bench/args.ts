// Command-line flags of `npm run bench -- ...`.
import type { DType } from '../src/core/dtype.js';

export interface BenchArgs {
  /** every workload at reduced size and time, the whole suite in under a minute (CI smoke run) */
  quick: boolean;
  /** keep workloads whose id or title contains one of these (case-insensitive); empty keeps all */
  filters: string[];
  dtypes: DType[];
  /** the results as JSON on stdout (tables go to stderr) */
  json: boolean;
  numpy: boolean;
  tfjs: boolean;
  /** write bench/results/<date>.{json,svg,md} */
  write: boolean;
  /** worker threads for vecnet's wasm GEMM; 1 (default) compares single thread with single thread */
  threads: number;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [flags]

  --quick              every workload once, reduced sizes and sample time (< 1 minute)
  --filter <text>      only workloads whose id or title contains <text> (repeatable)
  --dtype <dtype>      float32 or float64 (default: both)
  --json               print the results as JSON on stdout (tables go to stderr)
  --no-numpy           do not run the NumPy subprocess
  --no-tfjs            do not run the TensorFlow.js contenders
  --no-write           do not write bench/results/<date>.{json,svg,md}
  --threads <n>        threads for vecnet wasm's GEMM (default 1: every contender single-threaded)
  --help               this text`;

/** Parses argv (without node and the script); throws on an unknown flag or a bad value. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    quick: false,
    filters: [],
    dtypes: ['float32', 'float64'],
    json: false,
    numpy: true,
    tfjs: true,
    write: true,
    threads: 1,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.startsWith('--') && flag.includes('=') ? flag.split(/=(.*)/s) : [flag];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value\n\n${USAGE}`);
      return v;
    };
    switch (name) {
      case '--quick':
        args.quick = true;
        break;
      case '--filter':
        args.filters.push(value().toLowerCase());
        break;
      case '--dtype': {
        const v = value();
        const d = v === 'f32' ? 'float32' : v === 'f64' ? 'float64' : v;
        if (d !== 'float32' && d !== 'float64')
          throw new Error(`--dtype must be float32 or float64, got ${v}`);
        args.dtypes = [d];
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--no-numpy':
        args.numpy = false;
        break;
      case '--no-tfjs':
        args.tfjs = false;
        break;
      case '--no-write':
        args.write = false;
        break;
      case '--threads': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new Error(`--threads must be a positive integer, got ${v}`);
        args.threads = n;
        break;
      }
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new Error(`unknown flag ${flag}\n\n${USAGE}`);
    }
  }
  return args;
}
