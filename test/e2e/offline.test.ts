/**
 * The installable app: served as GitHub Pages serves it (a sub-path, no COOP/COEP headers), the
 * first visit works with copies, installs the service worker, and from then on the page is
 * cross-origin isolated through the worker, opens offline with its model, and offers updates.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { collectErrors, modelReady } from '../support/e2e-page';
import { serveStatic, type StaticServer } from '../support/static-server';

const distDir = inject('distDir');
let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await serveStatic(distDir, { isolated: false, subPath: 'latentlens' });
});
afterAll(async () => {
  await browser?.close();
  server?.server.close();
});

/** Waits for the service worker to be active (it does not claim the page that installed it). */
async function installed(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}
const isolated = (page: Page) => page.evaluate(() => globalThis.crossOriginIsolated === true);

/** Runs the browser benchmark page on a small synthetic set and returns its report. */
async function benchDigest(page: Page): Promise<{ digest: string; sharedMemory: boolean }> {
  await page.goto(`${server.url}?bench=20000&threads=2&seed=3`);
  await page.getByRole('status').filter({ hasText: 'Benchmark done' }).waitFor({ timeout: 90_000 });
  return JSON.parse((await page.getByLabel('Benchmark results').textContent()) ?? '{}');
}

describe('the offline, installable app on a host without isolation headers', () => {
  it('isolates itself through the service worker, with the same neighbours as the copying path', async () => {
    // The copying path: as a first visit, before any service worker controls the page.
    const firstVisit = await browser.newContext({ serviceWorkers: 'block' });
    const copies = await benchDigest(await firstVisit.newPage());
    expect(copies.sharedMemory).toBe(false);
    await firstVisit.close();

    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(server.url);
    expect(await isolated(page)).toBe(false);
    await modelReady(page);
    // The panels fold into one line once the model is in use: open them to read the build's mode.
    await page.getByRole('button', { name: 'Change data' }).click();
    await page.getByText('stages,').click();
    expect(await page.getByTestId('memory-mode').textContent()).toContain('not cross-origin isolated');
    await installed(page);

    // The next visit: the service worker serves the page with COOP/COEP.
    const shared = await benchDigest(page);
    expect(await isolated(page)).toBe(true);
    expect(shared.sharedMemory).toBe(true);
    expect(shared.digest).toBe(copies.digest);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens offline after one visit, restores its model and answers "Movies like this"', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await modelReady(page);
    await installed(page);

    await context.setOffline(true);
    await page.goto(`${server.url}#/movie/858`);
    await page.reload();
    const status = await modelReady(page);
    expect(status).toContain('loaded from the cache');
    await page.getByRole('heading', { level: 2, name: 'The Godfather (1972)' }).waitFor();
    const similar = page.getByRole('list', { name: 'Similar movies' });
    await similar.waitFor();
    expect(await similar.textContent()).toContain('Godfather: Part II');
    await context.close();
  });

  it('offers a new version and reloads only when asked', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await modelReady(page);
    await installed(page);

    // A new build: the service worker's bytes change.
    const sw = readFileSync(join(distDir, 'service-worker.js'), 'utf8');
    server.override('service-worker.js', `${sw}\n// next version\n`);
    // The browser looks for a new service worker on every navigation.
    await page.reload();
    await page.evaluate(() => ((globalThis as { stillHere?: boolean }).stillHere = true));
    const prompt = page.getByRole('status', { name: 'Update available' });
    await prompt.waitFor({ timeout: 60_000 });
    // Nothing reloads until the person agrees: the same document is still there a while later.
    await page.waitForTimeout(1_500);
    expect(await page.evaluate(() => (globalThis as { stillHere?: boolean }).stillHere)).toBe(true);

    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await prompt.getByRole('button', { name: 'Reload to update' }).click();
    await reloaded;
    expect(await page.evaluate(() => (globalThis as { stillHere?: boolean }).stillHere)).toBeUndefined();
    await modelReady(page);
    await context.close();
  });
});
