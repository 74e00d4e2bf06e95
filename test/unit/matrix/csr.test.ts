import { describe, expect, it } from 'vitest';
import { buildCsr, rowEntries, rowLengths, rowLocator, rowSpan } from '../../../src/lib/matrix/csr';
import { buildIdMap, idsOf } from '../../../src/lib/matrix/id-map';
import { CancelledError } from '../../../src/lib/types';
import { batchOf, csrEntries, type Triple } from '../../support/brute-force';

function build(triples: Triple[], maxChunkBytes?: number) {
  const batches = [batchOf(triples)];
  const users = buildIdMap(idsOf(batches, 'userIds'));
  const movies = buildIdMap(idsOf(batches, 'movieIds'));
  return { users, movies, ...buildCsr(batches, users, movies, { maxChunkBytes }) };
}

describe('buildCsr', () => {
  it('keeps the latest of repeated ratings, the later line on equal timestamps (unsorted input)', () => {
    const { byUser, byMovie, duplicates } = build([
      { user: 10, movie: 5, rating: 3, timestamp: 100 },
      { user: 2, movie: 7, rating: 4, timestamp: 50 },
      { user: 10, movie: 5, rating: 4, timestamp: 90 }, // older: dropped
      { user: 10, movie: 5, rating: 1, timestamp: 100 }, // same time, later line: kept
      { user: 2, movie: 5, rating: 2, timestamp: 10 },
    ]);
    expect(duplicates).toBe(2);
    expect(byUser.nnz).toBe(3);
    // users [2, 10], movies [5, 7]
    expect(csrEntries(byUser)).toEqual([
      { row: 0, col: 0, value: 2, timestamp: 10 },
      { row: 0, col: 1, value: 4, timestamp: 50 },
      { row: 1, col: 0, value: 1, timestamp: 100 },
    ]);
    expect(csrEntries(byMovie)).toEqual([
      { row: 0, col: 0, value: 2, timestamp: undefined },
      { row: 0, col: 1, value: 1, timestamp: undefined },
      { row: 1, col: 0, value: 4, timestamp: undefined },
    ]);
    expect(byMovie.chunks[0].timestamps).toBeUndefined();
  });

  it('keeps the latest of adjacent repeats in sorted input (the MovieLens layout)', () => {
    const { byUser, duplicates } = build([
      { user: 1, movie: 1, rating: 5, timestamp: 300 },
      { user: 1, movie: 1, rating: 2, timestamp: 200 },
      { user: 1, movie: 2, rating: 3, timestamp: 1 },
      { user: 2, movie: 2, rating: 4, timestamp: 7 },
    ]);
    expect(duplicates).toBe(1);
    expect(csrEntries(byUser).map((e) => [e.row, e.col, e.value, e.timestamp])).toEqual([
      [0, 0, 5, 300],
      [0, 1, 3, 1],
      [1, 1, 4, 7],
    ]);
  });

  it('gives empty rows to ids in the maps that nobody rated', () => {
    const batches = [batchOf([{ user: 1, movie: 2, rating: 4, timestamp: 1 }])];
    const users = buildIdMap(idsOf(batches, 'userIds'));
    const movies = buildIdMap([...idsOf(batches, 'movieIds'), Int32Array.of(1, 3)]);
    const { byMovie } = buildCsr(batches, users, movies);
    expect(byMovie.rows).toBe(3);
    expect(Array.from(rowLengths(byMovie))).toEqual([0, 1, 0]);
  });

  it('splits rows into chunks within maxChunkBytes, a too-long row alone', () => {
    const triples: Triple[] = [];
    for (let m = 1; m <= 20; m++) triples.push({ user: 1, movie: m, rating: 3, timestamp: m });
    for (let u = 2; u <= 9; u++) triples.push({ user: u, movie: u, rating: 4, timestamp: u });
    const { byUser } = build(triples, 16); // 4 entries per array
    expect(byUser.chunks[0].rowCount).toBe(1); // the 20-rating user, alone
    expect(byUser.chunks[0].indices.length).toBe(20);
    for (const ch of byUser.chunks.slice(1)) {
      expect(ch.indptr.byteLength).toBeLessThanOrEqual(16);
      expect(ch.indices.byteLength).toBeLessThanOrEqual(16);
    }
    expect(byUser.chunks.slice(1).map((c) => c.rowCount)).toEqual([3, 3, 2]);
    const loc = rowLocator(byUser);
    expect(Array.from(loc)).toEqual([0, 1, 1, 1, 2, 2, 2, 3, 3]);
    const span = rowSpan(byUser, loc, 5);
    expect(span.chunk).toBe(byUser.chunks[2]);
    expect(span.end - span.start).toBe(1);
    const row = rowEntries(byUser, loc, 5);
    expect(Array.from(row.indices)).toEqual([5]); // user 6 rated movie 6
    expect(Array.from(row.timestamps!)).toEqual([6]);
  });

  it('names the missing id when the maps do not cover the ratings', () => {
    const batches = [batchOf([{ user: 1, movie: 2, rating: 4, timestamp: 1 }])];
    expect(() => buildCsr(batches, { ids: Int32Array.of(1) }, { ids: Int32Array.of(3) })).toThrow(/movie id 2/);
  });

  it('reports progress up to the total and stops when cancelled', () => {
    const triples: Triple[] = [];
    for (let u = 1; u <= 50; u++) triples.push({ user: u, movie: (u * 7) % 13, rating: 3, timestamp: u });
    const batches = [batchOf(triples)];
    const users = buildIdMap(idsOf(batches, 'userIds'));
    const movies = buildIdMap(idsOf(batches, 'movieIds'));
    const seen: [number, number][] = [];
    buildCsr(batches, users, movies, { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen.at(-1)![0]).toBe(seen.at(-1)![1]);
    for (let s = 1; s < seen.length; s++) expect(seen[s][0]).toBeGreaterThanOrEqual(seen[s - 1][0]);
    const cancel = () => {
      throw new CancelledError();
    };
    expect(() => buildCsr(batches, users, movies, { check: cancel })).toThrow(CancelledError);
  });
});
