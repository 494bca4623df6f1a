/**
 * A model file that cannot be loaded: not JSON (e.g. truncated), not a vecnet model, an unsupported
 * format version, a checksum mismatch (bit flips, edits) or inconsistent contents. The message says
 * which file and what is wrong; no model is built.
 *
 * @example
 * try { await loadModel('out/model.json'); } catch (e) { if (e instanceof ModelFormatError) console.error(e.message); }
 */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
  /** Where the model came from: a file path, or 'model JSON' for `fromJSON`. */
  readonly source: string;
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.source = source;
  }
}
