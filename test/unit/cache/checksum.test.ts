import { describe, expect, it } from 'vitest';
import { checksum32 } from '../../../src/lib/cache/checksum';

function pseudoRandomBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('checksum32', () => {
  it('answers an unsigned 32-bit integer, the same for the same bytes', () => {
    const bytes = pseudoRandomBytes(1000);
    const sum = checksum32(bytes);
    expect(Number.isInteger(sum) && sum >= 0 && sum <= 0xffffffff).toBe(true);
    expect(checksum32(bytes.slice())).toBe(sum);
  });

  it('depends on the bytes only, not on the view type', () => {
    const bytes = pseudoRandomBytes(64);
    expect(checksum32(new Float32Array(bytes.buffer))).toBe(checksum32(bytes));
    expect(checksum32(new DataView(bytes.buffer))).toBe(checksum32(bytes));
  });

  it('gives the same answer for a view at an odd byteOffset (the byte path) as for an aligned copy', () => {
    const bytes = pseudoRandomBytes(1031);
    for (const offset of [1, 2, 3, 5]) {
      const misaligned = bytes.subarray(offset);
      expect(checksum32(misaligned)).toBe(checksum32(misaligned.slice()));
    }
  });

  it('covers only the view, not the rest of its buffer', () => {
    const bytes = pseudoRandomBytes(100);
    const view = bytes.subarray(8, 40);
    const sum = checksum32(view);
    bytes[0] ^= 0xff;
    bytes[99] ^= 0xff;
    expect(checksum32(view)).toBe(sum);
  });

  it('detects a single flipped bit anywhere, in the blocks, the leftover words and the tail', () => {
    const bytes = pseudoRandomBytes(16 * 4 + 3 * 4 + 3);
    const sum = checksum32(bytes);
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        bytes[i] ^= 1 << bit;
        expect(checksum32(bytes)).not.toBe(sum);
        bytes[i] ^= 1 << bit;
      }
    }
  });

  it('tells apart data that differs only by trailing zero bytes', () => {
    const sums = new Set([0, 1, 2, 3, 4, 5, 16, 17].map((n) => checksum32(new Uint8Array(n))));
    expect(sums.size).toBe(8);
  });
});
