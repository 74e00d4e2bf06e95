import { describe, expect, it } from 'vitest';
import { quantile, rankPopular, weightedPopularity } from '../../../src/lib/model/popularity';
import type { MovieStats, MoviesTable } from '../../../src/lib/types';

// Four rated movies and one nobody rated:
//   movie 0: v=10, R=4   movie 1: v=2, R=5   movie 2: v=5, R=3   movie 3: v=1, R=2   movie 4: v=0
const stats: MovieStats = {
  count: Int32Array.of(10, 2, 5, 1, 0),
  mean: Float32Array.of(4, 5, 3, 2, 0),
  globalMean: 0,
};

describe('weightedPopularity', () => {
  it('matches the IMDb formula worked by hand', () => {
    // Votes sorted: [1, 2, 5, 10]; 0.9 quantile at h = 3·0.9 = 2.7: m = 5 + 0.7·(10−5) = 8.5.
    // C = (4 + 5 + 3 + 2) / 4 = 3.5.
    // WR0 = (10·4 + 8.5·3.5) / 18.5 = 69.75/18.5 = 3.770270...
    // WR1 = (2·5 + 8.5·3.5) / 10.5 = 39.75/10.5 = 3.785714...
    // WR2 = (5·3 + 8.5·3.5) / 13.5 = 44.75/13.5 = 3.314814...
    // WR3 = (1·2 + 8.5·3.5) / 9.5  = 31.75/9.5  = 3.342105...
    const pop = weightedPopularity(stats);
    expect(pop.m).toBeCloseTo(8.5, 12);
    expect(pop.c).toBeCloseTo(3.5, 12);
    expect(pop.percentile).toBe(0.9);
    expect(pop.score[0]).toBeCloseTo(69.75 / 18.5, 6);
    expect(pop.score[1]).toBeCloseTo(39.75 / 10.5, 6);
    expect(pop.score[2]).toBeCloseTo(44.75 / 13.5, 6);
    expect(pop.score[3]).toBeCloseTo(31.75 / 9.5, 6);
    expect(pop.score[4]).toBeNaN();
  });

  it('uses the chosen percentile', () => {
    // 0.5 quantile of [1, 2, 5, 10]: h = 1.5, m = 2 + 0.5·3 = 3.5.
    expect(weightedPopularity(stats, 0.5).m).toBeCloseTo(3.5, 12);
    expect(weightedPopularity(stats, 0).m).toBe(1);
    expect(weightedPopularity(stats, 1).m).toBe(10);
  });
});

describe('quantile', () => {
  it('interpolates linearly between order statistics, like numpy.quantile', () => {
    expect(quantile(Int32Array.of(4, 1, 3, 2), 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile(Int32Array.of(1, 2, 3, 4), 0.9)).toBeCloseTo(3.7, 12); // numpy: 3.7
    expect(quantile(Float64Array.of(7), 0.3)).toBe(7);
    expect(quantile(new Int32Array(0), 0.9)).toBe(0);
  });
});

describe('rankPopular', () => {
  const catalog: MoviesTable = {
    count: 5,
    movieIds: Int32Array.of(1, 2, 3, 4, 5),
    titles: ['A (1990)', 'B (2005)', 'C (1999)', 'D', 'E (2010)'],
    years: Int16Array.of(1990, 2005, 1999, 0, 2010),
    // Drama = bit 0, Comedy = bit 1
    genreMasks: Uint32Array.of(0b01, 0b10, 0b11, 0b01, 0b01),
    genreNames: ['Drama', 'Comedy'],
  };
  const pop = weightedPopularity(stats);

  it('ranks rated movies by weighted rating (few excellent votes can beat many good ones)', () => {
    expect(Array.from(rankPopular(pop, stats, undefined, { limit: 10 }))).toEqual([1, 0, 3, 2]);
    expect(Array.from(rankPopular(pop, stats, catalog, { limit: 2 }))).toEqual([1, 0]);
  });

  it('filters by genre, years and votes', () => {
    expect(Array.from(rankPopular(pop, stats, catalog, { limit: 10, genre: 'Drama' }))).toEqual([0, 3, 2]);
    expect(Array.from(rankPopular(pop, stats, catalog, { limit: 10, genre: 'Comedy' }))).toEqual([1, 2]);
    expect(Array.from(rankPopular(pop, stats, catalog, { limit: 10, genre: 'Horror' }))).toEqual([]);
    // Movie 3 has no known year: left out by year filters.
    expect(Array.from(rankPopular(pop, stats, catalog, { limit: 10, yearFrom: 1995 }))).toEqual([1, 2]);
    expect(Array.from(rankPopular(pop, stats, catalog, { limit: 10, yearTo: 1999 }))).toEqual([0, 2]);
    expect(Array.from(rankPopular(pop, stats, catalog, { limit: 10, minVotes: 5 }))).toEqual([0, 2]);
  });

  it('breaks equal scores by more votes, then lower index', () => {
    const tied: MovieStats = { count: Int32Array.of(3, 9, 9), mean: Float32Array.of(4, 4, 4), globalMean: 4 };
    const p = weightedPopularity(tied);
    expect(Array.from(rankPopular(p, tied, undefined, { limit: 3 }))).toEqual([1, 2, 0]);
  });
});
