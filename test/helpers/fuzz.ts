// How hard the fuzz suites push: a fixed seed and a few hundred cases in `npm test` (CI), many more
// under `npm run fuzz` (VECNET_FUZZ_RUNS, and VECNET_FUZZ_SEED to replay or vary a run).

/** The fast-check seed: $VECNET_FUZZ_SEED, else a fixed one so CI runs the same cases every time. */
export const FUZZ_SEED = Number(process.env.VECNET_FUZZ_SEED ?? 20261207);

/** Cases to run: `ciRuns` by default, $VECNET_FUZZ_RUNS under `npm run fuzz`. */
export function fuzzRuns(ciRuns: number): number {
  const runs = Number(process.env.VECNET_FUZZ_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : ciRuns;
}
