/**
 * The fitted recommender, stored beside the model under its own key: it is built after the
 * model is in use (and already saved), so it must not rewrite the model's chunks. A record
 * counts only for the model whose fingerprint it names, and is written in one set(), so a reload
 * finds either the whole recommender or none.
 */
import type { AppRecommender } from '../recommend/app-recommender';
import type { KeyValueStore } from './store';
import type { ContentModel } from '../content/content-model';

export const RECOMMENDER_KEY = 'latentlens:recommender';

interface StoredRecommender {
  fingerprint: string;
  recommender: AppRecommender;
  /** The content side learnt with it (absent for a release without a movies file). */
  content?: ContentModel;
}

export async function saveRecommender(store: KeyValueStore, fingerprint: string, recommender: AppRecommender, content?: ContentModel): Promise<void> {
  const record: StoredRecommender = { fingerprint, recommender, content };
  await store.set(RECOMMENDER_KEY, record);
}

/** The stored recommender (and content) of the model with this fingerprint, or undefined. */
export async function loadRecommender(store: KeyValueStore, fingerprint: string): Promise<{ recommender: AppRecommender; content?: ContentModel } | undefined> {
  const record = (await store.get(RECOMMENDER_KEY)) as Partial<StoredRecommender> | undefined;
  if (!record || record.fingerprint !== fingerprint || !record.recommender) return undefined;
  const r = record.recommender;
  if (r.kind === 'ials' && !(r.movieFactors instanceof Float32Array && r.movieFactors.length === r.movies * r.factors)) return undefined;
  return { recommender: r, content: record.content };
}
