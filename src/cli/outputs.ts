// Where `vecnet train` writes (its --out folder), checked before any training: finding after minutes
// of training that the model cannot be written would lose the work.

import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** An output that cannot be written; exit status 1. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/**
 * Makes sure the folder `dir` exists (creating it) and is writable, and that none of `files` in it is
 * a folder. Throws an OutputError naming the path and the reason.
 *
 * @example await checkOutputs('out', ['model.json', 'cost.svg']);
 */
export async function checkOutputs(dir: string, files: readonly string[]): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (st && !st.isDirectory()) throw new OutputError(`--out ${dir}: it is a file, not a folder`);
  await mkdir(dir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new OutputError(`--out ${dir}: cannot make the folder (${e.code ?? e.message})`);
  });
  await access(dir, constants.W_OK).catch((e: NodeJS.ErrnoException) => {
    throw new OutputError(`--out ${dir}: the folder is not writable (${e.code ?? e.message})`);
  });
  for (const file of files) {
    const path = join(dir, file);
    if ((await stat(path).catch(() => undefined))?.isDirectory()) {
      throw new OutputError(`cannot write ${path}: it is a folder`);
    }
  }
}
