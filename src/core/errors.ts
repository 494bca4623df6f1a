import { printable } from './text.js';

/** Raised for shape mismatches, in NumPy's words where NumPy has them. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** Raised when operands have different dtypes (vecnet never promotes silently). */
export class DTypeError extends TypeError {
  override name = 'DTypeError';
}

/** Raised for an axis outside the array's dimensions, as NumPy's AxisError. */
export class AxisError extends RangeError {
  override name = 'AxisError';
}

/** Raised when an array is used after `dispose()`. */
export class DisposedError extends Error {
  override name = 'DisposedError';
}

/** Raised when operands live on different backends. */
export class BackendMismatchError extends Error {
  override name = 'BackendMismatchError';
}

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
    // the message may quote the file (a parser's complaint): one printable line, whatever it held
    super(printable(`${source}: ${message}`));
    this.source = source;
  }
}

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
    super(printable(message));
    this.path = path;
  }
}

/**
 * Training stopped because the cost became NaN or infinite: the parameters grew without bound (too
 * large a learning rate, unscaled inputs). `iteration` is the first iteration whose cost is not
 * finite; `costs` holds every cost up to it. The model keeps the parameters it had then.
 *
 * @example
 * try { net.fit(X, Y, { learningRate: 50 }); } catch (e) { if (e instanceof TrainingDivergedError) console.log(e.iteration); }
 */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
  constructor(
    message: string,
    readonly iteration: number,
    readonly costs: readonly number[],
  ) {
    super(message);
  }
}
