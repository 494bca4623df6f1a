// What `memory()` reports: the arrays created and not yet disposed, and the bytes of the storage
// they hold (views share their base's storage, so it is counted once). Like tf.memory(), an array
// that was dropped without dispose() still counts: on the wasm backend its memory is still taken.

import { bytesPerElement } from '../core/index.js';

let arrays = 0;
let bytes = 0;

/** @internal An NDArray was created. */
export function arrayCreated(): void {
  arrays++;
}

/** @internal An NDArray was disposed. */
export function arrayDisposed(): void {
  arrays--;
}

/** @internal Storage of `length` elements of `dtype` was allocated (+1) or freed (-1). */
export function storageChanged(
  sign: 1 | -1,
  dtype: Parameters<typeof bytesPerElement>[0],
  length: number,
): void {
  bytes += sign * length * bytesPerElement(dtype);
}

/** Live arrays and their bytes, on every backend together. */
export interface MemoryInfo {
  /** NDArrays created and not disposed (views included). */
  arrays: number;
  /** Bytes of the storage those arrays hold. */
  bytes: number;
}

/**
 * The arrays that are alive (created and not disposed) and the bytes they hold, like tf.memory():
 * call it before and after a piece of code to see what it leaked.
 *
 * @example
 * const before = memory().arrays;
 * tidy(() => net.predict(X).dispose());
 * memory().arrays === before; // true
 */
export function memory(): MemoryInfo {
  return { arrays, bytes };
}
