import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { generateToMemory } from '../../src/lib/synthetic/generate';
import { alertText, modelReady, openApp } from '../support/e2e-page';

const appUrl = inject('appUrl');
let browser: Browser;
let dir: string;
let bigFiles: string[];

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'latentlens-faults-'));
  // Big enough that a build takes a few seconds, so there is time to cancel or reload in it.
  const data = generateToMemory({ ratings: 1_000_000, seed: 3 });
  bigFiles = [join(dir, 'ratings.csv'), join(dir, 'movies.csv')];
  writeFileSync(bigFiles[0], data.ratingsCsv);
  writeFileSync(bigFiles[1], data.moviesCsv);
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Keys in LatentLens's IndexedDB store, read from inside the page. */
function cacheKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('latentlens');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('kv').objectStore('kv').getAllKeys();
          req.onsuccess = () => resolve(req.result.map(String));
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

const summary = (page: Page) => page.getByRole('region', { name: 'Data summary' }).textContent();

describe('faults are survived', () => {
  it('cancel stops a build within a second and keeps the previous model', async () => {
    const app = await openApp(browser, appUrl);
    const { page } = app;
    await modelReady(page);
    await page.getByLabel('MovieLens files', { exact: true }).setInputFiles(bigFiles);
    await page.getByRole('list', { name: 'Pipeline stages' }).getByText('Finding similar movies').waitFor({ timeout: 60_000 });
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Cancel' }).click();
    const alert = await alertText(page, 5_000);
    expect(Date.now() - clicked).toBeLessThan(1_000);
    expect(alert).toContain('Cancelled');
    expect(alert).toContain('previous model is still in use');
    expect(await summary(page)).toContain('100,836');
    // The app is usable: the old model answers, and a new build works without a reload.
    await page.goto(`${appUrl}#/movie/858`);
    await page.getByRole('list', { name: 'Similar movies' }).waitFor();
    await page.getByRole('button', { name: 'Use the bundled sample' }).click();
    expect(await modelReady(page)).toContain('built in');
    expect(app.errors).toEqual([]);
    await app.close();
  });

  it('a worker that crashes is reported with what to try, and the app recovers without a reload', async () => {
    const app = await openApp(browser, `${appUrl}?fault=crash`);
    const alert = await alertText(app.page);
    expect(alert).toMatch(/stopped unexpectedly/);
    expect(alert).toMatch(/smaller MovieLens release|close other tabs/);
    await app.page.getByRole('button', { name: 'Use the bundled sample' }).click();
    expect(await modelReady(app.page)).toContain('100,836 ratings');
    await app.close();
  });

  it('a worker that stops answering is detected by the watchdog and the app recovers', async () => {
    const app = await openApp(browser, `${appUrl}?fault=hang&watchdog=2000`);
    const alert = await alertText(app.page, 20_000);
    expect(alert).toMatch(/stopped answering/);
    await app.page.getByRole('button', { name: 'Use the bundled sample' }).click();
    expect(await modelReady(app.page)).toContain('100,836 ratings');
    await app.close();
  });

  it('when storage is full the model stays usable and the person is told it will not survive a reload', async () => {
    const app = await openApp(browser, `${appUrl}?fault=quota`);
    const { page } = app;
    await modelReady(page);
    await page.getByRole('note').filter({ hasText: 'will not survive a reload' }).waitFor();
    // Nothing half-written was left behind.
    expect((await cacheKeys(page)).filter((k) => k.startsWith('latentlens:model') || k === 'latentlens:manifest')).toEqual([]);
    await page.evaluate(() => (location.hash = '#/movie/858'));
    await page.getByRole('list', { name: 'Similar movies' }).waitFor();
    await app.close();
  });

  it('a corrupt cached chunk is detected on load and the model rebuilt, never used', async () => {
    const app = await openApp(browser, appUrl);
    const { page } = app;
    await modelReady(page);
    const keys = await cacheKeys(page);
    const chunk = keys.find((k) => k.startsWith('latentlens:model:'));
    expect(chunk).toBeDefined();
    await page.evaluate(
      (key) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('latentlens');
          open.onsuccess = () => {
            const store = open.result.transaction('kv', 'readwrite').objectStore('kv');
            const get = store.get(key);
            get.onsuccess = () => {
              const value = get.result as ArrayBuffer | ArrayBufferView;
              const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
              bytes[bytes.length >> 1] ^= 0xff;
              const put = store.put(value, key);
              put.onsuccess = () => resolve();
              put.onerror = () => reject(put.error);
            };
          };
        }),
      chunk!,
    );
    await page.reload();
    const ready = await modelReady(page);
    expect(ready).toContain('built in');
    expect(await page.getByRole('note').filter({ hasText: 'saved model could not be used' }).textContent()).toMatch(/checksum|chunk/);
    await app.close();
  });

  it('two tabs building at once do not corrupt each other’s cache', async () => {
    const context = await browser.newContext();
    const [a, b] = await Promise.all([context.newPage(), context.newPage()]);
    await Promise.all([a.goto(appUrl), b.goto(appUrl)]);
    await Promise.all([modelReady(a), modelReady(b)]);
    const c = await context.newPage();
    await c.goto(appUrl);
    expect(await modelReady(c)).toContain('loaded from the cache');
    await c.getByRole('combobox', { name: 'Search movies' }).fill('godfather');
    await c.getByRole('listbox', { name: 'Search results' }).waitFor();
    await context.close();
  });

  it('a reload in the middle of a build starts clean', async () => {
    const app = await openApp(browser, appUrl);
    const { page } = app;
    await modelReady(page);
    await page.getByLabel('MovieLens files', { exact: true }).setInputFiles(bigFiles);
    await page.getByRole('list', { name: 'Pipeline stages' }).getByText('Parsing ratings').waitFor({ timeout: 60_000 });
    await page.reload();
    // The complete model from before the interrupted build is what comes back.
    expect(await modelReady(page)).toContain('loaded from the cache');
    expect(await summary(page)).toContain('100,836');
    expect(app.errors).toEqual([]);
    await app.close();
  });
});
