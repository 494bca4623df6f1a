// Model files on disk (Node only): the one place vecnet touches the file system for models. node:fs
// is imported lazily, so this module loads in a browser too (calling it there throws).
//
// Small models are one JSON file (format version 1). Weights above INLINE_WEIGHTS_MAX_BYTES go to a
// binary file beside it (version 2), named by its content's hash (`model.3f9a0c1d2b4e.bin`), which the
// JSON names and checksums. A save writes every file under a temporary name and renames it into place,
// the weights first: an interrupted save leaves the previous model intact (its JSON still names its
// own weights file), and every temporary file is removed on the way out, whatever happened.

import { formatBytes, limitOf, ModelFormatError } from '../core/index.js';
import {
  decodeModelFile,
  encodeModelFile,
  INLINE_WEIGHTS_MAX_BYTES,
  type ModelRecord,
  parameterBytes,
  parametersBytes,
  parseModelJson,
  weightsFileOf,
} from './format.js';

type Fs = typeof import('node:fs/promises');

/** The weights file name for a model saved at `path`: the JSON's name, the hash's start, `.bin`. */
function weightsName(path: string, digest: string, basename: (p: string) => string): string {
  const base =
    basename(path)
      .replace(/\.json$/i, '')
      .replace(/[^\w.-]/g, '_')
      .replace(/^\.+/, '') || 'model';
  return `${base}.${digest.slice(0, 12)}.bin`;
}

/**
 * Writes a model record to `path` as JSON, with its weights inline or, when they exceed
 * INLINE_WEIGHTS_MAX_BYTES, in a .bin file beside it (see the file comment). A weights file of the
 * previous save that the new JSON no longer names is removed afterwards.
 *
 * @example await writeModelFile('out/model.json', record);
 */
export async function writeModelFile(path: string, record: ModelRecord): Promise<void> {
  const fs: Fs = await import('node:fs/promises');
  const { dirname, basename, join } = await import('node:path');
  const { createHash } = await import('node:crypto');
  const dir = dirname(path);
  await fs.mkdir(dir, { recursive: true });
  const temps: string[] = [];
  const temp = (name: string) => {
    const t = `${name}.${process.pid}.${temps.length}.tmp`;
    temps.push(t);
    return t;
  };
  const previous = await previousWeights(fs, path);
  try {
    let weights: { file: string; bytes: number; sha256: string } | undefined;
    if (parametersBytes(record) > INLINE_WEIGHTS_MAX_BYTES) {
      const hash = createHash('sha256');
      for (const p of record.parameters.values()) hash.update(parameterBytes(p.data));
      const digest = hash.digest('hex');
      const file = weightsName(path, digest, basename);
      const tmp = temp(join(dir, file));
      const handle = await fs.open(tmp, 'w');
      try {
        for (const p of record.parameters.values()) await handle.write(parameterBytes(p.data));
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, join(dir, file));
      weights = { file, bytes: parametersBytes(record), sha256: digest };
    }
    const text = `${JSON.stringify(encodeModelFile(record, weights), null, 1)}\n`;
    const tmp = temp(path);
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, path);
    if (previous && previous !== weights?.file) await fs.rm(join(dir, previous), { force: true });
  } finally {
    for (const t of temps) await fs.rm(t, { force: true }).catch(() => {});
  }
}

/** The weights file the model at `path` names now, if it is a readable version-2 file. */
async function previousWeights(fs: Fs, path: string): Promise<string | undefined> {
  try {
    const text = await fs.readFile(path, 'utf8');
    return weightsFileOf(parseModelJson(text, path, limitOf('modelJsonBytes')), path)?.file;
  } catch {
    return undefined;
  }
}

/**
 * Reads and validates a model file: its size first (at most $VECNET_MAX_MODEL_JSON_BYTES, default 256
 * MiB), then its structure, format, version and checksum, then (version 2) its weights file, whose
 * size and SHA-256 must match what the JSON says, then every field (format.ts). A missing,
 * unreadable, oversized, truncated, corrupted or foreign file is a ModelFormatError naming it.
 *
 * @example const record = await readModelFile('out/model.json');
 */
export async function readModelFile(path: string): Promise<ModelRecord> {
  const fs: Fs = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  const st = await fs.stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new ModelFormatError(
      path,
      e.code === 'ENOENT' ? 'no such file' : `cannot read the file (${e.code})`,
    );
  });
  if (st.isDirectory()) throw new ModelFormatError(path, 'is a folder, not a model file');
  const max = limitOf('modelJsonBytes');
  if (st.size > max) {
    throw new ModelFormatError(
      path,
      `is ${formatBytes(st.size)}, more than a model file's JSON may be (${formatBytes(max)}, $VECNET_MAX_MODEL_JSON_BYTES); vecnet keeps large weights in a .bin file beside it`,
    );
  }
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new ModelFormatError(path, `cannot read the file (${(e as NodeJS.ErrnoException).code})`);
  }
  const doc = parseModelJson(text, path, max);
  const w = weightsFileOf(doc, path);
  if (!w) return decodeModelFile(doc, path);
  const binPath = join(dirname(path), w.file);
  const bst = await fs.stat(binPath).catch(() => undefined);
  if (!bst?.isFile())
    throw new ModelFormatError(path, `its weights file ${w.file} is missing (it must sit beside the JSON)`);
  if (bst.size !== w.bytes) {
    throw new ModelFormatError(
      path,
      `its weights file ${w.file} holds ${bst.size} bytes, the model file says ${w.bytes}`,
    );
  }
  const read = await fs.readFile(binPath);
  const bytes = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
  const { createHash } = await import('node:crypto');
  if (createHash('sha256').update(bytes).digest('hex') !== w.sha256) {
    throw new ModelFormatError(
      path,
      `its weights file ${w.file} was corrupted or replaced (its sha256 does not match)`,
    );
  }
  return decodeModelFile(doc, path, bytes);
}
