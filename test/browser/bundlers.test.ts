// A tiny app that imports vecnet, trains the [2, 4, 1] flower net and reports its backend, bundled
// as users bundle it: webpack 5, Rollup (node-resolve, browser), Vite and esbuild for the browser,
// run in Chromium; esbuild for Node, run by Node. Each must use the wasm backend, unchanged package.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-browser.mjs';
import { launchChromium } from './chromium.js';
import { serveStatic } from './static-server.js';

/** Where the consumer app and its bundles go (under dist/, which the static server serves). */
const APP = join(ROOT, 'dist', 'bundlers');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

const APP_SOURCE = `import { NeuralNetwork, loadPlanarDataset, ready, backendInfo } from 'vecnet';
await ready();
const { X, Y } = loadPlanarDataset();
const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'tanh', init: 'small', seed: 2 });
net.fit(X, Y, { learningRate: 1.2, iterations: 300 });
globalThis.result = { backend: backendInfo().backend, accuracy: net.accuracy(X, Y) };
console.log(JSON.stringify(globalThis.result));
`;

let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;

function build(command: string, args: string[]): void {
  execFileSync(command, args, { cwd: APP, stdio: 'pipe' });
}

beforeAll(async () => {
  rmSync(APP, { recursive: true, force: true });
  mkdirSync(join(APP, 'src'), { recursive: true });
  mkdirSync(join(APP, 'node_modules'));
  // the package as a consumer's node_modules holds it (its package.json exports decide)
  symlinkSync(ROOT, join(APP, 'node_modules', 'vecnet'), 'dir');
  writeFileSync(join(APP, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  writeFileSync(join(APP, 'src', 'app.js'), APP_SOURCE);
  writeFileSync(join(APP, 'index.html'), '<script type="module" src="/src/app.js"></script>\n');
  writeFileSync(
    join(APP, 'webpack.config.js'),
    `export default { mode: 'production', entry: './src/app.js', target: 'web', performance: { hints: false },
  experiments: { topLevelAwait: true }, output: { path: new URL('./webpack', import.meta.url).pathname, filename: 'app.js' } };\n`,
  );
  writeFileSync(
    join(APP, 'rollup.config.js'),
    `import resolve from '@rollup/plugin-node-resolve';
export default { input: 'src/app.js', output: { file: 'rollup/app.js', format: 'es' }, plugins: [resolve({ browser: true })] };\n`,
  );
  symlinkSync(join(ROOT, 'node_modules', '@rollup'), join(APP, 'node_modules', '@rollup'), 'dir');
  build(bin('webpack'), ['--config', 'webpack.config.js']);
  build(bin('rollup'), ['-c', 'rollup.config.js', '--silent']);
  build(bin('vite'), ['build', '--outDir', 'vite', '--base', '/dist/bundlers/vite/', '--logLevel', 'error']);
  const esbuild = ['src/app.js', '--bundle', '--format=esm', '--log-level=warning'];
  build(bin('esbuild'), [...esbuild, '--platform=browser', '--outfile=esbuild-browser/app.js']);
  build(bin('esbuild'), [...esbuild, '--platform=node', '--outfile=esbuild-node/app.mjs']);
  server = await serveStatic(ROOT, ['dist']);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(APP, { recursive: true, force: true });
});

async function runInPage(script: string, module: boolean): Promise<{ backend: string; accuracy: number }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/dist/bundlers/index.html`);
  await page.addScriptTag({
    url: `${server.url}/dist/bundlers/${script}`,
    type: module ? 'module' : undefined,
  });
  await page.waitForFunction(() => 'result' in globalThis, undefined, { timeout: 60_000 });
  const result = await page.evaluate(
    () => (globalThis as unknown as { result: { backend: string; accuracy: number } }).result,
  );
  await page.close();
  expect(errors).toEqual([]);
  return result;
}

describe('vecnet bundled by', () => {
  for (const [name, script, module] of [
    ['webpack 5', 'webpack/app.js', false],
    ['Rollup', 'rollup/app.js', true],
    ['esbuild (browser)', 'esbuild-browser/app.js', true],
  ] as const) {
    it(`${name}: runs in Chromium on the wasm backend`, async () => {
      const result = await runInPage(script, module);
      expect(result.backend).toBe('wasm');
      expect(result.accuracy).toBeGreaterThan(0.8);
    });
  }

  it('Vite: runs in Chromium on the wasm backend', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/dist/bundlers/vite/index.html`);
    await page.waitForFunction(() => 'result' in globalThis, undefined, { timeout: 60_000 });
    const result = await page.evaluate(
      () => (globalThis as unknown as { result: { backend: string } }).result,
    );
    await page.close();
    expect(result.backend).toBe('wasm');
  });

  it('esbuild (node): runs in Node on the wasm backend, the binary found through node_modules', () => {
    const out = execFileSync(process.execPath, [join(APP, 'esbuild-node', 'app.mjs')], {
      cwd: APP,
    }).toString();
    expect(JSON.parse(out).backend).toBe('wasm');
  });
});
