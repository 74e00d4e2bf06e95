/**
 * Factors for movies nobody rated, borrowed from their content neighbours.
 *
 * iALS learns a movie's factors from the people who rated it, so a movie nobody rated has none
 * (its row stays near zero) and no one's score for it means anything. Its content neighbours
 * (content-neighbours.ts: genome, tags, genres, era) are mostly rated movies with real factors,
 * and a movie is watched by the kind of people who watch the movies it resembles. So
 *
 *   ŷ_j = Σ_i c(j, i) · y_i / Σ_i c(j, i)     over j's content neighbours i that have ratings,
 *
 * a similarity-weighted mean of their factors (the k-nearest-neighbour attribute-to-factor
 * mapping of Gantner et al., "Learning Attribute-to-Feature Mappings for Cold-Start
 * Recommendations", ICDM 2010). A person's score for j is then ŷ_j · x, on the same scale as
 * every other iALS score, and it splits into their rated movies' shares exactly as a real
 * factor row does (fold-in.ts, contributionsOf).
 *
 * Measured on ml-latest-small's cold-items split (10% of movies with 20+ ratings unseen, each
 * held-out movie among 99 other unseen ones, HR@10): ranking unseen movies by the person's mean
 * content similarity to their rated movies 0.212; by borrowed factors 0.324; weights c² or c⁴
 * 0.318 and 0.311; the two added together 0.238–0.319 (the content vote only dilutes it).
 */
import type { Neighbours } from '../types';
import type { MovieFactors } from './fold-in';

export interface BorrowedFactor {
  /** ŷ_j, `factors` long. */
  factor: Float64Array;
  /** The rated content neighbours it came from, in the list's order (most similar first). */
  from: Int32Array;
  /** Their weights c(j, i) / Σ c(j, i), aligned with `from`; they sum to 1. */
  weights: Float64Array;
}

/**
 * ŷ_j for movie j from its content neighbours with ratings (`ratings[i] > 0`), or undefined
 * when none of them has any (then nothing can be borrowed).
 */
export function borrowedFactor(mf: MovieFactors, content: Neighbours, ratings: ArrayLike<number>, j: number): BorrowedFactor | undefined {
  if (j < 0 || j >= content.movies) return undefined;
  const f = mf.factors;
  const Y = mf.movieFactors;
  const k = content.k;
  const from: number[] = [];
  const sims: number[] = [];
  let total = 0;
  for (let t = 0; t < content.count[j]; t++) {
    const i = content.index[j * k + t];
    const s = content.similarity[j * k + t];
    if (!(s > 0) || i < 0 || i >= mf.movies || !(ratings[i] > 0)) continue;
    from.push(i);
    sims.push(s);
    total += s;
  }
  if (from.length === 0) return undefined;
  const factor = new Float64Array(f);
  const weights = new Float64Array(from.length);
  for (let q = 0; q < from.length; q++) {
    const w = sims[q] / total;
    weights[q] = w;
    const yo = from[q] * f;
    for (let t = 0; t < f; t++) factor[t] += w * Y[yo + t];
  }
  return { factor, from: Int32Array.from(from), weights };
}

/**
 * scores[j] = ŷ_j · x for every movie nobody rated that can borrow factors; the other entries
 * are left as they are. Returns how many movies were scored.
 */
export function addBorrowedScores(mf: MovieFactors, content: Neighbours, ratings: ArrayLike<number>, x: Float64Array, scores: Float64Array): number {
  let scored = 0;
  const n = Math.min(scores.length, content.movies);
  for (let j = 0; j < n; j++) {
    if (ratings[j] > 0) continue;
    const b = borrowedFactor(mf, content, ratings, j);
    if (!b) continue;
    scores[j] = dot(b.factor, x);
    scored++;
  }
  return scored;
}

/**
 * The neighbours that carried j's borrowed score for this person, largest part first: each
 * one's w_i · (y_i · x), the parts summing to ŷ_j · x. Only positive parts, at most `limit`.
 */
export function borrowedFrom(mf: MovieFactors, b: BorrowedFactor, x: Float64Array, limit = 3): { movie: number; part: number }[] {
  const f = mf.factors;
  const out: { movie: number; part: number }[] = [];
  for (let q = 0; q < b.from.length; q++) {
    const yo = b.from[q] * f;
    let s = 0;
    for (let t = 0; t < f; t++) s += mf.movieFactors[yo + t] * x[t];
    const part = b.weights[q] * s;
    if (part > 0) out.push({ movie: b.from[q], part });
  }
  out.sort((a, c) => c.part - a.part || a.movie - c.movie);
  return out.slice(0, limit);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += a[t] * b[t];
  return s;
}
