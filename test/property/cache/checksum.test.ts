import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksum32 } from '../../../src/lib/cache/checksum';

describe('checksum32 (property)', () => {
  it('depends on the bytes only: any byteOffset gives the same sum as an aligned copy', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(7), (bytes, offset) => {
        const view = bytes.subarray(Math.min(offset, bytes.length));
        expect(checksum32(view)).toBe(checksum32(view.slice()));
      }),
    );
  });

  it('changes whenever one bit flips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.nat(7), fc.nat(3), (bytes, at, bit, offset) => {
        const view = bytes.subarray(Math.min(offset, bytes.length - 1));
        const before = checksum32(view);
        view[at % view.length] ^= 1 << bit;
        expect(checksum32(view)).not.toBe(before);
      }),
    );
  });

  it('changes whenever any single 32-bit word changes', () => {
    fc.assert(
      fc.property(fc.uint32Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 0xffffffff }), (words, at, delta) => {
        const before = checksum32(words);
        words[at % words.length] ^= delta;
        expect(checksum32(words)).not.toBe(before);
      }),
    );
  });
});
