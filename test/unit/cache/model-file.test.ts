import { beforeAll, describe, expect, it } from 'vitest';
import { unzipSync, zipSync } from 'fflate';
import { buildModel } from '../../../src/lib/pipeline/build-model';
import { contentStage, fitRecommenderStage } from '../../../src/lib/pipeline/recommender-stage';
import { generateToMemory } from '../../../src/lib/synthetic/generate';
import { CHUNK_KEY_PREFIX, MANIFEST_KEY, loadModel, saveModel } from '../../../src/lib/cache/model-cache';
import { loadRecommender, saveRecommender } from '../../../src/lib/cache/recommender-cache';
import { faultyStore, memoryStore, type KeyValueStore } from '../../../src/lib/cache/store';
import { modelFileBlob, modelFileSource, storedModelFileSource, writeModelFile } from '../../../src/lib/cache/write-model-file';
import { importModelFile, readModelFile } from '../../../src/lib/cache/read-model-file';
import { MANIFEST_ENTRY, manifestFromJson, manifestToJson, type ModelFileManifest } from '../../../src/lib/cache/model-file';
import { encodeModel } from '../../../src/lib/cache/model-codec';
import { checksum32 } from '../../../src/lib/cache/checksum';
import { readZipDirectory } from '../../../src/lib/formats/zip-directory';
import { neighboursDigest } from '../../../src/lib/pipeline/neighbours-digest';
import { CancelledError, DEFAULT_PARAMS, InputError, MODEL_FORMAT_VERSION, type Model } from '../../../src/lib/types';

/** A synthetic release built as the page builds it, with its recommender and content side. */
async function builtModel(): Promise<Model> {
  const data = generateToMemory({ ratings: 5_000, seed: 4 });
  const files = {
    format: 'csv' as const,
    ratings: { name: 'ratings.csv', blob: new Blob([data.ratingsCsv]) },
    movies: { name: 'movies.csv', blob: new Blob([data.moviesCsv]) },
    ignored: [],
  };
  const { model, byMovie } = await buildModel(files, { ...DEFAULT_PARAMS, factors: 8 });
  model.content = await contentStage(model, undefined);
  model.recommender = await fitRecommenderStage(model.params, model.byUser!, byMovie);
  return model;
}

let model: Model;
/** The model's file, written with small chunks so that every section spans several. */
let file: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  model = await builtModel();
  file = await bytesOf(modelFileSource(model, { maxChunkBytes: 4096 }));
});

async function bytesOf(source: ReturnType<typeof modelFileSource>, compression: 'store' | 'deflate' = 'store'): Promise<Uint8Array<ArrayBuffer>> {
  const { blob } = await modelFileBlob(source, { compression });
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * Same value, typed-array types and bytes included: the codec's split of both, compared as
 * skeletons and chunk checksums (a deep toStrictEqual over the content side takes seconds).
 */
function expectSameModel(actual: object, expected: object): void {
  // Field by field: chunk numbering follows key order, and the recommender comes back last.
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) {
    const a = encodeModel((actual as Record<string, unknown>)[key]);
    const b = encodeModel(value);
    expect(a.skeleton, key).toStrictEqual(b.skeleton);
    expect(a.chunks.map(checksum32), key).toEqual(b.chunks.map(checksum32));
  }
}

async function messageOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error.problem.message;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** The file with its entries rewritten (a zip rebuilt from them, entries stored in the given order). */
function rezip(bytes: Uint8Array, edit: (entries: Record<string, Uint8Array>) => Record<string, Uint8Array>): Uint8Array<ArrayBuffer> {
  return zipSync(edit(unzipSync(bytes)), { level: 0 }) as Uint8Array<ArrayBuffer>;
}

function editManifest(bytes: Uint8Array, edit: (m: ModelFileManifest) => void): Uint8Array<ArrayBuffer> {
  return rezip(bytes, (entries) => {
    const manifest = manifestFromJson(new TextDecoder().decode(entries[MANIFEST_ENTRY])) as ModelFileManifest;
    edit(manifest);
    return { ...entries, [MANIFEST_ENTRY]: new TextEncoder().encode(manifestToJson(manifest)) };
  });
}

