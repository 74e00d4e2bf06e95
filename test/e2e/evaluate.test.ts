import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { collectErrors } from '../support/e2e-page';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the Evaluate view', () => {
  it('runs a small item-knn sweep on the bundled sample and shows the runs table and a chart', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const errors = collectErrors(page);

    await page.goto(appUrl);
    await page.getByRole('status').filter({ hasText: 'Model ready' }).filter({ hasNotText: 'Saving' }).waitFor({ timeout: 90_000 });
    await page.getByRole('link', { name: 'Evaluate' }).click();
    await page.waitForURL(/#\/evaluate$/);

    const form = page.getByRole('form', { name: 'Evaluation settings' });
    await form.getByLabel('How to hide ratings').selectOption('random');
    await form.getByLabel('Predictor').selectOption('item-knn');
    await form.getByLabel('Top-10 metrics over the whole catalogue (slower)').uncheck();
    await form.getByLabel('Run once per value of a parameter').check();
    await form.getByRole('combobox', { name: 'Parameter to sweep' }).selectOption('k');
    await form.getByLabel('Values (comma-separated)').fill('10, 40');
    await form.getByRole('button', { name: 'Run sweep' }).click();

    await page
      .getByRole('status')
      .filter({ hasText: /^Done in/ })
      .waitFor({ timeout: 90_000 });
    const table = page.getByRole('table', { name: /Evaluation runs/ });
    await table.waitFor();
    // Header row plus one row per value of k.
    expect(await table.getByRole('row').count()).toBe(3);
    const text = (await table.textContent()) ?? '';
    expect(text).toMatch(/0\.8\d{3}/); // an RMSE in the 0.8s, as item-knn gets on ml-latest-small

    const chart = page.getByRole('img', { name: 'Chart of rmse against k' });
    await chart.waitFor();
    expect(await chart.locator('svg').count()).toBe(1);
    expect(await chart.locator('svg circle').count()).toBe(2);
    // EVAL_SCREENSHOT=/tmp/evaluate.png keeps a picture, to see how Plot renders without its own <style>.
    if (process.env.EVAL_SCREENSHOT) await page.getByRole('region', { name: /Measure how good/ }).screenshot({ path: process.env.EVAL_SCREENSHOT });

    // Sorting is a keyboard-operable button in the column heading.
    await table.getByRole('button', { name: 'rmse' }).press('Enter');
    expect(await table.getByRole('columnheader', { name: 'rmse' }).getAttribute('aria-sort')).toBe('ascending');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export MLflow zip' }).click();
    expect((await download).suggestedFilename()).toMatch(/^latentlens-mlruns-.*\.zip$/);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('evaluates the app’s own recommender by leave-one-out, and refuses an emptied parameter with a message', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    // Evaluate what the page shows once its recommender and content are learnt: a movie page
    // lists "Closest in taste space" from then on.
    await page.goto(`${appUrl}#/movie/858`);
    await page.getByRole('list', { name: 'Closest in taste space' }).waitFor({ timeout: 90_000 });
    await page.goto(`${appUrl}#/evaluate`);
    const form = page.getByRole('form', { name: 'Evaluation settings' });
    await form.waitFor({ timeout: 90_000 });
    await form.getByLabel('How to hide ratings').selectOption('loo');
    expect(await form.getByLabel('Predictor').inputValue()).toBe('app');

    await form.getByRole('spinbutton', { name: 'Latent factors' }).fill('');
    await form.getByRole('button', { name: 'Run evaluation' }).click();
    expect(await page.getByText(/Factors: .* is not a usable value/).count()).toBe(1);

    await form.getByRole('spinbutton', { name: 'Latent factors' }).fill('64');
    await form.getByRole('button', { name: 'Run evaluation' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Done in/ })
      .waitFor({ timeout: 120_000 });
    const table = page.getByRole('table', { name: /Evaluation runs/ });
    const row = (await table.getByRole('row').nth(1).textContent()) ?? '';
    expect(row).toContain('app');
    // The README's HR@10 of the app (iALS + content, borrowed factors for unrated movies) on the sample, equal to the CLI's.
    expect(row).toContain('0.7770');
    expect(errors).toEqual([]);
    await context.close();
  });
});
