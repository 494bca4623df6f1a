// The data of a course run, read from the file the spec names: apart from types.ts, which the browser
// benchmarks bundle and which therefore imports nothing from Node.

import { readFileSync } from 'node:fs';
import type { Spec } from '../workloads.js';
import { trainingData } from './types.js';

/**
 * Data of a course run (or of the mini-batch Adam workload): the spec's raw float64 file (X (n_x, m)
 * then Y (1, m), the cat data) or, without one, random data of the same shape like trainingData's.
 */
export function courseData(spec: Extract<Spec, { kind: 'course' | 'train' }>): {
  X: Float64Array;
  Y: Float64Array;
} {
  const nx = spec.dims[0];
  if (spec.data) {
    const bytes = readFileSync(spec.data);
    const all = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    if (all.length !== (nx + 1) * spec.m)
      throw new Error(`${spec.data}: expected ${(nx + 1) * spec.m} float64 values, found ${all.length}`);
    return { X: all.slice(0, nx * spec.m), Y: all.slice(nx * spec.m) };
  }
  return trainingData(spec);
}
