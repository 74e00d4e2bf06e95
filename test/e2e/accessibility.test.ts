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
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} at ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')}`,
  );
}

const VIEWS = [
  ['home', '#/', 'Popular movies'],
  ['a movie', '#/movie/858', 'Similar movies'],
  ['explore', '#/explore', ''],
  ['learn', '#/learn/3', ''],
  ['evaluate', '#/evaluate', ''],
] as const;

describe('every view meets WCAG 2 A/AA as axe-core checks it (labels, contrast, roles), in the light and the dark theme', () => {
  it.each((['light', 'dark'] as const).flatMap((scheme) => VIEWS.map(([name, hash, list]) => [scheme, name, hash, list] as const)))(
    '%s: %s',
    async (scheme, _name, hash, list) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate((h) => (location.hash = h), hash);
      if (list) await page.getByRole('list', { name: list }).waitFor();
      else await page.waitForTimeout(1500);
      await page.evaluate(axeSource);
      expect(await violations()).toEqual([]);
    },
  );

  it('can be used from the keyboard alone: search, open a movie, rate it', async () => {
    await page.evaluate(() => (location.hash = '#/'));
    const search = page.getByRole('combobox', { name: 'Search movies' });
    await search.focus();
    await page.keyboard.type('pulp fiction');
    expect(await search.getAttribute('aria-expanded')).toBe('true');
    // Escape closes the list and keeps the text; the arrows reopen it and move the active option.
    await page.keyboard.press('Escape');
    expect(await search.getAttribute('aria-expanded')).toBe('false');
    expect(await search.inputValue()).toBe('pulp fiction');
    await page.keyboard.press('ArrowDown');
    const active = await search.getAttribute('aria-activedescendant');
    expect(await page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`#${active}`).textContent()).toContain('Pulp Fiction');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/movie\/296$/);
    // Focus lands on the movie's heading; Tab reaches the stars, arrows choose a rating.
    const radio = page.getByRole('radio', { name: '0.5 stars', exact: true });
    await radio.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: '1.5 stars', exact: true }).isChecked()).toBe(true);
  });

  it('folds the data panels into one line that opens and closes from the keyboard', async () => {
    await page.evaluate(() => (location.hash = '#/'));
    const toggle = page.getByRole('button', { name: 'Change data' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('heading', { name: 'Pipeline' }).isVisible()).toBe(false);
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Pipeline' }).waitFor();
    const fold = page.getByRole('button', { name: 'Fold away' });
    expect(await fold.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Space');
    await page.getByRole('heading', { name: 'Pipeline' }).waitFor({ state: 'hidden' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  });
});

describe('the movie comes first, from a phone to a wide screen', () => {
  it.each([
    [360, 740],
    [390, 844],
    [1366, 768],
    [1920, 1080],
  ])('%ix%i: the movie heading on the first screen, no horizontal scroll', async (width, height) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const p = await context.newPage();
    await p.goto(`${appUrl}#/movie/858`);
    await modelReady(p);
    const heading = p.getByRole('heading', { level: 2, name: 'The Godfather (1972)' });
    await heading.waitFor();
    const box = await heading.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(height);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    if (width >= 1366) {
      // The header is one row: the title, the views and "Delete my data" share a line.
      const top = async (name: string) => (await p.getByRole(name === 'LatentLens' ? 'heading' : 'button', { name }).boundingBox())!;
      const [brand, del] = [await top('LatentLens'), await top('Delete my data')];
      expect(Math.abs(brand.y - del.y)).toBeLessThan(brand.height);
    }
    await context.close();
  });
});
