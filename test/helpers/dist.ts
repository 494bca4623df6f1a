// The tests that run vecnet as a separate process (the `vecnet` command, the fuzzing loader) run the
// compiled dist/: this builds it when it is missing or older than src/ (`npm test` builds first; a
// single test file run by hand may not have).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..');

/** Newest mtime of the .ts files under dir. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Compiles src/ to dist/ when dist/ is missing or stale. */
export function ensureDist(): void {
  const entry = join(root, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(entry) || statSync(entry).mtimeMs < newest(join(root, 'src'))) {
    // tsc emits even when another module has a type error; the tests then say what breaks
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
    } catch {}
  }
}
