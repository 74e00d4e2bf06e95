import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { manifestFromJson, manifestToJson, type ModelFileManifest } from '../../../src/lib/cache/model-file';

describe('the model file manifest as JSON', () => {
  it('gives back any skeleton value exactly, NaN, ±Infinity, -0 and undefined in arrays included', () => {
    const leaf = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0), fc.string(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(fc.oneof(tie('node'), fc.constant(undefined))),
        fc.dictionary(fc.string(), tie('node'), { noNullPrototype: true }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (skeleton) => {
        const manifest = { sections: { model: { skeleton, chunks: [] } } } as unknown as ModelFileManifest;
        const back = manifestFromJson(manifestToJson(manifest)) as ModelFileManifest;
        expect(back.sections.model.skeleton).toStrictEqual(skeleton);
      }),
      { numRuns: 300 },
    );
  });

  it('is not fooled by an object that only looks like an escaped number', () => {
    const skeleton = { a: { $json: 'NaN', other: 1 }, b: { $json: 'nope' } };
    const back = manifestFromJson(manifestToJson({ sections: { model: { skeleton, chunks: [] } } } as unknown as ModelFileManifest)) as ModelFileManifest;
    expect(back.sections.model.skeleton).toStrictEqual(skeleton);
  });

  it('answers undefined for text that is not JSON', () => {
    expect(manifestFromJson('{"format": ')).toBeUndefined();
  });
});
