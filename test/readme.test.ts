// Runs every ```ts block of README.md and docs/*.md, so their examples stay true:
// `import { … } from 'vecnet'` becomes a destructuring of the package's exports, the block is
// transpiled with esbuild and run in an async function, and what it logs is checked against the
// `// value` comments that the page shows next to each console.log.
import { readdirSync, readFileSync } from 'node:fs';
import { format } from 'node:util';
import { transformSync } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import * as data from '../src/data/index.js';
import * as vecnet from '../src/index.js';

const pages = ['README.md', ...readdirSync(new URL('../docs/', import.meta.url)).map((f) => `docs/${f}`)]
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ name: f, text: readFileSync(new URL(`../${f}`, import.meta.url), 'utf8') }));
const blocks = pages.flatMap((page) =>
  [...page.text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ page: page.name, n: i + 1, code: m[1] })),
);
const exports = { ...data, ...vecnet };
const initialBackend = vecnet.getBackend();
const initialThreads = vecnet.getThreads();
const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...a: unknown[]) => Promise<void>;

/** The block's code with its vecnet imports (and vecnet/course's) turned into destructurings, as plain JavaScript. */
function compile(code: string): string {
  const body = code
    .replace(/import\s*\{([^}]*)\}\s*from\s*'vecnet';/g, 'const {$1} = vecnet;')
    .replace(/import\s*\{([^}]*)\}\s*from\s*'vecnet\/course';/g, 'const {$1} = vecnet.course;')
    .replace(/import\s*\*\s*as\s*(\w+)\s*from\s*'vecnet\/course';/g, 'const $1 = vecnet.course;');
  return transformSync(body, { loader: 'ts', format: 'esm', target: 'es2022' }).code;
}

/** console.log(...) lines of the block with the value comment after them (`// 0.905`). */
function expectedLogs(code: string): (string | undefined)[] {
  return [...code.matchAll(/console\.log\((?!`Cost after).*\);\s*(?:\/\/\s*(.*))?$/gm)].map((m) => m[1]);
}

describe('README.md and docs/ examples run', () => {
  it('has the examples', () => {
    for (const page of ['README.md', 'docs/arrays.md', 'docs/networks.md']) {
      expect(blocks.filter((b) => b.page === page).length, page).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(blocks.map((b) => [b.page, b.n, b.code.split('\n')[2] ?? '', b.code] as const))(
    '%s block %i (%s…)',
    async (_page, _n, _title, code) => {
      // a block that switches backend must not change the next one's
      vecnet.setBackend(initialBackend);
      vecnet.setThreads(initialThreads);
      const logged: string[] = [];
      // fit's printEvery logs through the global console.log by default: capture that too
      const spy = vi.spyOn(globalThis.console, 'log').mockImplementation((...args: unknown[]) => {
        logged.push(format(...args));
      });
      try {
        await new AsyncFunction('vecnet', compile(code))(exports);
      } finally {
        spy.mockRestore();
      }
      const printed = logged.filter((l) => !l.startsWith('Cost after iteration'));
      const expected = expectedLogs(code);
      expect(printed.length).toBe(expected.length);
      expected.forEach((comment, k) => {
        if (!comment || comment.includes('…') || comment.includes('whichever')) return;
        // the comment starts with the printed value; anything after ':' explains it
        const value = comment.split(/:\s/)[0].trim();
        expect(printed[k].replace(/'/g, '')).toBe(value.replace(/'/g, ''));
      });
      // printed cost lines look like the notebooks'
      for (const line of logged.filter((l) => l.startsWith('Cost after'))) {
        expect(line).toMatch(/^Cost after iteration \d+: \d+\.\d{6}$/);
      }
      const costComments = [...code.matchAll(/\/\/ (Cost after iteration \d+: [\d.]+)$/gm)].map((m) => m[1]);
      for (const c of costComments) expect(logged).toContain(c);
    },
  );
});
