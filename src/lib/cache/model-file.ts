/**
 * The portable model file (`.latentlens`): a zip holding exactly the chunks the browser cache
 * keeps, plus one manifest.
 *
 *   manifest.json              written first: versions, fingerprint, parameters, and for each
 *                              section its skeleton (model-codec.ts) and every chunk's entry
 *                              name, byte length and checksum (checksum.ts)
 *   model/000000.bin ...       the model's chunks (neighbours, catalogue, ratings matrix, ...)
 *   recommender/000000.bin ... the recommender and content side, stored apart in the cache too
 *
 * Chunks are the codec's raw typed-array bytes (little-endian), so a file is read back on any
 * machine by the same decodeModel the cache uses. This module holds the manifest's shape and its
 * checks; write-model-file.ts and read-model-file.ts do the writing and reading.
 */
import { InputError, MODEL_FORMAT_VERSION, type ModelParams } from '../types';
import { CHUNK_REF_KEY } from './model-codec';

/** Names the layout of the file itself (entries, manifest fields); bumped when that changes. */
export const MODEL_FILE_VERSION = 1;
export const MODEL_FILE_FORMAT = 'latentlens-model';
export const MODEL_FILE_EXTENSION = '.latentlens';
export const MANIFEST_ENTRY = 'manifest.json';

export type SectionName = 'model' | 'recommender';
export const SECTION_NAMES: readonly SectionName[] = ['model', 'recommender'];

export interface FileChunk {
  /** The zip entry holding the chunk's bytes. */
  entry: string;
  bytes: number;
  /** checksum32 of the bytes. */
  checksum: number;
}

/** One encodeModel result: chunk id i of the skeleton is chunks[i]. */
export interface FileSection {
  skeleton: unknown;
  chunks: FileChunk[];
}

export interface ModelFileManifest {
  format: typeof MODEL_FILE_FORMAT;
  fileVersion: number;
  /** MODEL_FORMAT_VERSION of the LatentLens that wrote it: the layout of the model inside. */
  modelFormatVersion: number;
  fingerprint: string;
  params: ModelParams;
  /** ISO date-time of the export. */
  savedAt: string;
  /** Bytes of all chunks together. */
  totalBytes: number;
  /** The model without its recommender; the recommender and content side, when there is one. */
  sections: { model: FileSection; recommender?: FileSection };
}

/** Entry name of chunk i of a section: zero-padded so that a listing sorts in order. */
export function chunkEntryName(section: SectionName, i: number): string {
  return `${section}/${String(i).padStart(6, '0')}.bin`;
}

/**
 * JSON has no NaN, Infinity, -0 or undefined, and a skeleton keeps all of them (an unrated
 * movie's popularity is NaN); they are written as {"$json": "NaN"} and read back exactly.
 */
const SPECIAL_KEY = '$json';

export function manifestToJson(manifest: ModelFileManifest): string {
  return JSON.stringify(manifest, function (_key, value: unknown) {
    if (typeof value === 'number') {
      if (Number.isNaN(value)) return { [SPECIAL_KEY]: 'NaN' };
      if (value === Infinity) return { [SPECIAL_KEY]: 'Infinity' };
      if (value === -Infinity) return { [SPECIAL_KEY]: '-Infinity' };
      if (Object.is(value, -0)) return { [SPECIAL_KEY]: '-0' };
    }
    // In an array an undefined would become null; in an object it would vanish, which is fine.
    if (value === undefined && Array.isArray(this)) return { [SPECIAL_KEY]: 'undefined' };
    return value;
  });
}

const SPECIALS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** The tag of a {"$json": tag} object, or undefined for any other value. */
function specialTag(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const tag = (value as Record<string, unknown>)[SPECIAL_KEY];
  return Object.keys(value).length === 1 && typeof tag === 'string' ? tag : undefined;
}

/** Parses manifest text; undefined when it is not JSON. The shape is checked by checkManifest. */
export function manifestFromJson(text: string): unknown {
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      const tag = specialTag(value);
      if (tag !== undefined && Object.hasOwn(SPECIALS, tag)) return SPECIALS[tag];
      // Returning undefined from a reviver would leave a hole; the array sets its own slots.
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) if (specialTag(value[i]) === 'undefined') value[i] = undefined;
      return value;
    });
  } catch {
    return undefined;
  }
}

/** Builds the error for a model file a person can act on: what is wrong, and what to do. */
export function modelFileError(fileName: string, expected: string, found: string, message: string): InputError {
  return new InputError({ kind: 'format', file: fileName, expected, found, message });
}

/**
 * The manifest, checked field by field, or an InputError saying what is wrong. Versions are
 * checked first, so a file of another version is named as such rather than as damaged.
 */
