/**
 * The portable model file and models trained elsewhere, in a real browser: export the sample's
 * model, delete everything, import the file and get the same neighbours without a rebuild; a
 * truncated file is refused with the model kept; Spark ALS factors (Parquet, Spark's schema)
 * become "Movies like this".
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { alertText, expectOnlyLocal, modelReady, openApp } from '../support/e2e-page';
import { sampleQueries } from '../support/sample-app';
import { fileOf, sparkFactorsParquet } from '../support/spark-parquet';
import { importTrainedModel } from '../../src/lib/pipeline/import-trained-model';
import { ModelQueries } from '../../src/lib/model/model-queries';
import type { AppRecommender } from '../../src/lib/recommend/app-recommender';

const appUrl = inject('appUrl');
const appOrigin = new URL(appUrl).origin;
const MOVIES_CSV = fileURLToPath(new URL('../../public/data/ml-latest-small/movies.csv', import.meta.url));
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The Data panels fold into one line once a model is ready: open them to reach the inputs. */
async function openDataPanels(page: Page): Promise<void> {
  const change = page.getByRole('button', { name: 'Change data' });
  if ((await change.count()) > 0 && (await change.getAttribute('aria-expanded')) === 'false') await change.click();
}

/** The first ten "Similar movies" of a movie page, as titles. */
async function similarTitles(page: Page, movieId: number): Promise<string[]> {
  await page.goto(`${appUrl}#/movie/${movieId}`);
  const similar = page.getByRole('list', { name: 'Similar movies' });
  await similar.waitFor();
  return similar.getByRole('link').allTextContents();
}

describe('the model file', () => {
  it('exports the model, and after "Delete my data" imports it back with the same neighbours and no rebuild', async () => {
    const app = await openApp(browser, appUrl);
    const { page } = app;
    expect(await modelReady(page)).toContain('built in');

    // Export waits for the save and the recommender (with the content model "Movies like this"
    // blends in), so the file holds everything the page shows.
    await openDataPanels(page);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export model' }).click({ timeout: 60_000 });
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('ml-latest-small.latentlens');
    const modelFile = readFileSync((await download.path())!);
    expect(modelFile.length).toBeGreaterThan(100_000);
    const before = await similarTitles(page, 858);
    expect(before).toHaveLength(10);
    expect(before.join('\n')).toContain('Godfather: Part II');

    await page.getByRole('button', { name: 'Delete my data' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted' }).waitFor();

    await page
      .getByLabel('Import model', { exact: true })
      .setInputFiles({ name: 'ml-latest-small.latentlens', mimeType: 'application/zip', buffer: modelFile });
    const restored = await modelReady(page);
    expect(restored).toContain('100,836 ratings');
    expect(restored).toContain('restored from ml-latest-small.latentlens');
    expect(restored).not.toContain('built in');
    expect(await similarTitles(page, 858)).toEqual(before);
    await page.getByRole('button', { name: 'Show all 50' }).click();
    expect(await page.getByRole('list', { name: 'Similar movies' }).getByRole('listitem').count()).toBe(50);

    // Imported into this browser's cache: a reload loads it, still without a rebuild.
    await page.reload();
    expect(await modelReady(page)).toContain('loaded from the cache');

    // A file cut short is refused before anything is replaced: the model in use stays.
    await openDataPanels(page);
    const truncated = modelFile.subarray(0, modelFile.length >> 1);
    await page.getByLabel('Import model', { exact: true }).setInputFiles({ name: 'cut.latentlens', mimeType: 'application/zip', buffer: truncated });
    const problem = await alertText(page);
    expect(problem).toContain('Could not import the model file');
    expect(problem).toMatch(/cut\.latentlens is not a complete zip archive: its end is missing, so it was probably cut short/);
    expect(await modelReady(page)).toContain('100,836 ratings');
    expect(await similarTitles(page, 858)).toEqual(before);
    // And after a reload, the saved model is still the good one.
    await page.reload();
    expect(await modelReady(page)).toContain('loaded from the cache');
    expect(await similarTitles(page, 858)).toEqual(before);

    expectOnlyLocal(app.requests, appOrigin);
    expect(app.errors).toEqual([]);
    await app.close();
  });

  it('imports Spark ALS item factors (Parquet) with the movies file and shows "Movies like this" from their cosine', async () => {
    // Factors learnt on the sample in Node stand in for Spark's, written with Spark's schema in two part files.
    const trained = (await sampleQueries()).model;
    const rec = trained.recommender as Extract<AppRecommender, { kind: 'ials' }>;
    const ids = Array.from({ length: rec.movies }, (_, i) => trained.movies.ids[i]);
    const features = ids.map((_, i) => Array.from(rec.movieFactors.subarray(i * rec.factors, (i + 1) * rec.factors)));
    const half = ids.length >> 1;
    const parts = [
      { name: 'part-00000-spark.snappy.parquet', data: sparkFactorsParquet(ids.slice(0, half), features.slice(0, half)) },
      { name: 'part-00001-spark.snappy.parquet', data: sparkFactorsParquet(ids.slice(half), features.slice(half)) },
    ];
    const moviesCsv = readFileSync(MOVIES_CSV);
    // What the page must show: the same core run in Node on the same files.
    const expected = new ModelQueries(
      await importTrainedModel(
        { factors: parts.map((p) => fileOf(p.name, p.data)), release: [fileOf('movies.csv', moviesCsv.toString('utf8'))] },
        { k: 50, alpha: 1, regularization: 0.1 },
      ),
    )
      .similar(858)
      .slice(0, 10)
      .map((m) => m.title);
    expect(expected).toHaveLength(10);

    const app = await openApp(browser, appUrl);
    const { page } = app;
    await modelReady(page);
    await openDataPanels(page);
    await page
      .getByLabel('Import trained factors', { exact: true })
      .setInputFiles([
        ...parts.map((p) => ({ name: p.name, mimeType: 'application/octet-stream', buffer: Buffer.from(p.data) })),
        { name: '_SUCCESS', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) },
        { name: 'movies.csv', mimeType: 'text/csv', buffer: moviesCsv },
      ]);
    const ready = await modelReady(page);
    expect(ready).toContain('made from imported factors');
    expect(await page.getByRole('region', { name: 'Data summary' }).textContent()).toMatch(/from imported factors/i);

    expect(await similarTitles(page, 858)).toEqual(expected);
    expect(await page.getByText(`From imported factors: the cosine of ${rec.factors} latent factors per movie`).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Movies like this' }).count()).toBe(1);

    // A factors file with the wrong schema is refused with the column named; the imported model stays.
    await openDataPanels(page);
    await page.getByLabel('Import trained factors', { exact: true }).setInputFiles([
      { name: 'factors.csv', mimeType: 'text/csv', buffer: Buffer.from('movie,weight\n1,0.5\n') },
      { name: 'movies.csv', mimeType: 'text/csv', buffer: moviesCsv },
    ]);
    expect(await alertText(page)).toContain('Could not import the trained factors');
    expect(await similarTitles(page, 858)).toEqual(expected);

    expectOnlyLocal(app.requests, appOrigin);
    expect(app.errors).toEqual([]);
    await app.close();
  });
});
