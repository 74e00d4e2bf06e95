import { describe, expect, it } from 'vitest';
import { closestInTasteSpace } from '../../../src/lib/recommend/taste-space';
import { factorGraph } from '../../../src/lib/explore/taste-map';
import type { MovieFactors } from '../../../src/lib/recommend/fold-in';
import { DEFAULT_IALS } from '../../../src/lib/recommend/ials';

const f = 3;
// Movies 0 and 2 point the same way; 1 is orthogonal; 3 is opposite to 0; 4 is 0 scaled.
const rows = [
  [1, 0, 0],
  [0, 1, 0],
  [0.9, 0.1, 0],
  [-1, 0, 0],
  [3, 0, 0],
];
const mf: MovieFactors = { factors: f, movies: rows.length, movieFactors: Float32Array.from(rows.flat()), gram: new Float64Array(f * f), params: DEFAULT_IALS };

function cosine(a: number[], b: number[]): number {
  const dot = a.reduce((s, v, t) => s + v * b[t], 0);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
}

describe('closest in taste space', () => {
  it('ranks by the cosine of factor vectors, leaving out the movie itself and rarely rated ones', () => {
    const counts = Int32Array.of(10, 10, 10, 10, 2);
    const got = closestInTasteSpace(mf, 0, counts, 10, 5);
    const expected = [1, 2, 3].map((j) => ({ movie: j, similarity: cosine(rows[0], rows[j]) })).sort((a, b) => b.similarity - a.similarity);
    expect(got.map((n) => n.movie)).toEqual(expected.map((n) => n.movie));
    got.forEach((n, t) => expect(n.similarity).toBeCloseTo(expected[t].similarity, 6));
    // With no minimum, the scaled copy (cosine 1) comes first.
    expect(closestInTasteSpace(mf, 0, counts, 1, 0)[0]).toEqual({ movie: 4, similarity: 1 });
  });

  it('factorGraph lists each point first, then its nearest by factor cosine', () => {
    const g = factorGraph(mf, Int32Array.of(0, 1, 2, 3), 3);
    expect(g.indices[0]).toEqual([0, 2, 1]);
    expect(g.distances[0][1]).toBeCloseTo(1 - cosine(rows[0], rows[2]), 6);
    expect(g.indices[3][0]).toBe(3);
  });
});
