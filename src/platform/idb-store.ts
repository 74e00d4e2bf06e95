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
 * How long a cache read or write waits for the lock before it gives up with a plain message.
 * The longest legitimate holder is another tab saving or exporting a 25M model (about 10 s);
 * a wait this long means a holder that will never let go, and saying so beats waiting forever.
 */
export const CACHE_LOCK_WAIT_MS = 5 * 60_000;

/** The lock was not granted in time; the message says what to do. */
export class CacheLockTimeout extends Error {
  override name = 'CacheLockTimeout';
}

/**
 * Runs `fn` holding an exclusive Web Lock, so two tabs never interleave cache writes.
 * Where Web Locks are missing (very old browsers), runs it unguarded. Waiting for the lock
 * ends after `waitMs` with a CacheLockTimeout (where AbortSignal.timeout exists: every engine
 * with Web Locks tested); once granted, `fn` runs as long as it needs.
 */
export function withCacheLock<T>(fn: () => Promise<T>, waitMs = CACHE_LOCK_WAIT_MS): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return fn();
  const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(waitMs) : undefined;
  if (!signal) return locks.request(CACHE_LOCK, () => fn()) as Promise<T>;
  let granted = false;
  const held = locks.request(CACHE_LOCK, { signal }, () => {
    granted = true;
    return fn();
  }) as Promise<T>;
  return held.catch((error: unknown) => {
    if (granted || !signal.aborted) throw error;
    throw new CacheLockTimeout(
      `the saved model stayed locked by another LatentLens tab or worker for ${Math.round(waitMs / 1000)} s; close other LatentLens tabs, or reload this one`,
    );
  });
}
