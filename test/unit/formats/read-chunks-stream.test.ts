import { describe, expect, it } from 'vitest';
import { readChunks } from '../../../src/lib/formats/read-chunks';

async function collect(blob: Blob, opts: Parameters<typeof readChunks>[1]): Promise<{ bytes: number[]; sizes: number[] }> {
  const bytes: number[] = [];
  const sizes: number[] = [];
  for await (const chunk of readChunks(blob, opts)) {
    sizes.push(chunk.length);
    for (const b of chunk) bytes.push(b);
  }
  return { bytes, sizes };
}

describe('readChunks as a stream (no chunkBytes)', () => {
  const data = Uint8Array.from({ length: 3_500_000 }, (_, i) => (i * 31) & 255);
  const blob = new Blob([data]);

  it('gives every byte of the range once, in order, small stream pieces gathered to 1 MiB', async () => {
    const { bytes, sizes } = await collect(blob, { start: 12_345, end: 3_400_000 });
    expect(bytes.length).toBe(3_400_000 - 12_345);
    expect(bytes[0]).toBe(data[12_345]);
    expect(bytes.at(-1)).toBe(data[3_399_999]);
    expect(bytes.every((b, i) => b === data[12_345 + i])).toBe(true);
    // Every piece but the last is at least the gathering size (the stream's own may be larger).
    expect(sizes.slice(0, -1).every((n) => n >= 1 << 20)).toBe(true);
  });

  it('reads nothing for an empty range', async () => {
    expect((await collect(blob, { start: 10, end: 10 })).bytes).toEqual([]);
  });

  it('with chunkBytes, cuts exactly there', async () => {
    const { sizes } = await collect(new Blob([data.subarray(0, 10)]), { chunkBytes: 4 });
    expect(sizes).toEqual([4, 4, 2]);
  });
});
