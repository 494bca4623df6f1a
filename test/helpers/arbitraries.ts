import fc from 'fast-check';
import type { ActivationOp } from '../../src/backend/backend.js';
import { UnaryOp } from '../../src/backend/ops.js';
import { draw, uniform } from './rng.js';

/** Sizes that stress tile and SIMD edges: 1, 3, 17, 64+ and random small ones. */
export const dimension = fc.oneof(
  fc.constantFrom(1, 3, 4, 5, 16, 17),
  fc.integer({ min: 1, max: 9 }),
  fc.integer({ min: 60, max: 70 }),
);

/** The fused kernels' activations (Backend.biasActivation, activationGradSum). */
export const activationOp = fc.constantFrom<ActivationOp>(
  UnaryOp.Sigmoid,
  UnaryOp.Tanh,
  UnaryOp.Relu,
  UnaryOp.LeakyRelu,
  UnaryOp.Linear,
);

/** A shape of rank 0..4 whose element count stays below `maxSize`. */
export function shape(maxRank = 4, maxSize = 5000): fc.Arbitrary<number[]> {
  return fc
    .array(dimension, { minLength: 0, maxLength: maxRank })
    .filter((s) => s.reduce((p, d) => p * d, 1) <= maxSize);
}

/** Two shapes that broadcast together: b is a with some axes set to 1 and leading axes dropped. */
export const broadcastPair = shape(4, 4000).chain((a) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length }),
      fc.integer({ min: 0, max: a.length }),
      fc.boolean(),
    )
    .map(([ones, drop, swap]) => {
      const b = a.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
      return swap ? ([b, a] as const) : ([a, b] as const);
    }),
);

/** Deterministic pseudo-random values in [lo, hi) for a given size and seed. */
export function values(n: number, seed: number, lo = -3, hi = 3): Float64Array {
  return draw(seed, n, uniform(lo, hi));
}
