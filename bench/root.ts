// Paths of the benchmark suite, resolved from the repository root (the suite runs compiled from
// dist/bench/, so paths relative to the module would point into dist/).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest ancestor of this module holding vecnet's package.json. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'vecnet') return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const ROOT = repoRoot();
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
export const NUMPY_SCRIPT = path.join(ROOT, 'bench', 'numpy_bench.py');
