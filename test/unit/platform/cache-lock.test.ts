/**
 * Waiting for the cache's Web Lock ends with a plain message instead of lasting forever; once
 * granted, the work runs as long as it needs. navigator.locks is a stand-in here that behaves as
 * the browsers' does for a lock that is held elsewhere (a request with a signal is dropped, and
 * rejected with the signal's reason, when the signal aborts before it is granted).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CACHE_LOCK, CacheLockTimeout, withCacheLock } from '../../../src/platform/idb-store';

type Callback = () => Promise<unknown>;

function locksHeldElsewhere() {
  return {
    request: vi.fn(
      (_name: string, options: { signal?: AbortSignal }, _callback: Callback) =>
        new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(options.signal!.reason))),
    ),
  };
}

function locksFree() {
  return { request: vi.fn((_name: string, _options: unknown, callback: Callback) => callback()) };
}

afterEach(() => vi.unstubAllGlobals());

describe('withCacheLock', () => {
  it('gives up waiting after waitMs with a message that says what to do, and never runs the work', async () => {
    const locks = locksHeldElsewhere();
    vi.stubGlobal('navigator', { locks });
    const work = vi.fn(async () => 'saved');
    const attempt = withCacheLock(work, 50);
    await expect(attempt).rejects.toBeInstanceOf(CacheLockTimeout);
    await expect(attempt).rejects.toThrow(/stayed locked by another LatentLens tab or worker for 0 s; close other LatentLens tabs, or reload/);
    expect(work).not.toHaveBeenCalled();
    expect(locks.request.mock.calls[0][0]).toBe(CACHE_LOCK);
  });

  it('once granted, passes the work’s result and its own errors through unchanged', async () => {
    vi.stubGlobal('navigator', { locks: locksFree() });
    expect(await withCacheLock(async () => 'saved', 50)).toBe('saved');
    const quota = Object.assign(new Error('full'), { name: 'QuotaExceededError' });
    await expect(
      withCacheLock(async () => {
        await new Promise((resolve) => setTimeout(resolve, 80));
        throw quota;
      }, 50),
    ).rejects.toBe(quota);
  });

  it('runs the work unguarded where there are no Web Locks', async () => {
    vi.stubGlobal('navigator', {});
    expect(await withCacheLock(async () => 7)).toBe(7);
  });
});
