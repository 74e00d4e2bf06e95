import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBorrowedScores, borrowedFactor, borrowedFrom } from '../../../src/lib/recommend/borrowed-factors';
import type { MovieFactors } from '../../../src/lib/recommend/fold-in';
import type { Neighbours } from '../../../src/lib/types';

/** Factors, content lists (k slots, −1 padded) and rating counts for `n` movies, from fast-check. */
const world = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    f: fc.integer({ min: 1, max: 4 }),
    k: fc.integer({ min: 1, max: 4 }),
    factors: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * 4, maxLength: n * 4 }),
    lists: fc.array(fc.array(fc.record({ to: fc.integer({ min: 0, max: n - 1 }), s: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 4 }), {
      minLength: n,
      maxLength: n,
    }),
    ratings: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
    x: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 4, maxLength: 4 }),
  }),
);

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function build(w: World): { mf: MovieFactors; content: Neighbours } {
  const { n, f, k } = w;
  const mf: MovieFactors = {
    factors: f,
    movies: n,
    movieFactors: Float32Array.from({ length: n * f }, (_, q) => w.factors[q]),
    gram: new Float64Array(f * f),
    params: {} as MovieFactors['params'],
  };
  const index = new Int32Array(n * k).fill(-1);
  const similarity = new Float32Array(n * k);
  const count = new Int32Array(n);
  w.lists.forEach((list, j) => {
    list.slice(0, k).forEach((e, t) => {
      index[j * k + t] = e.to;
      similarity[j * k + t] = e.s;
    });
    count[j] = Math.min(k, list.length);
  });
  return { mf, content: { k, kind: 'cosine', minRatings: 0, movies: n, count, index, similarity, coCount: new Int32Array(n * k) } };
}

describe('borrowed factors', () => {
  it('a movie nobody rated scores the similarity-weighted mean of its rated neighbours’ scores (brute force)', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { mf, content } = build(w);
        const x = Float64Array.from(w.x.slice(0, w.f));
        const scores = new Float64Array(w.n).fill(NaN);
        const scored = addBorrowedScores(mf, content, w.ratings, x, scores);
        let expectScored = 0;
        for (let j = 0; j < w.n; j++) {
          // Brute force: each neighbour's own score y_i·x, weighted by similarity, over rated ones.
          let num = 0;
          let den = 0;
          for (let t = 0; t < content.count[j]; t++) {
            const i = content.index[j * w.k + t];
            const s = content.similarity[j * w.k + t];
            if (!(s > 0) || w.ratings[i] === 0) continue;
            let yx = 0;
            for (let q = 0; q < w.f; q++) yx += mf.movieFactors[i * w.f + q] * x[q];
            num += s * yx;
            den += s;
          }
          if (w.ratings[j] > 0 || den === 0) {
            expect(scores[j]).toBeNaN();
            expect(borrowedFactor(mf, content, w.ratings, j) === undefined || w.ratings[j] > 0).toBe(true);
            continue;
          }
          expectScored++;
          expect(scores[j]).toBeCloseTo(num / den, 9);
          // The named neighbours carry positive parts, largest first, and are rated content neighbours.
          const from = borrowedFrom(mf, borrowedFactor(mf, content, w.ratings, j)!, x, 10);
          for (let q = 1; q < from.length; q++) expect(from[q - 1].part).toBeGreaterThanOrEqual(from[q].part);
          for (const p of from) {
            expect(p.part).toBeGreaterThan(0);
            expect(w.ratings[p.movie]).toBeGreaterThan(0);
          }
        }
        expect(scored).toBe(expectScored);
      }),
      { numRuns: 200 },
    );
  });

  it('weights sum to one and the factor is their mix of the neighbours’ rows', () => {
    const mf: MovieFactors = {
      factors: 2,
      movies: 3,
      movieFactors: Float32Array.of(1, 0, 0, 1, 5, 5),
      gram: new Float64Array(4),
      params: {} as MovieFactors['params'],
    };
    const content: Neighbours = {
      k: 2,
      kind: 'cosine',
      minRatings: 0,
      movies: 3,
      count: Int32Array.of(0, 0, 2),
      index: Int32Array.of(-1, -1, -1, -1, 0, 1),
      similarity: Float32Array.of(0, 0, 0, 0, 0.75, 0.25),
      coCount: new Int32Array(6),
    };
    const b = borrowedFactor(mf, content, [4, 2, 0], 2)!;
    expect(Array.from(b.from)).toEqual([0, 1]);
    expect(Array.from(b.weights)).toEqual([0.75, 0.25]);
    expect(Array.from(b.factor)).toEqual([0.75, 0.25]);
    // Unrated neighbours lend nothing: with movie 1 unrated, all weight goes to movie 0.
    expect(Array.from(borrowedFactor(mf, content, [4, 0, 0], 2)!.factor)).toEqual([1, 0]);
    expect(borrowedFactor(mf, content, [0, 0, 0], 2)).toBeUndefined();
  });
});
