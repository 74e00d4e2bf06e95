import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { factorNeighbours, type FactorTable } from '../../../src/lib/recommend/factor-neighbours';
import { mergeNeighbours, neighboursOf } from '../../../src/lib/model/similarity';
import { Sfc32 } from '../../../src/lib/synthetic/prng';

/** Brute force: every other movie's cosine, positive ones only, best first, ties to the lower index. */
function bruteForce(t: FactorTable, k: number): { index: number; similarity: number }[][] {
  const f = t.factors;
  const norm = (i: number) => Math.sqrt(Array.from(t.movieFactors.subarray(i * f, (i + 1) * f)).reduce((s, v) => s + v * v, 0));
  return Array.from({ length: t.movies }, (_, i) => {
    const out: { index: number; similarity: number }[] = [];
    for (let j = 0; j < t.movies; j++) {
      if (j === i || norm(i) === 0 || norm(j) === 0) continue;
      let dot = 0;
      for (let q = 0; q < f; q++) dot += (t.movieFactors[i * f + q] / norm(i)) * (t.movieFactors[j * f + q] / norm(j));
      const s = Math.fround(dot);
      if (s > 0) out.push({ index: j, similarity: s });
    }
    out.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
    return out.slice(0, k);
  });
}

function randomTable(movies: number, factors: number, seed: number, zeroRows: number[] = []): FactorTable {
  const rng = new Sfc32(seed);
  const movieFactors = new Float32Array(movies * factors);
  for (let i = 0; i < movieFactors.length; i++) movieFactors[i] = rng.nextFloat() - 0.4;
  for (const r of zeroRows) movieFactors.fill(0, r * factors, (r + 1) * factors);
  return { movies, factors, movieFactors };
}

describe('factorNeighbours: top-K by the cosine of factor vectors', () => {
  it('matches brute force, positive similarities only, zero vectors left out', () => {
    const t = randomTable(23, 5, 7, [4, 11]);
    const nb = factorNeighbours(t, { k: 6 });
    const expected = bruteForce(t, 6);
    for (let i = 0; i < t.movies; i++) {
      const got = neighboursOf(nb, i);
      expect(
        got.map((g) => g.index),
        `movie ${i}`,
      ).toEqual(expected[i].map((e) => e.index));
      got.forEach((g, r) => expect(g.similarity).toBeCloseTo(expected[i][r].similarity, 6));
    }
    expect(nb.count[4]).toBe(0);
    expect(Array.from(nb.index).includes(11)).toBe(false);
  });

  it('any partition of the movies merges into exactly the whole run (so threads may split it)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 8 }), fc.integer(), (movies, factors, k, seed) => {
        const t = randomTable(movies, factors, seed);
        const whole = factorNeighbours(t, { k });
        const cut = (seed >>> 0) % movies;
        const merged = mergeNeighbours([factorNeighbours(t, { k, movieRange: [0, cut] }), factorNeighbours(t, { k, movieRange: [cut, movies] })]);
        expect(merged.index).toEqual(whole.index);
        expect(merged.similarity).toEqual(whole.similarity);
        expect(merged.count).toEqual(whole.count);
      }),
      { numRuns: 60 },
    );
  });

  it('reports progress over the range and stops when cancelled', () => {
    const t = randomTable(40, 3, 1);
    const seen: number[] = [];
    factorNeighbours(t, { k: 3, onProgress: (done, total) => (expect(total).toBe(40), seen.push(done)) });
    expect(seen.at(-1)).toBe(40);
    expect(() =>
      factorNeighbours(t, {
        check: () => {
          throw new Error('cancelled');
        },
      }),
    ).toThrow('cancelled');
  });
});
