// The four builds of assembly/ (asconfig.json targets, all made by `npm run build:wasm`) and the
// feature probes that choose between them at load time:
//
//   build/vecnet.wasm                   SIMD128, memory imported unshared           (every engine with SIMD)
//   build/vecnet.threads.wasm           the same code over a shared memory          (worker threads)
//   build/vecnet.relaxed.wasm           relaxed SIMD: fused multiply-add GEMM kernels (assembly/madd.ts)
//   build/vecnet.relaxed.threads.wasm   both
//
// A threaded build differs from its unshared twin only in the memory import's limits (shared, with a
// maximum): the kernels use no atomics. `toSharedMemory` makes that one change to a binary's bytes, so
// the browser bundle can inline one binary and still run threaded (test/threads.test.ts checks that
// it reproduces build/vecnet.threads.wasm byte for byte).

/** Which build: relaxed SIMD (fused multiply-add) or plain SIMD128, unshared or shared memory. */
export interface Variant {
  threads: boolean;
  relaxed: boolean;
}

/** The file name of a build: vecnet[.relaxed][.threads].wasm. */
export function variantFile({ threads, relaxed }: Variant): string {
  return `vecnet${relaxed ? '.relaxed' : ''}${threads ? '.threads' : ''}.wasm`;
}

/** The largest memory a wasm32 module addresses, in 64 KiB pages; the threaded builds declare it. */
export const MAX_PAGES = 65536;

// (module (func (result v128) i32.const 0 i8x16.splat i32.const 0 i8x16.splat i32.const 0 i8x16.splat
//   f32x4.relaxed_madd)): validates only where relaxed SIMD is enabled
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 15, 65, 0,
  253, 15, 65, 0, 253, 15, 253, 133, 2, 11,
]);

let relaxed: boolean | undefined;

/**
 * True when this engine validates relaxed SIMD (Chromium 114+, Firefox 120+, Node >= 22 with a flag
 * or newer by default; Node 20 with `--experimental-wasm-relaxed-simd`).
 */
export function relaxedSimdSupported(): boolean {
  if (relaxed === undefined) {
    relaxed = typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
  }
  return relaxed;
}

function readLeb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new Error('wasm binary: truncated LEB128 number');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value, next: at };
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

/** Skips a name (LEB length + bytes). */
function skipName(bytes: Uint8Array, at: number): number {
  const { value, next } = readLeb(bytes, at);
  return next + value;
}

/** Skips resizable limits (flags, min, max if flagged); returns the offset after them. */
function skipLimits(bytes: Uint8Array, at: number): number {
  const flags = bytes[at];
  let next = readLeb(bytes, at + 1).next;
  if (flags & 1) next = readLeb(bytes, next).next;
  return next;
}

/**
 * The binary with its imported memory declared shared with a maximum of `maximumPages` (what asc's
 * `--sharedMemory --maximumMemory` emits): the threaded twin of an unshared build. A binary whose
 * memory import is already shared comes back unchanged.
 *
 * @throws Error when the binary imports no memory.
 */
export function toSharedMemory(binary: Uint8Array, maximumPages = MAX_PAGES): Uint8Array {
  let at = 8;
  while (at < binary.length) {
    const id = binary[at];
    const size = readLeb(binary, at + 1);
    const start = size.next;
    const end = start + size.value;
    if (id === 2) {
      const count = readLeb(binary, start);
      let p = count.next;
      for (let i = 0; i < count.value; i++) {
        p = skipName(binary, skipName(binary, p));
        const kind = binary[p++];
        if (kind === 0) p = readLeb(binary, p).next;
        else if (kind === 1) p = skipLimits(binary, p + 1);
        else if (kind === 3) p += 2;
        else if (kind === 2) {
          if (binary[p] === 3) return binary;
          const min = readLeb(binary, p + 1);
          const limits = [3, ...leb(min.value), ...leb(maximumPages)];
          const after = skipLimits(binary, p);
          const payload = [...binary.subarray(start, p), ...limits, ...binary.subarray(after, end)];
          const section = [2, ...leb(payload.length), ...payload];
          const out = new Uint8Array(at + section.length + (binary.length - end));
          out.set(binary.subarray(0, at));
          out.set(section, at);
          out.set(binary.subarray(end), at + section.length);
          return out;
        } else throw new Error(`wasm binary: unknown import kind ${kind}`);
      }
    }
    at = end;
  }
  throw new Error('wasm binary imports no memory: it cannot run over a shared memory');
}
