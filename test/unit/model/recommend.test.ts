import { describe, expect, it } from 'vitest';
import { recommendFor } from '../../../src/lib/model/recommend';
import type { MovieStats, Neighbours, Popularity } from '../../../src/lib/types';

/** Neighbours from hand-written lists (each already best first). */
function neighbours(k: number, lists: [number, number][][]): Neighbours {
  const movies = lists.length;
  const n: Neighbours = {
    k,
    kind: 'cosine',
    minRatings: 1,
    movies,
    count: new Int32Array(movies),
    index: new Int32Array(movies * k).fill(-1),
    similarity: new Float32Array(movies * k),
    coCount: new Int32Array(movies * k),
  };
  lists.forEach((list, i) => {
    n.count[i] = list.length;
    list.forEach(([j, s], t) => {
      n.index[i * k + t] = j;
      n.similarity[i * k + t] = s;
      n.coCount[i * k + t] = 1;
    });
  });
  return n;
}

// Popularity: movie 6 best, then 4, 5, 3, 2, 1, 0.
const stats: MovieStats = { count: Int32Array.of(5, 5, 5, 5, 5, 5, 5), mean: new Float32Array(7), globalMean: 3 };
const popularity: Popularity = { m: 1, c: 3, percentile: 0.9, score: Float32Array.of(1, 1.5, 2, 2.5, 4, 3, 4.5) };

const nb = neighbours(3, [
  [
    [2, 0.9],
    [3, 0.5],
    [4, 0.1],
  ], // movie 0
  [
    [2, 0.8],
    [5, 0.3],
    [4, 0.2],
  ], // movie 1
  [],
  [],
  [],
  [],
  [],
]);

const mine = (pairs: [number, number][]) => ({
  movie: Int32Array.from(pairs.map((p) => p[0])),
  rating: Float32Array.from(pairs.map((p) => p[1])),
});

describe('recommendFor', () => {
  it('ranks by Σ sim·(r−3): liked movies pull, disliked push, rated ones are excluded', () => {
    // Loved 0 (d=+2), hated 1 (d=−2), neutral on 5 (d=0, also makes 5 "seen").
    // evidence: 2 = 0.9·2 + 0.8·(−2) = 0.2;  3 = 0.5·2 = 1.0;  4 = 0.1·2 + 0.2·(−2) = −0.2 (dropped).
    const { items, fallback } = recommendFor(
      mine([
        [0, 5],
        [1, 1],
        [5, 3],
      ]),
      nb,
      popularity,
      stats,
      { limit: 2 },
    );
    expect(fallback).toBe(false);
    expect(items.map((it) => it.movie)).toEqual([3, 2]);
    expect(items[0].score).toBeCloseTo(1.0, 6);
    expect(items[1].score).toBeCloseTo(0.2, 6);
    expect(items[0].predicted).toBeCloseTo(5, 6); // 3 + 1.0/0.5, clamped to 5
    expect(items[1].predicted).toBeCloseTo(3 + 0.2 / 1.7, 6);
    expect(items[0].because).toEqual([0]);
    expect(items[1].because).toEqual([0]); // 1 pushed it away: not a reason
    expect(items.every((it) => it.source === 'neighbours')).toBe(true);
  });

  it('fills a short list from weighted popularity, skipping rated and listed movies', () => {
    const { items, fallback } = recommendFor(
      mine([
        [0, 5],
        [1, 1],
        [5, 3],
      ]),
      nb,
      popularity,
      stats,
      { limit: 5 },
    );
    expect(fallback).toBe(true);
    expect(items.map((it) => it.movie)).toEqual([3, 2, 6, 4]);
    expect(items.slice(2).every((it) => it.source === 'popular' && it.because.length === 0)).toBe(true);
  });

  it('uses popularity alone below minRated', () => {
    const { items, fallback } = recommendFor(
      mine([
        [0, 5],
        [6, 4],
      ]),
      nb,
      popularity,
      stats,
      { limit: 3, minRated: 3 },
    );
    expect(fallback).toBe(true);
    expect(items.map((it) => it.movie)).toEqual([4, 5, 3]);
  });

  it('does not let a single weak link beat several strong ones', () => {
    // 7 is reached once, weakly, from a 5-star movie (its weighted average would be 5.0);
    // 8 twice, strongly, from 4-star movies (weighted average 4.0). Support should win.
    const n = neighbours(2, [[[7, 0.05]], [[8, 0.6]], [[8, 0.6]], [], [], [], [], [], []]);
    const pop9: Popularity = { ...popularity, score: new Float32Array(9) };
    const stats9: MovieStats = { count: new Int32Array(9), mean: new Float32Array(9), globalMean: 3 };
    const { items } = recommendFor(
      mine([
        [0, 5],
        [1, 4],
        [2, 4],
      ]),
      n,
      pop9,
      stats9,
      { limit: 2 },
    );
    expect(items.map((it) => it.movie)).toEqual([8, 7]);
    expect(items[0].because).toEqual([1, 2]);
  });
});
