/**
 * The Docker image's web server, for real: Debian's nginx serves dist/ with the repository's
 * nginx.conf. Headers, caching and compression are checked over HTTP; isolation, a shared-memory
 * build and an offline reload in Chromium.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';
import { launchChromium } from '../support/chromium';
import { modelReady } from '../support/e2e-page';
import { findNginx, NGINX_FIX, startNginx, type RunningNginx } from '../support/nginx';

const distDir = inject('distDir');
const available = findNginx() !== undefined;
if (!available && process.env.CI) throw new Error(NGINX_FIX);
if (!available) console.warn(NGINX_FIX);

describe.skipIf(!available)('the Docker image’s nginx.conf', () => {
  let nginx: RunningNginx;
  let browser: Browser;
  beforeAll(async () => {
    nginx = await startNginx(distDir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
  });

  it('sends isolation, the CSP as a header, and caching that suits each file', async () => {
    const page = await fetch(nginx.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    // The header is the page's own policy plus what only a header can say.
    expect(page.headers.get('content-security-policy')).toBe(`${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
    expect(page.headers.get('cache-control')).toBe('no-cache');

    const sw = await fetch(nginx.url + 'service-worker.js');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('content-type')).toMatch(/javascript/);

    const html = await page.text();
    const asset = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const hashed = await fetch(nginx.url + asset);
    expect(hashed.headers.get('cache-control')).toBe('max-age=31536000');
    expect(hashed.headers.get('cross-origin-embedder-policy')).toBe('require-corp');

    const manifest = await fetch(nginx.url + 'manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json');
    expect(((await manifest.json()) as { name: string }).name).toContain('LatentLens');

    const csv = await fetch(nginx.url + 'data/ml-latest-small/ratings.csv', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(csv.headers.get('content-encoding')).toBe('gzip');
    expect((await csv.text()).startsWith('userId,movieId,rating,timestamp')).toBe(true);

    expect((await fetch(nginx.url + 'no-such-file.js')).status).toBe(404);
  });

  it('is cross-origin isolated, builds with shared memory, and reopens offline', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(nginx.url);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    await modelReady(page);
    // The panels fold into one line once the model is in use: open them to read the build's mode.
    await page.getByRole('button', { name: 'Change data' }).click();
    await page.getByText('stages,').click();
    expect(await page.getByTestId('memory-mode').textContent()).toMatch(/threads sharing memory|one thread/);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });

    await context.setOffline(true);
    await page.reload();
    expect(await modelReady(page)).toContain('loaded from the cache');
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    await context.close();
  });
});
