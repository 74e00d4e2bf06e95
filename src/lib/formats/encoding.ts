import { DEFAULT_CHUNK_BYTES, readChunks } from './read-chunks';

/**
 * The two encodings MovieLens uses. 'latin1' is the WHATWG label, which every TextDecoder maps
 * to windows-1252: a superset of ISO-8859-1 for text (0xE9 is "é" in both; 0x80..0x9F are
 * control codes in ISO-8859-1, never in a title, and typographic marks in windows-1252).
 */
export type TextEncodingName = 'utf-8' | 'latin1';

/** Enough to reach an accented title in any movies file, cheap on the 900 MB ratings. */
export const DEFAULT_SNIFF_BYTES = 16 * 1024 * 1024;

/**
 * Whether `bytes` are valid UTF-8, allowing a multi-byte sequence cut off at the very end
 * (a sample taken from a longer file may end mid-character).
 */
export function isValidUtf8(bytes: Uint8Array, final = true): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(bytes, { stream: !final });
    return true;
  } catch {
    return false;
  }
}

/**
 * UTF-8 unless the first `maxBytes` of the blob are not valid UTF-8, in which case the file
 * was written in ISO-8859-1 (ML-100k's u.item, ML-1M's movies.dat). Valid UTF-8 that is really
 * ISO-8859-1 would need a byte pair such as "Ã©" in a title: not in any MovieLens release.
 */
export async function detectEncoding(blob: Blob, maxBytes = DEFAULT_SNIFF_BYTES): Promise<TextEncodingName> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const end = Math.min(blob.size, maxBytes);
  try {
    for await (const chunk of readChunks(blob, { end, chunkBytes: DEFAULT_CHUNK_BYTES })) {
      decoder.decode(chunk, { stream: true });
    }
    // A sequence cut by the sample's end is judged only when the sample is the whole file.
    if (end === blob.size) decoder.decode();
    return 'utf-8';
  } catch {
    return 'latin1';
  }
}
