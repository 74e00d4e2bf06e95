import { describe, expect, it } from 'vitest';
import { mergeRatings } from '../../../src/lib/personal/merge-ratings';

const day = (d: number) => Date.UTC(2020, 0, d) / 1000;

describe('mergeRatings', () => {
  it('adds new ratings, keeps equal ones, counts each', () => {
    const r = mergeRatings(
      { ratings: new Map([[1, 4]]) },
      {
        ratings: [
          { movieId: 1, rating: 4, ratedAt: day(1) },
          { movieId: 2, rating: 3, ratedAt: day(2) },
        ],
        seen: [],
      },
    );
    expect([...r.ratings]).toEqual([
      [1, 4],
      [2, 3],
    ]);
    expect(r).toMatchObject({ added: 1, unchanged: 1, updated: 0, keptNewer: 0 });
    // The date the store lacked is filled in.
    expect(r.ratedAt.get(1)).toBe(day(1));
  });

  it('on a conflict the newer rating wins', () => {
    const stored = {
      ratings: new Map([
        [1, 2],
        [2, 2],
      ]),
      ratedAt: new Map([
        [1, day(5)],
        [2, day(5)],
      ]),
    };
    const r = mergeRatings(stored, {
      ratings: [
        { movieId: 1, rating: 5, ratedAt: day(9) },
        { movieId: 2, rating: 5, ratedAt: day(1) },
      ],
      seen: [],
    });
    expect(r.ratings.get(1)).toBe(5);
    expect(r.ratings.get(2)).toBe(2);
    expect(r).toMatchObject({ updated: 1, keptNewer: 1 });
    expect(r.ratedAt.get(1)).toBe(day(9));
  });

  it('when a date is unknown, the confirmed import wins', () => {
    const r = mergeRatings({ ratings: new Map([[1, 2]]) }, { ratings: [{ movieId: 1, rating: 5, ratedAt: day(1) }], seen: [] });
    expect(r.ratings.get(1)).toBe(5);
    expect(r.updated).toBe(1);
  });

  it('is idempotent: the same import again changes nothing', () => {
    const incoming = {
      ratings: [
        { movieId: 1, rating: 5, ratedAt: day(9) },
        { movieId: 3, rating: 1, ratedAt: 0 },
      ],
      seen: [4],
    };
    const once = mergeRatings({ ratings: new Map([[1, 2]]), ratedAt: new Map([[1, day(5)]]) }, incoming);
    const twice = mergeRatings(once, incoming);
    expect(twice.ratings).toEqual(once.ratings);
    expect(twice.ratedAt).toEqual(once.ratedAt);
    expect(twice.seen).toEqual(once.seen);
    expect(twice).toMatchObject({ added: 0, updated: 0, unchanged: 2, seenAdded: 0 });
  });

  it('marks seen movies that have no rating; a rated movie is no longer seen', () => {
    const r = mergeRatings({ ratings: new Map([[1, 3]]), seen: new Set([2]) }, { ratings: [{ movieId: 2, rating: 4, ratedAt: 0 }], seen: [1, 5] });
    expect([...r.seen]).toEqual([5]);
    expect(r.seenAdded).toBe(1);
  });

  it('leaves its inputs alone', () => {
    const ratings = new Map([[1, 3]]);
    mergeRatings({ ratings }, { ratings: [{ movieId: 1, rating: 1, ratedAt: 0 }], seen: [] });
    expect([...ratings]).toEqual([[1, 3]]);
  });
});
