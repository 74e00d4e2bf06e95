/**
 * Saves a built Model to a key-value store (IndexedDB in the browser) and restores it without
 * re-parsing the ratings.
 *
 * Layout: the model's typed arrays go to chunk keys `latentlens:model:<generation>:<n>`, and one
 * manifest at `latentlens:manifest` holds the skeleton, each chunk's key, byte length and
 * checksum. The manifest is the commit point:
 *   1. chunks are written under a NEW generation,
 *   2. the manifest is written LAST (one IndexedDB put: atomic),
 *   3. keys the new manifest does not reference are deleted.
 * A failure before step 2 (quota, crash, reload, cancel) leaves the previous manifest and its
 * chunks untouched and loadable. Chunks of unfinished generations are "strays": every save and
 * every load deletes keys under `latentlens:model:` that the current manifest does not reference.
 *
 * In the browser pass `withLock` (a Web Lock: `fn => navigator.locks.request('latentlens-model', fn)`)
 * to saves, loads and deleteAll alike: a load's stray collection would otherwise delete the
 * chunks another tab is in the middle of writing.
 */

import { MODEL_FORMAT_VERSION, type CheckCancelled, type Model } from '../types';
import { checksum32 } from './checksum';
import { CHUNK_REF_KEY, CacheFormatError, decodeModel, encodeModel, standaloneChunk } from './model-codec';
import type { KeyValueStore } from './store';

/** The one manifest key; writing it switches the cache to a new generation. */
export const MANIFEST_KEY = 'latentlens:manifest';
/** Every chunk key starts with this; nothing else in the store may. */
export const CHUNK_KEY_PREFIX = 'latentlens:model:';

export interface CacheManifest {
  /** MODEL_FORMAT_VERSION when saved; any other value is never loaded. */
  formatVersion: number;
  generation: string;
  /** The saved model's fingerprint (input files + parameters). */
  fingerprint: string;
  /** ISO date-time of the save. */
  savedAt: string;
  /** The model with typed arrays replaced by chunk references (see model-codec). */
  model: unknown;
  /** Chunk id i of the skeleton is chunks[i]. */
  chunks: { key: string; bytes: number; checksum: number }[];
  totalBytes: number;
}

/** Wraps a whole operation so that no other tab writes meanwhile (a Web Lock in the browser). */
export type WithLock = <T>(fn: () => Promise<T>) => Promise<T>;

export interface SaveOptions {
  /** Largest chunk; default 32 MiB. */
  maxChunkBytes?: number;
  /** Bytes written so far, of the total. */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  /** Called before each chunk; throwing (CancelledError) abandons the save, keeping the previous model. */
  check?: CheckCancelled;
  withLock?: WithLock;
}

export interface LoadOptions {
  /**
   * Top-level fields of the model not to read (e.g. 'byUser', the ratings matrix, which the
   * page does not need): their chunks are neither read nor verified, and they are absent from
   * the result. Whoever needs them loads the model again without `omit`.
   */
  omit?: string[];
  /** Bytes read and verified so far, of the total. */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  /** When given and the cached model's fingerprint differs, answers 'mismatch' without reading chunks. */
  expectFingerprint?: string;
  withLock?: WithLock;
}

/**
 * - 'ok': the whole model, every chunk present and verified.
 * - 'none': nothing cached.
 * - 'mismatch': a valid-looking cache of another build (fingerprint differs from
 *   `expectFingerprint`); it is left in place, and the next save replaces it.
 * - 'invalid': a cache that cannot be used; `reason` says why in plain words. Never a partial model.
 */
export type LoadResult =
  | { status: 'ok'; model: Model; manifest: CacheManifest }
  | { status: 'none' }
  | { status: 'mismatch'; manifest: CacheManifest }
  | { status: 'invalid'; reason: string };

/**
 * Saves `model` as a new generation and switches the manifest to it. If anything throws before
 * the manifest is written, the previous model stays valid, this save's chunks are deleted, and the
 * error propagates as it was thrown (a DOMException named 'QuotaExceededError' stays one), so the
 * caller can tell the person the model lives in memory only.
 */
export async function saveModel(store: KeyValueStore, model: Model, opts: SaveOptions = {}): Promise<{ bytes: number; chunks: number }> {
  const run = () => writeGeneration(store, model, opts);
  return opts.withLock ? opts.withLock(run) : run();
}