/** A copy of the file with one bit flipped in the middle of the named stored entry's data. */
async function flipInEntry(bytes: Uint8Array<ArrayBuffer>, name: string): Promise<Uint8Array<ArrayBuffer>> {
  const entry = (await readZipDirectory(new Blob([bytes]), 'x')).find((e) => e.name === name)!;
  const nameBytes = new DataView(bytes.buffer).getUint16(entry.localHeaderOffset + 26, true);
  const extraBytes = new DataView(bytes.buffer).getUint16(entry.localHeaderOffset + 28, true);
  const out = bytes.slice();
  out[entry.localHeaderOffset + 30 + nameBytes + extraBytes + (entry.bytes >> 1)] ^= 0x10;
  return out;
}

function lastChunkEntry(bytes: Uint8Array): string {
  return Object.keys(unzipSync(bytes))
    .filter((n) => n.startsWith('model/'))
    .sort()
    .at(-1)!;
}

describe('the model file round trip', () => {
  it('gives back the model, recommender and content side exactly, and the same neighbours', async () => {
    const { model: back, manifest } = await readModelFile(new Blob([file]), 'model.latentlens');
    expectSameModel(back, model);
    expect(neighboursDigest(back.neighbours)).toBe(neighboursDigest(model.neighbours));
    expect(manifest.fingerprint).toBe(model.fingerprint);
    expect(manifest.modelFormatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(manifest.sections.recommender!.chunks.length).toBeGreaterThan(1);
  });

  it('round trips deflated chunks too', async () => {
    const packed = await bytesOf(modelFileSource(model), 'deflate');
    const { model: back } = await readModelFile(new Blob([packed]), 'packed.latentlens');
    expectSameModel(back, model);
  });

  it('writes the manifest first and one entry per chunk, nothing else', async () => {
    const names = (await readZipDirectory(new Blob([file]), 'x')).map((e) => e.name);
    expect(names[0]).toBe(MANIFEST_ENTRY);
    expect(names.slice(1).every((n) => /^(model|recommender)\/\d{6}\.bin$/.test(n))).toBe(true);
  });

  it('keeps chunks whose bytes look like zip signatures whole (a streaming unzip would cut them there)', async () => {
    const tricky: Model = structuredClone(model);
    const sims = new Uint8Array(tricky.neighbours.similarity.buffer);
    sims.set([0x50, 0x4b, 0x07, 0x08, 0x50, 0x4b, 0x03, 0x04, 0x50, 0x4b, 0x01, 0x02], 16);
    const bytes = await bytesOf(modelFileSource(tricky));
    const { model: back } = await readModelFile(new Blob([bytes]), 'tricky.latentlens');
    expect(back.neighbours.similarity).toEqual(tricky.neighbours.similarity);
  });

  it('reports progress in chunk bytes, rising to the total, on write and on read', async () => {
    const writes: number[][] = [];
    const reads: number[][] = [];
    const { chunkBytes } = await writeModelFile(modelFileSource(model, { maxChunkBytes: 4096 }), () => {}, { onProgress: (d, t) => writes.push([d, t]) });
    await readModelFile(new Blob([file]), 'm', { onProgress: (d, t) => reads.push([d, t]) });
    for (const steps of [writes, reads]) {
      expect(steps[0]).toEqual([0, chunkBytes]);
      expect(steps.at(-1)).toEqual([chunkBytes, chunkBytes]);
    }
  });
});

describe('export from the browser cache and import into another', () => {
  async function savedStore(m: Model): Promise<KeyValueStore> {
    const store = memoryStore();
    const { recommender, content, ...rest } = m;
    await saveModel(store, rest as Model, { maxChunkBytes: 4096 });
    await saveRecommender(store, m.fingerprint, recommender!, content);
    return store;
  }

  it('exports the cached chunks with the recommender stored beside them; the import restores both', async () => {
    const from = await savedStore(model);
    const { blob } = await modelFileBlob(await storedModelFileSource(from));
    const to = memoryStore();
    await importModelFile(to, blob, 'exported.latentlens');
    const loaded = await loadModel(to);
    if (loaded.status !== 'ok') throw new Error(loaded.status);
    expect(neighboursDigest(loaded.model.neighbours)).toBe(neighboursDigest(model.neighbours));
    expectSameModel(loaded.model.byUser!, model.byUser!);
    const stored = await loadRecommender(to, model.fingerprint);
    expectSameModel(stored!, { recommender: model.recommender, content: model.content });
  });

  it('says so when there is nothing to export', async () => {
    expect(await messageOf(() => storedModelFileSource(memoryStore()))).toMatch(/No model is saved in this browser/);
  });

  it('refuses to export a cache whose chunk has rotted', async () => {
    const from = await savedStore(model);
    const rotten = faultyStore(from, { corrupt: (key) => key.startsWith(CHUNK_KEY_PREFIX) && key.endsWith(':3') });
    expect(await messageOf(async () => modelFileBlob(await storedModelFileSource(rotten)))).toMatch(
      /damaged \(chunk 4 of \d+ is missing or fails its checksum\)/,
    );
  });
});

describe('a bad model file gets a clear message', () => {
  const read = (bytes: Uint8Array<ArrayBuffer>) => messageOf(() => readModelFile(new Blob([bytes]), 'model.latentlens'));

  it('a flipped byte in a chunk: names the chunk that fails its checksum', async () => {
    const name = lastChunkEntry(file);
    expect(await read(await flipInEntry(file, name))).toMatch(
      new RegExp(`model\\.latentlens is damaged: chunk \\d+ of \\d+ of the model \\(${name}\\) fails its checksum`),
    );
  });

  it('a truncated file: says it was cut short', async () => {
    for (const keep of [file.length - 1, file.length >> 1, 100]) {
      expect(await read(file.slice(0, keep))).toMatch(/model\.latentlens is not a complete zip archive: its end is missing, so it was probably cut short/);
    }
    expect(await read(new Uint8Array(0))).toMatch(/not a complete zip archive \(it is empty\)/);
  });

  it('a missing manifest: not a LatentLens model file', async () => {
    const without = rezip(file, (e) => Object.fromEntries(Object.entries(e).filter(([n]) => n !== MANIFEST_ENTRY)));
    expect(await read(without)).toMatch(/is not a LatentLens model file: it has no manifest\.json/);
  });

  it('a file of another version: names both versions and what to do', async () => {
    expect(await read(editManifest(file, (m) => (m.fileVersion = 2)))).toMatch(
      /written by a newer version of LatentLens \(model file version 2; this one reads version 1\)\. Update LatentLens/,
    );
    expect(await read(editManifest(file, (m) => (m.modelFormatVersion = MODEL_FORMAT_VERSION - 1)))).toMatch(
      new RegExp(
        `holds a model in format ${MODEL_FORMAT_VERSION - 1}, made by an older version of LatentLens; this one reads format ${MODEL_FORMAT_VERSION}\\. Build the model anew`,
      ),
    );
  });

  it('an extra unknown entry: names it', async () => {
    const extra = rezip(file, (e) => ({ ...e, 'notes.txt': new TextEncoder().encode('hello') }));
    expect(await read(extra)).toMatch(/holds an entry its manifest does not list \(notes\.txt\)/);
  });

  it('a missing chunk, a chunk of another size, a damaged manifest, a zip of something else, a text file', async () => {
    const name = lastChunkEntry(file);
    expect(await read(rezip(file, (e) => Object.fromEntries(Object.entries(e).filter(([n]) => n !== name))))).toMatch(
      new RegExp(`is incomplete: chunk \\d+ of \\d+ of the model \\(${name}\\) is missing`),
    );
    expect(await read(rezip(file, (e) => ({ ...e, [name]: e[name].subarray(1) })))).toMatch(new RegExp(`${name} holds \\d+ bytes, its manifest says \\d+`));
    expect(await read(rezip(file, (e) => ({ ...e, [MANIFEST_ENTRY]: new TextEncoder().encode('{"format": "latentlens-mod') })))).toMatch(
      /is damaged: its manifest\.json has no readable JSON/,
    );
    expect(await read(editManifest(file, (m) => (m.sections.model.chunks[0].bytes += 4)))).toMatch(
      /its manifest\.json has an array of \d+ \w+ values in \d+ bytes \(model section\)/,
    );
    expect(await read(zipSync({ 'manifest.json': new TextEncoder().encode('{"name": "x"}') }) as Uint8Array<ArrayBuffer>)).toMatch(
      /is a zip, but not a LatentLens model file/,
    );
    expect(await read(new TextEncoder().encode('movieId,title\n1,Toy Story\n'))).toMatch(/is not a LatentLens model file: it is not a zip archive/);
  });

  it('a flipped byte in the manifest: caught by its CRC-32', async () => {
    const flipped = await flipInEntry(
      rezip(file, (e) => e),
      MANIFEST_ENTRY,
    );
    expect(await read(flipped)).toMatch(/the entry manifest\.json fails its CRC-32 check/);
  });
});

describe('a failed import keeps the previous model', () => {
  async function previousStore() {
    const store = memoryStore();
    const previous = { ...model, fingerprint: 'previous' };
    delete previous.recommender;
    delete previous.content;
    await saveModel(store, previous, { maxChunkBytes: 4096 });
    const keys = await store.keys();
    return { store, keys };
  }

  async function expectPrevious(store: KeyValueStore, keys: string[]) {
    const loaded = await loadModel(store);
    if (loaded.status !== 'ok') throw new Error(loaded.status);
    expect(loaded.model.fingerprint).toBe('previous');
    expect(await store.keys()).toEqual(keys);
  }

  it('when the last chunk fails its checksum after the others were written', async () => {
    const { store, keys } = await previousStore();
    let writes = 0;
    const counting: KeyValueStore = { ...store, set: (k, v) => (writes++, store.set(k, v)) };
    const bad = await flipInEntry(file, lastChunkEntry(file));
    expect(await messageOf(() => importModelFile(counting, new Blob([bad]), 'bad.latentlens'))).toMatch(/fails its checksum/);
    expect(writes).toBeGreaterThan(1);
    await expectPrevious(store, keys);
  });

  it('when the file is truncated, of another version, or has an unknown entry: nothing is written', async () => {
    const { store, keys } = await previousStore();
    let writes = 0;
    const counting: KeyValueStore = { ...store, set: (k, v) => (writes++, store.set(k, v)) };
    for (const bad of [file.slice(0, file.length >> 1), editManifest(file, (m) => (m.fileVersion = 9)), rezip(file, (e) => ({ ...e, x: new Uint8Array(1) }))]) {
      await messageOf(() => importModelFile(counting, new Blob([bad]), 'bad.latentlens'));
    }
    expect(writes).toBe(0);
    await expectPrevious(store, keys);
  });

  it('when the disk fills midway (the quota error propagates as it was thrown)', async () => {
    const { store, keys } = await previousStore();
    const full = faultyStore(store, { failSetAt: 3 });
    await expect(importModelFile(full, new Blob([file]), 'good.latentlens')).rejects.toMatchObject({ name: 'QuotaExceededError' });
    await expectPrevious(store, keys);
  });

  it('when cancelled midway', async () => {
    const { store, keys } = await previousStore();
    let calls = 0;
    const check = () => {
      if (++calls === 6) throw new CancelledError();
    };
    await expect(importModelFile(store, new Blob([file]), 'good.latentlens', { check })).rejects.toBeInstanceOf(CancelledError);
    await expectPrevious(store, keys);
  });

  it('a good import replaces it, under one lock, and leaves no stray chunks', async () => {
    const { store } = await previousStore();
    const events: string[] = [];
    const withLock = async <T>(fn: () => Promise<T>) => {
      events.push('lock');
      try {
        return await fn();
      } finally {
        events.push('unlock');
      }
    };
    await importModelFile(store, new Blob([file]), 'good.latentlens', { withLock });
    expect(events).toEqual(['lock', 'unlock']);
    const loaded = await loadModel(store);
    if (loaded.status !== 'ok') throw new Error(loaded.status);
    expect(loaded.model.fingerprint).toBe(model.fingerprint);
    const chunkKeys = (await store.keys()).filter((k) => k.startsWith(CHUNK_KEY_PREFIX));
    expect(chunkKeys).toHaveLength(loaded.manifest.chunks.length);
    expect(await store.get(MANIFEST_KEY)).toBeDefined();
  });
});
