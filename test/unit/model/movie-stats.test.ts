import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../../src/lib/matrix/csr';
import { buildIdMap, idsOf } from '../../../src/lib/matrix/id-map';
import { computeMovieStats } from '../../../src/lib/model/movie-stats';
import { batchOf } from '../../support/brute-force';

describe('computeMovieStats', () => {
  it('counts votes and averages ratings per movie; unrated movies have mean 0', () => {
    const batches = [
      batchOf([
        { user: 1, movie: 10, rating: 4, timestamp: 1 },
        { user: 2, movie: 10, rating: 2.5, timestamp: 1 },
        { user: 2, movie: 20, rating: 5, timestamp: 1 },
      ]),
    ];
    const users = buildIdMap(idsOf(batches, 'userIds'));
    const movies = buildIdMap([...idsOf(batches, 'movieIds'), Int32Array.of(30)]);
    const stats = computeMovieStats(buildCsr(batches, users, movies).byMovie);
    expect(Array.from(stats.count)).toEqual([2, 1, 0]);
    expect(Array.from(stats.mean)).toEqual([3.25, 5, 0]);
    expect(stats.globalMean).toBeCloseTo(11.5 / 3, 12);
  });
});