async function writeGeneration(store: KeyValueStore, model: Model, opts: SaveOptions): Promise<{ bytes: number; chunks: number }> {
  opts.check?.();
  const { skeleton, chunks } = encodeModel(model, { maxChunkBytes: opts.maxChunkBytes });
  // A fresh copy only when the chunk is a slice of a larger buffer (see standaloneChunk); it is
  // garbage as soon as the put has cloned it, so at most one copy is alive at a time.
  const standalone = (function* () {
    for (const chunk of chunks) yield standaloneChunk(chunk);
  })();
  return writeEncoded(store, { fingerprint: model.fingerprint, skeleton, chunkBytes: chunks.map((c) => c.byteLength), chunks: standalone }, opts);
}

/**
 * A model already split by the codec (model-codec.ts) whose chunks arrive one at a time, in
 * order: the model file importer reads them from a file, so the whole model is never in memory.
 */
export interface EncodedModelSource {
  fingerprint: string;
  skeleton: unknown;
  /** Byte length of each chunk; the chunks must match it exactly. */
  chunkBytes: number[];
  /** Each chunk a view that owns its plain ArrayBuffer (see standaloneChunk), in order. */
  chunks: Iterable<ArrayBufferView> | AsyncIterable<ArrayBufferView>;
}

/**
 * Saves a pre-split model exactly as saveModel saves a Model: chunks under a new generation,
 * the manifest last. If the chunks run out, come in the wrong size, or the iterator throws
 * (a damaged file), this save's chunks are deleted and the previous model stays as it was.
 */
export async function saveEncodedModel(store: KeyValueStore, source: EncodedModelSource, opts: SaveOptions = {}): Promise<{ bytes: number; chunks: number }> {
  const run = () => writeEncoded(store, source, opts);
  return opts.withLock ? opts.withLock(run) : run();
}

async function writeEncoded(store: KeyValueStore, source: EncodedModelSource, opts: SaveOptions): Promise<{ bytes: number; chunks: number }> {
  let totalBytes = 0;
  for (const b of source.chunkBytes) totalBytes += b;

  const previous = await store.get(MANIFEST_KEY);
  // Strays of interrupted saves count against the quota this save is about to need.
  await collectStrays(store, referencedKeys(previous));

  let generation = newGeneration();
  while (isRecord(previous) && previous.generation === generation) generation = newGeneration();

  const entries: CacheManifest['chunks'] = [];
  const attempted: string[] = [];
  let doneBytes = 0;
  opts.onProgress?.(0, totalBytes);
  try {
    let i = 0;
    for await (const value of source.chunks) {
      opts.check?.();
      if (i >= source.chunkBytes.length || value.byteLength !== source.chunkBytes[i]) {
        throw new CacheFormatError(`chunk ${i + 1} has ${value.byteLength} bytes, expected ${source.chunkBytes[i] ?? 'no more chunks'}`);
      }
      const key = chunkKey(generation, i);
      const checksum = checksum32(value);
      attempted.push(key);
      await store.set(key, value);
      entries.push({ key, bytes: value.byteLength, checksum });
      doneBytes += value.byteLength;
      opts.onProgress?.(doneBytes, totalBytes);
      i++;
    }
    if (i !== source.chunkBytes.length) throw new CacheFormatError(`only ${i} of ${source.chunkBytes.length} chunks arrived`);
    opts.check?.();
    const manifest: CacheManifest = {
      formatVersion: MODEL_FORMAT_VERSION,
      generation,
      fingerprint: source.fingerprint,
      savedAt: new Date().toISOString(),
      model: source.skeleton,
      chunks: entries,
      totalBytes,
    };
    await store.set(MANIFEST_KEY, manifest);
  } catch (error) {
    // Free the quota this attempt used; the previous generation was never touched. A failing
    // delete only leaves strays for the next save or load to collect, so it must not mask `error`.
    await Promise.allSettled(attempted.map((key) => store.del(key)));
    throw error;
  }

  // The new model is live. Failing to delete the old one costs space, not correctness, and the
  // next save or load retries, so the save still counts as done.
  try {
    await collectStrays(store, new Set(attempted));
  } catch {
    /* strays are collected next time */
  }
  return { bytes: totalBytes, chunks: entries.length };
}

