import type { ModelParams } from '../types';
import type { DatasetFiles, InputFile } from './input-files';

/** Bytes sampled from each end of a file: enough to tell releases and edits apart, cheap on 900 MB. */
const SAMPLE_BYTES = 1 << 20;

/**
 * Identifies a build: file names, sizes and a hash of each file's first and last megabyte, plus
 * the parameters. Hashing whole files would cost as much as parsing them; edits that keep the
 * size and both ends are the price of that shortcut.
 */
export async function fingerprintOf(files: DatasetFiles, params: ModelParams): Promise<string> {
  return fingerprintOfInputs([files.ratings, files.movies], params);
}

/** The same fingerprint over any files and settings (an imported model: factors, table, movies). */
export async function fingerprintOfInputs(files: (InputFile | undefined)[], settings: unknown): Promise<string> {
  const parts: string[] = [JSON.stringify(settings)];
  for (const f of files) if (f) parts.push(await describeFile(f));
  return hashText(parts.join('\n'));
}

async function describeFile(f: InputFile): Promise<string> {
  const size = f.blob.size;
  const head = new Uint8Array(await f.blob.slice(0, Math.min(size, SAMPLE_BYTES)).arrayBuffer());
  const tail = new Uint8Array(await f.blob.slice(Math.max(0, size - SAMPLE_BYTES), size).arrayBuffer());
  return `${f.name.split(/[\\/]/).pop()}:${size}:${fnv1a(head).toString(16)}:${fnv1a(tail).toString(16)}`;
}

/** FNV-1a, 32 bits: a fingerprint, not a security boundary. */
function fnv1a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function hashText(text: string): string {
  const bytes = new TextEncoder().encode(text);
  // Two differently seeded passes give 64 bits: collisions between a person's builds are not a concern.
  return fnv1a(bytes).toString(16).padStart(8, '0') + fnv1a(bytes, 0x01234567).toString(16).padStart(8, '0');
}
