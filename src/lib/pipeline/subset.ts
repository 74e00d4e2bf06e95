import type { RatingsBatch } from '../types';

/** The original Python notebook's way out of memory: only the most active users and most rated movies. */
export interface SubsetLimit {
  /** Keep the ratings of this many most active users (0 = all). */
  users: number;
  /** Keep the ratings of this many most rated movies (0 = all). */
  movies: number;
}

/** Raw ids of the `limit` ids with the most ratings (ties: lower id first). */
function topIds(batches: RatingsBatch[], column: 'userIds' | 'movieIds', limit: number): Set<number> {
  const counts = new Map<number, number>();
  for (const b of batches) {
    const ids = b[column];
    for (let i = 0; i < b.count; i++) counts.set(ids[i], (counts.get(ids[i]) ?? 0) + 1);
  }
  if (limit <= 0 || limit >= counts.size) return new Set(counts.keys());
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return new Set(ranked.slice(0, limit).map(([id]) => id));
}

/**
 * Keeps only the ratings by the top users of the top movies, counted on the full data, as the
 * Python original did (40k users × 20k movies of ML-25M). Offered so people can compare a cut
 * model with the full one; LatentLens does not need it to fit in memory.
 */
export function keepTopUsersAndMovies(batches: RatingsBatch[], limit: SubsetLimit): { batches: RatingsBatch[]; kept: number; dropped: number } {
  const users = topIds(batches, 'userIds', limit.users);
  const movies = topIds(batches, 'movieIds', limit.movies);
  const out: RatingsBatch[] = [];
  let kept = 0;
  let dropped = 0;
  for (const b of batches) {
    const keep = new Uint8Array(b.count);
    let n = 0;
    for (let i = 0; i < b.count; i++) {
      if (users.has(b.userIds[i]) && movies.has(b.movieIds[i])) {
        keep[i] = 1;
        n++;
      }
    }
    const batch: RatingsBatch = {
      count: n,
      userIds: new Int32Array(n),
      movieIds: new Int32Array(n),
      ratings: new Float32Array(n),
      timestamps: new Int32Array(n),
    };
    for (let i = 0, j = 0; i < b.count; i++) {
      if (!keep[i]) continue;
      batch.userIds[j] = b.userIds[i];
      batch.movieIds[j] = b.movieIds[i];
      batch.ratings[j] = b.ratings[i];
      batch.timestamps[j] = b.timestamps[i];
      j++;
    }
    out.push(batch);
    kept += n;
    dropped += b.count - n;
  }
  return { batches: out, kept, dropped };
}
