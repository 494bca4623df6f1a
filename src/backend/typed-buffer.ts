import { type DType, type TypedArray, typedArray } from '../core/index.js';
import type { Buffer } from './backend.js';

/** Storage of the JavaScript backends: a plain typed array. */
export class TypedBuffer implements Buffer {
  readonly data: TypedArray;
  constructor(
    readonly dtype: DType,
    readonly length: number,
  ) {
    this.data = typedArray(dtype, length);
  }
}

export function dataOf(buffer: Buffer): TypedArray {
  return (buffer as TypedBuffer).data;
}
