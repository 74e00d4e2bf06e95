/**
 * Why weighted popularity exists, as two rankings side by side: by plain mean rating, where a
 * movie rated 5 by a single person wins, and by the IMDb weighted rating, which needs m votes
 * before a mean is trusted. Cheap (one sort of the rated movies), so it runs on the page as the
 * m slider moves.
 */
import type { MovieStats } from '../types';
import { rankPopular, weightedPopularity } from '../model/popularity';

/** Dense indices of the movies with the highest mean rating, best first; ties: more votes, then lower index. */
export function topByMean(stats: MovieStats, limit: number, minVotes = 1): Int32Array {
  const floor = Math.max(1, minVotes);
  const candidates: number[] = [];
  for (let i = 0; i < stats.count.length; i++) if (stats.count[i] >= floor) candidates.push(i);
  const { mean, count } = stats;
  candidates.sort((a, b) => mean[b] - mean[a] || count[b] - count[a] || a - b);
  return Int32Array.from(candidates.slice(0, Math.max(0, limit)));
}

export interface WeightedTop {
  /** Dense indices, best weighted rating first. */
  movies: Int32Array;
  /** Weighted rating per dense index (NaN for unrated movies). */
  score: Float32Array;
  m: number;
  c: number;
}

/** The top movies by weighted rating with m at the given percentile of the vote counts. */
export function topByWeighted(stats: MovieStats, percentile: number, limit: number): WeightedTop {
  const pop = weightedPopularity(stats, percentile);
  return { movies: rankPopular(pop, stats, undefined, { limit }), score: pop.score, m: pop.m, c: pop.c };
}
