#!/usr/bin/env node
// The `vecnet` command. The CLI is TypeScript compiled by `npm run build` (tsc -p tsconfig.build.json).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'vecnet: the CLI is not built yet: run `npm run build` first (npm start does it for you)\n',
  );
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
