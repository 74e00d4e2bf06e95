import type { AcceptedImport } from './accept-review';

/**
 * The person's ratings as the page keeps them: stars by raw MovieLens movieId (MyRatings stores
 * exactly this map), plus two optional companions the page may keep beside it.
 */
export interface StoredRatings {
  ratings: ReadonlyMap<number, number>;
  /** When each rating was made, seconds since epoch; missing for ratings made before dates were kept. */
  ratedAt?: ReadonlyMap<number, number>;
  /** Movies watched without a rating: kept out of recommendations. */
  seen?: ReadonlySet<number>;
}

export interface MergeResult {
  ratings: Map<number, number>;
  ratedAt: Map<number, number>;
  seen: Set<number>;
  /** Movies rated for the first time. */
  added: number;
  /** Ratings replaced by a different, newer one. */
  updated: number;
  /** Ratings the import gives exactly as stored. */
  unchanged: number;
  /** Ratings kept because the stored one is newer than the import's. */
  keptNewer: number;
  /** Movies newly marked as seen. */
  seenAdded: number;
}

/**
 * Merges an accepted import into the stored ratings without changing either input. On a
 * conflict the newer rating wins; when either date is unknown the import wins, since the person
 * has just confirmed it. Idempotent: merging the same import again changes nothing and counts
 * every rating as unchanged (or kept). A movie rated is no longer "seen".
 */
export function mergeRatings(stored: StoredRatings, incoming: AcceptedImport): MergeResult {
  const ratings = new Map(stored.ratings);
  const ratedAt = new Map(stored.ratedAt ?? []);
  const seen = new Set(stored.seen ?? []);
  const result: MergeResult = { ratings, ratedAt, seen, added: 0, updated: 0, unchanged: 0, keptNewer: 0, seenAdded: 0 };
  for (const r of incoming.ratings) {
    const before = ratings.get(r.movieId);
    const beforeAt = ratedAt.get(r.movieId) ?? 0;
    if (before === undefined) {
      ratings.set(r.movieId, r.rating);
      if (r.ratedAt > 0) ratedAt.set(r.movieId, r.ratedAt);
      result.added++;
    } else if (before === r.rating) {
      // The same rating: only a date the store lacked is filled in.
      if (beforeAt === 0 && r.ratedAt > 0) ratedAt.set(r.movieId, r.ratedAt);
      result.unchanged++;
    } else if (beforeAt > 0 && r.ratedAt > 0 && beforeAt > r.ratedAt) {
      result.keptNewer++;
    } else {
      ratings.set(r.movieId, r.rating);
      if (r.ratedAt > 0) ratedAt.set(r.movieId, r.ratedAt);
      else ratedAt.delete(r.movieId);
      result.updated++;
    }
    seen.delete(r.movieId);
  }
  for (const movieId of incoming.seen) {
    if (ratings.has(movieId) || seen.has(movieId)) continue;
    seen.add(movieId);
    result.seenAdded++;
  }
  return result;
}
