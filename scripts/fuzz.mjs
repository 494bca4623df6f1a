// `npm run fuzz`: the fuzz suites (test/fuzz-*.test.ts) with many more cases than `npm test` runs and
// a fresh seed each time (printed, so a failure can be replayed with VECNET_FUZZ_SEED=<seed>).
//
// usage: npm run fuzz [-- <cases per property, default 5000>]

import { spawnSync } from 'node:child_process';

const runs = process.argv[2] ?? process.env.VECNET_FUZZ_RUNS ?? '5000';
if (!/^\d+$/.test(runs) || Number(runs) < 1) {
  console.error(`fuzz: the number of cases must be a positive integer, got '${runs}'`);
  process.exit(2);
}
const seed = process.env.VECNET_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(
  `fuzz: ${runs} cases per property, seed ${seed} (replay: VECNET_FUZZ_SEED=${seed} npm run fuzz -- ${runs})`,
);
const result = spawnSync('npx', ['vitest', 'run', 'test/fuzz-'], {
  stdio: 'inherit',
  env: { ...process.env, VECNET_FUZZ_RUNS: runs, VECNET_FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
