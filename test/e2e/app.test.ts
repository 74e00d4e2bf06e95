import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { collectErrors, recordRequests } from '../support/e2e-page';
import { sampleQueries } from '../support/sample-app';

const appUrl = inject('appUrl');
const appOrigin = new URL(appUrl).origin;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function waitForModel(page: Page, text = 'Model ready'): Promise<string> {
  const status = page.getByRole('status').filter({ hasText: text }).filter({ hasNotText: 'Saving' });
  await status.waitFor({ timeout: 90_000 });
  return (await status.textContent()) ?? '';
}

function outsideOrigin(urls: string[]): string[] {
  return urls.filter((u) => !u.startsWith(appOrigin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
}

describe('the whole pipeline in a real browser', () => {
  it('builds the bundled sample, finds movies like The Godfather, recommends from ratings and restores from the cache', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests = recordRequests(page);
    const errors = collectErrors(page);

    await page.goto(appUrl);
    const built = await waitForModel(page);
    expect(built).toContain('100,836 ratings');
    expect(built).toContain('built in');

    const summary = page.getByRole('region', { name: 'Data summary' });
    expect(await summary.textContent()).toContain('610');

    await page.getByRole('combobox', { name: 'Search movies' }).fill('Godfather');
    const results = page.getByRole('listbox', { name: 'Search results' });
    await results.getByRole('option', { name: 'The Godfather (1972)' }).click();
    await page.waitForURL(/#\/movie\/858$/);
    expect(await page.getByRole('heading', { level: 2, name: 'The Godfather (1972)' }).count()).toBe(1);

    const similar = page.getByRole('list', { name: 'Similar movies' });
    await similar.waitFor();
    const similarText = (await similar.textContent()) ?? '';
    expect(similarText).toContain('Godfather: Part II');
    // Ten first, with a similarity meter each; the other forty one click away.
    expect(await similar.getByRole('listitem').count()).toBe(10);
    expect(await similar.getByRole('meter').count()).toBe(10);
    await page.getByRole('button', { name: 'Show all 50' }).click();
    expect(await similar.getByRole('listitem').count()).toBe(50);

    // Rate three movies, each on its own page, reached by the hash route.
    await page.getByRole('radio', { name: '5 stars', exact: true }).check();
    for (const [movieId, stars] of [
      [1221, '4.5 stars'],
      [1196, '5 stars'],
    ] as const) {
      await page.goto(`${appUrl}#/movie/${movieId}`);
      await page.getByRole('radio', { name: stars, exact: true }).check();
    }
    await page.goto(`${appUrl}#/`);
    const recommended = page.getByRole('list', { name: 'Recommended for you' });
    await recommended.waitFor();
    // The recommender is learnt in the background; the list is personal once the note names it.
    await page.getByText('This is the ranking').waitFor({ timeout: 60_000 });
    const recText = (await recommended.textContent()) ?? '';
    expect(await recommended.getByRole('listitem').count()).toBe(20);
    expect(recText).toContain('because you rated');
    // Nothing the person already rated is recommended back to them.
    const recommendedTitles = await recommended.getByRole('link').allTextContents();
    expect(recommendedTitles).toHaveLength(20);
    expect(recommendedTitles).not.toContain('The Godfather (1972)');
    expect(recommendedTitles).not.toContain('The Godfather: Part II (1974)');
    expect(recommendedTitles).not.toContain('Star Wars: Episode V - The Empire Strikes Back (1980)');
    // What the page shows is exactly what `--algo app` ranks for the same ratings (same core, same model).
    const expected = (await sampleQueries()).recommend(
      new Map([
        [858, 5],
        [1221, 4.5],
        [1196, 5],
      ]),
      20,
    );
    expect(expected.source).toBe('ials');
    expect(recommendedTitles).toEqual(expected.items.map((r) => r.title));

    // A reload lands on the same route and takes the model from IndexedDB instead of rebuilding.
    await page.goto(`${appUrl}#/movie/858`);
    await page.reload();
    const restored = await waitForModel(page);
    expect(restored).toContain('loaded from the cache');
    await page.getByRole('list', { name: 'Similar movies' }).waitFor();
    expect(await page.getByRole('radio', { name: '5 stars', exact: true }).isChecked()).toBe(true);
    // The latent factors came back too: the movie page shows its other view of similarity.
    const taste = page.getByRole('list', { name: 'Closest in taste space' });
    await taste.waitFor({ timeout: 5_000 });
    const tasteTitles = await taste.getByRole('link').allTextContents();
    expect(tasteTitles).toEqual((await sampleQueries()).closestInTaste(858, 10).map((m) => m.title));
    expect(tasteTitles).not.toContain('The Godfather (1972)');
    // And the content side: what it shares with each, in the words of genres and users' tags.
    const inContent = page.getByRole('list', { name: 'Similar in content' });
    const expectedContent = (await sampleQueries()).similarInContent(858, 10);
    expect(await inContent.getByRole('link').allTextContents()).toEqual(expectedContent.map((m) => m.title));
    expect((await inContent.textContent()) ?? '').toContain('shares: ');
    expect(expectedContent.some((m) => m.shares.includes('mafia'))).toBe(true);
    // The recommender came back from the cache with the model: the list is personal at once.
    await page.goto(`${appUrl}#/`);
    await page.getByText('This is the ranking').waitFor({ timeout: 5_000 });
    expect(await page.getByRole('list', { name: 'Recommended for you' }).getByRole('link').allTextContents()).toEqual(recommendedTitles);

    expect(outsideOrigin(requests)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('serves a strict Content-Security-Policy and cross-origin isolation', async () => {
    const response = await fetch(appUrl);
    const html = await response.text();
    expect(html).toMatch(/http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'/);
    expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>/); // no inline scripts
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('deletes the saved model and ratings with "Delete my data"', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(appUrl);
    await waitForModel(page);
    await page.goto(`${appUrl}#/movie/1`);
    await page.getByRole('radio', { name: '4 stars', exact: true }).check();

    await page.getByRole('button', { name: 'Delete my data' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted' }).waitFor();
    const keys = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('latentlens');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction('kv').objectStore('kv').count();
            count.onsuccess = () => resolve(count.result);
          };
        }),
    );
    expect(keys).toBe(0);

    // With nothing saved, the next visit builds the sample afresh and remembers no rating.
    await page.reload();
    expect(await waitForModel(page)).toContain('built in');
    await page.getByRole('list', { name: 'Similar movies' }).waitFor();
    expect(await page.getByRole('radio', { name: '4 stars', exact: true }).isChecked()).toBe(false);
    await context.close();
  });
});
