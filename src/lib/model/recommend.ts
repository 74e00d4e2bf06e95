/**
 * Recommendations for one person from their own ratings and the precomputed item neighbours
 * (item-based collaborative filtering), with weighted popularity as the fallback.
 *
 * Scheme. Each rated movie i votes for its neighbours j with weight sim(i,j)·(r_i − 3): 3 is the
 * middle of the star scale, so a 4.5 pulls its neighbours up, a 1.5 pushes them away and a 3 is
 * neutral. Candidates are ranked by the summed evidence
 *
 *   score(j) = Σ_i sim(i,j)·(r_i − 3)      over my rated i that have j among their neighbours,
 *
 * not by the weighted average, because the average of a single weak link (one neighbour with
 * similarity 0.05 of a movie I gave 5 stars) is as high as that of ten strong ones; the sum
 * grows with both strength and support. The weighted average is still returned, as
 * `predicted` = 3 + Σ sim·(r−3) / Σ |sim| (clamped to 0.5..5), to explain a score in stars.
 * Only movies with positive evidence are recommended.
 */
import type { MovieStats, Neighbours, Popularity } from '../types';
import { rankPopular } from './popularity';

/** The middle of the star scale: ratings above it attract, below it repel. */
export const NEUTRAL_RATING = 3;

export interface Recommendation {
  movie: number;
  /** Neighbour items: the summed evidence Σ sim·(r−3). Popular filler: its weighted rating. */
  score: number;
  /** Stars: the similarity-weighted average of my ratings (neighbours), or the weighted rating (popular). */
  predicted: number;
  /** Up to 3 of my rated movies that contributed most, biggest first (empty for popular filler). */
  because: number[];
  source: 'neighbours' | 'popular';
}

export interface RecommendOptions {
  limit?: number;
  /** With fewer rated movies than this, the list is popularity only. */
  minRated?: number;
}

/** The person's ratings, by dense movie index. */
export interface MyRatings {
  movie: Int32Array;
  rating: Float32Array;
}

/**
 * Unseen movies for a person, best first. `fallback` is true when any popular filler was used:
 * because they rated fewer than minRated movies or the neighbour-based list came out short.
 */
export function recommendFor(
  mine: MyRatings,
  neighbours: Neighbours,
  popularity: Popularity,
  stats: MovieStats,
  opts: RecommendOptions = {},
): { items: Recommendation[]; fallback: boolean } {
  const limit = Math.max(0, Math.floor(opts.limit ?? 20));
  const minRated = opts.minRated ?? 3;
  const n = neighbours.movies;
  const k = neighbours.k;
  const nIdx = neighbours.index;
  const nSim = neighbours.similarity;
  const nCount = neighbours.count;

  // Rated movies (the last rating wins if a movie is listed twice); out-of-range indices ignored.
  const ratingOf = new Float64Array(n).fill(NaN);
  const rated: number[] = [];
  for (let t = 0; t < mine.movie.length; t++) {
    const i = mine.movie[t];
    if (i < 0 || i >= n) continue;
    if (ratingOf[i] !== ratingOf[i]) rated.push(i);
    ratingOf[i] = mine.rating[t];
  }

  const items: Recommendation[] = [];
  if (rated.length >= minRated) {
    const evidence = new Float64Array(n);
    const absSum = new Float64Array(n);
    const seen = new Uint8Array(n);
    const candidates: number[] = [];
    for (const i of rated) {
      const d = ratingOf[i] - NEUTRAL_RATING;
      const h = i * k;
      for (let t = 0; t < nCount[i]; t++) {
        const j = nIdx[h + t];
        if (ratingOf[j] === ratingOf[j]) continue; // already rated
        const s = nSim[h + t];
        evidence[j] += s * d;
        absSum[j] += Math.abs(s);
        if (seen[j] === 0) {
          seen[j] = 1;
          candidates.push(j);
        }
      }
    }
    const positive = candidates.filter((j) => evidence[j] > 0);
    positive.sort((x, y) => evidence[y] - evidence[x] || x - y);
    for (const j of positive.slice(0, limit)) {
      const avg = absSum[j] > 0 ? NEUTRAL_RATING + evidence[j] / absSum[j] : NEUTRAL_RATING;
      items.push({
        movie: j,
        score: evidence[j],
        predicted: Math.min(5, Math.max(0.5, avg)),
        because: strongestReasons(j, rated, ratingOf, neighbours),
        source: 'neighbours',
      });
    }
  }

  let fallback = false;
  if (items.length < limit) {
    const taken = new Set(items.map((it) => it.movie));
    const popular = rankPopular(popularity, stats, undefined, { limit: limit + rated.length + items.length });
    for (let t = 0; t < popular.length && items.length < limit; t++) {
      const j = popular[t];
      if (taken.has(j) || ratingOf[j] === ratingOf[j]) continue;
      fallback = true;
      items.push({ movie: j, score: popularity.score[j], predicted: popularity.score[j], because: [], source: 'popular' });
    }
  }
  return { items, fallback };
}

/** The (up to) three rated movies whose sim·(r−3) toward j is largest and positive. */
function strongestReasons(j: number, rated: number[], ratingOf: Float64Array, nb: Neighbours): number[] {
  const reasons: { i: number; w: number }[] = [];
  for (const i of rated) {
    const h = i * nb.k;
    for (let t = 0; t < nb.count[i]; t++) {
      if (nb.index[h + t] !== j) continue;
      const w = nb.similarity[h + t] * (ratingOf[i] - NEUTRAL_RATING);
      if (w > 0) reasons.push({ i, w });
      break;
    }
  }
  reasons.sort((x, y) => y.w - x.w || x.i - y.i);
  return reasons.slice(0, 3).map((r) => r.i);
}
