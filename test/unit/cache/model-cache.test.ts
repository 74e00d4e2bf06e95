import { describe, expect, it } from 'vitest';
import {
  CHUNK_KEY_PREFIX,
  MANIFEST_KEY,
  deleteAll,
  loadModel,
  peekManifest,
  saveModel,
  type CacheManifest,
  type LoadResult,
} from '../../../src/lib/cache/model-cache';
import { faultyStore, memoryStore, type KeyValueStore } from '../../../src/lib/cache/store';
import { CancelledError, MODEL_FORMAT_VERSION, type ChunkedCsr, type Model } from '../../../src/lib/types';

/**
 * A hand-built model of 5 movies and 4 users with every field of Model filled in, including a
 * byUser CSR in 3 chunks (the middle one without timestamps, since they are optional).
 */
function smallModel(fingerprint = 'ml-small:k=2'): Model {
  const byUser: ChunkedCsr = {
    rows: 5,
    cols: 4,
    nnz: 9,
    chunks: [
      {
        firstRow: 0,
        rowCount: 2,
        indptr: Int32Array.of(0, 2, 4),
        indices: Int32Array.of(0, 1, 0, 3),
        values: Float32Array.of(4, 3.5, 5, 2),
        timestamps: Int32Array.of(964982703, 964981247, 964982224, 1445714835),
      },
      {
        firstRow: 2,
        rowCount: 2,
        indptr: Int32Array.of(0, 1, 3),
        indices: Int32Array.of(2, 1, 2),
        values: Float32Array.of(0.5, 4.5, 3),
      },
      {
        firstRow: 4,
        rowCount: 1,
        indptr: Int32Array.of(0, 2),
        indices: Int32Array.of(0, 3),
        values: Float32Array.of(1, 5),
        timestamps: Int32Array.of(1, 2147483647),
      },
    ],
  };
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    fingerprint,
    params: { k: 2, kind: 'adjusted-cosine', minRatings: 1, popularityPercentile: 0.9, recommender: 'ials', factors: 8 },
    builtAt: '2026-11-26T22:36:48.000Z',
    buildMs: 1234.5,
    summary: {
      ratings: 9,
      users: 4,
      movies: 5,
      ratedMovies: 5,
      sparsity: 1 - 9 / 20,
      unknownMovieRatings: 1,
      duplicateRatings: 0,
      skippedLines: 2,
      pairUpdates: 7,
      files: ['ratings.csv', 'movies.csv'],
    },
    users: { ids: Int32Array.of(1, 7, 42, 610) },
    movies: { ids: Int32Array.of(1, 2, 3, 5, 193609) },
    catalog: {
      count: 5,
      movieIds: Int32Array.of(1, 2, 3, 5, 193609),
      titles: ['Toy Story (1995)', 'Jumanji (1995)', "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", '千と千尋の神隠し (2001)', 'Movie 193609'],
      years: Int16Array.of(1995, 1995, 2001, 2001, 0),
      genreMasks: Uint32Array.of(0b111, 0b1000, 0b10010, 0, 0x80000000),
      genreNames: ['Adventure', 'Animation', 'Children', 'Comedy', 'Romance'],
    },
    stats: { count: Int32Array.of(2, 2, 1, 2, 2), mean: Float32Array.of(3.75, 3.5, 0.5, 3.75, 3), globalMean: 3.388889 },
    popularity: { m: 2, c: 2.9, percentile: 0.9, score: Float32Array.of(3.3, 3.2, NaN, 3.3, 2.95) },
    neighbours: {
      k: 2,
      kind: 'adjusted-cosine',
      minRatings: 1,
      movies: 5,
      count: Int32Array.of(2, 1, 0, 2, 1),
      index: Int32Array.of(3, 1, 0, -1, -1, -1, 0, 4, 3, -1),
      similarity: Float32Array.of(0.9, -0.25, 0.5, 0, 0, 0, 0.9, 0.1, 0.1, 0),
      coCount: Int32Array.of(2, 1, 1, 0, 0, 0, 2, 1, 1, 0),
    },
    byUser,
  };
}

