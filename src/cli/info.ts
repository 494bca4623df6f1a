// `vecnet info`: what runs here, on one line: the version, the backend with its wasm build, threads
// and memory, and the arrays alive (none, in a fresh process: the line shows the format).

import { backendInfo, memory, setBackend, VERSION } from '../index.js';
import type { CliIO } from './io.js';

/** Prints `vecnet <version>: backend wasm (simd128, 2 threads, 1.2 MB memory), 0 live arrays (0 bytes)`. */
export function runInfo(flags: { backend?: 'loop' | 'vectorized' | 'wasm' }, io: CliIO): void {
  if (flags.backend) setBackend(flags.backend);
  const info = backendInfo();
  const mem = memory();
  const details =
    info.build === null
      ? 'JavaScript typed arrays, 1 thread'
      : `${info.build}, ${info.threads} thread${info.threads === 1 ? '' : 's'}, ${((info.memoryBytes ?? 0) / 1e6).toFixed(1)} MB linear memory`;
  io.out(
    `vecnet ${VERSION}: backend ${info.backend} (${details}), ${mem.arrays} live arrays (${mem.bytes} bytes)\n`,
  );
}
