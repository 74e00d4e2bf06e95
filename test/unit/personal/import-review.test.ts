import { beforeAll, describe, expect, it } from 'vitest';
import { buildReview } from '../../../src/lib/personal/import-review';
import { importRatings } from '../../../src/lib/personal/import-ratings';
import { acceptReview } from '../../../src/lib/personal/accept-review';
import { matchRate, reviewCounts, reviewSummaryLines } from '../../../src/lib/personal/review-summary';
import { sampleCatalog, type SampleCatalog } from '../../support/sample-catalog';
import { film, parsedFile } from '../../support/imported-films';

let s: SampleCatalog;
beforeAll(async () => {
  s = await sampleCatalog();
});

const day = (d: number) => Date.UTC(2020, 0, d) / 1000;

describe('buildReview', () => {
  it('sorts films into matched (by id), matched by title (both titles shown), ambiguous, not found and seen', () => {
    const review = buildReview(
      [
        parsedFile([
          film({ file: 'imdb.csv', source: 'imdb', imdbId: 68646, title: 'The Godfather', year: 1972 }),
          film({ file: 'imdb.csv', source: 'imdb', title: 'Se7en', year: 1995 }),
          film({ file: 'imdb.csv', source: 'imdb', title: 'Emma', year: 1996 }),
          film({ file: 'imdb.csv', source: 'imdb', title: 'Qwxzv Plorkt', year: 2011 }),
        ]),
        parsedFile([film({ file: 'watched.csv', source: 'letterboxd-watched', title: 'Heat', year: 1995, rating: null })]),
      ],
      s.index,
    );
    expect(review.matched.map((r) => [r.movie.movieId, r.via])).toEqual([[858, 'imdb']]);
    expect(review.matchedByTitle.map((r) => [r.film.title, r.movie.title])).toEqual([['Se7en', 'Seven (a.k.a. Se7en) (1995)']]);
    expect(review.ambiguous.map((r) => [r.film.title, r.reason, r.candidates.length])).toEqual([['Emma', 'same-title', 2]]);
    expect(review.notFound.map((r) => r.film.title)).toEqual(['Qwxzv Plorkt']);
    expect(review.seen.map((r) => r.movie.movieId)).toEqual([6]);
    expect(review.linksUsed).toBe(true);
    expect(review.matched[0].key).toBe(`imdb.csv:${review.matched[0].film.line}`);
  });

  it('a film listed twice in one file: the newest rating wins, and the repeat is counted', () => {
    const review = buildReview(
      [
        parsedFile([
          film({ title: 'Heat', year: 1995, rating: 2, ratedAt: day(5) }),
          film({ title: 'Heat', year: 1995, rating: 5, ratedAt: day(9) }),
          film({ title: 'HEAT', year: 1995, rating: 3, ratedAt: day(1) }),
        ]),
      ],
      s.index,
    );
    expect(review.duplicates).toBe(2);
    expect(review.matchedByTitle.map((r) => r.film.rating)).toEqual([5]);
  });

  it('unmatched repeats are resolved too', () => {
    const review = buildReview(
      [
        parsedFile([
          film({ title: 'Qwxzv Plorkt', year: 2011, rating: 1, ratedAt: day(9) }),
          film({ title: 'Qwxzv Plorkt', year: 2011, rating: 2, ratedAt: day(2) }),
        ]),
      ],
      s.index,
    );
    expect(review.duplicates).toBe(1);
    expect(review.notFound.map((r) => r.film.rating)).toEqual([1]);
  });

  it('without dates the later line wins', () => {
    const review = buildReview([parsedFile([film({ movieId: 1, rating: 2 }), film({ movieId: 1, rating: 4 })])], s.index);
    expect(review.matched.map((r) => r.film.rating)).toEqual([4]);
  });

  it("across Letterboxd's files: ratings.csv over the diary, a rating over seen, and no duplicates counted", () => {
    const review = buildReview(
      [
        parsedFile([film({ file: 'watched.csv', source: 'letterboxd-watched', title: 'Heat', year: 1995, rating: null, ratedAt: day(20) })]),
        parsedFile([film({ file: 'diary.csv', source: 'letterboxd-diary', title: 'Heat', year: 1995, rating: 2, ratedAt: day(10) })]),
        parsedFile([film({ file: 'ratings.csv', source: 'letterboxd-ratings', title: 'Heat', year: 1995, rating: 4, ratedAt: day(1) })]),
      ],
      s.index,
    );
    expect(review.duplicates).toBe(0);
    expect(review.seen).toEqual([]);
    expect(review.matchedByTitle.map((r) => [r.film.file, r.film.rating])).toEqual([['ratings.csv', 4]]);
  });

  it('a diary entry rated once and rewatched without stars keeps the rating', () => {
    const review = buildReview(
      [
        parsedFile([
          film({ file: 'diary.csv', source: 'letterboxd-diary', title: 'Heat', year: 1995, rating: 3, ratedAt: day(1) }),
          film({ file: 'diary.csv', source: 'letterboxd-diary', title: 'Heat', year: 1995, rating: null, ratedAt: day(9) }),
        ]),
      ],
      s.index,
    );
    expect(review.matchedByTitle.map((r) => r.film.rating)).toEqual([3]);
    expect(review.duplicates).toBe(1);
  });

  it('counts, match rate and the summary', () => {
    const review = buildReview(
      [
        parsedFile([
          film({ movieId: 1 }),
          film({ title: 'Heat', year: 1995 }),
          film({ title: 'Emma', year: 1996 }),
          film({ title: 'Qwxzv Plorkt', year: 2011 }),
        ]),
      ],
      s.titlesOnly,
    );
    expect(reviewCounts(review)).toMatchObject({ films: 4, matched: 1, matchedByTitle: 1, ambiguous: 1, notFound: 1 });
    expect(matchRate(review)).toBe(0.5);
    const text = reviewSummaryLines(review).join('\n');
    expect(text).toContain('Matched 2 films of 4 (50.0%)');
    expect(text).toContain('no links.csv');
    expect(text).toContain('Qwxzv Plorkt (2011)');
  });
});