/**
 * Reads and verifies the cached model. Reads every chunk, checks its byte length and checksum,
 * and only then rebuilds the model, so a missing or rotten chunk gives 'invalid', never a partial
 * model. Afterwards deletes stray chunks not referenced by the manifest.
 */
export async function loadModel(store: KeyValueStore, opts: LoadOptions = {}): Promise<LoadResult> {
  const run = async (): Promise<LoadResult> => {
    let read = await readGeneration(store, opts);
    // Without a lock, another tab may switch generations while we read; chunks that vanished
    // because a newer manifest took over are not corruption, so read again (twice at most).
    for (let retry = 0; retry < 2 && read.result.status === 'invalid'; retry++) {
      const now = await store.get(MANIFEST_KEY);
      if (!isRecord(now) || now.generation === read.generation) break;
      read = await readGeneration(store, opts);
    }
    try {
      await collectStrays(store, referencedKeys(await store.get(MANIFEST_KEY)));
    } catch {
      /* collecting strays is housekeeping; the load's answer stands */
    }
    return read.result;
  };
  return opts.withLock ? opts.withLock(run) : run();
}

/** One attempt at reading the cache, with the generation it read (to notice a concurrent switch). */
async function readGeneration(store: KeyValueStore, opts: LoadOptions): Promise<{ result: LoadResult; generation?: unknown }> {
  const raw = await store.get(MANIFEST_KEY);
  if (raw === undefined) return { result: { status: 'none' } };
  const parsed = parseManifest(raw);
  if (typeof parsed === 'string') {
    return { result: { status: 'invalid', reason: parsed }, generation: isRecord(raw) ? raw.generation : undefined };
  }
  const manifest = parsed;
  const generation = manifest.generation;
  if (manifest.formatVersion !== MODEL_FORMAT_VERSION) {
    return { result: { status: 'invalid', reason: versionReason(manifest.formatVersion) }, generation };
  }
  if (opts.expectFingerprint !== undefined && manifest.fingerprint !== opts.expectFingerprint) {
    return { result: { status: 'mismatch', manifest }, generation };
  }

  const n = manifest.chunks.length;
  let skeleton = manifest.model;
  const skip = new Set<number>();
  if (opts.omit?.length && isRecord(skeleton)) {
    const kept: Record<string, unknown> = { ...skeleton };
    for (const key of opts.omit) {
      for (const id of chunkIdsUnder(kept[key])) skip.add(id);
      delete kept[key];
    }
    skeleton = kept;
  }
  let totalBytes = 0;
  for (let i = 0; i < n; i++) if (!skip.has(i)) totalBytes += manifest.chunks[i].bytes;
  const loaded: (ArrayBufferView | undefined)[] = new Array(n);
  let doneBytes = 0;
  opts.onProgress?.(0, totalBytes);
  const wanted = [...Array(n).keys()].filter((i) => !skip.has(i));
  // A few reads in flight at once: each IndexedDB get is its own transaction, and waiting for
  // one before asking for the next leaves the disk idle.
  for (let w = 0; w < wanted.length; w += PARALLEL_READS) {
    const batch = wanted.slice(w, w + PARALLEL_READS);
    const values = await Promise.all(batch.map((i) => store.get(manifest.chunks[i].key)));
    for (let b = 0; b < batch.length; b++) {
      const i = batch[b];
      const entry = manifest.chunks[i];
      const value = values[b];
      const which = `chunk ${i + 1} of ${n}`;
      if (value === undefined) return { result: { status: 'invalid', reason: `${which} is missing` }, generation };
      if (!ArrayBuffer.isView(value)) return { result: { status: 'invalid', reason: `${which} is not binary data` }, generation };
      if (value.byteLength !== entry.bytes) {
        return { result: { status: 'invalid', reason: `${which} has ${value.byteLength} bytes, expected ${entry.bytes}` }, generation };
      }
      if (checksum32(value) !== entry.checksum) {
        return { result: { status: 'invalid', reason: `checksum mismatch in ${which}` }, generation };
      }
      loaded[i] = value;
      doneBytes += value.byteLength;
    }
    opts.onProgress?.(doneBytes, totalBytes);
  }

  let model: unknown;
  try {
    // Hand each chunk over and forget it, so the chunks and the rebuilt arrays are not all alive at once.
    model = decodeModel(skeleton, (id) => {
      const chunk = id < n ? loaded[id] : undefined;
      loaded[id] = undefined;
      return chunk;
    });
  } catch (error) {
    if (error instanceof CacheFormatError) {
      return { result: { status: 'invalid', reason: `the saved model does not fit together: ${error.message}` }, generation };
    }
    throw error;
  }
  return { result: { status: 'ok', model: model as Model, manifest }, generation };
}

