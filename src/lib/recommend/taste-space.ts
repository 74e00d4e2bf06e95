/**
 * "Closest in taste space": movies whose iALS factor vectors point the same way, a second view
 * of similarity next to the cosine of rating columns. Two movies can be close here without a
 * single shared rater, because the factors are learnt from everyone's co-watching patterns.
 */
import type { MovieFactors } from './fold-in';

export interface TasteNeighbour {
  movie: number;
  /** Cosine of the two factor vectors, −1..1. */
  similarity: number;
}

/**
 * The `limit` movies with the highest factor cosine to `movie`, among those with at least
 * `minRatings` ratings (a movie seen by one or two people has factors that say little).
 */
export function closestInTasteSpace(mf: MovieFactors, movie: number, ratingsCount: Int32Array, limit = 10, minRatings = 5): TasteNeighbour[] {
  const f = mf.factors;
  const Y = mf.movieFactors;
  if (movie < 0 || movie >= mf.movies) return [];
  const norm = (o: number) => {
    let s = 0;
    for (let t = 0; t < f; t++) s += Y[o + t] * Y[o + t];
    return Math.sqrt(s);
  };
  const mo = movie * f;
  const mNorm = norm(mo);
  if (!(mNorm > 0)) return [];
  const out: TasteNeighbour[] = [];
  for (let j = 0; j < mf.movies; j++) {
    if (j === movie || ratingsCount[j] < minRatings) continue;
    const jo = j * f;
    let dot = 0;
    for (let t = 0; t < f; t++) dot += Y[mo + t] * Y[jo + t];
    const jNorm = norm(jo);
    if (!(jNorm > 0)) continue;
    out.push({ movie: j, similarity: dot / (mNorm * jNorm) });
  }
  out.sort((a, b) => b.similarity - a.similarity || a.movie - b.movie);
  return out.slice(0, limit);
}
