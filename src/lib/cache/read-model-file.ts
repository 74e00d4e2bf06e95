/**
 * Reads the portable model file (model-file.ts). Everything that can be checked without the
 * chunks is checked first, from the zip's table of contents and the manifest: the versions, that
 * every chunk the manifest lists is there with its size, that nothing else is, and that the
 * skeleton and the chunks fit together. Then each chunk is read on its own and its checksum
 * verified before it is used.
 *
 * Importing into the browser's cache goes through the cache's own commit path
 * (saveEncodedModel): chunks under a new generation, the manifest last. A damaged or truncated
 * file therefore fails before the cache's manifest changes, and the previous model stays.
 */
import type { CheckCancelled, Model } from '../types';
import { readZipDirectory, readZipEntry, type ZipDirectoryEntry } from '../formats/zip-directory';
import { checksum32 } from './checksum';
import { saveEncodedModel, type WithLock } from './model-cache';
import { CacheFormatError, decodeModel } from './model-codec';
import { saveRecommender } from './recommender-cache';
import type { KeyValueStore } from './store';
import type { AppRecommender } from '../recommend/app-recommender';
import type { ContentModel } from '../content/content-model';
import {
  checkManifest,
  MANIFEST_ENTRY,
  manifestFromJson,
  MODEL_FILE_EXTENSION,
  modelFileError,
  SECTION_NAMES,
  type ModelFileManifest,
  type SectionName,
} from './model-file';

/** A model file whose table of contents and manifest passed every check. */
export interface OpenedModelFile {
  blob: Blob;
  fileName: string;
  manifest: ModelFileManifest;
  entries: Map<string, ZipDirectoryEntry>;
}

export interface ReadModelFileOptions {
  /** Chunk bytes read and verified so far, of all. */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  check?: CheckCancelled;
}

/**
 * Opens `blob` as a model file: reads the table of contents and the manifest and checks them
 * (see the module comment). Throws a 'format' InputError naming `fileName` and what is wrong.
 */
export async function openModelFile(blob: Blob, fileName: string): Promise<OpenedModelFile> {
  const notOurs = (found: string) =>
    modelFileError(
      fileName,
      `a LatentLens model file (${MODEL_FILE_EXTENSION})`,
      found,
      `${fileName} is not a LatentLens model file: ${found}. Choose a file made by "Export model" or \`latentlens build --out\`.`,
    );
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  if (blob.size > 0 && !(head[0] === 0x50 && head[1] === 0x4b)) throw notOurs('it is not a zip archive');
  const directory = await readZipDirectory(blob, fileName);
  const entries = new Map(directory.map((e) => [e.name, e]));
  const manifestEntry = entries.get(MANIFEST_ENTRY);
  if (!manifestEntry) throw notOurs(`it has no ${MANIFEST_ENTRY}`);
  const text = new TextDecoder().decode(await readZipEntry(blob, manifestEntry, fileName, { verifyCrc: true }));
  const manifest = checkManifest(manifestFromJson(text), fileName);

  const expected = new Set<string>([MANIFEST_ENTRY]);
  for (const name of SECTION_NAMES) {
    const chunks = manifest.sections[name]?.chunks ?? [];
    for (const [i, c] of chunks.entries()) {
      expected.add(c.entry);
      const entry = entries.get(c.entry);
      if (!entry) {
        throw modelFileError(
          fileName,
          `the entry ${c.entry}`,
          'it missing',
          `${fileName} is incomplete: chunk ${i + 1} of ${chunks.length} of the ${name} (${c.entry}) is missing. Export the model again.`,
        );
      }
      if (entry.bytes !== c.bytes) {
        throw modelFileError(
          fileName,
          `${c.bytes} bytes in ${c.entry}`,
          `${entry.bytes} bytes`,
          `${fileName} is damaged: ${c.entry} holds ${entry.bytes} bytes, its manifest says ${c.bytes}. Export the model again.`,
        );
      }
    }
  }
  for (const name of entries.keys()) {
    if (!expected.has(name)) {
      throw modelFileError(
        fileName,
        `only ${MANIFEST_ENTRY} and the chunks it lists`,
        `an unexpected entry ${name}`,
        `${fileName} holds an entry its manifest does not list (${name}), so it is not a model file as LatentLens writes it. Export the model again rather than editing the file.`,
      );
    }
  }
  return { blob, fileName, manifest, entries };
}

