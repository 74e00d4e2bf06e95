/**
 * Takes the README's screenshots from the production build: `npx tsx test/support/screenshots.ts`.
 * Not a test; run it by hand after visible changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build, preview } from 'vite';
import { launchChromium } from './chromium';

const outDir = mkdtempSync(join(tmpdir(), 'latentlens-shots-'));
await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const server = await preview({ logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/`;
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${url}#/movie/858`);
  await page.getByRole('status').filter({ hasText: 'Model ready' }).filter({ hasNotText: 'Saving' }).waitFor({ timeout: 90_000 });
  await page.getByRole('list', { name: 'Similar movies' }).waitFor();
  await page.screenshot({ path: 'public/docs/screenshot-movie.png', fullPage: false });
  await page.goto(`${url}#/`);
  await page.getByRole('list', { name: 'Popular movies' }).waitFor();
  await page.screenshot({ path: 'public/docs/screenshot-home.png', fullPage: false });
} finally {
  await browser.close();
  await server.close();
  rmSync(outDir, { recursive: true, force: true });
}
