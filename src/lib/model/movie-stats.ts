/** Per-movie vote counts and mean ratings, the inputs of weighted popularity. */
import type { ChunkedCsr, MovieStats } from '../types';

/** Counts and means of every movie row of the movie-major matrix (sums in Float64). */
export function computeMovieStats(byMovie: ChunkedCsr): MovieStats {
  const n = byMovie.rows;
  const count = new Int32Array(n);
  const mean = new Float32Array(n);
  let total = 0;
  let entries = 0;
  for (const ch of byMovie.chunks) {
    const ptr = ch.indptr;
    const val = ch.values;
    for (let r = 0; r < ch.rowCount; r++) {
      const start = ptr[r];
      const end = ptr[r + 1];
      let sum = 0;
      for (let p = start; p < end; p++) sum += val[p];
      const c = end - start;
      count[ch.firstRow + r] = c;
      // Unrated movies keep mean 0, as MovieStats promises.
      if (c > 0) mean[ch.firstRow + r] = sum / c;
      total += sum;
      entries += c;
    }
  }
  return { count, mean, globalMean: entries > 0 ? total / entries : 0 };
}
