// The wasm backend's heap: byte ranges of one WebAssembly.Memory, handed out and taken back in
// TypeScript. The kernels never allocate, so this is the only allocator the memory has.
//
// Scheme: segregated free lists with immediate coalescing. Blocks are 16-byte aligned and sized in
// multiples of 16 (v128 loads are then never split across blocks). Free blocks sit in the list of
// their power-of-two size class (class c holds sizes in [16·2^c, 16·2^(c+1))); a request takes the
// first fitting block of its own class or any block of a larger one, and the remainder is freed
// again. A freed block merges with free neighbours on both sides at once, and a free block that
// reaches the top of the heap gives its bytes back to the unused region above `top`, so the heap
// never holds two adjacent free blocks. The metadata lives in JS maps, never in the memory itself,
// so a kernel writing out of bounds cannot corrupt the allocator.

/** Alignment and granularity of every block, in bytes. */
export const ALIGN = 16;

const WASM_PAGE = 65536;
const CLASSES = 32;

/** n rounded up to a multiple of `to` (bytes). */
export function alignUp(n: number, to = ALIGN): number {
  return Math.ceil(n / to) * to;
}

function sizeClass(bytes: number): number {
  return Math.min(CLASSES - 1, 31 - Math.clz32(bytes / ALIGN));
}

/** A snapshot of the heap, for tests and leak hunts. */
export interface HeapStats {
  /** Bytes in blocks currently handed out (sizes rounded up to 16). */
  liveBytes: number;
  /** Blocks currently handed out. */
  liveBlocks: number;
  /** Bytes of free blocks below the top of the heap. */
  freeBytes: number;
  /** The top of the heap: every byte at or above it has never been handed out or was given back. */
  top: number;
}

/**
 * The heap over one WebAssembly.Memory: byte offsets in, byte offsets out (see the file comment for
 * the scheme). Not thread-safe; one per memory.
 */
export class Allocator {
  /** offset → size of every block handed out */
  private readonly used = new Map<number, number>();
  /** offset → size and end → offset of every free block below `top` */
  private readonly freeStart = new Map<number, number>();
  private readonly freeEnd = new Map<number, number>();
  private readonly lists: Set<number>[] = Array.from({ length: CLASSES }, () => new Set<number>());
  private liveBytes = 0;
  private freeBytes = 0;
  private top: number;
  /**
   * The highest byte ever handed out. Memory above it is still as WebAssembly.Memory made it (zero),
   * so `alloc` only clears the part of a block below this mark.
   */
  private highWater: number;

  /**
   * @param memory the memory to carve up; grown in place when the heap runs out
   * @param base first byte the heap may use (aligned up to 16)
   * @param limitBytes the memory size never to grow beyond (a multiple of 64 KiB)
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    readonly limitBytes: number,
  ) {
    this.top = alignUp(base);
    this.highWater = this.top;
  }

  /**
   * Takes `bytes` from the bottom of the heap for good (scratch and argument areas reserved at
   * start-up, before any allocation), aligned to `align`. Not counted in the stats.
   */
  reserve(bytes: number, align = ALIGN): number {
    if (this.used.size > 0 || this.freeStart.size > 0)
      throw new Error('reserve() must precede every alloc()');
    const offset = alignUp(this.top, align);
    this.ensureCapacity(offset + alignUp(bytes), bytes);
    this.top = offset + alignUp(bytes);
    this.highWater = this.top;
    return offset;
  }

  /**
   * A 16-aligned block of at least `bytes` bytes (0 is taken as 16), zero-filled. Grows the memory
   * when needed; throws a RangeError naming the request and what is available when it cannot.
   */
  alloc(bytes: number): number {
    if (!(bytes <= this.availableBytes())) {
      // beyond anything the heap could give (also the sizes whose size class would overflow)
      throw new RangeError(
        `wasm backend out of memory: requested ${bytes} bytes, at most ${this.availableBytes()} bytes available (limit ${this.limitBytes} bytes)`,
      );
    }
    const size = Math.max(ALIGN, alignUp(bytes));
    const offset = this.takeFree(size) ?? this.takeTop(size, bytes);
    this.used.set(offset, size);
    this.liveBytes += size;
    const dirtyEnd = Math.min(offset + size, this.highWater);
    if (dirtyEnd > offset) new Uint8Array(this.memory.buffer, offset, dirtyEnd - offset).fill(0);
    if (offset + size > this.highWater) this.highWater = offset + size;
    return offset;
  }