describe('acceptReview', () => {
  const review = () =>
    buildReview(
      [
        parsedFile([
          film({ movieId: 1, rating: 3, ratedAt: day(3) }),
          film({ title: 'Heat', year: 1995, rating: 4 }),
          film({ title: 'Emma', year: 1996, rating: 5 }),
          film({ title: 'Qwxzv Plorkt', year: 2011, rating: 2 }),
          film({ title: 'Casino', year: 1995, rating: null }),
        ]),
      ],
      s.index,
    );

  it('keeps every match and seen film; leaves out ambiguous and not found without a pick', () => {
    expect(acceptReview(review())).toEqual({
      ratings: [
        { movieId: 1, rating: 3, ratedAt: day(3) },
        { movieId: 6, rating: 4, ratedAt: 0 },
      ],
      seen: [16],
    });
  });

  it('adds the picks, drops what the person unticked', () => {
    const r = review();
    const emma = r.ambiguous[0];
    const heat = r.matchedByTitle[0];
    const unknown = r.notFound[0];
    const accepted = acceptReview(r, {
      picks: new Map([
        [emma.key, 838],
        [unknown.key, 2],
      ]),
      rejected: new Set([heat.key]),
    });
    expect(accepted.ratings.map((x) => [x.movieId, x.rating])).toEqual([
      [1, 3],
      [2, 2],
      [838, 5],
    ]);
  });

  it('a pick landing on an already matched movie is resolved by the same rule (newest wins)', () => {
    const r = review();
    const accepted = acceptReview(r, { picks: new Map([[r.notFound[0].key, 1]]) });
    // movieId 1 was rated 3 on day 3; the pick's line has no date, so the dated rating stays.
    expect(accepted.ratings.find((x) => x.movieId === 1)).toEqual({ movieId: 1, rating: 3, ratedAt: day(3) });
  });
});

describe('importRatings: files to review in one call (what the worker runs)', () => {
  it("reads Letterboxd's zip and matches it against the release", async () => {
    const { zipSync } = await import('fflate');
    const enc = (t: string) => new TextEncoder().encode(t);
    const zip = zipSync({
      'ratings.csv': enc('Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,The Godfather,1972,u,5\n'),
      'watched.csv': enc('Date,Name,Year,Letterboxd URI\n2020-01-01,The Godfather,1972,u\n2020-01-02,Heat,1995,u\n'),
    });
    const review = await importRatings([{ name: 'letterboxd.zip', blob: new Blob([zip]) }], s.movies, s.links);
    expect(review.files.map((f) => f.file)).toEqual(['letterboxd.zip/ratings.csv', 'letterboxd.zip/watched.csv']);
    expect(review.matchedByTitle.map((r) => [r.movie.movieId, r.film.rating])).toEqual([[858, 5]]);
    expect(review.seen.map((r) => r.movie.movieId)).toEqual([6]);
    expect(review.duplicates).toBe(0);
  });
});
