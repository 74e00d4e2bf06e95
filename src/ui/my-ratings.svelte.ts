import { SvelteMap } from 'svelte/reactivity';
import { idbStore } from '../platform/idb-store';

const KEY = 'latentlens:my-ratings';

/**
 * The person's own star ratings, keyed by raw MovieLens movieId so they survive rebuilding the
 * model from another release. Kept in IndexedDB, never sent anywhere.
 */
export class MyRatings {
  readonly byMovieId = new SvelteMap<number, number>();
  /** Set when storage failed, so the UI can say ratings will not survive a reload. */
  storageProblem = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      const saved = (await idbStore().get(KEY)) as [number, number][] | undefined;
      this.byMovieId.clear();
      for (const [id, rating] of saved ?? []) this.byMovieId.set(id, rating);
    } catch (error) {
      this.storageProblem = `Your ratings could not be read from this browser's storage (${(error as Error).message}).`;
    }
  }

  async rate(movieId: number, rating: number | null): Promise<void> {
    if (rating === null) this.byMovieId.delete(movieId);
    else this.byMovieId.set(movieId, rating);
    await this.persist();
  }

  /** Forgets the ratings in memory; storage is cleared by "Delete my data". */
  reset(): void {
    this.byMovieId.clear();
  }

  private async persist(): Promise<void> {
    try {
      await idbStore().set(KEY, [...this.byMovieId.entries()]);
      this.storageProblem = null;
    } catch (error) {
      this.storageProblem = `Your ratings are kept for this visit only: the browser refused to store them (${(error as Error).message}).`;
    }
  }
}
