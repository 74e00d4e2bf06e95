import { describe, expect, it } from 'vitest';
import { canStreamBlobs, DEFAULT_CHUNK_BYTES, readChunks } from '../../../src/lib/formats/read-chunks';

/** A blob as an engine without Blob.prototype.stream() has it (the own property hides the prototype's). */
function withoutStream(blob: Blob): Blob {
  return Object.defineProperty(blob, 'stream', { value: undefined });
}

describe('readChunks where Blob.stream() is missing', () => {
  const data = Uint8Array.from({ length: DEFAULT_CHUNK_BYTES + 12_345 }, (_, i) => (i * 7) & 255);

  it('is detected', () => {
    expect(canStreamBlobs(new Blob([data]))).toBe(true);
    expect(canStreamBlobs(withoutStream(new Blob([data])))).toBe(false);
  });

  it('reads the same bytes in slices of the default chunk size', async () => {
    const sizes: number[] = [];
    const bytes = new Uint8Array(data.length);
    let at = 0;
    for await (const chunk of readChunks(withoutStream(new Blob([data])))) {
      sizes.push(chunk.length);
      bytes.set(chunk, at);
      at += chunk.length;
    }
    expect(sizes).toEqual([DEFAULT_CHUNK_BYTES, 12_345]);
    expect(at).toBe(data.length);
    // Buffer.compare, not toEqual: a deep equality over 4 MiB element by element takes seconds.
    expect(Buffer.compare(bytes, data)).toBe(0);
  });
});
