import { describe, expect, it } from 'vitest';
import { topByMean, topByWeighted } from '../../../src/lib/explore/top-lists';
import type { MovieStats } from '../../../src/lib/types';

// Movie 0: one 5-star vote; movie 1: 100 votes at 4.5; movie 2: 10 votes at 4.8; movie 3: unrated.
const stats: MovieStats = { count: Int32Array.of(1, 100, 10, 0, 50), mean: Float32Array.of(5, 4.5, 4.8, 0, 3), globalMean: 4 };

describe('topByMean', () => {
  it('ranks by mean alone, so one 5-star vote wins', () => {
    expect(Array.from(topByMean(stats, 10))).toEqual([0, 2, 1, 4]);
  });

  it('can require a minimum number of votes', () => {
    expect(Array.from(topByMean(stats, 10, 10))).toEqual([2, 1, 4]);
  });
});

describe('topByWeighted', () => {
  it('pulls the single vote toward the mean of means', () => {
    // votes of rated movies sorted: 1, 10, 50, 100; the 0.5 quantile is (10+50)/2 = 30
    const top = topByWeighted(stats, 0.5, 10);
    expect(top.m).toBe(30);
    const c = (5 + 4.5 + 4.8 + 3) / 4;
    expect(top.c).toBeCloseTo(c, 6);
    const wr = (v: number, r: number) => (v / (v + 30)) * r + (30 / (v + 30)) * c;
    expect(top.score[0]).toBeCloseTo(wr(1, 5), 5);
    expect(top.score[1]).toBeCloseTo(wr(100, 4.5), 5);
    expect(Array.from(top.movies)).toEqual([1, 2, 0, 4]);
  });

  it('re-ranks as m moves: at the 0th percentile m is the fewest votes (1), so the single vote counts half', () => {
    const top = topByWeighted(stats, 0, 10);
    expect(top.m).toBe(1);
    expect(Array.from(top.movies)).toEqual([2, 0, 1, 4]);
  });
});
