import { describe, expect, it } from 'vitest';
import { buildIdMap, createIndexer, idsOf, lookupTable } from '../../../src/lib/matrix/id-map';
import { batchOf } from '../../support/brute-force';

describe('buildIdMap', () => {
  it('collects the sorted unique ids of every column', () => {
    const map = buildIdMap([Int32Array.of(30, 10, 30), Int32Array.of(20, 10), new Int32Array(0)]);
    expect(Array.from(map.ids)).toEqual([10, 20, 30]);
  });

  it('handles ids too large for a lookup table, and negative ids', () => {
    const map = buildIdMap([Int32Array.of(2_000_000_000, -5, 7, 2_000_000_000)]);
    expect(Array.from(map.ids)).toEqual([-5, 7, 2_000_000_000]);
    expect(lookupTable(map)).toBeNull();
    const index = createIndexer(map);
    expect([index(-5), index(7), index(2_000_000_000), index(8)]).toEqual([0, 1, 2, -1]);
  });

  it('is empty for no ids', () => {
    expect(buildIdMap([]).ids.length).toBe(0);
    expect(createIndexer(buildIdMap([]))(1)).toBe(-1);
  });
});

describe('createIndexer', () => {
  it('maps raw ids to dense indices and unknown ids to -1', () => {
    const index = createIndexer({ ids: Int32Array.of(1, 5, 858, 1221) });
    expect([index(1), index(5), index(858), index(1221)]).toEqual([0, 1, 2, 3]);
    expect([index(0), index(2), index(1222), index(-1), index(1e9)]).toEqual([-1, -1, -1, -1, -1]);
  });
});

describe('idsOf', () => {
  it('takes only the filled part of each batch', () => {
    const b = batchOf(
      [
        { user: 4, movie: 9, rating: 3, timestamp: 1 },
        { user: 2, movie: 8, rating: 3, timestamp: 1 },
      ],
      5,
    );
    expect(idsOf([b], 'userIds').map((a) => Array.from(a))).toEqual([[4, 2]]);
    expect(idsOf([b], 'movieIds').map((a) => Array.from(a))).toEqual([[9, 8]]);
  });
});
