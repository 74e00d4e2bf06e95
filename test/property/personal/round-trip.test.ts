/**
 * Export, then import: the same ratings come back. MovieLens format and Letterboxd's format with
 * links.csv carry ids, so every rating returns exactly; Letterboxd's format without links carries
 * Title and Year only, so a rating returns to its movie or, where the sample has two movies of one
 * title and year ("Emma (1996)" twice), to a choice that includes it; never to another movie.
 * Merging an import twice changes nothing the second time.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ratingsToLetterboxdCsv, ratingsToMovieLensCsv, type RatingRecord } from '../../../src/lib/personal/export-ratings';
import { parseRatingsText } from '../../../src/lib/personal/import-files';
import { buildReview } from '../../../src/lib/personal/import-review';
import { acceptReview } from '../../../src/lib/personal/accept-review';
import { mergeRatings } from '../../../src/lib/personal/merge-ratings';
import { sampleCatalog, type SampleCatalog } from '../../support/sample-catalog';

let s: SampleCatalog;
beforeAll(async () => {
  s = await sampleCatalog();
});

const stars = fc.integer({ min: 1, max: 10 }).map((n) => n / 2);
/** Ratings of distinct sample movies (by index into the sample), some dated. */
const ratingsArb = fc.uniqueArray(
  fc.record({ at: fc.nat({ max: 9741 }), rating: stars, ratedAt: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000_000_000 })) }),
  {
    selector: (r) => r.at,
    minLength: 1,
    maxLength: 60,
  },
);

const records = (rs: { at: number; rating: number; ratedAt: number }[]): RatingRecord[] =>
  rs.map((r) => ({ movieId: s.movies.movieIds[r.at], rating: r.rating, ratedAt: r.ratedAt }));
const asMap = (rs: { movieId: number; rating: number }[]) => new Map(rs.map((r) => [r.movieId, r.rating]));

describe('export -> import gives the same ratings', () => {
  it('MovieLens format: ratings and dates', () => {
    fc.assert(
      fc.property(ratingsArb, (rs) => {
        const mine = records(rs);
        const review = buildReview([parseRatingsText(ratingsToMovieLensCsv(mine), 'export.csv')], s.index);
        const back = acceptReview(review).ratings;
        expect(back).toEqual([...mine].sort((a, b) => a.movieId - b.movieId));
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("Letterboxd's import format with links: matched by id", () => {
    fc.assert(
      fc.property(ratingsArb, (rs) => {
        const mine = records(rs);
        const out = ratingsToLetterboxdCsv(mine, s.movies, s.links);
        const review = buildReview([parseRatingsText(out.text, 'letterboxd.csv')], s.index);
        expect(review.matched.length).toBe(mine.length);
        expect(asMap(acceptReview(review).ratings)).toEqual(asMap(mine));
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("Letterboxd's import format without links: by title and year, never to another movie", () => {
    fc.assert(
      fc.property(ratingsArb, (rs) => {
        const mine = records(rs);
        const want = asMap(mine);
        const review = buildReview([parseRatingsText(ratingsToLetterboxdCsv(mine, s.movies).text, 'letterboxd.csv')], s.titlesOnly);
        for (const row of review.matchedByTitle) expect(row.film.rating).toBe(want.get(row.movie.movieId));
        // A row's line is its rating's position (in movieId order) after the header.
        const sorted = [...mine].sort((a, b) => a.movieId - b.movieId);
        for (const row of review.ambiguous) expect(row.candidates.map((c) => c.movieId)).toContain(sorted[row.film.line - 2].movieId);
        expect(review.notFound).toEqual([]);
        expect(review.matchedByTitle.length + review.ambiguous.length + review.duplicates).toBe(mine.length);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('merging the same import twice changes nothing the second time', () => {
    fc.assert(
      fc.property(ratingsArb, ratingsArb, (storedRs, incomingRs) => {
        const stored = records(storedRs);
        const stores = { ratings: asMap(stored), ratedAt: new Map(stored.filter((r) => r.ratedAt).map((r) => [r.movieId, r.ratedAt!])) };
        const incoming = { ratings: records(incomingRs).map((r) => ({ ...r, ratedAt: r.ratedAt ?? 0 })), seen: [] };
        const once = mergeRatings(stores, incoming);
        const twice = mergeRatings(once, incoming);
        expect(twice.ratings).toEqual(once.ratings);
        expect(twice.ratedAt).toEqual(once.ratedAt);
        expect(twice.added + twice.updated).toBe(0);
        expect(once.added + once.updated + once.unchanged + once.keptNewer).toBe(incoming.ratings.length);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
