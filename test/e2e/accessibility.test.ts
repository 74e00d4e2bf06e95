import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { modelReady } from '../support/e2e-page';

const appUrl = inject('appUrl');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(appUrl);
  await modelReady(page);
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not apply.
  await page.evaluate(axeSource);
});
afterAll(async () => {
  await browser?.close();
});

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

async function violations(): Promise<string[]> {
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
  });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

describe('every view meets WCAG 2 A/AA as axe-core checks it (labels, contrast, roles)', () => {
  it.each([
    ['home', '#/', 'Popular movies'],
    ['a movie', '#/movie/858', 'Similar movies'],
    ['explore', '#/explore', ''],
    ['learn', '#/learn/3', ''],
    ['evaluate', '#/evaluate', ''],
  ])('%s', async (_name, hash, list) => {
    await page.evaluate((h) => (location.hash = h), hash);
    if (list) await page.getByRole('list', { name: list }).waitFor();
    else await page.waitForTimeout(1500);
    await page.evaluate(axeSource);
    expect(await violations()).toEqual([]);
  });

  it('can be used from the keyboard alone: search, open a movie, rate it', async () => {
    await page.evaluate(() => (location.hash = '#/'));
    await page.getByRole('searchbox', { name: 'Search movies' }).focus();
    await page.keyboard.type('pulp fiction');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/movie\/296$/);
    // Focus lands on the movie's heading; Tab reaches the stars, arrows choose a rating.
    const radio = page.getByRole('radio', { name: '0.5 stars', exact: true });
    await radio.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: '1.5 stars', exact: true }).isChecked()).toBe(true);
  });
});
