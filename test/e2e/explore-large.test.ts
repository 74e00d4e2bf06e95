import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { generateToMemory } from '../../src/lib/synthetic/generate';
import { modelReady, openApp, summaryShows } from '../support/e2e-page';

const appUrl = inject('appUrl');
let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'latentlens-explore-1m-'));
  const data = generateToMemory({ ratings: 1_000_000, seed: 11 });
  writeFileSync(join(dir, 'ratings.csv'), data.ratingsCsv);
  writeFileSync(join(dir, 'movies.csv'), data.moviesCsv);
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Explore on a 1M-rating set', () => {
  it('charts every view from the worker without freezing the page', async () => {
    const app = await openApp(browser, appUrl);
    const { page } = app;
    await modelReady(page);
    await page.getByLabel('MovieLens files', { exact: true }).setInputFiles([join(dir, 'ratings.csv'), join(dir, 'movies.csv')]);
    expect(await summaryShows(page, 'ratings.csv + movies.csv', 180_000)).toContain('1,000,000');

    // Record main-thread tasks over 50 ms from here on (the DevTools protocol runs this despite the CSP).
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
    });
    await page.evaluate(() => (location.hash = '#/explore'));
    for (const name of ['Rating distribution', 'Ratings per movie', 'Ratings per user']) {
      const region = page.getByRole('region', { name, exact: true });
      await region.locator('svg').first().waitFor({ timeout: 60_000 });
    }
    expect(await page.getByRole('region', { name: 'Ratings per movie' }).textContent()).toMatch(/\d+% have fewer than 5/);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    // Drawing a few charts on the page is allowed a short task; the counting happens in the worker.
    expect(Math.max(0, ...longTasks)).toBeLessThan(500);
    expect(app.errors).toEqual([]);
    await app.close();
  });
});
