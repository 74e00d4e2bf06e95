/**
 * Writes the portable model file (model-file.ts) as a stream of zip bytes, one chunk at a time:
 * a chunk is read (from the model in memory, or from the browser's cache), handed to fflate's
 * Zip and passed on to the sink before the next is read, so a 25M model (~0.5 GB) never exists
 * twice in memory. The manifest goes first, which is why every checksum is known up front: the
 * cache's manifest already holds them, and for a model in memory they are one fast pass.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { InputError, MODEL_FORMAT_VERSION, type CheckCancelled, type Model, type ModelParams } from '../types';
import { checksum32 } from './checksum';
import { encodeModel } from './model-codec';
import { MANIFEST_KEY, peekManifest } from './model-cache';
import { RECOMMENDER_KEY } from './recommender-cache';
import type { KeyValueStore } from './store';
import {
  chunkEntryName,
  MANIFEST_ENTRY,
  manifestToJson,
  MODEL_FILE_FORMAT,
  MODEL_FILE_VERSION,
  type FileSection,
  type ModelFileManifest,
  type SectionName,
} from './model-file';

/** One section to write: the skeleton, each chunk's size and checksum, and a way to read it. */
export interface SectionSource {
  skeleton: unknown;
  chunks: { bytes: number; checksum: number }[];
  /** Chunk i's bytes; called once per chunk, in order. */
  read(i: number): Promise<ArrayBufferView> | ArrayBufferView;
}

/** What a model file is written from. */
export interface ModelFileSource {
  fingerprint: string;
  params: ModelParams;
  sections: { model: SectionSource; recommender?: SectionSource };
}

export interface WriteModelFileOptions {
  /**
   * 'store' (the default) copies chunks as they are; 'deflate' packs them at `level` (default 1).
   * Measured on ML-latest-small and a synthetic ML-1M: see the README's model file section.
   */
  compression?: 'store' | 'deflate';
  level?: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** Chunk bytes written so far, of all. */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  check?: CheckCancelled;
}

/** fflate writes no Zip64: offsets and sizes must stay below 4 GiB. */
const MAX_FILE_BYTES = 2 ** 32 - 1;

/**
 * The model in memory as a file source. The recommender and content side go to their own
 * section, as the cache keeps them apart; everything else (including the ratings matrix, when
 * the model has it) is the model section.
 */
export function modelFileSource(model: Model, opts: { maxChunkBytes?: number } = {}): ModelFileSource {
  const { recommender, content, ...rest } = model;
  const section = (value: unknown): SectionSource => {
    const { skeleton, chunks } = encodeModel(value, { maxChunkBytes: opts.maxChunkBytes });
    return { skeleton, chunks: chunks.map((c) => ({ bytes: c.byteLength, checksum: checksum32(c) })), read: (i) => chunks[i] };
  };
  const hasRecommender = recommender !== undefined || content !== undefined;
  return {
    fingerprint: model.fingerprint,
    params: model.params,
    sections: { model: section(rest), recommender: hasRecommender ? section({ recommender, content }) : undefined },
  };
}

/**
 * The model saved in the browser's cache as a file source: its chunks are read from the store
 * one at a time (and checked against the cache's checksums on the way), and the recommender
 * stored beside it is added when it belongs to the same model. Hold the cache lock around the
 * whole export (see model-cache.ts), so no other tab replaces the model midway.
 */
export async function storedModelFileSource(store: KeyValueStore): Promise<ModelFileSource> {
  const manifest = await peekManifest(store);
  if (!manifest) {
    throw new InputError({
      kind: 'empty',
      file: 'the saved model',
      message: 'No model is saved in this browser yet. Build one (or import one) first, then export it.',
    });
  }
  if (manifest.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new InputError({
      kind: 'format',
      file: 'the saved model',
      message: 'The model saved in this browser was made by another version of LatentLens and cannot be exported. Build it again first.',
    });
  }
  const n = manifest.chunks.length;
  const model: SectionSource = {
    skeleton: manifest.model,
    chunks: manifest.chunks.map((c) => ({ bytes: c.bytes, checksum: c.checksum })),
    async read(i) {
      const value = await store.get(manifest.chunks[i].key);
      if (!ArrayBuffer.isView(value) || value.byteLength !== manifest.chunks[i].bytes || checksum32(value) !== manifest.chunks[i].checksum) {
        throw new InputError({
          kind: 'format',
          file: 'the saved model',
          message: `The model saved in this browser is damaged (chunk ${i + 1} of ${n} is missing or fails its checksum), so it cannot be exported. Build it again first.`,
        });
      }
      return value;
    },
  };
  const stored = (await store.get(RECOMMENDER_KEY)) as { fingerprint?: unknown; recommender?: unknown; content?: unknown } | undefined;
  let recommender: SectionSource | undefined;
  if (stored && stored.fingerprint === manifest.fingerprint && stored.recommender !== undefined) {
    const { skeleton, chunks } = encodeModel({ recommender: stored.recommender, content: stored.content });
    recommender = { skeleton, chunks: chunks.map((c) => ({ bytes: c.byteLength, checksum: checksum32(c) })), read: (i) => chunks[i] };
  }
  const params = (manifest.model as { params?: ModelParams } | null)?.params;
  if (!params)
    throw new InputError({
      kind: 'format',
      file: 'the saved model',
      message: `The model saved in this browser has no parameters (${MANIFEST_KEY}); build it again first.`,
    });
  return { fingerprint: manifest.fingerprint, params, sections: { model, recommender } };
}

