// `using` with vecnet's arrays and models, as a consumer compiles it: a project with the default
// `lib` for its target (no esnext.disposable, no @types/node) and each module resolution type-checks
// against the package's declarations, and the compiled code disposes at scope exit.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogisticRegression, memory, NeuralNetwork, zeros } from '../src/index.js';
import { ensureDist, root } from './helpers/dist.js';

let work: string;
beforeAll(() => {
  ensureDist();
  work = mkdtempSync(join(tmpdir(), 'vecnet-using-'));
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(root, join(work, 'node_modules', 'vecnet'), 'dir');
  writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(work, 'main.ts'),
    `import { memory, NeuralNetwork, zeros } from 'vecnet';
const before = memory().arrays;
function work(): number {
  using a = zeros([3, 3]);
  using net = new NeuralNetwork({ layerDims: [3, 2, 1] });
  return a.size + net.L + (memory().arrays - before);
}
console.log(work(), memory().arrays - before);
`,
  );
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('using', () => {
  it('disposes arrays and models at scope exit', () => {
    const before = memory().arrays;
    {
      using a = zeros([2, 2]);
      using net = new NeuralNetwork({ layerDims: [2, 3, 1] });
      using lr = new LogisticRegression({ nx: 2 });
      expect(a.isDisposed || net.isDisposed || lr.isDisposed).toBe(false);
      expect(memory().arrays).toBeGreaterThan(before);
    }
    expect(memory().arrays).toBe(before);
  });

  for (const [module, resolution, lib] of [
    ['NodeNext', 'NodeNext', undefined],
    ['ESNext', 'Bundler', undefined],
    ['ES2022', 'Node10', undefined],
    ['NodeNext', 'NodeNext', ['ES2022', 'ESNext.Disposable', 'DOM']],
  ] as const) {
    it(`type-checks and runs in a consumer project (target ES2022, lib ${lib?.join('+') ?? 'default'}, module ${module}, resolution ${resolution})`, () => {
      const tsconfig = {
        compilerOptions: {
          target: 'ES2022',
          ...(lib ? { lib } : {}),
          module,
          moduleResolution: resolution,
          types: [],
          strict: true,
          skipLibCheck: true,
          outDir: `out-${resolution}${lib ? '-lib' : ''}`,
        },
        files: ['main.ts'],
      };
      const name = `tsconfig.${resolution}${lib ? '-lib' : ''}.json`;
      writeFileSync(join(work, name), JSON.stringify(tsconfig));
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      execFileSync(process.execPath, [tsc, '-p', name], { cwd: work, stdio: 'pipe' });
      if (resolution === 'Node10') return; // CommonJS-style resolution: types only
      const out = execFileSync(process.execPath, [join(work, tsconfig.compilerOptions.outDir, 'main.js')], {
        cwd: work,
      });
      // inside: 9 elements + 2 layers + 5 live arrays (a, W1, b1, W2, b2); after: none left
      expect(out.toString()).toBe('16 0\n');
    });
  }
});
