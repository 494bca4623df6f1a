import { type DType, formatBytes, type TypedArray, typedArray } from '../core/index.js';
import type { Buffer } from './backend.js';

/** Storage of the JavaScript backends: a plain typed array. */
export class TypedBuffer implements Buffer {
  readonly data: TypedArray;
  constructor(
    readonly dtype: DType,
    readonly length: number,
  ) {
    try {
      this.data = typedArray(dtype, length);
    } catch (e) {
      const bytes = length * (dtype === 'float32' ? 4 : 8);
      throw new RangeError(
        `cannot allocate ${formatBytes(bytes)} for ${length} ${dtype} values (${(e as Error).message})`,
      );
    }
  }
}

export function dataOf(buffer: Buffer): TypedArray {
  return (buffer as TypedBuffer).data;
}

/**
 * The host's memory in bytes, as far as JavaScript can tell: Node's total memory, or its container's
 * limit when lower (process.constrainedMemory); a browser's navigator.deviceMemory; else unbounded.
 */
export function hostMemoryBytes(): number {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown; constrainedMemory?: () => number | undefined };
    navigator?: { deviceMemory?: number };
  };
  const os = g.process?.getBuiltinModule?.('node:os') as typeof import('node:os') | undefined;
  if (os) {
    const limit = g.process?.constrainedMemory?.();
    return Math.min(os.totalmem(), limit && limit > 0 ? limit : Number.POSITIVE_INFINITY);
  }
  const gb = g.navigator?.deviceMemory;
  return typeof gb === 'number' && gb > 0 ? gb * 1e9 : Number.POSITIVE_INFINITY;
}
