/**
 * How many films of a realistic export find their movie, on the bundled sample: a Letterboxd
 * ratings.csv (titles only: Letterboxd exports no ids) and an IMDb export (ids through
 * links.csv), both written from the sample's own titles with "The" moved to the front, accents
 * dropped, one title in ten a year off, an unknown film and a repeated film.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRatingsText } from '../../../src/lib/personal/import-files';
import { buildReview, type ImportReview } from '../../../src/lib/personal/import-review';
import { matchRate, reviewCounts } from '../../../src/lib/personal/review-summary';
import { acceptReview } from '../../../src/lib/personal/accept-review';
import { sampleCatalog, type SampleCatalog } from '../../support/sample-catalog';
import { imdbRatingsCsv, letterboxdRatingsCsv, sampleSelection, UNKNOWN_FILM, type BuiltExport } from '../../support/personal-exports';

let s: SampleCatalog;
beforeAll(async () => {
  s = await sampleCatalog();
});

/** Every matched row points at the movie the line was written from: no false matches. */
function expectNoWrongMatches(review: ImportReview, built: BuiltExport): void {
  const lineOffset = 2;
  for (const row of [...review.matched, ...review.matchedByTitle]) {
    const truth = built.truth[row.film.line - lineOffset];
    expect(row.movie.movieId, `${row.film.title} (${row.film.year})`).toBe(truth);
  }
}

describe('match rate on exports built from the sample', () => {
  it('Letterboxd ratings.csv, by title and year', () => {
    const built = letterboxdRatingsCsv(s.movies, sampleSelection(s.movies));
    const review = buildReview([parseRatingsText(built.text, 'ratings.csv')], s.index);
    const c = reviewCounts(review);
    const rate = matchRate(review);
    console.info(
      `Letterboxd match rate: ${(rate * 100).toFixed(1)}% of ${c.films} films (${c.matchedByTitle} by title, ${c.ambiguous} ambiguous, ${c.notFound} not found, ${c.duplicates} duplicate)`,
    );
    expect(c.duplicates).toBe(1);
    expect(review.notFound.map((r) => r.film.title)).toContain(UNKNOWN_FILM.title);
    expect(review.matchedByTitle.some((r) => r.yearDiff === 1)).toBe(true);
    expect(rate).toBeGreaterThan(0.95);
    expectNoWrongMatches(review, built);
    // The repeated film keeps its newest rating.
    const first = built.truth[0];
    expect(acceptReview(review).ratings.find((r) => r.movieId === first)?.rating).toBe(built.ratings.get(first));
  });

  it('IMDb ratings export, by IMDb id', () => {
    const built = imdbRatingsCsv(s.movies, s.links, sampleSelection(s.movies));
    const review = buildReview([parseRatingsText(built.text, 'imdb.csv')], s.index);
    const c = reviewCounts(review);
    const rate = matchRate(review);
    console.info(
      `IMDb match rate: ${(rate * 100).toFixed(1)}% of ${c.films} films (${c.matched} by id, ${c.matchedByTitle} by title, ${c.notFound} not found, ${c.duplicates} duplicate)`,
    );
    expect(c.duplicates).toBe(1);
    expect(c.matched).toBe(c.films - 1);
    expect(review.notFound.map((r) => r.film.title)).toEqual([UNKNOWN_FILM.title]);
    expectNoWrongMatches(review, built);
  });

  it('IMDb ratings export without links.csv, by title and year', () => {
    const built = imdbRatingsCsv(s.movies, s.links, sampleSelection(s.movies));
    const review = buildReview([parseRatingsText(built.text, 'imdb.csv')], s.titlesOnly);
    const rate = matchRate(review);
    console.info(`IMDb match rate without links.csv: ${(rate * 100).toFixed(1)}%`);
    expect(rate).toBeGreaterThan(0.95);
    expectNoWrongMatches(review, built);
  });
});
