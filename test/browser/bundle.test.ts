// dist/vecnet.browser.js imported by a plain page (no framework, no bundler) in headless Chromium:
// the array API, every backend, a network and its JSON, with the wasm inlined or fetched from a URL.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_PATH, ROOT } from '../../scripts/build-browser.mjs';
import { launchChromium } from './chromium.js';
import { serveStatic } from './static-server.js';

let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  server = await serveStatic(ROOT, ['dist', 'build', 'test']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface PlainResult {
  failure?: string;
  backend: string;
  simd: boolean;
  build: string;
  relaxedSupported: boolean;
  matmul: number[][];
  broadcast: number[][];
  sumAxis0: number[];
  mean: number;
  transpose: number[][];
  sigmoid0: number;
  float32: number;
  broadcastError: string;
  randn: number[];
  tidyKept: number[];
  perBackend: Record<string, { backend: string; product: number[][] }>;
  costs: number[];
  roundTripAccuracy: [number, number];
  nodeOnlyExports: string[];
}

async function runPlainPage(
  query = '',
  missingRelaxed = false,
): Promise<{ result: PlainResult; requests: string[]; errors: string[] }> {
  const page = await browser.newPage();
  // as if a bundler or server had not provided the file beside the bundle
  if (missingRelaxed) await page.route('**/vecnet.relaxed.wasm', (route) => route.fulfill({ status: 404 }));
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (msg) => {
    // the 404 of the missing-file case is the point of that test, not an error of the page
    if (msg.type() === 'error' && !(missingRelaxed && msg.text().includes('404'))) errors.push(msg.text());
  });
  await page.goto(`${server.url}/test/browser/pages/plain.html${query}`);
  await page.waitForFunction(() => 'result' in globalThis, undefined, { timeout: 60_000 });
  const result = await page.evaluate(() => (globalThis as unknown as { result: PlainResult }).result);
  await page.close();
  return { result, requests, errors };
}

function expectArrayApi(result: PlainResult): void {
  expect(result.failure).toBeUndefined();
  expect(result.simd).toBe(true);
  expect(result.matmul).toEqual([[3], [7]]);
  expect(result.broadcast).toEqual([
    [11, 22],
    [13, 24],
  ]);
  expect(result.sumAxis0).toEqual([4, 6]);
  expect(result.mean).toBe(2.5);
  expect(result.transpose).toEqual([
    [1, 3],
    [2, 4],
  ]);
  expect(result.sigmoid0).toBe(0.5);
  expect(result.float32).toBe(Math.fround(0.1));
  expect(result.broadcastError).toContain('operands could not be broadcast together with shapes (2,2) (3,)');
  // np.random.seed(1); np.random.randn(3)
  expect(result.randn).toEqual([1.6243453636632417, -0.6117564136500754, -0.5281717522634557]);
  expect(result.tidyKept).toEqual([3, 3]);
  for (const name of ['loop', 'vectorized', 'wasm']) {
    expect(result.perBackend[name]).toEqual({
      backend: name,
      product: [
        [5, 14],
        [14, 50],
      ],
    });
  }
  expect(result.costs).toHaveLength(50);
  expect(result.costs[0]).toBeCloseTo(0.693048, 6); // the course's "Cost after iteration 0: 0.693048"
  expect(result.costs[49]).toBeLessThan(result.costs[0]);
  expect(result.roundTripAccuracy[1]).toBe(result.roundTripAccuracy[0]);
  expect(result.nodeOnlyExports).toEqual([]);
}

describe('dist/vecnet.browser.js in a plain page', () => {
  it('loads the relaxed-SIMD build beside the bundle where the engine runs relaxed SIMD', async () => {
    const { result, requests, errors } = await runPlainPage();
    expect(result.backend).toBe('wasm');
    expectArrayApi(result);
    expect(requests).toContain('/dist/vecnet.browser.js');
    const wasmRequests = requests.filter((r) => r.endsWith('.wasm'));
    if (result.relaxedSupported) {
      // Chromium 114+: the one request is the relaxed build, fetched lazily
      expect(result.build).toBe('relaxed-simd');
      expect(wasmRequests).toEqual(['/dist/vecnet.relaxed.wasm']);
    } else {
      expect(result.build).toBe('simd128');
      expect(wasmRequests).toEqual([]);
    }
    expect(errors).toEqual([]);
  });

  it('runs on the SIMD128 wasm inlined in the bundle when the relaxed build cannot be fetched', async () => {
    const { result, errors } = await runPlainPage('', true);
    expect(result.backend).toBe('wasm');
    expect(result.build).toBe('simd128');
    expectArrayApi(result);
    expect(errors).toEqual([]);
  });

  it('loads the wasm from a URL when ready(url) is given one', async () => {
    const { result, requests, errors } = await runPlainPage('?wasm=/build/vecnet.wasm');
    expect(result.backend).toBe('wasm');
    expectArrayApi(result);
    expect(requests).toContain('/build/vecnet.wasm');
    expect(errors).toEqual([]);
  });

  it("vecnet/course (dist/vecnet-course.browser.js) is the bundle's course namespace", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/test/browser/pages/plain.html`);
    // a string, so that the test runner leaves the page's import() alone
    const result = (await page.evaluate(`(async () => {
      const course = await import('/dist/vecnet-course.browser.js');
      const main = await import('/dist/vecnet.browser.js');
      course.np.random.seed(1);
      const [A] = course.linear_activation_forward([[1], [2]], [[0.5, -1]], [[0.1]], 'sigmoid');
      return {
        same: course.L_model_forward === main.course.L_model_forward,
        randn: Array.from(course.np.random.randn(2).data),
        sigmoid0: course.week2.sigmoid(0),
        A: A.get(0, 0),
      };
    })()`)) as { same: boolean; randn: number[]; sigmoid0: number; A: number };
    await page.close();
    expect(result.same).toBe(true);
    expect(result.randn).toEqual([1.6243453636632417, -0.6117564136500754]);
    expect(result.sigmoid0).toBe(0.5);
    expect(result.A).toBeCloseTo(1 / (1 + Math.exp(1.4)), 15);
  });

  it('stays under 100 kB gzip, wasm included', () => {
    const bundle = readFileSync(BUNDLE_PATH);
    const gzip = gzipSync(bundle, { level: 9 }).length;
    console.log(`${BUNDLE_PATH}: ${bundle.length} bytes raw, ${gzip} bytes gzip -9`);
    expect(gzip).toBeLessThan(100_000);
    const text = bundle.toString('utf8');
    expect(text).toMatch(/^\/\*! vecnet /);
    // nothing reaches for Node's built-ins (the build stubs the lazy imports Node-only code has)
    expect(text).not.toMatch(/(import\(|from ?)["']node:/);
  });
});