export function checkManifest(raw: unknown, fileName: string): ModelFileManifest {
  const damaged = (what: string) =>
    modelFileError(fileName, 'a LatentLens model manifest', what, `${fileName} is damaged: its ${MANIFEST_ENTRY} has ${what}. Export the model again.`);
  if (!isRecord(raw)) throw damaged('no readable JSON');
  if (raw.format !== MODEL_FILE_FORMAT) {
    throw modelFileError(
      fileName,
      'a LatentLens model file',
      'another kind of zip',
      `${fileName} is a zip, but not a LatentLens model file (its ${MANIFEST_ENTRY} is not one of ours).`,
    );
  }
  if (typeof raw.fileVersion !== 'number' || typeof raw.modelFormatVersion !== 'number') throw damaged('no version numbers');
  if (raw.fileVersion !== MODEL_FILE_VERSION) {
    const newer = raw.fileVersion > MODEL_FILE_VERSION;
    throw modelFileError(
      fileName,
      `model file version ${MODEL_FILE_VERSION}`,
      `model file version ${raw.fileVersion}`,
      `${fileName} was written by ${newer ? 'a newer' : 'an older'} version of LatentLens (model file version ${raw.fileVersion}; this one reads version ${MODEL_FILE_VERSION}). ` +
        (newer ? 'Update LatentLens to open it.' : 'Export the model again with this version, or build it anew from its ratings.'),
    );
  }
  if (raw.modelFormatVersion !== MODEL_FORMAT_VERSION) {
    const newer = raw.modelFormatVersion > MODEL_FORMAT_VERSION;
    throw modelFileError(
      fileName,
      `model format ${MODEL_FORMAT_VERSION}`,
      `model format ${raw.modelFormatVersion}`,
      `${fileName} holds a model in format ${raw.modelFormatVersion}, made by ${newer ? 'a newer' : 'an older'} version of LatentLens; this one reads format ${MODEL_FORMAT_VERSION}. ` +
        (newer ? 'Update LatentLens to open it.' : 'Build the model anew from its ratings and export it again.'),
    );
  }
  if (typeof raw.fingerprint !== 'string' || typeof raw.savedAt !== 'string' || !isRecord(raw.params) || typeof raw.totalBytes !== 'number') {
    throw damaged('missing fields');
  }
  if (!isRecord(raw.sections) || !isRecord(raw.sections.model)) throw damaged('no model section');
  let total = 0;
  const entries = new Set<string>();
  for (const name of SECTION_NAMES) {
    const section = raw.sections[name];
    if (section === undefined && name !== 'model') continue;
    if (!isRecord(section) || !Array.isArray(section.chunks)) throw damaged(`a malformed ${name} section`);
    section.chunks.forEach((c: unknown, i: number) => {
      const ok =
        isRecord(c) &&
        c.entry === chunkEntryName(name, i) &&
        Number.isSafeInteger(c.bytes) &&
        (c.bytes as number) >= 0 &&
        Number.isInteger(c.checksum) &&
        (c.checksum as number) >= 0 &&
        (c.checksum as number) <= 0xffffffff;
      if (!ok) throw damaged(`a malformed entry for chunk ${i + 1} of the ${name} section`);
      entries.add(c.entry as string);
      total += c.bytes as number;
    });
    checkSkeleton(section.skeleton, section.chunks as FileChunk[], name, damaged);
  }
  if (total !== raw.totalBytes) throw damaged(`a total of ${raw.totalBytes} bytes where the chunks add up to ${total}`);
  return raw as unknown as ModelFileManifest;
}

/** Byte width of each element type a chunk reference may name ('string[]' is free-form text). */
const ELEMENT_BYTES: Record<string, number> = {
  Int8Array: 1,
  Uint8Array: 1,
  Uint8ClampedArray: 1,
  Int16Array: 2,
  Uint16Array: 2,
  Int32Array: 4,
  Uint32Array: 4,
  Float32Array: 4,
  Float64Array: 8,
  BigInt64Array: 8,
  BigUint64Array: 8,
  'string[]': 1,
};

/**
 * Checks that the skeleton and the chunk list fit together without reading a chunk: each id
 * used once, every chunk used, and each array's chunks adding up to length × element size.
 * This is what decodeModel would find out, known before anything is written to the store.
 */
function checkSkeleton(skeleton: unknown, chunks: FileChunk[], section: string, damaged: (what: string) => Error): void {
  const used = new Uint8Array(chunks.length);
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as Record<string, unknown>;
    if (!Object.hasOwn(record, CHUNK_REF_KEY)) return Object.values(record).forEach(walk);
    const ids = record[CHUNK_REF_KEY];
    const width = ELEMENT_BYTES[String(record.type)];
    if (!Array.isArray(ids) || width === undefined || !Number.isSafeInteger(record.length)) throw damaged(`a malformed array in the ${section} section`);
    let bytes = 0;
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= chunks.length || used[id]) throw damaged(`a bad chunk number in the ${section} section`);
      used[id] = 1;
      bytes += chunks[id].bytes;
    }
    if (record.type !== 'string[]' && bytes !== (record.length as number) * width) {
      throw damaged(`an array of ${String(record.length)} ${String(record.type)} values in ${bytes} bytes (${section} section)`);
    }
  };
  walk(skeleton);
  const unused = used.indexOf(0);
  if (unused >= 0) throw damaged(`chunk ${unused + 1} of the ${section} section, which belongs to nothing`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}
