// The playground in headless Chromium, served by `npm run demo`'s server: training the flower on the
// wasm backend in the page's worker, and the same seeded run in the page and in Node giving the same
// costs.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromQuery, type PlaygroundSnapshot } from '../../demo/config.js';
import { serveDemo } from '../../demo/serve.mjs';
import { Session } from '../../demo/session.js';
import { ROOT } from '../../scripts/build-browser.mjs';
import { launchChromium } from './chromium.js';

const RESULTS = join(ROOT, 'test-results');

let browser: Browser;
let server: Awaited<ReturnType<typeof serveDemo>>;

beforeAll(async () => {
  server = await serveDemo();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh page that fails the test on any uncaught error or console error. */
async function openPage(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  await page.goto(`${server.url}${query}`);
  return { page, errors };
}

const snapshot = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { playground: { snapshot(): PlaygroundSnapshot } }).playground.snapshot(),
  );

async function waitForStatus(page: Page, status: PlaygroundSnapshot['status'], timeout = 90_000) {
  await page.waitForFunction(
    (s) => {
      const p = (globalThis as unknown as { playground?: { snapshot(): PlaygroundSnapshot } }).playground;
      const now = p?.snapshot().status;
      if (now === 'error') throw new Error(p?.snapshot().error);
      return now === s;
    },
    status,
    { timeout, polling: 100 },
  );
  // let the last frame reach the screen
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describe('playground', () => {
  it('trains the flower on wasm for 2,000 iterations: accuracy >= 0.85, a heat map, SIMD reported', async () => {
    const query = '?dataset=flower&backend=wasm&dtype=float64&iterations=2000&autostart=1';
    const { page, errors } = await openPage(query);
    await waitForStatus(page, 'done');
    const snap = await snapshot(page);
    expect(snap.iteration).toBe(2000);
    expect(snap.costs).toHaveLength(2000);
    expect(snap.backend).toBe('wasm');

    // the accuracy as the page shows it, e.g. "90.3%"
    const shown = (await page.textContent('#stat-accuracy')) ?? '';
    expect(shown).toMatch(/^\d+(\.\d)?%$/);
    const accuracy = Number.parseFloat(shown) / 100;
    expect(accuracy).toBeGreaterThanOrEqual(0.85);

    // SIMD: reported by the worker and shown in the badge
    expect(snap.simd).toBe(true);
    expect(await page.getAttribute('#simd-badge', 'data-state')).toBe('yes');
    expect(await page.textContent('#simd-badge')).toContain('✓');

    // the heat map is drawn: many colours, both classes' tints, no blank or flat canvas
    const canvas = await page.evaluate(() => {
      const c = document.getElementById('heatmap') as HTMLCanvasElement;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      const colours = new Set<number>();
      let reddish = 0;
      let bluish = 0;
      let transparent = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        if (a === 0) transparent++;
        colours.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3));
        if (r > b + 40) reddish++;
        if (b > r + 40) bluish++;
      }
      const pixels = data.length / 4;
      return {
        width: c.width,
        colours: colours.size,
        reddish: reddish / pixels,
        bluish: bluish / pixels,
        transparent: transparent / pixels,
      };
    });
    expect(canvas.width).toBeGreaterThan(100);
    expect(canvas.transparent).toBeLessThan(0.01);
    expect(canvas.colours).toBeGreaterThan(50);
    expect(canvas.reddish).toBeGreaterThan(0.1);
    expect(canvas.bluish).toBeGreaterThan(0.1);

    // the dev server sends COOP/COEP (demo/serve.mjs), so vecnet's worker threads are available
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);

    mkdirSync(RESULTS, { recursive: true });
    const shot = join(RESULTS, 'playground.png');
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.VECNET_UPDATE_SCREENSHOT === '1') {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      copyFileSync(shot, join(ROOT, 'docs', 'playground.png'));
    }
    console.log(`flower, wasm, 2000 iterations: accuracy ${shown}; screenshot ${shot}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(['wasm', 'vectorized'])(
    'a seeded 100-iteration run on %s gives the same float64 costs in the page and in Node',
    async (backend) => {
      const query = `?dataset=flower&backend=${backend}&dtype=float64&iterations=100&autostart=1`;
      const { page, errors } = await openPage(query);
      await waitForStatus(page, 'done');
      const inPage = (await snapshot(page)).costs;
      await page.close();

      const session = new Session(configFromQuery(query));
      const inNode = session.train(100);
      session.dispose();

      expect(inPage).toHaveLength(100);
      expect(inNode).toHaveLength(100);
      let worst = 0;
      for (let i = 0; i < 100; i++) {
        worst = Math.max(worst, Math.abs(inPage[i] - inNode[i]) / Math.max(1, Math.abs(inNode[i])));
      }
      console.log(`${backend}: cost ${inNode[0]} → ${inNode[99]}, largest page/Node difference ${worst}`);
      expect(worst).toBeLessThanOrEqual(1e-12);
      expect(errors).toEqual([]);
    },
  );

  it('stays responsive while training and shows the speed of each backend', async () => {
    const { page, errors } = await openPage('?dataset=flower&backend=wasm&iterations=0&autostart=1');
    await waitForStatus(page, 'running', 30_000);
    const speeds: string[] = [];
    for (const backend of ['wasm', 'vectorized', 'loop']) {
      await page.click(`#backend [data-value="${backend}"]`);
      // the main thread keeps drawing at display rate while the worker trains
      const frames = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let n = 0;
            const end = performance.now() + 1000;
            const tick = () => {
              if (performance.now() >= end) return resolve(n);
              n++;
              requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          }),
      );
      expect(frames).toBeGreaterThan(20);
      const snap = await snapshot(page);
      expect(snap.status).toBe('running');
      expect(snap.backend).toBe(backend);
      expect(snap.iteration).toBeGreaterThan(0);
      speeds.push(`${backend} ${(await page.textContent('#stat-speed')) ?? ''} it/s (${frames} frames/s)`);
    }
    await page.click('#start'); // pause
    await waitForStatus(page, 'paused', 10_000);
    await page.waitForTimeout(300); // a frame already on its way may still land
    const paused = (await snapshot(page)).iteration;
    await page.waitForTimeout(500);
    expect((await snapshot(page)).iteration).toBe(paused);
    expect(await page.locator('#speeds li').count()).toBe(3);
    console.log(`speeds: ${speeds.join(', ')}`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
