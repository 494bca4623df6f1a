/**
 * A data file that cannot be used: missing, not the expected format, or without the expected
 * contents. The message names the file and what was expected.
 *
 * @example
 * try { await loadH5Dataset('cats.h5'); } catch (e) { if (e instanceof DataFileError) console.error(e.message); }
 */
export class DataFileError extends Error {
  override name = 'DataFileError';
  /** The file the error is about. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}
