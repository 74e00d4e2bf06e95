/**
 * Weighted popularity, the IMDb Top-250 formula: a movie's mean is pulled towards the mean of all
 * movies by a prior worth m votes, so that a 5.0 from three people does not beat a 4.3 from
 * thirty thousand.
 *
 *   WR = v/(v+m)·R + m/(v+m)·C
 *   v = the movie's votes, R = its mean rating,
 *   C = the mean of the per-movie means over rated movies,
 *   m = the `percentile` quantile of the vote counts of rated movies.
 */
import type { MovieStats, MoviesTable, Popularity } from '../types';

/** Weighted rating of every movie; NaN for movies nobody rated. */
export function weightedPopularity(stats: MovieStats, percentile = 0.9): Popularity {
  if (!(percentile >= 0 && percentile <= 1)) {
    throw new Error(`weightedPopularity: percentile must be between 0 and 1, got ${percentile}.`);
  }
  const n = stats.count.length;
  let rated = 0;
  let sumMeans = 0;
  for (let i = 0; i < n; i++) {
    if (stats.count[i] > 0) {
      rated++;
      sumMeans += stats.mean[i];
    }
  }
  const votes = new Int32Array(rated);
  for (let i = 0, w = 0; i < n; i++) if (stats.count[i] > 0) votes[w++] = stats.count[i];
  const m = quantile(votes, percentile);
  const c = rated > 0 ? sumMeans / rated : 0;

  const score = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = stats.count[i];
    score[i] = v > 0 ? (v / (v + m)) * stats.mean[i] + (m / (v + m)) * c : NaN;
  }
  return { m, c, percentile, score };
}

/**
 * The q-quantile of the values, interpolating linearly between order statistics: position
 * h = (n−1)·q, answer x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). This is numpy.quantile's and
 * pandas' Series.quantile's default ("linear"), so numbers match a notebook. 0 for no values.
 * Sorts `values` in place.
 */
export function quantile(values: Int32Array | Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  values.sort();
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return values[lo] + (h - lo) * (values[hi] - values[lo]);
}

export interface RankPopularOptions {
  limit: number;
  /** A name from catalog.genreNames; an unknown genre (or no catalog) matches nothing. */
  genre?: string;
  /** Inclusive release-year bounds; movies without a known year are left out when either is set. */
  yearFrom?: number;
  yearTo?: number;
  /** Only movies with at least this many votes. */
  minVotes?: number;
}

/**
 * Dense indices of the best rated movies by weighted rating, best first; ties go to more votes,
 * then to the lower index. `catalog` is aligned to dense movie index (catalog.titles[i] is movie i).
 */
export function rankPopular(pop: Popularity, stats: MovieStats, catalog: MoviesTable | undefined, opts: RankPopularOptions): Int32Array {
  const n = pop.score.length;
  const limit = Math.max(0, Math.floor(opts.limit));
  const minVotes = Math.max(1, opts.minVotes ?? 1);
  const byYear = opts.yearFrom !== undefined || opts.yearTo !== undefined;
  const yearFrom = opts.yearFrom ?? -Infinity;
  const yearTo = opts.yearTo ?? Infinity;
  let genreBit = 0;
  if (opts.genre !== undefined) {
    const g = catalog ? catalog.genreNames.indexOf(opts.genre) : -1;
    if (g < 0) return new Int32Array(0);
    genreBit = (1 << g) >>> 0;
  }
  if (byYear && !catalog) return new Int32Array(0);

  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    if (stats.count[i] < minVotes) continue;
    if (genreBit !== 0 && (catalog!.genreMasks[i] & genreBit) === 0) continue;
    if (byYear) {
      const y = catalog!.years[i];
      if (y === 0 || y < yearFrom || y > yearTo) continue;
    }
    candidates.push(i);
  }
  const score = pop.score;
  const count = stats.count;
  candidates.sort((a, b) => score[b] - score[a] || count[b] - count[a] || a - b);
  return Int32Array.from(candidates.slice(0, limit));
}
