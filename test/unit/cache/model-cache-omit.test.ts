import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/lib/pipeline/build-model';
import { loadModel, saveModel } from '../../../src/lib/cache/model-cache';
import { faultyStore, memoryStore } from '../../../src/lib/cache/store';
import { generateToMemory } from '../../../src/lib/synthetic/generate';
import { DEFAULT_PARAMS, type Model } from '../../../src/lib/types';

async function smallModel(): Promise<Model> {
  const data = generateToMemory({ ratings: 5_000, seed: 4 });
  const { model } = await buildModel(
    {
      format: 'csv',
      ratings: { name: 'ratings.csv', blob: new Blob([data.ratingsCsv]) },
      movies: { name: 'movies.csv', blob: new Blob([data.moviesCsv]) },
      ignored: [],
    },
    DEFAULT_PARAMS,
  );
  return model;
}

describe('loading a model without its ratings matrix (what the page needs on reload)', () => {
  it('reads only the other chunks and returns the model without byUser', async () => {
    const model = await smallModel();
    const store = memoryStore();
    // Chunks of 4 KB so that byUser spans many of them.
    await saveModel(store, model, { maxChunkBytes: 4096 });
    const reads: string[] = [];
    const counting = { ...store, get: (key: string) => (reads.push(key), store.get(key)) };
    let total = 0;
    const partial = await loadModel(counting, { omit: ['byUser'], onProgress: (_done, t) => (total = t) });
    expect(partial.status).toBe('ok');
    if (partial.status !== 'ok') return;
    expect(partial.model.byUser).toBeUndefined();
    expect(partial.model.neighbours.index).toEqual(model.neighbours.index);
    expect(partial.model.catalog.titles).toEqual(model.catalog.titles);
    const full = await loadModel(store);
    if (full.status !== 'ok') throw new Error(full.status);
    expect(reads.length).toBeLessThan(full.manifest.chunks.length);
    expect(total).toBeLessThan(full.manifest.totalBytes);
  });

  it('a rotten byUser chunk spoils the full load but not the partial one', async () => {
    const model = await smallModel();
    const store = memoryStore();
    await saveModel(store, model, { maxChunkBytes: 4096 });
    const manifest = (await loadModel(store)) as { manifest: { chunks: { key: string }[] } };
    // The last chunk written belongs to byUser, the last field of the model.
    const lastKey = manifest.manifest.chunks.at(-1)!.key;
    const rotten = faultyStore(store, { corrupt: (key: string) => key === lastKey });
    expect((await loadModel(rotten)).status).toBe('invalid');
    expect((await loadModel(rotten, { omit: ['byUser'] })).status).toBe('ok');
  });
});
