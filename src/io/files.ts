// Model files on disk (Node only): the one place vecnet touches the file system for models. node:fs
// is imported lazily, so this module loads in a browser too (calling it there throws).

import { ModelFormatError } from '../core/index.js';
import { type ModelFile, type ModelRecord, parseModelFile } from './format.js';

/**
 * Writes a model document to `path` as JSON (creating its folder). The text goes to a temporary file
 * beside it, which is then renamed over `path`, so an interrupted save never leaves a truncated model.
 *
 * @example await writeModelFile('out/model.json', encodeModelFile(record));
 */
export async function writeModelFile(path: string, file: ModelFile): Promise<void> {
  const { writeFile, rename, mkdir } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const text = `${JSON.stringify(file, null, 1)}\n`;
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/**
 * Reads and validates a model file (see format.ts); a missing, unreadable, truncated, corrupted or
 * foreign file is a ModelFormatError naming it.
 *
 * @example const record = await readModelFile('out/model.json');
 */
export async function readModelFile(path: string): Promise<ModelRecord> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFormatError(path, code === 'ENOENT' ? 'no such file' : `cannot read the file (${code})`);
  }
  return parseModelFile(text, path);
}
