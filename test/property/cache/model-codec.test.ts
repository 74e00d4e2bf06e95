import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, standaloneChunk, typedArrayName } from '../../../src/lib/cache/model-codec';

/** Every typed array type, each possibly a subarray (non-zero byteOffset, shorter than its buffer). */
const typedArray = fc
  .oneof(
    fc.int8Array(),
    fc.uint8Array(),
    fc.uint8ClampedArray(),
    fc.int16Array(),
    fc.uint16Array(),
    fc.int32Array(),
    fc.uint32Array(),
    fc.float32Array(),
    fc.float64Array(),
    fc.bigInt64Array(),
    fc.bigUint64Array(),
  )
  .chain((array) => fc.tuple(fc.nat(array.length), fc.nat(array.length)).map(([a, b]) => array.subarray(Math.min(a, b), Math.max(a, b)) as ArrayBufferView));

const leaf = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string({ unit: 'binary' }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  typedArray,
  fc.array(fc.string({ unit: 'binary' }), { maxLength: 8 }),
);

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('tree'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.string().filter((k) => k !== '$chunks'),
    tie('tree'),
    { maxKeys: 4, noNullPrototype: true },
  ),
}));

describe('model codec (property)', () => {
  it('decode(encode(x)) equals x, typed array types and bytes included, through structured clone, for any chunk size', () => {
    fc.assert(
      fc.property(tree, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 3 }), (value, maxChunkBytes, stringArrayChunkLength) => {
        const { skeleton, chunks } = encodeModel(value, { maxChunkBytes, stringArrayChunkLength });
        for (const chunk of chunks) {
          // Cut at element boundaries: over maxChunkBytes only when one element is larger.
          const elementBytes = typedArrayName(chunk) ? (chunk as Uint8Array).BYTES_PER_ELEMENT : 1;
          expect(chunk.byteLength).toBeLessThanOrEqual(Math.max(maxChunkBytes, elementBytes));
          expect(chunk.byteLength).toBeGreaterThan(0);
        }
        const stored = chunks.map((c) => structuredClone(standaloneChunk(c)));
        const back = decodeModel(structuredClone(skeleton), (id) => stored[id]);
        expect(back).toStrictEqual(value);
        expectSameTypedArrays(back, value);
      }),
      { numRuns: 300 },
    );
  });
});

/** toStrictEqual compares typed array type and elements; this also insists on identical bytes (NaN payloads). */
function expectSameTypedArrays(actual: unknown, expected: unknown): void {
  if (ArrayBuffer.isView(expected)) {
    const a = actual as ArrayBufferView;
    expect(typedArrayName(a)).toBe(typedArrayName(expected));
    expect(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).toEqual(new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    for (const [key, value] of Object.entries(expected)) expectSameTypedArrays((actual as Record<string, unknown>)[key], value);
  }
}
