import { describe, expect, it } from 'vitest';
import { keepTopUsersAndMovies } from '../../../src/lib/pipeline/subset';
import type { RatingsBatch } from '../../../src/lib/types';

function batch(rows: [number, number][]): RatingsBatch {
  return {
    count: rows.length,
    userIds: Int32Array.from(rows.map((r) => r[0])),
    movieIds: Int32Array.from(rows.map((r) => r[1])),
    ratings: Float32Array.from(rows.map(() => 4)),
    timestamps: Int32Array.from(rows.map((_, i) => i)),
  };
}

describe('keepTopUsersAndMovies', () => {
  // user 1 rates 3 movies, user 2 rates 2, user 3 rates 1; movie 10 has 3 raters, 20 has 2, 30 has 1.
  const rows: [number, number][] = [
    [1, 10],
    [1, 20],
    [1, 30],
    [2, 10],
    [2, 20],
    [3, 10],
  ];

  it('keeps only ratings by the top users of the top movies, counted on the full data', () => {
    const cut = keepTopUsersAndMovies([batch(rows.slice(0, 4)), batch(rows.slice(4))], { users: 2, movies: 2 });
    const kept = cut.batches.flatMap((b) => Array.from(b.userIds, (u, i) => [u, b.movieIds[i]]));
    expect(kept).toEqual([
      [1, 10],
      [1, 20],
      [2, 10],
      [2, 20],
    ]);
    expect(cut.kept).toBe(4);
    expect(cut.dropped).toBe(2);
    // Timestamps travel with their rows.
    expect(Array.from(cut.batches[0].timestamps)).toEqual([0, 1, 3]);
  });

  it('keeps everything when the limits are 0', () => {
    const cut = keepTopUsersAndMovies([batch(rows)], { users: 0, movies: 0 });
    expect(cut.kept).toBe(rows.length);
    expect(cut.dropped).toBe(0);
  });

  it('breaks ties by the lower id', () => {
    const cut = keepTopUsersAndMovies(
      [
        batch([
          [5, 1],
          [4, 1],
        ]),
      ],
      { users: 1, movies: 0 },
    );
    expect(Array.from(cut.batches[0].userIds)).toEqual([4]);
  });
});
