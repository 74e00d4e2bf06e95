/**
 * A hand-checkable matrix for the explore tests: 4 users, 5 movies (movie id 50 listed but
 * never rated), raw ids deliberately not contiguous.
 *
 *            movie 10  20   30   40   50
 *   user 1        5    3    -    1    -      ts 2000-01-15, 2000-02-01, 2001-06-30
 *   user 2        4    -    2.5  -    -
 *   user 7        -    4    0.5  2    -
 *   user 9        4.5  5    -    -    -
 */
import { buildCsr } from '../../../src/lib/matrix/csr';
import type { IdMap, MovieStats, MoviesTable } from '../../../src/lib/types';
import { computeMovieStats } from '../../../src/lib/model/movie-stats';
import { batchOf, type Triple } from '../../support/brute-force';

const JAN_15_2000 = Date.UTC(2000, 0, 15) / 1000;
const FEB_01_2000 = Date.UTC(2000, 1, 1) / 1000;
const JUN_30_2001 = Date.UTC(2001, 5, 30, 23, 59) / 1000;

export const TRIPLES: Triple[] = [
  { user: 1, movie: 10, rating: 5, timestamp: JAN_15_2000 },
  { user: 1, movie: 20, rating: 3, timestamp: JAN_15_2000 },
  { user: 1, movie: 40, rating: 1, timestamp: FEB_01_2000 },
  { user: 2, movie: 10, rating: 4, timestamp: FEB_01_2000 },
  { user: 2, movie: 30, rating: 2.5, timestamp: FEB_01_2000 },
  { user: 7, movie: 20, rating: 4, timestamp: JUN_30_2001 },
  { user: 7, movie: 30, rating: 0.5, timestamp: JUN_30_2001 },
  { user: 7, movie: 40, rating: 2, timestamp: JUN_30_2001 },
  { user: 9, movie: 10, rating: 4.5, timestamp: JAN_15_2000 },
  { user: 9, movie: 20, rating: 5, timestamp: JAN_15_2000 },
];

export const users: IdMap = { ids: Int32Array.of(1, 2, 7, 9) };
export const movies: IdMap = { ids: Int32Array.of(10, 20, 30, 40, 50) };

export function tiny(maxChunkBytes?: number) {
  const { byUser, byMovie } = buildCsr([batchOf(TRIPLES)], users, movies, { maxChunkBytes });
  const stats: MovieStats = computeMovieStats(byMovie);
  return { byUser, byMovie, stats };
}

/** Genres: 0 Drama, 1 Comedy, 2 War. */
export const catalog: MoviesTable = {
  count: 5,
  movieIds: movies.ids,
  titles: ['A (2000)', 'B (2001)', 'C (1999)', 'D', 'E (2002)'],
  years: Int16Array.of(2000, 2001, 1999, 0, 2002),
  genreMasks: Uint32Array.of(0b011, 0b001, 0b100 | 0b001, 0b010, 0),
  genreNames: ['Drama', 'Comedy', 'War'],
};
