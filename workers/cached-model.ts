/**
 * The full model (with the ratings matrix) for workers other than the pipeline worker: the
 * explore and evaluate workers read it from the IndexedDB cache rather than asking the page,
 * so each can be terminated (cancel) without losing anything, and the page never holds the matrix.
 */
import type { Model } from '../src/lib/types';
import { loadModel } from '../src/lib/cache/model-cache';
import { idbStore, withCacheLock } from '../src/platform/idb-store';

let loaded: Model | undefined;

/**
 * The cached model whose fingerprint the page names (the one it is showing). Memoised, so
 * repeated calls cost nothing; throws a plain-words error when the cache holds another model
 * or none (e.g. the browser refused to store it).
 */
export async function cachedModel(fingerprint: string, onProgress?: (done: number, total: number) => void): Promise<Model> {
  if (loaded?.fingerprint === fingerprint) return loaded;
  loaded = undefined;
  const result = await loadModel(idbStore(), { withLock: withCacheLock, onProgress, expectFingerprint: fingerprint });
  if (result.status !== 'ok') {
    throw new Error(
      result.status === 'invalid'
        ? `The saved model cannot be read (${result.reason}). Rebuild it from the Data panel.`
        : 'The model shown is not saved in this browser (storage was refused or it was replaced), so this view cannot read its ratings. Rebuild it from the Data panel.',
    );
  }
  if (!result.model.byUser) throw new Error('The saved model has no ratings matrix; rebuild it.');
  loaded = result.model;
  return loaded;
}
