/**
 * A fast 32-bit checksum of the bytes of any ArrayBufferView, to tell a cached chunk that came
 * back from IndexedDB intact from one that did not. Not cryptographic: it guards against rot and
 * truncation, not against an adversary.
 *
 * The mixing is MurmurHash3's (x86, 32-bit) block step, run in four independent lanes over
 * 16-byte blocks: one lane is a serial chain of multiplies, four let the CPU overlap them, which
 * roughly doubles throughput in V8. Each step is a bijection of the lane state for a fixed input
 * word and a bijection of the input word for a fixed state, so any change confined to one 32-bit
 * word (in particular any single flipped bit) always changes the result.
 *
 * The value depends only on the bytes, never on alignment: the word path (a Uint32Array view)
 * and the byte path (used when byteOffset is not a multiple of 4, or on a big-endian machine)
 * read the same little-endian words.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const SEED = 0x4c4c3332; // "LL32"

/** Typed-array views use the platform's byte order; the word path is only correct on little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Checksum of `view`'s bytes (view.byteOffset .. +byteLength), an unsigned 32-bit integer. */
export function checksum32(view: ArrayBufferView): number {
  const byteLength = view.byteLength;
  const wordCount = byteLength >>> 2;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, byteLength);
  const words = LITTLE_ENDIAN && (view.byteOffset & 3) === 0 ? new Uint32Array(view.buffer, view.byteOffset, wordCount) : undefined;

  let h0 = SEED;
  let h1 = SEED ^ 0x9e3779b9;
  let h2 = SEED ^ 0x85ebca6b;
  let h3 = SEED ^ 0xc2b2ae35;
  const blockWords = wordCount & ~3;
  let w = 0;

  if (words !== undefined) {
    // Hot loop: monomorphic, allocation-free, all int32 arithmetic.
    for (; w < blockWords; w += 4) {
      let k = Math.imul(words[w], C1);
      k = Math.imul((k << 15) | (k >>> 17), C2);
      h0 ^= k;
      h0 = (Math.imul((h0 << 13) | (h0 >>> 19), 5) + 0xe6546b64) | 0;

      k = Math.imul(words[w + 1], C1);
      k = Math.imul((k << 15) | (k >>> 17), C2);
      h1 ^= k;
      h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;

      k = Math.imul(words[w + 2], C1);
      k = Math.imul((k << 15) | (k >>> 17), C2);
      h2 ^= k;
      h2 = (Math.imul((h2 << 13) | (h2 >>> 19), 5) + 0xe6546b64) | 0;

      k = Math.imul(words[w + 3], C1);
      k = Math.imul((k << 15) | (k >>> 17), C2);
      h3 ^= k;
      h3 = (Math.imul((h3 << 13) | (h3 >>> 19), 5) + 0xe6546b64) | 0;
    }
  } else {
    for (; w < blockWords; w += 4) {
      const b = w << 2;
      let k = Math.imul(wordAt(bytes, b), C1);
      k = Math.imul((k << 15) | (k >>> 17), C2);
      h0 ^= k;
      h0 = (Math.imul((h0 << 13) | (h0 >>> 19), 5) + 0xe6546b64) | 0;

      k = Math.imul(wordAt(bytes, b + 4), C1);
      k = Math.imul((k << 15) | (k >>> 17), C2);
      h1 ^= k;
      h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;

      k = Math.imul(wordAt(bytes, b + 8), C1);
      k = Math.imul((k << 15) | (k >>> 17), C2);
      h2 ^= k;
      h2 = (Math.imul((h2 << 13) | (h2 >>> 19), 5) + 0xe6546b64) | 0;

      k = Math.imul(wordAt(bytes, b + 12), C1);
      k = Math.imul((k << 15) | (k >>> 17), C2);
      h3 ^= k;
      h3 = (Math.imul((h3 << 13) | (h3 >>> 19), 5) + 0xe6546b64) | 0;
    }
  }

  // Fold the lanes into one, then feed the 0..3 leftover words and 0..3 leftover bytes through
  // the same steps. Each fold step is a bijection in the lane being folded in, so a change in any
  // one lane survives.
  let h = h0;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) ^ h1;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) ^ h2;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) ^ h3;
  for (; w < wordCount; w++) {
    let k = Math.imul(wordAt(bytes, w << 2), C1);
    k = Math.imul((k << 15) | (k >>> 17), C2);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  const tail = wordCount << 2;
  const left = byteLength - tail;
  if (left > 0) {
    let k = bytes[tail];
    if (left > 1) k |= bytes[tail + 1] << 8;
    if (left > 2) k |= bytes[tail + 2] << 16;
    k = Math.imul(k, C1);
    k = Math.imul((k << 15) | (k >>> 17), C2);
    h ^= k;
  }

  // Murmur3's finaliser: the length keeps "abc" and "abc\0" apart; fmix spreads every bit.
  h ^= byteLength;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The little-endian 32-bit word at byte i (the same value a Uint32Array reads on x86/ARM). */
function wordAt(bytes: Uint8Array, i: number): number {
  return bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
}
