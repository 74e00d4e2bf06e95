import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { idbStore } from '../platform/idb-store';
import type { AcceptedImport } from '../lib/personal/accept-review';
import { mergeRatings, type MergeResult } from '../lib/personal/merge-ratings';

/** Stars by movieId as [movieId, stars][]: the first format, kept so older visits' ratings still load. */
const KEY = 'latentlens:my-ratings';
/**
 * When each rating was made, [movieId, seconds since epoch][]. A key of its own rather than a
 * new format under KEY, so a page from before dates were kept still reads the ratings.
 */
const DATES_KEY = 'latentlens:my-ratings-dated';
/** Movies watched without a rating (Letterboxd's watched.csv), movieId[]: kept out of recommendations. */
const SEEN_KEY = 'latentlens:my-seen';

/** What an import changed, as the page reports it. */
export type ImportCounts = Omit<MergeResult, 'ratings' | 'ratedAt' | 'seen'>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The person's own star ratings, keyed by raw MovieLens movieId so they survive rebuilding the
 * model from another release, with when each was made (for "newest wins" when an import
 * disagrees) and the movies seen without a rating. Kept in IndexedDB, never sent anywhere.
 */
export class MyRatings {
  readonly byMovieId = new SvelteMap<number, number>();
  /** Seconds since epoch per rated movie; absent for ratings made before dates were kept. */
  readonly ratedAt = new SvelteMap<number, number>();
  readonly seen = new SvelteSet<number>();
  /** Set when storage failed, so the UI can say ratings will not survive a reload. */
  storageProblem = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      const store = idbStore();
      const [saved, dates, seen] = await Promise.all([store.get(KEY), store.get(DATES_KEY), store.get(SEEN_KEY)]);
      this.reset();
      for (const [id, rating] of (saved as [number, number][] | undefined) ?? []) this.byMovieId.set(id, rating);
      for (const [id, at] of (dates as [number, number][] | undefined) ?? []) if (this.byMovieId.has(id)) this.ratedAt.set(id, at);
      for (const id of (seen as number[] | undefined) ?? []) if (!this.byMovieId.has(id)) this.seen.add(id);
    } catch (error) {
      this.storageProblem = `Your ratings could not be read from this browser's storage (${(error as Error).message}).`;
    }
  }

  async rate(movieId: number, rating: number | null): Promise<void> {
    if (rating === null) {
      this.byMovieId.delete(movieId);
      this.ratedAt.delete(movieId);
    } else {
      this.byMovieId.set(movieId, rating);
      this.ratedAt.set(movieId, nowSeconds());
      // A rated movie is no longer only "seen" (the same rule as mergeRatings).
      this.seen.delete(movieId);
    }
    await this.persist();
  }

  /**
   * Merges what the person confirmed in an import review: newest rating wins, and the same
   * import twice changes nothing (mergeRatings). Returns what changed, for the summary.
   */
  async importAccepted(accepted: AcceptedImport): Promise<ImportCounts> {
    const { ratings, ratedAt, seen, ...counts } = mergeRatings({ ratings: this.byMovieId, ratedAt: this.ratedAt, seen: this.seen }, accepted);
    replace(this.byMovieId, ratings);
    replace(this.ratedAt, ratedAt);
    this.seen.clear();
    for (const id of seen) this.seen.add(id);
    await this.persist();
    return counts;
  }

  /** Forgets the ratings in memory; storage is cleared by "Delete my data". */
  reset(): void {
    this.byMovieId.clear();
    this.ratedAt.clear();
    this.seen.clear();
  }

  private async persist(): Promise<void> {
    try {
      const store = idbStore();
      await Promise.all([
        store.set(KEY, [...this.byMovieId.entries()]),
        store.set(DATES_KEY, [...this.ratedAt.entries()]),
        store.set(SEEN_KEY, [...this.seen]),
      ]);
      this.storageProblem = null;
    } catch (error) {
      this.storageProblem = `Your ratings are kept for this visit only: the browser refused to store them (${(error as Error).message}).`;
    }
  }
}

/** Makes a reactive map equal to `next`, touching only the entries that differ (each change re-renders its readers). */
function replace(target: SvelteMap<number, number>, next: ReadonlyMap<number, number>): void {
  for (const id of [...target.keys()]) if (!next.has(id)) target.delete(id);
  for (const [id, value] of next) if (target.get(id) !== value) target.set(id, value);
}
