/** The chunk size that keeps reads few without holding much of a 900 MB file at once. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

export interface ReadChunksOptions {
  chunkBytes?: number;
  /** First byte to read (default 0). */
  start?: number;
  /** One past the last byte to read (default: the blob's size). */
  end?: number;
}

/**
 * Reads `blob` from `start` to `end` as consecutive chunks of at most `chunkBytes`.
 * Only one chunk is alive at a time (unless the caller keeps them), so a file larger than the
 * memory a tab may hold can still be streamed.
 */
export async function* readChunks(
  blob: Blob,
  opts: ReadChunksOptions = {},
): AsyncGenerator<Uint8Array> {
  const chunkBytes = Math.max(1, Math.floor(opts.chunkBytes ?? DEFAULT_CHUNK_BYTES));
  const end = Math.min(blob.size, opts.end ?? blob.size);
  for (let a = Math.max(0, opts.start ?? 0); a < end; a += chunkBytes) {
    const b = Math.min(end, a + chunkBytes);
    yield new Uint8Array(await blob.slice(a, b).arrayBuffer());
  }
}
