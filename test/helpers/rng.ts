// The test suites' one seeded generator: bulk data comes from a seed, so fast-check replays and
// shrinks seeds and sizes, never thousand-element arrays.

/** mulberry32: a small, fast, reproducible generator of uniform numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How one value is drawn from a generator. */
export type Gen = (r: () => number) => number;

/** Uniform in [lo, hi). */
export const uniform =
  (lo: number, hi: number): Gen =>
  (r) =>
    lo + (hi - lo) * r();

/** Mostly `base`, with probability p one of `specials`. */
export const withSpecials =
  (base: Gen, specials: readonly number[], p = 0.1): Gen =>
  (r) =>
    r() < p ? specials[Math.floor(r() * specials.length)] : base(r);

/** One of `choices`, uniformly. */
export const oneOf =
  (choices: readonly number[]): Gen =>
  (r) =>
    choices[Math.floor(r() * choices.length)];

/** n values from `gen` seeded by `seed`. */
export function draw(seed: number, n: number, gen: Gen = uniform(-3, 3)): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = gen(r);
  return out;
}

/** A permutation of 0..n-1 drawn from `r`. */
export function permutation(n: number, r: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
