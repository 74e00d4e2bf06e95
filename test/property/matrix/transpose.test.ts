import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCsr, transposeCsr } from '../../../src/lib/matrix/csr';
import { buildIdMap, idsOf } from '../../../src/lib/matrix/id-map';
import type { ChunkedCsr } from '../../../src/lib/types';
import { batchesOf, csrEntries } from '../../support/brute-force';

const triple = fc.record({
  user: fc.integer({ min: 1, max: 12 }),
  movie: fc.integer({ min: 1, max: 15 }),
  rating: fc.integer({ min: 1, max: 10 }).map((h) => h / 2),
  timestamp: fc.integer({ min: 0, max: 1000 }),
});

/** The matrix as plain data, without timestamps, in a form that compares chunking-independently. */
function entriesOf(csr: ChunkedCsr): string[] {
  return csrEntries(csr).map((e) => `${e.row}:${e.col}:${e.value}`);
}

function withoutTimes(csr: ChunkedCsr): ChunkedCsr {
  return { ...csr, chunks: csr.chunks.map(({ timestamps: _t, ...rest }) => rest) };
}

describe('transposeCsr (properties)', () => {
  it('transposed twice gives the original (without timestamps), in any chunking', () => {
    fc.assert(
      fc.property(fc.array(triple, { maxLength: 80 }), fc.constantFrom(8, 32, 4096, undefined), fc.constantFrom(8, 64, undefined), (triples, maxA, maxB) => {
        const batches = batchesOf(triples, 7);
        const users = buildIdMap(idsOf(batches, 'userIds'));
        const movies = buildIdMap(idsOf(batches, 'movieIds'));
        const { byUser, byMovie } = buildCsr(batches, users, movies, { maxChunkBytes: maxA });
        const t = transposeCsr(byUser, { maxChunkBytes: maxB });
        expect([t.rows, t.cols, t.nnz]).toEqual([byUser.cols, byUser.rows, byUser.nnz]);
        expect(t.chunks.every((c) => c.timestamps === undefined)).toBe(true);
        // Rows of the result have ascending columns, and it equals buildCsr's own movie-major matrix.
        for (const ch of t.chunks) {
          for (let r = 0; r < ch.rowCount; r++) {
            for (let p = ch.indptr[r] + 1; p < ch.indptr[r + 1]; p++) expect(ch.indices[p]).toBeGreaterThan(ch.indices[p - 1]);
          }
        }
        expect(entriesOf(t)).toEqual(entriesOf(byMovie));
        const back = transposeCsr(t, { maxChunkBytes: maxA });
        expect(entriesOf(back)).toEqual(entriesOf(withoutTimes(byUser)));
        expect([back.rows, back.cols, back.nnz]).toEqual([byUser.rows, byUser.cols, byUser.nnz]);
      }),
      { numRuns: 150 },
    );
  });

  it('carries timestamps when asked, and on shared memory when asked', () => {
    const triples = [
      { user: 1, movie: 2, rating: 4, timestamp: 10 },
      { user: 2, movie: 1, rating: 3.5, timestamp: 20 },
      { user: 2, movie: 2, rating: 1, timestamp: 30 },
    ];
    const batches = batchesOf(triples, 2);
    const { byUser } = buildCsr(batches, buildIdMap(idsOf(batches, 'userIds')), buildIdMap(idsOf(batches, 'movieIds')));
    const t = transposeCsr(byUser, { timestamps: true, shared: true });
    expect(csrEntries(t).map((e) => [e.row, e.col, e.value, e.timestamp])).toEqual([
      [0, 1, 3.5, 20],
      [1, 0, 4, 10],
      [1, 1, 1, 30],
    ]);
    expect(t.chunks[0].indices.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(() => transposeCsr(transposeCsr(byUser), { timestamps: true })).toThrow(/timestamps/);
  });
});
