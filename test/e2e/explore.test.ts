import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { collectErrors } from '../support/e2e-page';

const appUrl = inject('appUrl');
/** Set LATENTLENS_SCREENSHOTS=1 to refresh the README's Explore/Learn/taste-map screenshots. */
const SCREENSHOTS = process.env.LATENTLENS_SCREENSHOTS === '1';
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The number in the row whose header is `name` (the bold one when the cell shows a formula). */
async function numberNamed(page: Page, name: string, which: 'first' | 'strong' = 'first'): Promise<number> {
  const cell = page
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
    .getByRole('cell');
  const text = which === 'strong' ? await cell.locator('strong').textContent() : await cell.textContent();
  return Number((text ?? '').replace(/,/g, '').match(/-?\d+(\.\d+)?/)?.[0]);
}

async function stepHeading(page: Page, n: number): Promise<string> {
  const h = page.getByRole('heading', { level: 2, name: new RegExp(`^Step ${n}:`) });
  await h.waitFor();
  return (await h.textContent()) ?? '';
}

describe('Explore and Learn in a real browser', () => {
  it('walks every walkthrough step with real numbers, charts the data, re-ranks by m and draws the taste map', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(appUrl);
    await page.getByRole('status').filter({ hasText: 'Model ready' }).filter({ hasNotText: 'Saving' }).waitFor({ timeout: 90_000 });

    // ---- Learn: every step, reached with Next.
    await page.goto(`${appUrl}#/learn/1`);
    expect(await stepHeading(page, 1)).toBe('Step 1: The ratings file');
    const lines = page.getByLabel('Ratings file lines');
    await lines.waitFor();
    const text = (await lines.textContent()) ?? '';
    // ml-latest-small's ratings.csv begins with these two lines, reconstructed from the matrix.
    expect(text.split('\n').slice(0, 2)).toEqual(['userId,movieId,rating,timestamp', '1,1,4.0,964982703']);

    const next = page.getByRole('link', { name: 'Next →' });
    await next.click();
    expect(await stepHeading(page, 2)).toBe('Step 2: Id maps');
    expect(await page.getByRole('table', { name: 'Users: 610 ids' }).count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Movies: 9,742 ids' }).count()).toBe(1);

    await next.click();
    expect(await stepHeading(page, 3)).toBe('Step 3: The sparse matrix');
    const entries = page.getByRole('table', { name: 'CSR entries of The Godfather (1972)' });
    await entries.waitFor();
    expect(await entries.getByRole('row').count()).toBe(13); // header + 12 entries
    expect(await page.getByText('occupies entries').textContent()).toContain('192 ratings');

    await next.click();
    expect(await stepHeading(page, 4)).toBe('Step 4: Dense or sparse?');
    await page.getByRole('rowheader', { name: 'Dense matrix', exact: true }).waitFor();
    // "movies" = every movie in the id space (listed in movies.csv or rated), as the page states.
    const usersShown = await numberNamed(page, 'Users');
    const moviesShown = await numberNamed(page, 'Movies (all listed or rated)');
    expect([usersShown, moviesShown]).toEqual([610, 9742]);
    const dense = await numberNamed(page, 'Dense matrix', 'strong');
    expect(dense).toBe(usersShown * moviesShown * 8);
    // 610 × 9,742 × 8 = 47,540,960 (not 47,544,960, which is not a multiple of 610 × 8).
    expect(dense).toBe(47_540_960);
    const sparse = await numberNamed(page, 'Sparse (CSR) matrix', 'strong');
    expect(sparse).toBe((9742 + 1) * 4 + 100_836 * 8);

    await next.click();
    expect(await stepHeading(page, 5)).toBe('Step 5: Cosine similarity, worked out');
    await page.getByRole('rowheader', { name: 'Worked-out similarity', exact: true }).waitFor();
    const worked = await numberNamed(page, 'Worked-out similarity');
    const stored = await numberNamed(page, 'Stored similarity');
    expect(worked).toBeGreaterThan(0);
    expect(Math.abs(worked - stored)).toBeLessThan(1e-6);
    // The default pair is The Godfather and its top stored neighbour.
    expect(await page.getByRole('combobox', { name: /Compare with/ }).inputValue()).not.toBe('-1');
    if (SCREENSHOTS) {
      await page.evaluate(() => document.getElementById('learn-heading')?.scrollIntoView());
      await page.screenshot({ path: 'public/docs/screenshot-learn.png' });
    }

    await next.click();
    expect(await stepHeading(page, 6)).toBe('Step 6: Top-K neighbours');
    const recomputed = page.getByRole('list', { name: 'Recomputed neighbours' });
    await recomputed.waitFor();
    expect(await recomputed.getByRole('listitem').count()).toBe(50);
    // The exact recomputation with the model's own K and minimum is the stored list: nothing "new".
    expect(await recomputed.getByText('new', { exact: true }).count()).toBe(0);
    await page.getByRole('spinbutton', { name: 'K' }).fill('5');
    await expect.poll(() => recomputed.getByRole('listitem').count()).toBe(5);

    await next.click();
    expect(await stepHeading(page, 7)).toBe('Step 7: A recommendation, summed');
    const contrib = page.getByRole('table', { name: /contributions/ });
    expect(await contrib.getByRole('row').count()).toBeGreaterThan(3);

    await next.click();
    expect(await stepHeading(page, 8)).toBe('Step 8: Content similarity, worked out');
    // The content side is learnt in the background after the build: wait for it.
    await page.getByRole('rowheader', { name: 'Worked-out content similarity', exact: true }).waitFor({ timeout: 90_000 });
    const contentPartner = page.getByRole('combobox', { name: 'Compare with one of its content neighbours' });
    expect(await contentPartner.inputValue()).not.toBe('-1');
    const vectors = page.getByRole('table', { name: /^Content vectors of The Godfather \(1972\) and / });
    // The sample has tags.csv: the vectors hold users' tags beside genres and era.
    expect(await vectors.getByRole('cell', { name: 'Users’ tag', exact: true }).count()).toBeGreaterThan(0);
    expect(await vectors.getByRole('cell', { name: 'Genre', exact: true }).count()).toBeGreaterThan(0);
    // The top content neighbour and the fourth: each option reads "Title (similarity)".
    for (const n of [0, 3]) {
      const option = contentPartner.locator('option').nth(n);
      const label = (await option.textContent()) ?? '';
      await contentPartner.selectOption((await option.getAttribute('value'))!);
      await expect.poll(() => vectors.locator('caption').textContent()).toContain(` and ${label.replace(/ \([\d.]+\)$/, '')}:`);
      const workedContent = await numberNamed(page, 'Worked-out content similarity');
      const storedContent = await numberNamed(page, 'Stored content similarity');
      expect(workedContent).toBeGreaterThan(0);
      expect(workedContent.toFixed(3)).toBe(storedContent.toFixed(3));
      expect(label).toContain(`(${storedContent.toFixed(3)})`);
    }
    expect(await page.getByRole('link', { name: 'Next →' }).count()).toBe(0);
    await page.getByRole('link', { name: '← Back' }).click();
    expect(await stepHeading(page, 7)).toBe('Step 7: A recommendation, summed');

    // ---- Explore: each chart region holds an SVG; the m slider re-ranks.
    await page.goto(`${appUrl}#/explore`);
    for (const name of ['Rating distribution', 'Ratings per movie', 'Ratings per user', 'Ratings over time', 'Movies per genre', 'Mean rating per genre']) {
      const region = page.getByRole('region', { name, exact: true });
      await region.locator('svg').first().waitFor({ timeout: 30_000 });
      expect(await region.locator('svg').count(), name).toBeGreaterThan(0);
      expect(await region.getByRole('table', { includeHidden: true }).count(), name).toBe(1);
    }
    expect(await page.getByRole('region', { name: 'Ratings per movie' }).textContent()).toMatch(/\d+% have fewer than 5/);
    const weighted = page.getByRole('list', { name: 'Top by weighted rating' });
    const before = await weighted.getByRole('link').allTextContents();
    expect(before).toHaveLength(10);
    const slider = page.getByRole('slider', { name: /m percentile/ });
    await slider.fill('0');
    await expect.poll(() => weighted.getByRole('link').allTextContents()).not.toEqual(before);
    // With m at the smallest vote count, the weighted list drifts toward the plain-average one.
    await slider.fill('0.9');
    await expect.poll(() => weighted.getByRole('link').allTextContents()).toEqual(before);

    // ---- Top tags per genre, from the sample's tags.csv.
    const genreTags = page.getByRole('region', { name: 'Top tags per genre' });
    const comedy = genreTags.getByRole('list', { name: 'Top tags of Comedy' });
    await comedy.waitFor({ timeout: 90_000 });
    const comedyTags = (await comedy.getByRole('listitem').allTextContents()).map((t) => t.replace(/ ×[\d.]+$/, ''));
    expect(comedyTags).toHaveLength(5);
    expect(comedyTags).toContain('funny');
    await genreTags.getByRole('combobox', { name: 'Tags per genre' }).selectOption('3');
    await expect.poll(() => comedy.getByRole('listitem').count()).toBe(3);

    if (SCREENSHOTS) {
      await page.evaluate(() => document.getElementById('explore-heading')?.scrollIntoView());
      await page.screenshot({ path: 'public/docs/screenshot-explore.png' });
    }

    // ---- Taste map.
    const map = page.getByRole('group', { name: 'Taste map of 500 movies' });
    await map.waitFor({ timeout: 60_000 });
    expect(await map.locator('circle.point').count()).toBe(500);
    expect(await map.getByRole('link', { name: 'The Godfather (1972)' }).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Genre colours' }).getByRole('listitem').count()).toBeGreaterThan(3);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    // The same map from the recommender's latent factors, once they are learnt.
    const godfather = map.getByRole('link', { name: 'The Godfather (1972)' }).locator('circle.point');
    const byNeighbours = await godfather.getAttribute('cx');
    const placedBy = page.getByRole('combobox', { name: 'Placed by' });
    await expect.poll(() => placedBy.locator('option[value="factors"]').isEnabled(), { timeout: 60_000 }).toBe(true);
    await placedBy.selectOption('factors');
    await page.getByRole('button', { name: 'Draw map' }).click();
    await expect.poll(() => godfather.getAttribute('cx'), { timeout: 60_000 }).not.toBe(byNeighbours);
    expect(await map.locator('circle.point').count()).toBe(500);
    await placedBy.selectOption('neighbours');
    if (SCREENSHOTS) {
      await page.getByRole('button', { name: 'Reset zoom' }).click();
      await page.mouse.move(0, 0);
      await page.evaluate(() => document.getElementById('map-heading')?.scrollIntoView());
      await page.screenshot({ path: 'public/docs/screenshot-taste-map.png' });
    }

    // ---- Presenter mode scales the root font.
    const toggle = page.getByRole('button', { name: 'Large text' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('21px');
    await toggle.click();

    expect(errors).toEqual([]);
    await context.close();
  });
});
