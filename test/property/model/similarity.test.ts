import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../../src/lib/matrix/csr';
import { buildIdMap, idsOf } from '../../../src/lib/matrix/id-map';
import { computeNeighbours, mergeNeighbours, neighboursOf } from '../../../src/lib/model/similarity';
import { batchOf, bruteNeighbours, csrToDense } from '../../support/brute-force';

/** A small rating matrix: distinct (user, movie) cells with half-star ratings. */
const ratingMatrix = fc.record({ users: fc.integer({ min: 1, max: 12 }), movies: fc.integer({ min: 1, max: 14 }) }).chain(({ users, movies }) =>
  fc.uniqueArray(
    fc.record({
      user: fc.integer({ min: 0, max: users - 1 }),
      movie: fc.integer({ min: 0, max: movies - 1 }),
      rating: fc.integer({ min: 1, max: 10 }).map((h) => h / 2),
      timestamp: fc.constant(0),
    }),
    { selector: (t) => `${t.user}:${t.movie}`, minLength: 1, maxLength: users * movies },
  ),
);

/** Cut points that split [0, n) into consecutive ranges. */
function partition(n: number, cuts: number[]): [number, number][] {
  const points = [...new Set(cuts.map((c) => c % (n + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...points.filter((p) => p > 0 && p < n), n];
  const out: [number, number][] = [];
  for (let t = 0; t + 1 < bounds.length; t++) out.push([bounds[t], bounds[t + 1]]);
  return out;
}

const options = fc.record({
  k: fc.integer({ min: 1, max: 6 }),
  kind: fc.constantFrom('cosine' as const, 'adjusted-cosine' as const),
  minRatings: fc.integer({ min: 1, max: 4 }),
});

describe('computeNeighbours (properties)', () => {
  it('any partition into movie ranges, merged, is bit-identical to one whole run', () => {
    fc.assert(
      fc.property(ratingMatrix, options, fc.array(fc.nat(), { maxLength: 5 }), fc.shuffledSubarray([0, 1, 2]), (triples, opts, cuts, order) => {
        const batches = [batchOf(triples)];
        const users = buildIdMap(idsOf(batches, 'userIds'));
        const movies = buildIdMap(idsOf(batches, 'movieIds'));
        const { byUser, byMovie } = buildCsr(batches, users, movies, { maxChunkBytes: 32 });
        const whole = computeNeighbours(byMovie, byUser, opts);
        const parts = partition(byMovie.rows, cuts).map((r) => computeNeighbours(byMovie, byUser, { ...opts, movieRange: r }));
        // The merge must not depend on the order the workers finish in.
        if (order.length > 0) parts.reverse();
        const merged = mergeNeighbours(parts);
        expect(merged.count).toEqual(whole.count);
        expect(merged.index).toEqual(whole.index);
        expect(Array.from(merged.similarity, (s) => (Object.is(s, -0) ? 'neg0' : s))).toEqual(
          Array.from(whole.similarity, (s) => (Object.is(s, -0) ? 'neg0' : s)),
        );
        expect(merged.coCount).toEqual(whole.coCount);
      }),
      { numRuns: 120 },
    );
  });

  it('agrees with the dense brute force on similarities and co-counts', () => {
    fc.assert(
      fc.property(ratingMatrix, options, (triples, opts) => {
        const batches = [batchOf(triples)];
        const users = buildIdMap(idsOf(batches, 'userIds'));
        const movies = buildIdMap(idsOf(batches, 'movieIds'));
        const { byUser, byMovie } = buildCsr(batches, users, movies);
        const nb = computeNeighbours(byMovie, byUser, opts);
        const dense = csrToDense(byUser);
        const ref = bruteNeighbours(dense, byMovie.rows, opts.kind, opts.k, opts.minRatings);
        const all = bruteNeighbours(dense, byMovie.rows, opts.kind, byMovie.rows, opts.minRatings);
        for (let i = 0; i < byMovie.rows; i++) {
          const ours = neighboursOf(nb, i);
          expect(ours.length).toBe(ref[i].length);
          const byIndex = new Map(all[i].map((e) => [e.index, e]));
          ours.forEach((e, t) => {
            expect(Math.abs(e.similarity - ref[i][t].similarity)).toBeLessThanOrEqual(1e-6);
            expect(byIndex.get(e.index)?.coCount).toBe(e.coCount);
          });
        }
      }),
      { numRuns: 120 },
    );
  });
});
