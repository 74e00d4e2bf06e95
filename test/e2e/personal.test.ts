import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { expectOnlyLocal, modelReady, openApp } from '../support/e2e-page';
import { sampleQueries } from '../support/sample-app';
import { sampleCatalog } from '../support/sample-catalog';
import { UNKNOWN_FILM, imdbRatingsCsv, letterboxdRatingsCsv, sampleSelection } from '../support/personal-exports';
import { importRatings } from '../../src/lib/personal/import-ratings';
import { acceptReview } from '../../src/lib/personal/accept-review';
import { mergeRatings } from '../../src/lib/personal/merge-ratings';
import { matchRate, reviewCounts } from '../../src/lib/personal/review-summary';
import { primaryTitle } from '../../src/lib/personal/title-key';
import { ratingRecords, ratingsToLetterboxdCsv, ratingsToMovieLensCsv } from '../../src/lib/personal/export-ratings';
import type { ImportReview } from '../../src/lib/personal/import-review';
import { filmLabel, importSummary } from '../../src/ui/personal/import-summary';
import { matchCatalogOf } from '../../src/ui/personal/personal-worker';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface NamedText {
  name: string;
  text: string;
}

const asInput = (files: NamedText[]) => files.map((f) => ({ name: f.name, blob: new Blob([f.text]) }));
const asUpload = (files: NamedText[]) => files.map((f) => ({ name: f.name, mimeType: 'text/csv', buffer: Buffer.from(f.text) }));

/** Films with no year in the file, so the release offers several: the person must pick. */
const AMBIGUOUS_LINE = '2020-06-01,Hamlet,,https://boxd.it/zzz1,4\n';
const AMBIGUOUS_PICK = 'Hamlet (1996)';

/**
 * What the page should do with the test's files, worked out by the same core in Node against
 * the same model (the sample built by sampleQueries): the review, the person's choices (a pick
 * for the ambiguous film, one title match unticked), what is stored, and the recommendations.
 */
async function expectations() {
  const queries = await sampleQueries();
  const { movies, links } = await sampleCatalog();
  const catalog = matchCatalogOf(queries.model);
  const selection = sampleSelection(movies);
  // Two exports that overlap in five films, as a person's Letterboxd and IMDb histories do.
  const letterboxd = { name: 'ratings.csv', text: letterboxdRatingsCsv(movies, selection.slice(0, 30)).text + AMBIGUOUS_LINE };
  const imdb = { name: 'imdb-ratings.csv', text: imdbRatingsCsv(movies, links, selection.slice(25, 55)).text };

  const choose = (review: ImportReview) => {
    const hamlet = review.ambiguous.find((r) => r.film.title === 'Hamlet')!;
    const untick = review.matchedByTitle.find((r) => r.yearDiff !== 0)!;
    return {
      hamlet,
      untick,
      picks: new Map([[hamlet.key, hamlet.candidates.find((c) => c.title === AMBIGUOUS_PICK)!.movieId]]),
      rejected: new Set([untick.key]),
    };
  };

  // A film among the recommendations these ratings lead to, marked as watched (Letterboxd's
  // watched.csv, no rating): it must then be kept out of the exported recommendations.
  const rated = await importRatings(asInput([letterboxd, imdb]), catalog, links);
  const ratedOnly = mergeRatings({ ratings: new Map() }, acceptReview(rated, choose(rated)));
  const seenMovie = queries.recommend(ratedOnly.ratings, 20).items[2];
  const seenYear = seenMovie.year;
  const watched = {
    name: 'watched.csv',
    text: `Date,Name,Year,Letterboxd URI\n2020-07-01,"${primaryTitle(queries.model.catalog.titles[seenMovie.index])}",${seenYear},https://boxd.it/zzz2\n`,
  };

  const files = [letterboxd, imdb, watched];
  const review = await importRatings(asInput(files), catalog, links);
  const choices = choose(review);
  const accepted = acceptReview(review, choices);
  const stored = mergeRatings({ ratings: new Map() }, accepted);
  const leftOut = choices.rejected.size + review.notFound.length;
  const unseen = queries
    .recommend(stored.ratings, 21)
    .items.filter((r) => r.movieId !== seenMovie.movieId)
    .slice(0, 20);
  // Only IMDb's file, matched again after a reload: by id, so links.csv came back from the cache.
  const imdbAlone = await importRatings(asInput([imdb]), catalog, links);
  return { queries, catalog, links, files, imdb, review, choices, stored, leftOut, seenMovie, unseen, imdbAlone };
}

async function downloadOf(page: Page, button: Locator): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { download, text: await readFile((await download.path())!, 'utf8') };
}

