// Threads in Chromium with the bundle (dist/vecnet.browser.js): on a cross-origin isolated page
// (COOP/COEP headers) GEMM runs on Web Workers, on the main thread (which spins while it waits) and
// inside a worker (which sleeps in Atomics.wait), with results equal to one thread bit for bit; on a
// page without the headers vecnet stays on one thread and says why in the console.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDemo } from '../../demo/serve.mjs';
import { ROOT } from '../../scripts/build-browser.mjs';
import { launchChromium } from './chromium.js';
import { serveStatic } from './static-server.js';

const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

let browser: Browser;
let isolated: Awaited<ReturnType<typeof serveStatic>>;
let plain: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  isolated = await serveStatic(ROOT, ['dist', 'test'], ISOLATION);
  plain = await serveStatic(ROOT, ['dist', 'test']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await isolated?.stop();
  await plain?.stop();
});

interface ThreadsResult {
  failure?: string;
  isolated: boolean;
  backend: string;
  defaultThreads: number;
  threads: number;
  workersStarted: number;
  equal: Record<string, boolean>;
}

async function open(base: string, query = ''): Promise<{ result: ThreadsResult; console: string[] }> {
  const page = await browser.newPage();
  const messages: string[] = [];
  page.on('console', (msg) => messages.push(`${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
  await page.goto(`${base}/test/browser/pages/threads.html${query}`);
  await page.waitForFunction(() => 'result' in globalThis, undefined, { timeout: 60_000 });
  const result = await page.evaluate(() => (globalThis as unknown as { result: ThreadsResult }).result);
  await page.close();
  return { result, console: messages };
}

describe('threads in Chromium', () => {
  for (const context of ['main thread', 'worker']) {
    it(`splits GEMM across Web Workers on a cross-origin isolated page (${context})`, async () => {
      const { result, console } = await open(isolated.url, context === 'worker' ? '?context=worker' : '');
      expect(result.failure).toBeUndefined();
      expect(result.isolated).toBe(true);
      expect(result.backend).toBe('wasm');
      expect(result.defaultThreads).toBeGreaterThanOrEqual(1);
      expect(result.threads).toBe(2);
      // one per dtype: setThreads(1) between them sends the first one away
      expect(result.workersStarted).toBe(2);
      expect(result.equal).toEqual({ float32: true, float64: true });
      expect(console.filter((m) => m.startsWith('error') || m.startsWith('pageerror'))).toEqual([]);
    });
  }

  it('stays on one thread with a console note when the page is not cross-origin isolated', async () => {
    const { result, console } = await open(plain.url);
    expect(result.failure).toBeUndefined();
    expect(result.isolated).toBe(false);
    expect(result.threads).toBe(1);
    expect(result.workersStarted).toBe(0);
    expect(result.equal).toEqual({ float32: true, float64: true });
    expect(console.join('\n')).toMatch(
      /vecnet: running on one thread: the page is not cross-origin isolated/,
    );
  });

  it("the playground's dev server makes the page cross-origin isolated", async () => {
    const demo = await serveDemo();
    try {
      const page = await browser.newPage();
      await page.goto(demo.url);
      expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
      await page.close();
    } finally {
      await demo.stop();
    }
  });
});
