import type { DType } from '../../core/index.js';
import type { Buffer } from '../backend.js';

/**
 * Storage of the wasm backend: `length` elements of `dtype` at byte `byteOffset` of the backend's
 * memory (16-byte aligned). It holds no view: memory growth detaches views, so elements are always
 * reached through `WasmBackend.view`, freshly.
 */
export class WasmBuffer implements Buffer {
  /** Set when the buffer is freed: its bytes may already belong to another buffer. */
  freed = false;
  constructor(
    readonly dtype: DType,
    readonly length: number,
    readonly byteOffset: number,
    /** the backend whose memory holds the elements */
    readonly owner: object,
  ) {}
}

/** Memory accounting of a WasmBackend, for leak tests. */
export interface WasmStats {
  /** Bytes held by live buffers (each rounded up to 16). */
  liveBytes: number;
  /** Buffers allocated and not yet freed. */
  liveBuffers: number;
  /** Current size of the WebAssembly memory in bytes. */
  capacityBytes: number;
}