/** Chunk reads in flight at once while loading. */
const PARALLEL_READS = 4;

/** Every chunk id referenced anywhere under a skeleton node. */
function chunkIdsUnder(node: unknown, out: number[] = []): number[] {
  if (node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const item of node) chunkIdsUnder(item, out);
    return out;
  }
  const record = node as Record<string, unknown>;
  const ids = record[CHUNK_REF_KEY];
  if (Array.isArray(ids)) {
    for (const id of ids) if (typeof id === 'number') out.push(id);
    return out;
  }
  for (const value of Object.values(record)) chunkIdsUnder(value, out);
  return out;
}

/** The manifest as saved, if one is readable (of any format version: compare `formatVersion`). */
export async function peekManifest(store: KeyValueStore): Promise<CacheManifest | undefined> {
  const parsed = parseManifest(await store.get(MANIFEST_KEY));
  return typeof parsed === 'string' ? undefined : parsed;
}

/** Removes every key this module wrote: the manifest first, so a half-done delete reads as 'none'. */
export async function deleteAll(store: KeyValueStore, opts: { withLock?: WithLock } = {}): Promise<void> {
  const run = async () => {
    await store.del(MANIFEST_KEY);
    await collectStrays(store, new Set());
  };
  return opts.withLock ? opts.withLock(run) : run();
}

function chunkKey(generation: string, n: number): string {
  return `${CHUNK_KEY_PREFIX}${generation}:${n}`;
}

/** Unique enough across tabs and reloads: time plus randomness, no ':' (the key separator). */
function newGeneration(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Deletes chunk keys not in `keep`. */
async function collectStrays(store: KeyValueStore, keep: ReadonlySet<string>): Promise<void> {
  for (const key of await store.keys()) {
    if (key.startsWith(CHUNK_KEY_PREFIX) && !keep.has(key)) await store.del(key);
  }
}

/**
 * Chunk keys a manifest refers to, read leniently: a manifest of another format version or a
 * damaged one still protects whatever keys it names, so collecting strays never breaks a cache
 * a newer tab wrote.
 */
function referencedKeys(raw: unknown): Set<string> {
  const keys = new Set<string>();
  if (isRecord(raw) && Array.isArray(raw.chunks)) {
    for (const c of raw.chunks) if (isRecord(c) && typeof c.key === 'string') keys.add(c.key);
  }
  return keys;
}

/** The manifest, or a plain-words reason it cannot be read. */
function parseManifest(raw: unknown): CacheManifest | string {
  if (!isRecord(raw) || typeof raw.formatVersion !== 'number') return 'the saved manifest is unreadable';
  const fieldsOk =
    typeof raw.generation === 'string' &&
    typeof raw.fingerprint === 'string' &&
    typeof raw.savedAt === 'string' &&
    typeof raw.totalBytes === 'number' &&
    Array.isArray(raw.chunks) &&
    raw.chunks.every(
      (c) =>
        isRecord(c) &&
        typeof c.key === 'string' &&
        c.key.startsWith(CHUNK_KEY_PREFIX) &&
        Number.isSafeInteger(c.bytes) &&
        (c.bytes as number) >= 0 &&
        typeof c.checksum === 'number',
    );
  if (!fieldsOk) {
    // An older format may have had another shape; say so rather than "incomplete".
    if (raw.formatVersion !== MODEL_FORMAT_VERSION) {
      return versionReason(raw.formatVersion);
    }
    return 'the saved manifest is incomplete';
  }
  return raw as unknown as CacheManifest;
}

function versionReason(formatVersion: number): string {
  const which = formatVersion < MODEL_FORMAT_VERSION ? 'an older' : 'a newer';
  return `the saved model was made by ${which} version of LatentLens (format ${formatVersion}, now ${MODEL_FORMAT_VERSION}); it will be rebuilt`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}
