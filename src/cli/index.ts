// The `vecnet` command line (bin/vecnet.js runs `main`): train, predict and sweep, with progress bars
// and plots. main.ts parses and dispatches; each command has its file; flags.ts, io.ts, interrupt.ts
// and parse.ts are the leaves they share. It is built on the public API (src/index.ts) alone.
export { main } from './main.js';