/** "Your ratings" as the person reads it: title, stars and the row's button, one string per row. */
async function ratingsShown(list: Locator): Promise<string[]> {
  return (await list.getByRole('listitem').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}

function expectedRows(e: Awaited<ReturnType<typeof expectations>>): string[] {
  return [...e.stored.ratings].map(([movieId, stars]) => `${e.queries.cardById(movieId)!.title} ${stars} ★ ${stars === 1 ? 'star' : 'stars'} Remove`);
}

describe('your own ratings in and out', () => {
  it('imports Letterboxd and IMDb exports after a review, exports them in three formats, and re-imports the export with no change', async () => {
    const e = await expectations();
    const app = await openApp(browser, appUrl);
    const { page } = app;
    await modelReady(page);
    const recommended = page.getByRole('list', { name: 'Recommended for you' });
    await recommended.waitFor();
    const before = await recommended.getByRole('link').allTextContents();
    const yours = page.getByRole('region', { name: 'Your ratings' });
    expect(await yours.textContent()).toContain('No ratings yet');
    expect(await page.getByRole('button', { name: 'Export ratings (MovieLens CSV)' }).isDisabled()).toBe(true);

    // Three files at once: Letterboxd's ratings, IMDb's ratings and Letterboxd's watched films.
    await page.getByLabel('Import your ratings').setInputFiles(asUpload(e.files));
    const dialog = page.getByRole('dialog', { name: 'Review your import' });
    await dialog.waitFor();
    const c = reviewCounts(e.review);
    const shownText = (await dialog.textContent())!.replace(/\s+/g, ' ');
    expect(shownText).toContain(
      `Matched ${c.matched + c.matchedByTitle + c.seen} of ${c.films} films (${(matchRate(e.review) * 100).toFixed(1)}%): ${c.matched} by id, ${c.matchedByTitle} by title, ${c.seen} seen without a rating; ${c.ambiguous} with several possible movies, ${c.notFound} not found.`,
    );
    expect(c).toMatchObject({ ambiguous: 1, notFound: 2, seen: 1, duplicates: 2 });
    expect(c.matched).toBeGreaterThan(20); // IMDb's films, by id through links.csv
    expect(shownText).not.toContain('no links.csv');
    expect(shownText).toContain('2 repeated lines');

    // Titles matched by title stand beside the MovieLens title: the accent dropped, "The" moved.
    const byTitle = dialog.getByRole('table', { name: 'Matched by title' });
    expect((await byTitle.getByRole('row').filter({ hasText: 'Amelie (2001)' }).textContent())!).toContain(
      "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
    );
    expect((await byTitle.getByRole('row').filter({ hasText: 'The Godfather (1972)' }).getByRole('cell').allTextContents()).map((t) => t.trim())).toEqual([
      '',
      'The Godfather (1972)',
      'The Godfather (1972)',
      '5 ★', // the later of the two lines for it wins
    ]);
    const notFound = await dialog.getByRole('list', { name: 'Not in this release' }).getByRole('listitem').allTextContents();
    expect(notFound.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      `${UNKNOWN_FILM.title} (${UNKNOWN_FILM.year}) 3 ★`,
      `${UNKNOWN_FILM.title} (${UNKNOWN_FILM.year}) 3 ★`,
    ]);
    const seenTable = dialog.getByRole('table', { name: 'Seen without a rating' });
    expect(await seenTable.textContent()).toContain(e.seenMovie.title);

    // The person picks a movie for the ambiguous film and unticks a match they disagree with.
    const pick = dialog.getByRole('combobox', { name: `Movie for ${filmLabel(e.choices.hamlet.film)}` });
    expect(await pick.inputValue()).toBe(''); // skipped unless chosen
    await pick.selectOption({ label: AMBIGUOUS_PICK });
    const untick = byTitle.getByRole('checkbox', { name: `Import ${filmLabel(e.choices.untick.film)}` });
    expect(await untick.isChecked()).toBe(true);
    await untick.uncheck();
    // Nothing is stored before the person confirms.
    expect(await yours.getByRole('list', { name: 'Your ratings' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Confirm import' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const summary = importSummary(e.stored, e.leftOut);
    expect(summary).toMatch(/^Added \d+, updated 0, unchanged 0, marked 1 as seen\. 3 films were not imported\.$/);
    await page.getByRole('status').filter({ hasText: summary }).waitFor();
    const list = page.getByRole('list', { name: 'Your ratings' });
    expect((await ratingsShown(list)).sort()).toEqual(expectedRows(e).sort());
    expect(await list.getByRole('listitem').count()).toBe(e.stored.added);

    // "Recommended for you" changed, to exactly what the core ranks for these ratings.
    await page.getByText('This is the ranking').waitFor({ timeout: 60_000 });
    const after = await recommended.getByRole('link').allTextContents();
    expect(after).not.toEqual(before);
    // The list leaves out the film imported as seen, as the page does.
    const seen = e.stored.seen;
    const ranked = e.queries.recommend(e.stored.ratings, 20 + seen.size).items.filter((r) => !seen.has(r.movieId));
    expect(after).toEqual(ranked.slice(0, 20).map((r) => r.title));

    // Exports: the ratings in MovieLens's format and Letterboxd's, and the recommendations.
    const records = ratingRecords(e.stored.ratings, e.stored.ratedAt);
    const movielens = await downloadOf(page, page.getByRole('button', { name: 'Export ratings (MovieLens CSV)' }));
    expect(movielens.download.suggestedFilename()).toBe('latentlens-ratings.csv');
    expect(movielens.text).toBe(ratingsToMovieLensCsv(records));
    expect(movielens.text.split('\n')[0]).toBe('movieId,rating,timestamp');
    expect(movielens.text).toContain(`858,5.0,${e.stored.ratedAt.get(858)}\n`);

    const letterboxd = await downloadOf(page, page.getByRole('button', { name: 'Export for Letterboxd' }));
    expect(letterboxd.download.suggestedFilename()).toBe('latentlens-letterboxd-import.csv');
    const lines = letterboxd.text.trimEnd().split('\n');
    expect(lines[0]).toBe('imdbID,tmdbID,Title,Year,Rating10');
    expect(lines).toHaveLength(1 + e.stored.ratings.size);
    expect(lines).toContain('tt0068646,238,The Godfather,1972,10');
    expect(letterboxd.text).toBe(ratingsToLetterboxdCsv(records, e.catalog, e.links).text);

    const recs = await downloadOf(page, page.getByRole('button', { name: 'Export recommendations (CSV)' }));
    const recLines = recs.text.trimEnd().split('\n');
    expect(recLines[0]).toBe('rank,movieId,imdbId,title,year,score,because');
    // The film seen without a rating is left out and the next one moves up.
    expect(recLines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(e.unseen.map((r) => r.movieId));
    expect(recLines.slice(1).map((l) => Number(l.split(',')[1]))).not.toContain(e.seenMovie.movieId);

    // Our own export read back changes nothing: every rating is matched by its movieId and unchanged.
    await page.getByLabel('Import your ratings').setInputFiles(asUpload([{ name: 'latentlens-ratings.csv', text: movielens.text }]));
    await dialog.waitFor();
    // A long group starts folded; its summary line opens it.
    await dialog.getByText(`Matched by id (${e.stored.ratings.size})`).click();
    expect(await dialog.getByRole('table', { name: 'Matched by id' }).getByRole('checkbox').count()).toBe(e.stored.ratings.size);
    await dialog.getByRole('button', { name: 'Confirm import' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Added 0, updated 0, unchanged ${e.stored.ratings.size}.` })
      .waitFor();
    expect((await ratingsShown(list)).sort()).toEqual(expectedRows(e).sort());

    // After a reload from the cache, links.csv is still there: IMDb's films match by id again.
    // This time the file is dropped on "Recommended for you", as one would from a file manager.
    await page.reload();
    expect(await modelReady(page)).toContain('loaded from the cache');
    await list.waitFor();
    expect(await list.getByRole('listitem').count()).toBe(e.stored.ratings.size);
    const dropped = await page.evaluateHandle(({ name, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      return transfer;
    }, e.imdb);
    const panel = page.getByRole('region', { name: 'Recommended for you' });
    await panel.dispatchEvent('dragenter', { dataTransfer: dropped });
    await panel.dispatchEvent('drop', { dataTransfer: dropped });
    await dialog.waitFor();
    expect(e.imdbAlone.linksUsed).toBe(true);
    await dialog.getByText(`Matched by id (${e.imdbAlone.matched.length})`).click();
    expect(await dialog.getByRole('table', { name: 'Matched by id' }).getByRole('checkbox').count()).toBe(e.imdbAlone.matched.length);
    expect(await dialog.textContent()).not.toContain('no links.csv');
    await page.keyboard.press('Escape');
    await page.getByRole('status').filter({ hasText: 'Import cancelled: nothing was stored.' }).waitFor();
    expect(await list.getByRole('listitem').count()).toBe(e.stored.ratings.size);

    // A rating can be removed from the list.
    await list.getByRole('button', { name: 'Remove your rating of The Godfather (1972)' }).click();
    expect(await list.getByRole('listitem').count()).toBe(e.stored.ratings.size - 1);
    expect(await list.textContent()).not.toContain('The Godfather (1972)');

    // "Delete my data" takes the dates, the seen films and links.csv with everything else.
    await page.getByRole('button', { name: 'Delete my data' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted' }).waitFor();
    const keys = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('latentlens');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('kv').objectStore('kv').getAllKeys();
            all.onsuccess = () => resolve(all.result.map(String));
          };
        }),
    );
    expect(keys).toEqual([]);

    expectOnlyLocal(app.requests, new URL(appUrl).origin);
    expect(app.errors).toEqual([]);
    await app.close();
  });
});
