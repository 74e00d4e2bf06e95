import type { InputFile } from '../lib/pipeline/input-files';
import { idbStore } from './idb-store';

/**
 * The release's links.csv (movieId -> IMDb and TMDb ids), kept beside the model so that after a
 * reload from the cache a person's IMDb or Letterboxd ratings still match by id, not only by
 * title. It is not part of the model (nor of its fingerprint), so it has a key of its own, and
 * is stored with the fingerprint of the build it came with: a model from another release never
 * picks up links that are not its own. "Delete my data" clears it with everything else.
 */
const KEY = 'latentlens:release-links';

interface StoredLinks {
  fingerprint: string;
  name: string;
  blob: Blob;
}

/** Keeps the links of the model with this fingerprint, or forgets the stored ones when the release had none. */
export async function saveReleaseLinks(fingerprint: string, links: InputFile | null): Promise<void> {
  const store = idbStore();
  if (!links) await store.del(KEY);
  else await store.set(KEY, { fingerprint, name: links.name, blob: links.blob } satisfies StoredLinks);
}

/** The links stored with the model of this fingerprint; null when there are none, or they belong to another model. */
export async function loadReleaseLinks(fingerprint: string): Promise<InputFile | null> {
  const stored = (await idbStore().get(KEY)) as StoredLinks | undefined;
  return stored && stored.fingerprint === fingerprint && stored.blob instanceof Blob ? { name: stored.name, blob: stored.blob } : null;
}