/** Chunk i of a section, its size and checksum verified against the manifest. */
export async function readFileChunk(file: OpenedModelFile, section: SectionName, i: number, check?: CheckCancelled): Promise<Uint8Array<ArrayBuffer>> {
  const meta = file.manifest.sections[section]!.chunks[i];
  const bytes = await readZipEntry(file.blob, file.entries.get(meta.entry)!, file.fileName, { check });
  if (checksum32(bytes) !== meta.checksum) {
    const n = file.manifest.sections[section]!.chunks.length;
    throw modelFileError(
      file.fileName,
      `chunk ${meta.entry} with checksum ${meta.checksum}`,
      'different bytes',
      `${file.fileName} is damaged: chunk ${i + 1} of ${n} of the ${section} (${meta.entry}) fails its checksum. Export the model again.`,
    );
  }
  return bytes;
}

/** Reads every chunk of a section and rebuilds its value. */
async function decodeSection(file: OpenedModelFile, section: SectionName, progress: (bytes: number) => void, check?: CheckCancelled): Promise<unknown> {
  const meta = file.manifest.sections[section]!;
  const chunks: (Uint8Array | undefined)[] = [];
  for (let i = 0; i < meta.chunks.length; i++) {
    check?.();
    chunks.push(await readFileChunk(file, section, i, check));
    progress(meta.chunks[i].bytes);
  }
  try {
    return decodeModel(meta.skeleton, (id) => {
      const chunk = chunks[id];
      chunks[id] = undefined;
      return chunk;
    });
  } catch (error) {
    if (error instanceof CacheFormatError) {
      throw modelFileError(file.fileName, 'a model that fits together', error.message, `${file.fileName} is damaged: ${error.message} Export the model again.`);
    }
    throw error;
  }
}

type RecommenderSection = { recommender?: AppRecommender; content?: ContentModel };

function recommenderOf(value: unknown): RecommenderSection {
  return value !== null && typeof value === 'object' ? (value as RecommenderSection) : {};
}

/**
 * The whole model in memory, with its recommender and content side when the file has them
 * (the command line's `--model`). Every chunk is verified before the model is rebuilt.
 */
export async function readModelFile(blob: Blob, fileName: string, opts: ReadModelFileOptions = {}): Promise<{ model: Model; manifest: ModelFileManifest }> {
  const file = await openModelFile(blob, fileName);
  const total = file.manifest.totalBytes;
  let done = 0;
  const progress = (bytes: number) => opts.onProgress?.((done += bytes), total);
  opts.onProgress?.(0, total);
  const model = (await decodeSection(file, 'model', progress, opts.check)) as Model;
  if (file.manifest.sections.recommender) {
    const { recommender, content } = recommenderOf(await decodeSection(file, 'recommender', progress, opts.check));
    if (recommender) model.recommender = recommender;
    if (content) model.content = content;
  }
  return { model, manifest: file.manifest };
}

export interface ImportModelFileOptions extends ReadModelFileOptions {
  /** The cache lock (a Web Lock in the browser), held for the whole import. */
  withLock?: WithLock;
}

/**
 * Imports a model file into the store as the cached model, replacing the previous one only when
 * the whole file has been read and verified: the model's chunks stream from the file into a new
 * generation, one at a time (never two copies of the model), and the cache's manifest is
 * written last. The recommender (small) is read and verified before anything is written, and
 * stored after the model. On any error the previous model is kept and the error names the file.
 */
export async function importModelFile(
  store: KeyValueStore,
  blob: Blob,
  fileName: string,
  opts: ImportModelFileOptions = {},
): Promise<{ manifest: ModelFileManifest; bytes: number }> {
  const file = await openModelFile(blob, fileName);
  const { manifest } = file;
  const total = manifest.totalBytes;
  let done = 0;
  const progress = (bytes: number) => opts.onProgress?.((done += bytes), total);
  opts.onProgress?.(0, total);
  const rec = manifest.sections.recommender ? recommenderOf(await decodeSection(file, 'recommender', progress, opts.check)) : {};

  const model = manifest.sections.model;
  async function* chunks() {
    for (let i = 0; i < model.chunks.length; i++) yield await readFileChunk(file, 'model', i, opts.check);
  }
  const run = async () => {
    const saved = await saveEncodedModel(
      store,
      { fingerprint: manifest.fingerprint, skeleton: model.skeleton, chunkBytes: model.chunks.map((c) => c.bytes), chunks: chunks() },
      { check: opts.check, onProgress: (d) => opts.onProgress?.(done + d, total) },
    );
    if (rec.recommender) await saveRecommender(store, manifest.fingerprint, rec.recommender, rec.content);
    return saved;
  };
  try {
    const saved = await (opts.withLock ? opts.withLock(run) : run());
    return { manifest, bytes: saved.bytes };
  } catch (error) {
    if (error instanceof CacheFormatError) {
      throw modelFileError(fileName, 'a complete model file', error.message, `${fileName} is damaged: ${error.message}. Export the model again.`);
    }
    throw error;
  }
}
