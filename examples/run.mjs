#!/usr/bin/env node
// Runs one of the course examples: `npm run example -- planar [args]` or `node examples/run.mjs planar`.
// Node 20 cannot run TypeScript by itself, so the example is bundled with esbuild (vecnet's sources
// included, npm packages left as imports) into dist/examples/<name>.mjs and run with the given args.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const scripts = (dir, prefix) =>
  readdirSync(join(here, dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .map((f) => `${prefix}${f.slice(0, -3)}`);
// the idiomatic examples, then the course's notebooks as written (course/week2, …)
const examples = [...scripts('.', ''), ...scripts('course', 'course/')].sort();

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  process.stdout.write(
    `usage: npm run example -- <name> [args]\n\nexamples:\n${examples.map((e) => `  ${e}`).join('\n')}\n`,
  );
  process.exit(name ? 0 : 2);
}
if (!examples.includes(name)) {
  process.stderr.write(`run.mjs: no example '${name}': expected one of ${examples.join(', ')}\n`);
  process.exit(2);
}

const { build } = await import('esbuild');
const outfile = join(root, 'dist', 'examples', `${name}.mjs`);
try {
  await build({
    entryPoints: [join(here, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'error',
  });
} catch {
  process.exit(1); // esbuild printed the errors
}
if (!existsSync(join(root, 'build', 'vecnet.wasm'))) {
  process.stderr.write(
    'note: build/vecnet.wasm is missing (npm run build:wasm); the wasm backend is unavailable\n',
  );
}
const child = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
process.exit(child.status ?? 1);
