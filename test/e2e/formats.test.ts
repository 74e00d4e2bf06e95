import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { AMELIE_TITLE, RELEASES, releaseFiles, releaseRatings, zipFixture, type Release } from '../support/fixtures';
import { alertText, expectOnlyLocal, modelReady, openApp, summaryShows } from '../support/e2e-page';

const appUrl = inject('appUrl');
let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'latentlens-formats-'));
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes files (names may hold folders) under dir/sub and returns their paths. */
function write(sub: string, files: { name: string; bytes: Uint8Array | string }[]): string[] {
  return files.map((f) => {
    const path = join(dir, sub, f.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes);
    return path;
  });
}

describe('every MovieLens release loads in the browser', () => {
  it.each(RELEASES.map((r) => [r]))('%s: from loose files, from a zip and from a folder', async (release: Release) => {
    const app = await openApp(browser, appUrl);
    const { page } = app;
    await modelReady(page);
    const ratings = releaseRatings(release).length;

    const loose = write(`${release}-loose`, releaseFiles(release, { folder: false }));
    await page.getByLabel('MovieLens files', { exact: true }).setInputFiles(loose);
    let summary = await summaryShows(page, releaseFiles(release, { folder: false })[0].name);
    expect(summary).toContain(`Ratings ${ratings}`);

    const [zipPath] = write(`${release}-zip`, [
      { name: `${release}.zip`, bytes: zipFixture(releaseFiles(release, { folder: false }), { folder: release, macJunk: true }) },
    ]);
    await page.getByLabel('MovieLens files', { exact: true }).setInputFiles(zipPath);
    summary = await summaryShows(page, `${release}.zip`);
    expect(summary).toContain(`Ratings ${ratings}`);

    write(`${release}-folder`, releaseFiles(release));
    const folder = join(dir, `${release}-folder`, releaseFiles(release)[0].name.split('/')[0]);
    await page.getByLabel('MovieLens folder').setInputFiles(folder);
    summary = await summaryShows(page, `${releaseFiles(release)[0].name.split('/')[0]}/`);
    expect(summary).toContain(`Ratings ${ratings}`);

    // Titles come out right whatever the release's encoding (ML-100k and ML-1M are ISO-8859-1).
    await page.getByRole('combobox', { name: 'Search movies' }).fill('amelie');
    await page.getByRole('listbox', { name: 'Search results' }).getByRole('option', { name: AMELIE_TITLE }).waitFor();

    expectOnlyLocal(app.requests, new URL(appUrl).origin);
    expect(app.errors).toEqual([]);
    await app.close();
  });
});

const HEADER = 'userId,movieId,rating,timestamp';
const MOVIES = 'movieId,title,genres\n1,Toy Story (1995),Comedy\n2,"<img src=x onerror=alert(1)> (1999)",Drama\n3,Heat (1995),Action\n';

function ratingsCsv(extra: string[] = []): string {
  const rows: string[] = [];
  for (let u = 1; u <= 6; u++) for (let m = 1; m <= 3; m++) rows.push(`${u},${m},${((u + m) % 5) + 1}.0,97830${u}${m}00`);
  return [HEADER, ...rows, ...extra].join('\n') + '\n';
}

describe('bad input ends in a clear message and loses nothing', () => {
  const cases: { name: string; ratings: string; line?: number; says: RegExp }[] = [
    { name: 'an empty file', ratings: '', says: /empty|no ratings/i },
    { name: 'a cut-off last line', ratings: ratingsCsv(['7,1']), line: 20, says: /line 20/ },
    { name: 'a non-numeric id', ratings: ratingsCsv(['x7,1,4.0,978300760']), line: 20, says: /line 20/ },
    { name: 'a rating out of range', ratings: ratingsCsv(['7,1,7.5,978300760']), line: 20, says: /0\.5 and 5|7\.5/ },
    { name: 'wrong columns', ratings: 'user,item,score\n1,2,3\n', line: 1, says: /userId,movieId,rating,timestamp/ },
  ];

  it.each(cases)('$name', async ({ ratings, line, says }) => {
    const app = await openApp(browser, appUrl);
    const { page } = app;
    await modelReady(page);
    const files = write(`bad-${Math.random().toString(36).slice(2)}`, [
      { name: 'ratings.csv', bytes: ratings },
      { name: 'movies.csv', bytes: MOVIES },
    ]);
    await page.getByLabel('MovieLens files', { exact: true }).setInputFiles(files);
    const alert = await alertText(page);
    expect(alert).toMatch(says);
    expect(alert).toContain('ratings.csv');
    if (line) expect(alert).toContain(`line ${line}`);
    // The model in use is untouched.
    expect(alert).toContain('previous model is still in use');
    expect(await page.getByRole('region', { name: 'Data summary' }).textContent()).toContain('100,836');

    if (line && line > 1) {
      await page.getByRole('button', { name: 'Skip bad lines and try again' }).click();
      const summary = await summaryShows(page, 'ratings.csv + movies.csv');
      expect(summary).toContain('Bad lines skipped 1');
      expect(summary).toContain('Ratings 18');
    }
    expect(app.errors).toEqual([]);
    await app.close();
  });

  it('a picture instead of a ratings file is named and refused', async () => {
    const app = await openApp(browser, appUrl);
    await modelReady(app.page);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    const files = write('png', [
      { name: 'ratings.csv', bytes: png },
      { name: 'movies.csv', bytes: MOVIES },
    ]);
    await app.page.getByLabel('MovieLens files', { exact: true }).setInputFiles(files);
    const alert = await alertText(app.page);
    expect(alert).toContain('ratings.csv');
    expect(alert).toMatch(/image|PNG|not .*MovieLens|binary/i);
    await app.close();
  });

  it('counts ratings of unlisted movies and duplicates, and shows hostile titles as text', async () => {
    const app = await openApp(browser, appUrl);
    const { page } = app;
    await modelReady(page);
    const files = write('counts', [
      { name: 'ratings.csv', bytes: ratingsCsv(['1,99,4.0,978300760', '1,1,2.0,999999999']) },
      { name: 'movies.csv', bytes: MOVIES },
    ]);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.getByLabel('MovieLens files', { exact: true }).setInputFiles(files);
    const summary = await summaryShows(page, 'ratings.csv + movies.csv');
    expect(summary).toContain('Duplicates dropped 1');
    expect(summary).toContain('Ratings of unlisted movies 1');

    await page.goto(`${appUrl}#/movie/2`);
    const heading = page.getByRole('article').getByRole('heading', { level: 2 });
    expect(await heading.textContent()).toBe('<img src=x onerror=alert(1)> (1999)');
    expect(await page.locator('main img').count()).toBe(0);
    await page.goto(`${appUrl}#/movie/99`);
    expect(await page.getByRole('article').getByRole('heading', { level: 2 }).textContent()).toBe('Unknown movie #99');
    expect(dialogs).toBe(0);
    await app.close();
  });
});
