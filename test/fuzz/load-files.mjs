// The child process of test/fuzz-files.test.ts: loads each file it is given as a user would (a model,
// an image, an HDF5 data set) and reports, per file, whether it gave a valid result, an error of
// vecnet's own, or anything else. It runs in its own process so that an abort, a hang or a memory
// blow-up fails the test instead of the test runner; it reports its peak resident memory at the end.
//
// usage: node load-files.mjs <model|image|h5> <list.json>   (list.json: an array of file paths)

import { readFileSync } from 'node:fs';
import {
  DataFileError,
  decodeImage,
  loadH5Dataset,
  loadModel,
  ModelFormatError,
} from '../../dist/src/index.js';

const [kind, listFile] = process.argv.slice(2);
const files = JSON.parse(readFileSync(listFile, 'utf8'));

/** Loads one file; resolves to a short description of the valid result. */
async function load(path) {
  if (kind === 'model') {
    const { model } = await loadModel(path);
    const text = `${model.constructor.name}`;
    model.dispose();
    return text;
  }
  if (kind === 'image') {
    const img = await decodeImage(readFileSync(path), path);
    if (img.data.length !== img.width * img.height * 3) throw new Error('inconsistent image');
    return `${img.width}x${img.height}`;
  }
  const d = await loadH5Dataset(path);
  const m = d.Y.shape[1];
  if (d.X.shape[1] !== m || d.X.shape[0] !== d.exampleShape.reduce((p, x) => p * x, 1)) {
    throw new Error('inconsistent data set');
  }
  const text = `${d.X.shape.join('x')}`;
  d.X.dispose();
  d.Y.dispose();
  return text;
}

const results = [];
for (const [i, path] of files.entries()) {
  // the file being loaded, for the parent to name if this process dies or hangs on it
  process.stderr.write(`${i}\n`);
  try {
    results.push({ i, outcome: 'valid', detail: await load(path) });
  } catch (e) {
    const ours = e instanceof DataFileError || e instanceof ModelFormatError;
    const message = String(e?.message ?? e);
    const oneLine = !message.includes('\n');
    results.push({
      i,
      outcome: ours && oneLine ? 'ours' : 'foreign',
      detail: `${e?.name}: ${message.slice(0, 300)}`,
    });
  }
}
process.stdout.write(`${JSON.stringify({ results, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
