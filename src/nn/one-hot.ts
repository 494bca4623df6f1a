// Class labels to the one-hot matrix a softmax output trains on.
import { formatShape, ShapeError } from '../core/index.js';
import { array, type CreateOptions, type NDArray, NDArray as NDArrayClass } from '../ndarray/index.js';

/**
 * The one-hot encoding (classes, m) of m class labels: column j holds a 1 in row labels[j] and 0
 * elsewhere (the course's `convert_to_one_hot`). `labels` is an array of integers in [0, classes) or
 * an NDArray of shape (m,), (1, m) or (m, 1). Options choose the dtype (default float64) and backend.
 *
 * @example
 * oneHot([2, 0, 1], 3).toArray(); // [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
 */
export function oneHot(
  labels: NDArray | readonly number[],
  classes: number,
  options: CreateOptions = {},
): NDArray {
  const where = 'oneHot';
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`${where}: classes must be a positive integer, got ${String(classes)}`);
  }
  let values: ArrayLike<number>;
  if (labels instanceof NDArrayClass) {
    const { shape } = labels;
    const vector = shape.length === 1 || (shape.length === 2 && (shape[0] === 1 || shape[1] === 1));
    if (!vector) {
      throw new ShapeError(
        `${where}: labels must have shape (m,), (1, m) or (m, 1), got ${formatShape(shape)}`,
      );
    }
    values = labels.data; // a C-order copy of the m labels
  } else if (Array.isArray(labels)) {
    values = labels;
  } else {
    throw new TypeError(`${where}: labels must be an array of class indices or an NDArray`);
  }
  const m = values.length;
  const data = new Float64Array(classes * m);
  for (let j = 0; j < m; j++) {
    const c = values[j];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new RangeError(`${where}: labels[${j}] is ${c}, not a class index in [0, ${classes})`);
    }
    data[c * m + j] = 1;
  }
  return array(data, { ...options, shape: [classes, m] });
}
