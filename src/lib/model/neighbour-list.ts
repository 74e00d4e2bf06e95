import type { Neighbours } from '../types';

/** The neighbours of one movie as objects, best first (for display and tests, not hot loops). */
export function neighboursOf(n: Neighbours, movie: number): { index: number; similarity: number; coCount: number }[] {
  const out: { index: number; similarity: number; coCount: number }[] = [];
  const h = movie * n.k;
  for (let t = 0; t < n.count[movie]; t++) {
    out.push({ index: n.index[h + t], similarity: n.similarity[h + t], coCount: n.coCount[h + t] });
  }
  return out;
}
