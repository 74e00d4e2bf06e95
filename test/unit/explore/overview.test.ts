import { describe, expect, it } from 'vitest';
import {
  exploreOverview,
  genreStats,
  longTail,
  powerUsers,
  ratingHistogram,
  ratingsOverTime,
  ratingsPerUser,
  sharesBelow,
  sparsityOf,
} from '../../../src/lib/explore/overview';
import { catalog, tiny } from './fixture';

describe('ratingHistogram', () => {
  it('counts ratings per half star', () => {
    const h = ratingHistogram(tiny().byUser);
    expect(h.stars).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
    // 0.5:1, 1:1, 2:1, 2.5:1, 3:1, 4:2, 4.5:1, 5:2
    expect(h.count).toEqual([1, 1, 0, 1, 1, 1, 0, 2, 1, 2]);
  });

  it('gives the same counts whatever the chunking', () => {
    expect(ratingHistogram(tiny(8).byUser)).toEqual(ratingHistogram(tiny().byUser));
  });
});

describe('longTail', () => {
  it('lists every rank of a short curve, sorted descending', () => {
    expect(longTail(Int32Array.of(1, 3, 3, 2))).toEqual({ rank: [1, 2, 3, 4], count: [3, 3, 2, 1], items: 4 });
  });

  it('thins a long curve but keeps the first 100 ranks and the last', () => {
    const counts = Int32Array.from({ length: 10_000 }, (_, i) => 10_000 - i);
    const t = longTail(counts, 200);
    expect(t.items).toBe(10_000);
    expect(t.rank.length).toBeLessThanOrEqual(201);
    expect(t.rank.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(t.rank.at(-1)).toBe(10_000);
    expect(t.count.at(-1)).toBe(1);
    // every point is on the real curve
    t.rank.forEach((r, p) => expect(t.count[p]).toBe(10_001 - r));
  });
});

describe('sharesBelow', () => {
  it('counts rated items under each threshold, ignoring unrated ones', () => {
    const s = sharesBelow(Int32Array.of(0, 1, 4, 5, 9, 10, 60), [5, 10, 50]);
    expect(s).toEqual([
      { below: 5, items: 2, share: 2 / 6 },
      { below: 10, items: 4, share: 4 / 6 },
      { below: 50, items: 5, share: 5 / 6 },
    ]);
  });
});

describe('ratings per user and power users', () => {
  it('counts each user row', () => {
    expect(Array.from(ratingsPerUser(tiny().byUser))).toEqual([3, 2, 3, 2]);
  });

  it('reports the median, the maximum and the share of the top tenth', () => {
    const p = powerUsers(Int32Array.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 89));
    // 12 users: the top tenth is ceil(1.2) = 2 users with 89 + 1 of the 100 ratings
    expect(p).toEqual({ users: 12, median: 1, max: 89, topTenthUsers: 2, topTenthShare: 0.9 });
  });
});

describe('ratingsOverTime', () => {
  it('counts per UTC month, including empty months in between', () => {
    const t = ratingsOverTime(tiny().byUser, 'month');
    expect(t.label[0]).toBe('2000-01');
    expect(t.label.at(-1)).toBe('2001-06');
    expect(t.label.length).toBe(18);
    expect(t.count[0]).toBe(4); // Jan 2000
    expect(t.count[1]).toBe(3); // Feb 2000
    expect(t.count.at(-1)).toBe(3); // Jun 2001 (23:59 UTC on the 30th)
    expect(t.count.reduce((a, b) => a + b, 0)).toBe(10);
    expect(t.startMs[1]).toBe(Date.UTC(2000, 1, 1));
  });

  it('counts per year', () => {
    const t = ratingsOverTime(tiny().byUser, 'year');
    expect(t).toEqual({ unit: 'year', label: ['2000', '2001'], startMs: [Date.UTC(2000, 0, 1), Date.UTC(2001, 0, 1)], count: [7, 3] });
  });
});

describe('genreStats', () => {
  it('counts listed movies, their ratings and the mean of those ratings per genre', () => {
    const g = genreStats(tiny().stats, catalog);
    // Drama: movies 10 (5,4,4.5), 20 (3,4,5), 30 (2.5,0.5) -> 8 ratings, sum 28.5
    expect(g[0]).toMatchObject({ genre: 'Drama', movies: 3, ratings: 8 });
    expect(g[0].meanRating).toBeCloseTo(28.5 / 8, 6);
    // Comedy: movies 10 and 40 (1, 2) -> 5 ratings, sum 16.5
    expect(g[1]).toMatchObject({ genre: 'Comedy', movies: 2, ratings: 5 });
    expect(g[1].meanRating).toBeCloseTo(16.5 / 5, 6);
    expect(g[2]).toMatchObject({ genre: 'War', movies: 1, ratings: 2 });
    expect(g[2].meanRating).toBeCloseTo(1.5, 6);
  });
});

describe('sparsityOf', () => {
  it('is 1 - ratings / (users x rated movies)', () => {
    const { byUser, stats } = tiny();
    expect(sparsityOf(byUser, stats)).toEqual({ users: 4, movies: 5, ratedMovies: 4, ratings: 10, density: 10 / 16, sparsity: 6 / 16 });
  });
});

describe('exploreOverview', () => {
  it('puts every chart in one plain-data message', () => {
    const { byUser, stats } = tiny();
    const o = exploreOverview(byUser, stats, catalog);
    expect(o.moviesTail.count).toEqual([3, 3, 2, 2]); // the unrated movie is not on the curve
    expect(o.movieShares[0]).toEqual({ below: 5, items: 4, share: 1 });
    expect(o.usersTail.count).toEqual([3, 3, 2, 2]);
    expect(o.byYear.count).toEqual([7, 3]);
    expect(structuredClone(o)).toEqual(o);
  });
});
