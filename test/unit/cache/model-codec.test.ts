import { describe, expect, it } from 'vitest';
import { CacheFormatError, decodeModel, encodeModel, standaloneChunk, type ChunkRef } from '../../../src/lib/cache/model-codec';

/** Encode, pass skeleton and chunks through structured clone as IndexedDB would, decode. */
function roundTrip(value: unknown, options?: Parameters<typeof encodeModel>[1]): unknown {
  const { skeleton, chunks } = encodeModel(value, options);
  const stored = chunks.map((c) => structuredClone(standaloneChunk(c)));
  return decodeModel(structuredClone(skeleton), (id) => stored[id]);
}

describe('encodeModel', () => {
  it('replaces each typed array by a chunk reference and leaves other data in the skeleton', () => {
    const { skeleton, chunks } = encodeModel({ k: 50, name: 'x', ids: Int32Array.of(1, 2, 3), nested: [{ v: Float32Array.of(0.5) }] });
    expect(skeleton).toEqual({
      k: 50,
      name: 'x',
      ids: { $chunks: [0], type: 'Int32Array', length: 3 },
      nested: [{ v: { $chunks: [1], type: 'Float32Array', length: 1 } }],
    });
    expect(chunks.map((c) => c.byteLength)).toEqual([12, 4]);
  });

  it('cuts an array longer than maxChunkBytes at element boundaries', () => {
    const values = Float64Array.from({ length: 10 }, (_, i) => i);
    const { skeleton, chunks } = encodeModel({ values }, { maxChunkBytes: 20 });
    // 20 bytes hold two whole Float64 elements.
    expect((skeleton as { values: ChunkRef }).values.$chunks).toEqual([0, 1, 2, 3, 4]);
    expect(chunks.every((c) => c.byteLength === 16)).toBe(true);
    expect(roundTrip({ values }, { maxChunkBytes: 20 })).toStrictEqual({ values });
  });

  it('gives an empty typed array no chunk at all', () => {
    const { skeleton, chunks } = encodeModel({ e: new Uint16Array(0) });
    expect(skeleton).toEqual({ e: { $chunks: [], type: 'Uint16Array', length: 0 } });
    expect(chunks).toEqual([]);
    expect(roundTrip({ e: new Uint16Array(0) })).toStrictEqual({ e: new Uint16Array(0) });
  });

  it('moves a long string array to chunks and keeps short ones inline', () => {
    const titles = ['Toy Story (1995)', 'a|b\tc\nd', '"quoted", comma', 'Amélie', '千と千尋の神隠し', '\u0000', '', '\ud800 lone'];
    const value = { titles, genreNames: ['Drama'] };
    const { skeleton, chunks } = encodeModel(value, { stringArrayChunkLength: 4, maxChunkBytes: 7 });
    expect((skeleton as { titles: ChunkRef }).titles).toMatchObject({ type: 'string[]', length: titles.length });
    expect((skeleton as { genreNames: unknown }).genreNames).toEqual(['Drama']);
    expect(chunks.length).toBeGreaterThan(1);
    // A multi-byte character may be cut between chunks; it is whole again after decoding.
    expect(roundTrip(value, { stringArrayChunkLength: 4, maxChunkBytes: 7 })).toStrictEqual(value);
  });

  it('keeps undefined, NaN, -0, null, booleans, a "__proto__" key and empty containers as they are', () => {
    const value = Object.fromEntries([
      ['u', undefined],
      ['nan', NaN],
      ['negZero', -0],
      ['n', null],
      ['t', true],
      ['__proto__', { x: 1 }],
      ['empty', {}],
      ['list', []],
    ]);
    const back = roundTrip(value) as Record<string, unknown>;
    expect(back).toStrictEqual(value);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toContain('__proto__');
  });

  it('names the path of data it cannot cache', () => {
    expect(() => encodeModel({ a: { when: new Date(0) } })).toThrow(/model\.a\.when: a Date/);
    expect(() => encodeModel({ m: new Map() })).toThrow(/model\.m: a Map/);
    expect(() => encodeModel({ f: [() => 1] })).toThrow(/model\.f\[0\]: a function/);
    expect(() => encodeModel({ b: 1n })).toThrow(/model\.b: a bigint/);
    expect(() => encodeModel({ d: new DataView(new ArrayBuffer(4)) })).toThrow(/model\.d: a DataView/);
    expect(() => encodeModel({ x: { $chunks: [] } })).toThrow(/model\.x: the key "\$chunks" is reserved/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = { back: cyclic };
    expect(() => encodeModel(cyclic)).toThrow(/model\.self\.back: it contains itself/);
  });

  it('encodes the same object twice when it is shared (not a cycle)', () => {
    const shared = Int8Array.of(1, -1);
    expect(roundTrip({ a: shared, b: shared })).toStrictEqual({ a: shared, b: shared });
  });
});

describe('standaloneChunk', () => {
  it('answers a view that spans its own ArrayBuffer unchanged', () => {
    const array = Int32Array.of(1, 2);
    expect(standaloneChunk(array)).toBe(array);
  });

  it('copies a subarray so that storing it does not drag along the whole buffer', () => {
    const big = Int32Array.from({ length: 1000 }, (_, i) => i);
    const chunk = standaloneChunk(big.subarray(10, 12));
    expect(chunk).toStrictEqual(Int32Array.of(10, 11));
    expect(chunk.buffer.byteLength).toBe(8);
  });

  it('copies a SharedArrayBuffer-backed array into a plain ArrayBuffer, which IndexedDB accepts', () => {
    const shared = new Float32Array(new SharedArrayBuffer(8));
    shared[1] = 2.5;
    const chunk = standaloneChunk(shared);
    expect(chunk.buffer).toBeInstanceOf(ArrayBuffer);
    expect(chunk).toStrictEqual(Float32Array.of(0, 2.5));
  });
});

describe('decodeModel', () => {
  it('rebuilds a single-chunk array on the chunk buffer itself (no copy)', () => {
    const chunk = new Uint8Array(Float32Array.of(1.5, 2).buffer);
    const back = decodeModel({ v: { $chunks: [0], type: 'Float32Array', length: 2 } }, () => chunk) as { v: Float32Array };
    expect(back.v).toStrictEqual(Float32Array.of(1.5, 2));
    expect(back.v.buffer).toBe(chunk.buffer);
  });

  it('rejects chunks whose bytes do not make the announced length', () => {
    const decode = () => decodeModel({ v: { $chunks: [0], type: 'Int32Array', length: 3 } }, () => new Uint8Array(8));
    expect(decode).toThrow(CacheFormatError);
    expect(decode).toThrow('model.v: expected 3 × Int32Array (12 bytes), found 8 bytes.');
  });

  it('rejects an unknown type, a missing chunk and a chunk used twice', () => {
    expect(() => decodeModel({ v: { $chunks: [0], type: 'Float128Array', length: 0 } }, () => new Uint8Array(0))).toThrow(/unknown array type "Float128Array"/);
    expect(() => decodeModel({ v: { $chunks: [0], type: 'Int8Array', length: 1 } }, () => undefined)).toThrow(/needs chunk 0, which is missing/);
    const twice = { a: { $chunks: [0], type: 'Int8Array', length: 1 }, b: { $chunks: [0], type: 'Int8Array', length: 1 } };
    expect(() => decodeModel(twice, () => Int8Array.of(1))).toThrow(/not a valid chunk id/);
  });
});
