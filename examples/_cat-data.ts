// Shared by the cat examples (not an example itself: run.mjs skips files starting with '_').
import { existsSync } from 'node:fs';
import { type H5Dataset, loadH5Dataset } from '../src/index.js';

/** The course's cat vs non-cat files: the paths given on the command line, or datasets/*.h5. */
export async function loadCatData(args: string[]): Promise<{ train: H5Dataset; test: H5Dataset }> {
  const [trainPath = 'datasets/train_catvnoncat.h5', testPath = 'datasets/test_catvnoncat.h5'] = args.filter(
    (a) => !a.startsWith('--') && !/\.(png|jpe?g)$/i.test(a),
  );
  const missing = [trainPath, testPath].filter((p) => !existsSync(p));
  if (missing.length) {
    console.error(`missing ${missing.join(' and ')}.
The cat vs non-cat data set (train_catvnoncat.h5: 209 images, test_catvnoncat.h5: 50 images, 64x64 RGB)
comes with the course's week 2 and week 4 programming assignments ("Neural Networks and Deep Learning"
on Coursera, in each assignment's datasets/ folder); it is not redistributed with vecnet.
Put the two files in ./datasets/ or pass their paths:
  npm run example -- <example> path/to/train_catvnoncat.h5 path/to/test_catvnoncat.h5`);
    process.exit(1);
  }
  return { train: await loadH5Dataset(trainPath), test: await loadH5Dataset(testPath) };
}

/** The value after `--flag` in args, if any. */
export function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
