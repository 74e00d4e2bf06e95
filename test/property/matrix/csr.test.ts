import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCsr, rowLocator } from '../../../src/lib/matrix/csr';
import { buildIdMap, createIndexer, idsOf } from '../../../src/lib/matrix/id-map';
import type { ChunkedCsr } from '../../../src/lib/types';
import { batchesOf, csrEntries, dedupLatest, type Triple } from '../../support/brute-force';

// Raw ids with gaps, and one beyond the lookup-table limit so the Map path is explored too.
const rawUser = fc.constantFrom(1, 2, 3, 17, 400, 9000);
const rawMovie = fc.constantFrom(1, 2, 5, 858, 1221, 60_000_000);
const triple = fc.record({
  user: rawUser,
  movie: rawMovie,
  rating: fc.integer({ min: 1, max: 10 }).map((h) => h / 2),
  timestamp: fc.integer({ min: 0, max: 5 }), // few values: equal timestamps are common
});

function checkStructure(csr: ChunkedCsr, maxChunkBytes: number): void {
  let nextRow = 0;
  let nnz = 0;
  for (const ch of csr.chunks) {
    expect(ch.firstRow).toBe(nextRow);
    expect(ch.indptr.length).toBe(ch.rowCount + 1);
    expect(ch.indptr[0]).toBe(0);
    expect(ch.indices.length).toBe(ch.indptr[ch.rowCount]);
    if (ch.rowCount > 1) {
      for (const arr of [ch.indptr, ch.indices, ch.values, ch.timestamps]) {
        if (arr) expect(arr.byteLength).toBeLessThanOrEqual(maxChunkBytes);
      }
    }
    for (let r = 0; r < ch.rowCount; r++) {
      for (let p = ch.indptr[r] + 1; p < ch.indptr[r + 1]; p++) expect(ch.indices[p]).toBeGreaterThan(ch.indices[p - 1]);
    }
    nextRow += ch.rowCount;
    nnz += ch.indices.length;
  }
  expect(nextRow).toBe(csr.rows);
  expect(nnz).toBe(csr.nnz);
  expect(rowLocator(csr).length).toBe(csr.rows);
}

describe('buildCsr (properties)', () => {
  it('both orientations hold exactly the input minus repeats (latest kept), sorted and chunked', () => {
    fc.assert(
      fc.property(
        fc.array(triple, { maxLength: 60 }),
        // As given; sorted by user then movie (the MovieLens layout, repeats adjacent); sorted with
        // no repeats (every MovieLens release: buildCsr's block-copy path).
        fc.constantFrom('as given', 'sorted', 'unique'),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom(8, 64, 4096, undefined),
        (input, order, batchSize, maxChunkBytes) => {
          const once = order === 'unique' ? [...new Map(input.map((t) => [`${t.user}:${t.movie}`, t])).values()] : input;
          const triples = order === 'as given' ? input : [...once].sort((a, b) => a.user - b.user || a.movie - b.movie);
          const batches = batchesOf(triples, batchSize);
          const users = buildIdMap(idsOf(batches, 'userIds'));
          const movies = buildIdMap(idsOf(batches, 'movieIds'));
          const { byUser, byMovie, duplicates } = buildCsr(batches, users, movies, { maxChunkBytes });

          const ref = dedupLatest(triples);
          expect(duplicates).toBe(ref.duplicates);
          const key = (t: Triple) => `${t.user}:${t.movie}:${t.rating}:${t.timestamp}`;
          const expected = ref.kept.map(key).sort();
          const fromUser = csrEntries(byUser)
            .map((e) => key({ user: users.ids[e.row], movie: movies.ids[e.col], rating: e.value, timestamp: e.timestamp! }))
            .sort();
          expect(fromUser).toEqual(expected);
          const noTime = (t: Triple) => `${t.user}:${t.movie}:${t.rating}`;
          const fromMovie = csrEntries(byMovie)
            .map((e) => noTime({ user: users.ids[e.col], movie: movies.ids[e.row], rating: e.value, timestamp: 0 }))
            .sort();
          expect(fromMovie).toEqual(ref.kept.map(noTime).sort());

          checkStructure(byUser, maxChunkBytes ?? Infinity);
          checkStructure(byMovie, maxChunkBytes ?? Infinity);
          expect([byUser.rows, byUser.cols, byMovie.rows, byMovie.cols]).toEqual([users.ids.length, movies.ids.length, movies.ids.length, users.ids.length]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('id maps round-trip every id', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 2_000_000_000 }), { maxLength: 40 }), (ids) => {
        const map = buildIdMap([Int32Array.from(ids)]);
        const index = createIndexer(map);
        const unique = [...new Set(ids)].sort((a, b) => a - b);
        expect(Array.from(map.ids)).toEqual(unique);
        unique.forEach((id, i) => expect(index(id)).toBe(i));
      }),
      { numRuns: 100 },
    );
  });
});
