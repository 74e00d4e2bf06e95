import { describe, expect, it } from 'vitest';
import { runParseRange } from '../../../src/lib/parallel/compute-tasks';

describe('runParseRange', () => {
  it('returns its batches on shared memory, so a pool thread posts them without copying or detaching a buffer', async () => {
    const csv = 'userId,movieId,rating,timestamp\n1,10,4.5,100\n2,20,3,200\n';
    const blob = new Blob([csv]);
    const result = await runParseRange({ file: { name: 'ratings.csv', blob }, range: { start: 0, end: blob.size } }, () => {});
    const [b] = result.batches;
    expect(result.rows).toBe(2);
    expect(Array.from(b.userIds.subarray(0, b.count))).toEqual([1, 2]);
    expect(Array.from(b.movieIds.subarray(0, b.count))).toEqual([10, 20]);
    expect(Array.from(b.ratings.subarray(0, b.count))).toEqual([4.5, 3]);
    for (const column of [b.userIds, b.movieIds, b.ratings, b.timestamps]) expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
