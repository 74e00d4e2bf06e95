import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hybridNeighbours } from '../../../src/lib/recommend/hybrid-similarity';
import type { Neighbours } from '../../../src/lib/types';

/** Top-k lists (similarity desc, index asc, positive only) of a symmetric n × n matrix. */
function topK(sim: number[][], k: number): Neighbours {
  const n = sim.length;
  const nb: Neighbours = {
    k,
    kind: 'cosine',
    minRatings: 1,
    movies: n,
    count: new Int32Array(n),
    index: new Int32Array(n * k).fill(-1),
    similarity: new Float32Array(n * k),
    coCount: new Int32Array(n * k),
  };
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i && sim[i][j] > 0);
    row.sort((a, b) => sim[i][b] - sim[i][a] || a - b);
    row.slice(0, k).forEach((j, t) => {
      nb.index[i * k + t] = j;
      nb.similarity[i * k + t] = sim[i][j];
      nb.coCount[i * k + t] = 1 + ((i + j) % 7);
    });
    nb.count[i] = Math.min(k, row.length);
  }
  return nb;
}

/** A symmetric matrix of float32 similarities in [0, 1], about half of them 0. */
const symmetric = (n: number) =>
  fc
    .array(
      fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 64 }).map((q) => q / 64),
      ),
      { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 },
    )
    .map((cells) => {
      const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      let c = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i][j] = m[j][i] = cells[c++];
      return m;
    });

const world = fc.integer({ min: 2, max: 12 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    cf: symmetric(n),
    content: symmetric(n),
    cfK: fc.integer({ min: 1, max: 6 }),
    contentK: fc.integer({ min: 1, max: 6 }),
    ratings: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: n, maxLength: n }),
    beta: fc.constantFrom(0, 0.5, 1, 5, 50),
    movie: fc.nat(n - 1),
    limit: fc.integer({ min: 0, max: 12 }),
  }),
);

describe('hybridNeighbours (property)', () => {
  it('every blend lies between its two parts, is α·collaborative + (1 − α)·content, and the list is sorted, distinct and bounded', () => {
    fc.assert(
      fc.property(world, (w) => {
        const cf = topK(w.cf, w.cfK);
        const content = topK(w.content, w.contentK);
        const list = hybridNeighbours({ neighbours: cf, content, ratings: w.ratings }, w.movie, { beta: w.beta }, w.limit);
        expect(list.length).toBeLessThanOrEqual(w.limit);
        expect(new Set(list.map((x) => x.movie)).size).toBe(list.length);
        for (let t = 0; t < list.length; t++) {
          const x = list[t];
          expect(x.movie).not.toBe(w.movie);
          expect(x.alpha).toBeGreaterThanOrEqual(0);
          expect(x.alpha).toBeLessThanOrEqual(1);
          expect(x.blend).toBeGreaterThan(0);
          expect(x.blend).toBeGreaterThanOrEqual(Math.min(x.collaborative, x.content) - 1e-12);
          expect(x.blend).toBeLessThanOrEqual(Math.max(x.collaborative, x.content) + 1e-12);
          expect(x.blend).toBeCloseTo(x.alpha * x.collaborative + (1 - x.alpha) * x.content, 12);
          // Each part is the true similarity when either list holds the pair, else 0.
          const listed = (nb: Neighbours, a: number, b: number) => Array.from(nb.index.subarray(a * nb.k, a * nb.k + nb.count[a])).includes(b);
          const inCf = listed(cf, w.movie, x.movie) || listed(cf, x.movie, w.movie);
          const inContent = listed(content, w.movie, x.movie) || listed(content, x.movie, w.movie);
          expect(x.collaborative).toBe(inCf ? w.cf[w.movie][x.movie] : 0);
          expect(x.content).toBe(inContent ? w.content[w.movie][x.movie] : 0);
          if (t > 0) {
            const prev = list[t - 1];
            expect(prev.blend > x.blend || (prev.blend === x.blend && prev.movie < x.movie)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('no ratings: the content list itself; more ratings never lower the collaborative share', () => {
    fc.assert(
      fc.property(world, (w) => {
        const cf = topK(w.cf, w.cfK);
        const content = topK(w.content, w.contentK);
        const unrated = w.ratings.slice();
        unrated[w.movie] = 0;
        const list = hybridNeighbours({ neighbours: cf, content, ratings: unrated }, w.movie, { beta: w.beta }, 100);
        const own = Array.from(content.index.subarray(w.movie * content.k, w.movie * content.k + content.count[w.movie]));
        // Content-only: every movie of the content list, in its order (more may follow from others' lists).
        expect(list.slice(0, own.length).map((x) => x.movie)).toEqual(own);
        for (const x of list) expect(x.blend).toBe(x.content);
        const more = w.ratings.slice();
        more[w.movie] += 10;
        const a0 = hybridNeighbours({ neighbours: cf, content, ratings: w.ratings }, w.movie, { beta: w.beta }, 1)[0]?.alpha;
        const a1 = hybridNeighbours({ neighbours: cf, content, ratings: more }, w.movie, { beta: w.beta }, 1)[0]?.alpha;
        if (a0 !== undefined && a1 !== undefined) expect(a1).toBeGreaterThanOrEqual(a0);
      }),
      { numRuns: 300 },
    );
  });
});