/** Walks both values and fails on the first typed array whose type differs (toStrictEqual checks too; this names the path). */
function expectSameTypes(actual: unknown, expected: unknown, path = 'model'): void {
  if (ArrayBuffer.isView(expected)) {
    expect(Object.prototype.toString.call(actual), path).toBe(Object.prototype.toString.call(expected));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected)) {
      expectSameTypes((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  }
}

function expectOk(result: LoadResult): Model {
  if (result.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.model;
}

function expectInvalid(result: LoadResult): string {
  if (result.status !== 'invalid') throw new Error(`expected invalid, got ${result.status}`);
  return result.reason;
}

async function ourKeys(store: KeyValueStore): Promise<string[]> {
  return (await store.keys()).filter((k) => k === MANIFEST_KEY || k.startsWith(CHUNK_KEY_PREFIX));
}

async function manifestOf(store: KeyValueStore): Promise<CacheManifest> {
  const manifest = await peekManifest(store);
  if (!manifest) throw new Error('no manifest');
  return manifest;
}

describe('saveModel then loadModel', () => {
  it('gives back a deep-equal model, typed array types included', async () => {
    const store = memoryStore();
    const model = smallModel();
    const saved = await saveModel(store, model);
    const back = expectOk(await loadModel(store));
    expect(back).toStrictEqual(model);
    expectSameTypes(back, model);
    expect(back.byUser!.chunks).toHaveLength(3);
    expect(back.byUser!.chunks[1]).not.toHaveProperty('timestamps');
    expect(saved.chunks).toBe((await manifestOf(store)).chunks.length);
  });

  it('splits arrays larger than maxChunkBytes across chunks and still rebuilds them whole', async () => {
    const store = memoryStore();
    const model = smallModel();
    await saveModel(store, model, { maxChunkBytes: 8 });
    const manifest = await manifestOf(store);
    expect(Math.max(...manifest.chunks.map((c) => c.bytes))).toBe(8);
    expect((manifest.model as { neighbours: { index: { $chunks: number[] } } }).neighbours.index.$chunks).toHaveLength(5);
    expect(expectOk(await loadModel(store))).toStrictEqual(model);
  });

  it('keeps a catalog of many titles out of the manifest skeleton', async () => {
    const store = memoryStore();
    const model = smallModel();
    model.catalog.titles = Array.from({ length: 5000 }, (_, i) => `A rather long movie title number ${i} (1999)`);
    await saveModel(store, model);
    const manifest = await manifestOf(store);
    expect(JSON.stringify(manifest.model).length).toBeLessThan(5000);
    expect(expectOk(await loadModel(store)).catalog.titles).toEqual(model.catalog.titles);
  });

  it('stores each chunk as a value holding only its own bytes (a subarray would clone its whole buffer)', async () => {
    const store = memoryStore();
    await saveModel(store, smallModel(), { maxChunkBytes: 8 });
    for (const { key } of (await manifestOf(store)).chunks) {
      const value = (await store.get(key)) as ArrayBufferView;
      expect(value.buffer.byteLength, key).toBe(value.byteLength);
    }
  });

  it('reports progress in bytes, rising to the total, on save and on load', async () => {
    const store = memoryStore();
    const saves: [number, number][] = [];
    const { bytes } = await saveModel(store, smallModel(), { maxChunkBytes: 16, onProgress: (d, t) => saves.push([d, t]) });
    const loads: [number, number][] = [];
    await loadModel(store, { onProgress: (d, t) => loads.push([d, t]) });
    for (const steps of [saves, loads]) {
      expect(steps[0]).toEqual([0, bytes]);
      expect(steps.at(-1)).toEqual([bytes, bytes]);
      expect(steps.every(([d], i) => i === 0 || d > steps[i - 1][0])).toBe(true);
    }
  });

  it('runs the whole save inside withLock', async () => {
    const events: string[] = [];
    const inner = memoryStore();
    const store: KeyValueStore = { ...inner, set: async (k, v) => (events.push('set'), inner.set(k, v)) };
    const withLock = async <T>(fn: () => Promise<T>): Promise<T> => {
      events.push('lock');
      try {
        return await fn();
      } finally {
        events.push('unlock');
      }
    };
    await saveModel(store, smallModel(), { withLock });
    expect(events[0]).toBe('lock');
    expect(events.at(-1)).toBe('unlock');
    expect(events.filter((e) => e === 'lock')).toHaveLength(1);
  });

  it("replaces the previous generation: after two saves only the second one's keys remain", async () => {
    const store = memoryStore();
    await saveModel(store, smallModel('first'));
    await saveModel(store, smallModel('second'));
    const manifest = await manifestOf(store);
    expect(manifest.fingerprint).toBe('second');
    expect((await ourKeys(store)).sort()).toEqual([MANIFEST_KEY, ...manifest.chunks.map((c) => c.key)].sort());
  });
});

describe('loadModel on a damaged or foreign cache', () => {
  it("answers 'none' when nothing is cached", async () => {
    expect(await loadModel(memoryStore())).toEqual({ status: 'none' });
  });

  it("answers 'invalid' naming the chunk when one is missing", async () => {
    const store = memoryStore();
    await saveModel(store, smallModel());
    const manifest = await manifestOf(store);
    await store.del(manifest.chunks[2].key);
    expect(expectInvalid(await loadModel(store))).toBe(`chunk 3 of ${manifest.chunks.length} is missing`);
  });

  it("answers 'invalid' on a checksum mismatch when one bit rotted", async () => {
    const inner = memoryStore();
    await saveModel(inner, smallModel());
    const manifest = await manifestOf(inner);
    const rotten = faultyStore(inner, { corrupt: (k) => k === manifest.chunks[4].key });
    expect(expectInvalid(await loadModel(rotten))).toBe(`checksum mismatch in chunk 5 of ${manifest.chunks.length}`);
  });

  it("answers 'invalid' when a chunk has the wrong length or is not binary", async () => {
    const store = memoryStore();
    await saveModel(store, smallModel());
    const { chunks } = await manifestOf(store);
    await store.set(chunks[0].key, new Int32Array(1));
    expect(expectInvalid(await loadModel(store))).toBe(`chunk 1 of ${chunks.length} has 4 bytes, expected ${chunks[0].bytes}`);
    await store.set(chunks[0].key, 'text');
    expect(expectInvalid(await loadModel(store))).toBe(`chunk 1 of ${chunks.length} is not binary data`);
  });

  it("answers 'invalid' for a cache made by an older or a newer format version", async () => {
    const store = memoryStore();
    await saveModel(store, smallModel());
    const manifest = await manifestOf(store);
    await store.set(MANIFEST_KEY, { ...manifest, formatVersion: MODEL_FORMAT_VERSION - 1 });
    expect(expectInvalid(await loadModel(store))).toContain(
      `made by an older version of LatentLens (format ${MODEL_FORMAT_VERSION - 1}, now ${MODEL_FORMAT_VERSION})`,
    );
    // An older format may have had another manifest shape altogether.
    await store.set(MANIFEST_KEY, { formatVersion: 0, blobs: [] });
    expect(expectInvalid(await loadModel(store))).toContain(`older version of LatentLens (format 0, now ${MODEL_FORMAT_VERSION})`);
    await store.set(MANIFEST_KEY, { ...manifest, formatVersion: MODEL_FORMAT_VERSION + 1 });
    expect(expectInvalid(await loadModel(store))).toContain('made by a newer version');
  });

  it("answers 'invalid' for an unreadable manifest, and for a skeleton that does not fit its chunks", async () => {
    const store = memoryStore();
    await store.set(MANIFEST_KEY, 'garbage');
    expect(expectInvalid(await loadModel(store))).toBe('the saved manifest is unreadable');
    await saveModel(store, smallModel());
    const manifest = await manifestOf(store);
    await store.set(MANIFEST_KEY, { ...manifest, model: { x: { $chunks: [0], type: 'Float64Array', length: 1 } } });
    expect(expectInvalid(await loadModel(store))).toMatch(/^the saved model does not fit together: model\.x: expected 1 × Float64Array/);
  });

  it("answers 'mismatch' (with the manifest) when expectFingerprint differs, reading no chunk and keeping the cache", async () => {
    const inner = memoryStore();
    await saveModel(inner, smallModel('files-A'));
    const reads: string[] = [];
    const store: KeyValueStore = { ...inner, get: (k) => (reads.push(k), inner.get(k)) };
    const result = await loadModel(store, { expectFingerprint: 'files-B' });
    expect(result.status).toBe('mismatch');
    expect(result.status === 'mismatch' && result.manifest.fingerprint).toBe('files-A');
    expect(reads.every((k) => k === MANIFEST_KEY)).toBe(true);
    expect(expectOk(await loadModel(inner, { expectFingerprint: 'files-A' })).fingerprint).toBe('files-A');
  });

  it('reads again when another tab switched generations midway, instead of calling the cache broken', async () => {
    const inner = memoryStore();
    await saveModel(inner, smallModel('old'));
    const firstChunk = (await manifestOf(inner)).chunks[0].key;
    let raced = false;
    const store: KeyValueStore = {
      ...inner,
      async get(key) {
        if (key === firstChunk && !raced) {
          raced = true;
          await saveModel(inner, smallModel('new')); // deletes the old generation
        }
        return inner.get(key);
      },
    };
    expect(expectOk(await loadModel(store)).fingerprint).toBe('new');
  });
});

describe('a save that fails part way', () => {
  for (const failAt of [1, 3, 'manifest'] as const) {
    it(`keeps the previous model loadable and equal when quota runs out at ${failAt === 'manifest' ? 'the manifest write' : `chunk ${failAt}`}`, async () => {
      const inner = memoryStore();
      const previous = smallModel('previous');
      await saveModel(inner, previous);
      const keysBefore = await inner.keys();
      const chunkCount = (await manifestOf(inner)).chunks.length;
      const store = faultyStore(inner, { failSetAt: failAt === 'manifest' ? chunkCount + 1 : failAt });

      const error = await saveModel(store, smallModel('next')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DOMException);
      expect((error as DOMException).name).toBe('QuotaExceededError');
      expect(expectOk(await loadModel(inner))).toStrictEqual(previous);
      // The failed attempt's chunks were deleted at once, freeing the quota they took.
      expect(await inner.keys()).toEqual(keysBefore);
    });
  }

  it('keeps the previous model when cancelled midway, and throws CancelledError', async () => {
    const store = memoryStore();
    const previous = smallModel('previous');
    await saveModel(store, previous);
    let calls = 0;
    const check = () => {
      if (++calls > 4) throw new CancelledError();
    };
    await expect(saveModel(store, smallModel('next'), { check })).rejects.toBeInstanceOf(CancelledError);
    expect(expectOk(await loadModel(store))).toStrictEqual(previous);
  });

  it('leaves stray chunks after a crash, which the next successful save removes', async () => {
    const inner = memoryStore();
    await saveModel(inner, smallModel('previous'));
    // A crash (tab closed) mid-save: chunks written, the cleanup never ran. Deletes failing simulates it.
    const crashing: KeyValueStore = { ...faultyStore(inner, { failSetAt: 4 }), del: async () => {} };
    await expect(saveModel(crashing, smallModel('crashed'))).rejects.toMatchObject({ name: 'QuotaExceededError' });
    await inner.set(`${CHUNK_KEY_PREFIX}older-crash:0`, new Uint8Array(3));
    const live = new Set([MANIFEST_KEY, ...(await manifestOf(inner)).chunks.map((c) => c.key)]);
    const strays = (await ourKeys(inner)).filter((k) => !live.has(k));
    expect(strays).toHaveLength(3 + 1); // three chunks of the crashed save, one of an older crash

    const next = smallModel('next');
    await saveModel(inner, next);
    const manifest = await manifestOf(inner);
    expect((await ourKeys(inner)).sort()).toEqual([MANIFEST_KEY, ...manifest.chunks.map((c) => c.key)].sort());
    expect(expectOk(await loadModel(inner))).toStrictEqual(next);
  });

  it('has stray chunks removed by the next load as well', async () => {
    const store = memoryStore();
    await saveModel(store, smallModel());
    await store.set(`${CHUNK_KEY_PREFIX}unfinished:0`, new Uint8Array(3));
    expectOk(await loadModel(store));
    expect(await store.keys()).not.toContain(`${CHUNK_KEY_PREFIX}unfinished:0`);
  });
});

describe('deleteAll', () => {
  it('removes every key the cache wrote and nothing else', async () => {
    const store = memoryStore();
    await store.set('latentlens:settings', { theme: 'dark' });
    await saveModel(store, smallModel());
    await store.set(`${CHUNK_KEY_PREFIX}stray:0`, new Uint8Array(1));
    await deleteAll(store);
    expect(await store.keys()).toEqual(['latentlens:settings']);
    expect(await loadModel(store)).toEqual({ status: 'none' });
    expect(await peekManifest(store)).toBeUndefined();
  });
});
