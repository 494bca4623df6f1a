// The package as npm publishes it: what `npm pack` puts in the tarball, and a fresh project that
// installs it (library dependencies only, no install script, within 25 MB of node_modules) and uses
// it from ESM, from require(), through vecnet/course and through the `vecnet` command.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, root } from './helpers/dist.js';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_fund: 'false' },
  });

let work: string;
let files: string[];
beforeAll(() => {
  ensureDist();
  work = mkdtempSync(join(tmpdir(), 'vecnet-pack-'));
  const [pack] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root).toString());
  files = pack.files.map((f: { path: string }) => f.path);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships the built library, its sources and the wasm builds, and nothing of bench or tests', () => {
    for (const f of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/vecnet.js',
      'build/vecnet.wasm',
      'build/vecnet.threads.wasm',
      'build/vecnet.relaxed.wasm',
      'build/vecnet.relaxed.threads.wasm',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/course-entry.js',
      'dist/vecnet.browser.js',
      'dist/vecnet-course.browser.js',
    ]) {
      expect(files, f).toContain(f);
    }
    expect(
      files.filter((f) => /(^|\/)(bench|test|examples|demo)\//.test(f) || f.endsWith('.tsbuildinfo')),
    ).toEqual([]);
  });

  it('every export target is in the tarball, and every source map resolves to a shipped file', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const targets: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') targets.push(v.replace(/^\.\//, ''));
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(pkg.exports);
    for (const t of targets) expect(files, t).toContain(t);
    for (const map of files.filter((f) => f.startsWith('dist/src/') && f.endsWith('.js.map'))) {
      const { sources } = JSON.parse(readFileSync(join(root, map), 'utf8'));
      for (const s of sources as string[]) {
        const resolved = join(map, '..', s);
        expect(files, `${map} -> ${resolved}`).toContain(resolved);
      }
    }
    expect(pkg.engines.node).toBe('>=20.19');
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(Object.keys(pkg.dependencies)).not.toContain('vega');
  });
});

describe('a fresh project installing the tarball', () => {
  it('gets the library in at most 25 MB, without warnings, and uses the wasm backend', () => {
    npm(['pack', '--ignore-scripts', '--pack-destination', work], root);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const tarball = join(work, `vecnet-${version}.tgz`);
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
    const install = execFileSync('npm', ['install', '--prefer-offline', '--no-audit', tarball], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_fund: 'false' },
    });
    expect(install.toString()).not.toMatch(/npm warn/i);
    const du = execFileSync('du', ['-sk', join(app, 'node_modules')]).toString();
    const kib = Number(du.split('\t')[0]);
    expect(kib * 1024).toBeLessThanOrEqual(25e6);
    const esm = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { NeuralNetwork, loadPlanarDataset, backendInfo } from 'vecnet';
         import * as course from 'vecnet/course';
         const { X, Y } = loadPlanarDataset();
         const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'tanh', init: 'small', seed: 2 });
         net.fit(X, Y, { learningRate: 1.2, iterations: 200 });
         course.np.random.seed(1);
         console.log(backendInfo().backend, net.accuracy(X, Y) > 0.6, course.np.random.randn(1).get(0));`,
      ],
      { cwd: app },
    ).toString();
    expect(esm).toBe('wasm true 1.6243453636632417\n');
    const cjs = execFileSync(process.execPath, ['-e', "console.log(require('vecnet').getBackend())"], {
      cwd: app,
    });
    expect(cjs.toString()).toBe('wasm\n');
    const info = execFileSync(join(app, 'node_modules', '.bin', 'vecnet'), ['info'], { cwd: app }).toString();
    expect(info).toMatch(/^vecnet \d+\.\d+\.\d+: backend wasm/);
    // the command without the optional plotting packages: the model is written, the plots skipped
    const train = execFileSync(
      join(app, 'node_modules', '.bin', 'vecnet'),
      ['train', '--iterations', '20', '-q'],
      {
        cwd: app,
      },
    ).toString();
    expect(train).toContain('Wrote out/model.json (plots skipped: they are drawn with vega and vega-lite');
  }, 180_000);
});

describe('the browser entry', () => {
  it('exports at run time exactly the values its declarations (dist/src/browser.d.ts) name', async () => {
    const ts = (await import('typescript')).default;
    const declarations = join(root, 'dist', 'src', 'browser.d.ts');
    const program = ts.createProgram([declarations], { skipLibCheck: true });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(declarations);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    expect(moduleSymbol).toBeDefined();
    const declared = checker
      .getExportsOfModule(moduleSymbol as never)
      .filter((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        return (target.flags & ts.SymbolFlags.Value) !== 0;
      })
      .map((s) => s.name)
      .sort();
    const bundle = await import(join(root, 'dist', 'vecnet.browser.js'));
    expect(Object.keys(bundle).sort()).toEqual(declared);
  });
});
