import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../support/chromium';
import { serveStatic } from '../support/static-server';
import type { BenchmarkReport } from '../../workers/pipeline.worker';

const appUrl = inject('appUrl');
let browser: Browser;
let plain: { url: string; server: Server };
let outDir: string;

beforeAll(async () => {
  browser = await launchChromium();
  // The same build served without COOP/COEP, as GitHub Pages serves it: no SharedArrayBuffer.
  outDir = mkdtempSync(join(tmpdir(), 'latentlens-plain-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  plain = await serveStatic(outDir, { isolated: false });
});
afterAll(async () => {
  await browser?.close();
  plain?.server.close();
  rmSync(outDir, { recursive: true, force: true });
});

async function bench(page: Page, base: string, threads: number, cache = false): Promise<BenchmarkReport> {
  await page.goto(`${base}?bench=1000000&threads=${threads}&seed=5${cache ? '&cache' : ''}`);
  await page
    .getByRole('status')
    .filter({ hasText: /Benchmark (done|failed)/ })
    .waitFor({ timeout: 240_000 });
  expect(await page.getByRole('alert').count()).toBe(0);
  return JSON.parse((await page.getByLabel('Benchmark results').textContent()) ?? '{}') as BenchmarkReport;
}

describe('the parallel build in Chromium', () => {
  it('gives exactly the single-worker neighbours on a generated 1M-rating set, with and without shared memory', async () => {
    const page = await browser.newPage();
    const single = await bench(page, appUrl, 1);
    const shared = await bench(page, appUrl, 2, true);
    const copies = await bench(page, plain.url, 2);
    await page.close();

    expect(single.ratings).toBe(1_000_000);
    expect(single.threads).toBe(1);
    expect(shared.threads).toBe(2);
    expect(shared.crossOriginIsolated).toBe(true);
    expect(shared.sharedMemory).toBe(true);
    expect(copies.crossOriginIsolated).toBe(false);
    expect(copies.sharedMemory).toBe(false);
    expect(shared.digest).toBe(single.digest);
    expect(copies.digest).toBe(single.digest);
    expect(shared.pairUpdates).toBe(single.pairUpdates);
    // A model built on shared memory saves to IndexedDB and comes back identical.
    expect(shared.restoredDigest).toBe(single.digest);
    expect(shared.cachedBytes).toBeGreaterThan(1_000_000 * 8);
  });
});
