import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { interactions } from '../../unit/evaluate/helpers';
import { toCsr } from '../../../src/lib/evaluate/interactions';
import { DEFAULT_IALS, fitIals, type HalfStepRequest } from '../../../src/lib/recommend/ials';
import { fitIalsParallel } from '../../../src/lib/parallel/parallel-stages';
import { runIalsRows } from '../../../src/lib/parallel/compute-tasks';
import type { ComputePool } from '../../../src/lib/parallel/compute-pool';

/** Runs each range on this thread through the pool interface, cloning as a thread boundary does. */
function pool(size: number, sharedMemory: boolean): ComputePool {
  const unused = () => Promise.reject(new Error('not used here'));
  return {
    size,
    sharedMemory,
    parseRatingsRange: unused,
    neighbours: unused,
    contentBars: () => Promise.reject(new Error('not used here')),
    contentNeighbours: unused,
    async ialsRows(request: HalfStepRequest, onRows: (rows: number) => void) {
      const cloned = structuredClone(request);
      await Promise.resolve();
      return structuredClone(runIalsRows(cloned, onRows));
    },
    dispose() {},
  };
}

const ratingsArb = fc.record({ users: fc.integer({ min: 1, max: 12 }), movies: fc.integer({ min: 1, max: 10 }) }).chain(({ users, movies }) =>
  fc.record({
    users: fc.constant(users),
    movies: fc.constant(movies),
    cells: fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: users - 1 }), fc.integer({ min: 0, max: movies - 1 }), fc.integer({ min: 1, max: 10 })), {
      minLength: 1,
      maxLength: 60,
      selector: ([u, m]) => `${u}:${m}`,
    }),
  }),
);

describe('iALS across threads', () => {
  it('gives bit-identical factors for any thread count, shared or copied, and any seed', async () => {
    await fc.assert(
      fc.asyncProperty(ratingsArb, fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.integer({ min: 0, max: 1000 }), async (r, threads, shared, seed) => {
        const x = interactions(
          r.cells.map(([u, m, half]) => [u, m, half / 2, 0]),
          r.users,
          r.movies,
        );
        const { byUser, byMovie } = toCsr(x);
        const params = { ...DEFAULT_IALS, factors: 3, iterations: 2, seed };
        const one = fitIals(byUser, byMovie, params);
        const many = await fitIalsParallel(pool(threads, shared), byUser, byMovie, params);
        expect(many.userFactors).toEqual(one.userFactors);
        expect(many.movieFactors).toEqual(one.movieFactors);
        for (const v of one.movieFactors) expect(Number.isFinite(v)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
