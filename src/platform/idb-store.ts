import { createStore, del, get, keys, set, clear, type UseStore } from 'idb-keyval';
import type { KeyValueStore } from '../lib/cache/store';

/** One IndexedDB database for everything LatentLens keeps, so "Delete my data" is one clear(). */
let shared: UseStore | undefined;
function idb(): UseStore {
  shared ??= createStore('latentlens', 'kv');
  return shared;
}

/** idb-keyval behind the core's store interface; works on the page and in workers. */
export function idbStore(): KeyValueStore {
  return wrapStore(idb());
}

/**
 * A separate database for the browser benchmark's cache round trip, so that running the
 * benchmark never replaces the model a person has saved.
 */
export function benchmarkStore(): KeyValueStore & { clear(): Promise<void> } {
  const store = createStore('latentlens-benchmark', 'kv');
  return { ...wrapStore(store), clear: () => clear(store) };
}

function wrapStore(store: UseStore): KeyValueStore {
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    keys: async () => (await keys(store)).map(String),
  };
}

/** Removes every value LatentLens stored in this browser: the model cache and the person's ratings. */
export async function clearEverything(): Promise<void> {
  await clear(idb());
}

/** The Web Lock around every read and write of the cache, in the page and in every worker. */
export const CACHE_LOCK = 'latentlens-cache';

/**
 * Runs `fn` holding an exclusive Web Lock, so two tabs never interleave cache writes.
 * Where Web Locks are missing (very old browsers), runs it unguarded.
 */
export function withCacheLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return fn();
  return locks.request(CACHE_LOCK, () => fn()) as Promise<T>;
}