/**
 * Writes `source` as a model file, handing the zip's bytes to `sink` in order (a file on disk,
 * or modelFileBlob's Blob). Returns the file's size and the chunk bytes inside it.
 */
export async function writeModelFile(
  source: ModelFileSource,
  sink: (part: Uint8Array) => void | Promise<void>,
  opts: WriteModelFileOptions = {},
): Promise<{ fileBytes: number; chunkBytes: number }> {
  const names = (['model', 'recommender'] as const).filter((s) => source.sections[s] !== undefined);
  const fileSection = (name: SectionName, s: SectionSource): FileSection => ({
    skeleton: s.skeleton,
    chunks: s.chunks.map((c, i) => ({ entry: chunkEntryName(name, i), bytes: c.bytes, checksum: c.checksum })),
  });
  let totalBytes = 0;
  for (const name of names) for (const c of source.sections[name]!.chunks) totalBytes += c.bytes;
  if (totalBytes >= MAX_FILE_BYTES) {
    throw new InputError({
      kind: 'format',
      file: 'the model',
      message: `The model is ${totalBytes.toLocaleString('en')} bytes, over the 4 GiB a model file can hold.`,
    });
  }
  const manifest: ModelFileManifest = {
    format: MODEL_FILE_FORMAT,
    fileVersion: MODEL_FILE_VERSION,
    modelFormatVersion: MODEL_FORMAT_VERSION,
    fingerprint: source.fingerprint,
    params: source.params,
    savedAt: new Date().toISOString(),
    totalBytes,
    sections: {
      model: fileSection('model', source.sections.model),
      ...(source.sections.recommender ? { recommender: fileSection('recommender', source.sections.recommender) } : {}),
    },
  };

  // fflate calls back synchronously while an entry is pushed; the parts wait here until the
  // (possibly async) sink has taken the previous ones, so at most one chunk is in flight.
  const queue: Uint8Array[] = [];
  let failure: Error | undefined;
  const zip = new Zip((err, data) => {
    if (err) failure ??= err;
    else queue.push(data);
  });
  let fileBytes = 0;
  const flush = async () => {
    if (failure) throw failure;
    while (queue.length > 0) {
      const part = queue.shift()!;
      fileBytes += part.length;
      await sink(part);
    }
  };
  const add = async (name: string, bytes: Uint8Array, deflate: boolean) => {
    const entry = deflate ? new ZipDeflate(name, { level: opts.level ?? 1 }) : new ZipPassThrough(name);
    zip.add(entry);
    entry.push(bytes, true);
    await flush();
  };

  await add(MANIFEST_ENTRY, new TextEncoder().encode(manifestToJson(manifest)), true);
  let doneBytes = 0;
  opts.onProgress?.(0, totalBytes);
  for (const name of names) {
    const section = source.sections[name]!;
    for (let i = 0; i < section.chunks.length; i++) {
      opts.check?.();
      const view = await section.read(i);
      if (view.byteLength !== section.chunks[i].bytes) throw new Error(`chunk ${i + 1} of the ${name} section changed size while it was written`);
      await add(chunkEntryName(name, i), new Uint8Array(view.buffer, view.byteOffset, view.byteLength), opts.compression === 'deflate');
      doneBytes += view.byteLength;
      opts.onProgress?.(doneBytes, totalBytes);
    }
  }
  zip.end();
  await flush();
  if (fileBytes > MAX_FILE_BYTES) throw new Error('The model file grew past 4 GiB, which a zip without Zip64 cannot address.');
  return { fileBytes, chunkBytes: totalBytes };
}

/** Parts gathered before they are sealed into a Blob, which the browser may keep on disk. */
const BLOB_PART_BYTES = 16 * 1024 * 1024;

/**
 * The model file as a Blob (for a download link in the page). Parts are sealed into Blobs as
 * they come, so the browser can page them to disk instead of holding the file in the heap.
 */
export async function modelFileBlob(source: ModelFileSource, opts: WriteModelFileOptions = {}): Promise<{ blob: Blob; fileBytes: number; chunkBytes: number }> {
  const sealed: Blob[] = [];
  let pending: BlobPart[] = [];
  let pendingBytes = 0;
  const seal = () => {
    if (pending.length > 0) sealed.push(new Blob(pending));
    pending = [];
    pendingBytes = 0;
  };
  const sizes = await writeModelFile(
    source,
    (part) => {
      // A Blob refuses views of a SharedArrayBuffer (a model built on the thread pool); copy those.
      const own = part.buffer instanceof ArrayBuffer ? part : part.slice();
      pending.push(own as Uint8Array<ArrayBuffer>);
      pendingBytes += part.length;
      if (pendingBytes >= BLOB_PART_BYTES) seal();
    },
    opts,
  );
  seal();
  return { blob: new Blob(sealed, { type: 'application/zip' }), ...sizes };
}
