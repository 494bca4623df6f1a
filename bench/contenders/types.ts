// What a contender is: something that can build a workload's computation once and then run it.

import type { DType } from '../../src/core/dtype.js';
import type { Spec } from '../workloads.js';

/** A computation built for timing: `run` is one timed call, allocation-free where the library allows. */
export interface Prepared {
  run(): void;
  dispose(): void;
}

export interface Contender {
  /** stable id in the results: wasm, vectorized, loop, plain-js, tfjs-wasm, tfjs-cpu */
  id: string;
  /** label in tables */
  label: string;
  /** why this contender cannot run the spec (e.g. tfjs has no float64), or null when it can */
  unsupported(spec: Spec, dtype: DType): string | null;
  prepare(spec: Spec, dtype: DType): Promise<Prepared>;
}

/** Deterministic pseudo-random values in [lo, hi) (mulberry32), the same for every contender. */
export function randomData(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/** 0/1 labels. */
export function labels(n: number, seed: number): Float64Array {
  return randomData(n, seed, 0, 1).map((v) => (v < 0.5 ? 0 : 1));
}

/** Training data of a train spec: X (n_x, m) in [0, 1) like scaled pixels (planar: [-4, 4)), Y (n_L, m). */
export function trainingData(spec: Extract<Spec, { kind: 'train' | 'course' }>): {
  X: Float64Array;
  Y: Float64Array;
} {
  const nx = spec.dims[0];
  const nL = spec.dims[spec.dims.length - 1];
  const X = spec.model === 'planar' ? randomData(nx * spec.m, 7, -4, 4) : randomData(nx * spec.m, 7, 0, 1);
  return { X, Y: labels(nL * spec.m, 11) };
}