  /** Returns the block at `offset` (as returned by alloc) to the heap. */
  free(offset: number): void {
    const size = this.used.get(offset);
    if (size === undefined) {
      throw new Error(`wasm heap: free(${offset}) is not a live block (double free, or not from this heap)`);
    }
    this.used.delete(offset);
    this.liveBytes -= size;
    let start = offset;
    let end = offset + size;
    const left = this.freeEnd.get(start);
    if (left !== undefined) {
      this.unlinkFree(left);
      start = left;
    }
    const rightSize = this.freeStart.get(end);
    if (rightSize !== undefined) {
      this.unlinkFree(end);
      end += rightSize;
    }
    if (end === this.top) this.top = start;
    else this.linkFree(start, end - start);
  }

  /** Bytes that could still be handed out: free fragments plus the room above the top, to the limit. */
  availableBytes(): number {
    return this.freeBytes + Math.max(0, this.limitBytes - this.top);
  }

  /** Size in bytes of the live block at `offset` (rounded up to 16), or undefined. */
  sizeOf(offset: number): number | undefined {
    return this.used.get(offset);
  }

  stats(): HeapStats {
    return {
      liveBytes: this.liveBytes,
      liveBlocks: this.used.size,
      freeBytes: this.freeBytes,
      top: this.top,
    };
  }

  private takeFree(size: number): number | undefined {
    const first = sizeClass(size);
    for (let c = first; c < CLASSES; c++) {
      for (const offset of this.lists[c]) {
        const blockSize = this.freeStart.get(offset)!;
        if (blockSize < size) continue; // only possible in the request's own class
        this.unlinkFree(offset);
        if (blockSize > size) this.linkFree(offset + size, blockSize - size);
        return offset;
      }
    }
    return undefined;
  }

  private takeTop(size: number, requested: number): number {
    const offset = this.top;
    this.ensureCapacity(offset + size, requested);
    this.top = offset + size;
    return offset;
  }

  /** Grows the memory so that byte `end` exists: by at least half the current size, to amortise. */
  private ensureCapacity(end: number, requested: number): void {
    const capacity = this.memory.buffer.byteLength;
    if (end <= capacity) return;
    const needed = Math.ceil((end - capacity) / WASM_PAGE);
    const maxPages = Math.floor((this.limitBytes - capacity) / WASM_PAGE);
    const generous = Math.min(maxPages, Math.max(needed, Math.ceil(capacity / 2 / WASM_PAGE)));
    let refused = false;
    for (const pages of generous > needed ? [generous, needed] : [needed]) {
      if (pages > maxPages) break;
      try {
        this.memory.grow(pages);
        return;
      } catch {
        // the engine refused (its own limit, or no address space): try the bare minimum, then give up
        refused = true;
      }
    }
    let largestFree = 0;
    for (const size of this.freeStart.values()) largestFree = Math.max(largestFree, size);
    const ceiling = refused ? capacity : this.limitBytes;
    const available = Math.max(largestFree, ceiling - this.top);
    throw new RangeError(
      `wasm backend out of memory: requested ${requested} bytes, ${available} bytes available ` +
        `(memory ${capacity} bytes, limit ${ceiling} bytes${refused ? ' (the engine refused to grow)' : ''}, ` +
        `${this.freeBytes} bytes free in fragments)`,
    );
  }

  private linkFree(offset: number, size: number): void {
    this.freeStart.set(offset, size);
    this.freeEnd.set(offset + size, offset);
    this.lists[sizeClass(size)].add(offset);
    this.freeBytes += size;
  }

  private unlinkFree(offset: number): void {
    const size = this.freeStart.get(offset)!;
    this.freeStart.delete(offset);
    this.freeEnd.delete(offset + size);
    this.lists[sizeClass(size)].delete(offset);
    this.freeBytes -= size;
  }
}
