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
