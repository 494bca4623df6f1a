#!/usr/bin/env node
// The `vecnet` command. The CLI is TypeScript compiled by `npm run build` (tsc -p tsconfig.build.json)
// to dist/; this file only loads it. Errors never print a bare stack trace (VECNET_DEBUG=1 shows it).
import { existsSync } from 'node:fs';

const fail = (error) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`vecnet: internal error: ${message.split('\n')[0]}\n`);
  if (process.env.VECNET_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

const entry = new URL('../dist/src/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'vecnet: the CLI is not built yet: run `npm run build` first (npm start does it for you)\n',
  );
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
