import { describe, expect, it } from 'vitest';
import { movieColumnsOf } from '../../../src/lib/explore/movie-columns';
import {
  columnValues,
  idMapSample,
  memoryFootprint,
  movieColumn,
  neighboursOfOne,
  ratingsFileLines,
  ratingsFormatOf,
  storedSimilarity,
  summedRecommendations,
  userRowValues,
  workedCosine,
} from '../../../src/lib/explore/walkthrough';
import { computeNeighbours, neighboursOf, userMeans } from '../../../src/lib/model/similarity';
import { recommendFor } from '../../../src/lib/model/recommend';
import { weightedPopularity } from '../../../src/lib/model/popularity';
import { buildCsr } from '../../../src/lib/matrix/csr';
import { buildIdMap } from '../../../src/lib/matrix/id-map';
import { batchOf, csrEntries, type Triple } from '../../support/brute-force';
import type { SimilarityKind } from '../../../src/lib/types';
import { movies, tiny, users } from './fixture';

describe('movieColumnsOf', () => {
  it('is the transpose of byUser, users ascending within each movie', () => {
    const { byUser, byMovie } = tiny(8);
    const cols = movieColumnsOf(byUser);
    expect(Array.from(cols.indptr)).toEqual([0, 3, 6, 8, 10, 10]);
    expect(Array.from(cols.userIndex)).toEqual([0, 1, 3, 0, 2, 3, 1, 2, 0, 2]);
    expect(Array.from(cols.ratings)).toEqual([5, 4, 4.5, 3, 4, 5, 2.5, 0.5, 1, 2]);
    // the same entries as the pipeline's own movie-major build
    expect(csrEntries(byMovie).map((e) => [e.row, e.col, e.value])).toEqual(
      Array.from(cols.userIndex, (u, p) => [movieOf(cols.indptr, p), u, cols.ratings[p]]),
    );
  });
});

function movieOf(indptr: Int32Array, p: number): number {
  let m = 0;
  while (indptr[m + 1] <= p) m++;
  return m;
}

describe('step 1: ratingsFileLines', () => {
  it('writes the first ratings back in ratings.csv layout with raw ids', () => {
    expect(ratingsFileLines(tiny(8).byUser, users, movies, 4, 'csv')).toEqual([
      'userId,movieId,rating,timestamp',
      `1,10,5.0,${Date.UTC(2000, 0, 15) / 1000}`,
      `1,20,3.0,${Date.UTC(2000, 0, 15) / 1000}`,
      `1,40,1.0,${Date.UTC(2000, 1, 1) / 1000}`,
      `2,10,4.0,${Date.UTC(2000, 1, 1) / 1000}`,
    ]);
  });

  it('uses "::" for ratings.dat and tabs for u.data, without a header', () => {
    const { byUser } = tiny();
    expect(ratingsFileLines(byUser, users, movies, 1, 'dat')).toEqual([`1::10::5::${Date.UTC(2000, 0, 15) / 1000}`]);
    expect(ratingsFileLines(byUser, users, movies, 1, 'tab')).toEqual([`1\t10\t5\t${Date.UTC(2000, 0, 15) / 1000}`]);
    expect(ratingsFileLines(byUser, users, movies, 100, 'tab')).toHaveLength(10);
  });

  it('tells the format from the file names', () => {
    expect(ratingsFormatOf(['ratings.csv', 'movies.csv'])).toBe('csv');
    expect(ratingsFormatOf(['ml-1m/ratings.dat', 'ml-1m/movies.dat'])).toBe('dat');
    expect(ratingsFormatOf(['ml-100k/u.data', 'ml-100k/u.item'])).toBe('tab');
  });
});

describe('step 2: idMapSample', () => {
  it('shows the first rows, the last row and the largest id', () => {
    expect(idMapSample(users, 2)).toEqual({
      count: 4,
      head: [
        { index: 0, id: 1 },
        { index: 1, id: 2 },
      ],
      last: { index: 3, id: 9 },
      maxId: 9,
    });
  });
});

describe('step 3: movieColumn', () => {
  it('returns the offsets and the user indices and ratings of one movie', () => {
    const cols = movieColumnsOf(tiny().byUser);
    expect(movieColumn(cols, 1, 2)).toEqual({
      movie: 1,
      start: 3,
      end: 6,
      indptrFrom: 0,
      indptrValues: [0, 3, 6, 8, 10],
      userIndex: [0, 2],
      ratings: [3, 4],
    });
  });

  it('refuses a movie outside the matrix', () => {
    expect(() => movieColumn(movieColumnsOf(tiny().byUser), 5, 2)).toThrow(/outside 0..4/);
  });
});

describe('step 4: memoryFootprint', () => {
  it('compares users x movies x 8 bytes with the CSR arrays', () => {
    const m = memoryFootprint(movieColumnsOf(tiny().byUser));
    expect(m).toEqual({
      users: 4,
      movies: 5,
      nnz: 10,
      denseBytes: 4 * 5 * 8,
      indptrBytes: 6 * 4,
      indexBytes: 10 * 4,
      valueBytes: 10 * 4,
      sparseBytes: 24 + 40 + 40,
    });
  });
});

describe('step 5: workedCosine', () => {
  it('works movies 10 and 20 out by hand', () => {
    const cols = movieColumnsOf(tiny().byUser);
    const w = workedCosine(cols, cols.ratings, 0, 1, 'cosine', 10);
    // co-raters: user 1 (5, 3) and user 9 (4.5, 5)
    expect(w.coRaters).toEqual([
      { user: 0, xi: 5, xj: 3, product: 15 },
      { user: 3, xi: 4.5, xj: 5, product: 22.5 },
    ]);
    expect(w.dot).toBe(37.5);
    expect(w.normI).toBeCloseTo(Math.sqrt(25 + 16 + 20.25), 12);
    expect(w.normJ).toBeCloseTo(Math.sqrt(9 + 16 + 25), 12);
    expect(w.cosine).toBeCloseTo(37.5 / (Math.sqrt(61.25) * Math.sqrt(50)), 12);
    expect(w).toMatchObject({ coCount: 2, ratersI: 3, ratersJ: 3 });
  });

  it('truncates the table but not the sums', () => {
    const cols = movieColumnsOf(tiny().byUser);
    const w = workedCosine(cols, cols.ratings, 0, 1, 'cosine', 1);
    expect(w.coRaters).toHaveLength(1);
    expect(w.dot).toBe(37.5);
  });

  for (const kind of ['cosine', 'adjusted-cosine'] as SimilarityKind[]) {
    it(`equals the similarity computeNeighbours stored, for every pair (${kind})`, () => {
      const { byUser, byMovie } = tiny(8);
      const cols = movieColumnsOf(byUser);
      const values = columnValues(cols, kind, userMeans(byUser));
      const nb = computeNeighbours(byMovie, byUser, { k: 4, kind });
      let checked = 0;
      for (let i = 0; i < 5; i++) {
        for (const n of neighboursOf(nb, i)) {
          const w = workedCosine(cols, values, i, n.index, kind, 10);
          expect(Math.fround(w.cosine)).toBe(n.similarity);
          expect(storedSimilarity(nb, n.index, i)).toBe(n.similarity);
          expect(w.coCount).toBe(n.coCount);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(6);
    });
  }

  it('centres by user means for adjusted cosine', () => {
    const { byUser } = tiny();
    const cols = movieColumnsOf(byUser);
    const values = columnValues(cols, 'adjusted-cosine', userMeans(byUser));
    // user 1's mean is 3: their ratings 5, 3, 1 become 2, 0, -2
    const w = workedCosine(cols, values, 0, 3, 'adjusted-cosine', 10);
    expect(w.coRaters[0]).toEqual({ user: 0, xi: 2, xj: -2, product: -4 });
  });

  it('finds nothing stored for a pair outside both top-K lists', () => {
    const nb = computeNeighbours(tiny().byMovie, tiny().byUser, { k: 1 });
    const kept = neighboursOf(nb, 0)[0].index;
    const other = [1, 2, 3].find((j) => j !== kept && neighboursOf(nb, j)[0]?.index !== 0)!;
    expect(storedSimilarity(nb, 0, other)).toBeUndefined();
  });
});

/** A random matrix of 25 users x 30 movies, a third filled, half stars, with a few popular movies. */
function randomTriples(seed: number): Triple[] {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out: Triple[] = [];
  for (let u = 1; u <= 25; u++) {
    for (let m = 1; m <= 30; m++) {
      if (rand() < (m < 5 ? 0.8 : 0.3)) out.push({ user: u, movie: m * 3, rating: Math.ceil(rand() * 10) / 2, timestamp: u * 1000 + m });
    }
  }
  return out;
}

describe('step 6: neighboursOfOne', () => {
  for (const kind of ['cosine', 'adjusted-cosine'] as SimilarityKind[]) {
    it(`lists exactly what computeNeighbours lists, for any k and minRatings (${kind})`, () => {
      for (const seed of [1, 2, 3]) {
        const triples = randomTriples(seed);
        const batch = batchOf(triples);
        const u = buildIdMap([batch.userIds]);
        const m = buildIdMap([batch.movieIds]);
        const { byUser, byMovie } = buildCsr([batch], u, m, { maxChunkBytes: 64 });
        const cols = movieColumnsOf(byUser);
        const means = userMeans(byUser);
        const values = columnValues(cols, kind, means);
        const rows = userRowValues(byUser, kind, means);
        for (const [k, minRatings] of [
          [5, 1],
          [3, 8],
          [40, 1],
        ]) {
          const nb = computeNeighbours(byMovie, byUser, { k, kind, minRatings });
          for (let i = 0; i < cols.movies; i++) {
            expect(neighboursOfOne(cols, byUser, values, rows, i, { k, minRatings })).toEqual(neighboursOf(nb, i));
          }
        }
      }
    });
  }
});

describe('step 7: summedRecommendations', () => {
  it('lays open the sums recommendFor ranks by', () => {
    const batch = batchOf(randomTriples(4));
    const u = buildIdMap([batch.userIds]);
    const m = buildIdMap([batch.movieIds]);
    const { byUser, byMovie } = buildCsr([batch], u, m);
    const nb = computeNeighbours(byMovie, byUser, { k: 6 });
    const mine = [
      { movie: 0, rating: 5 },
      { movie: 7, rating: 4 },
      { movie: 12, rating: 1.5 },
    ];
    const summed = summedRecommendations(nb, mine, 10);
    const stats = { count: new Int32Array(m.ids.length).fill(1), mean: new Float32Array(m.ids.length), globalMean: 3 };
    const ref = recommendFor(
      { movie: Int32Array.from(mine.map((r) => r.movie)), rating: Float32Array.from(mine.map((r) => r.rating)) },
      nb,
      weightedPopularity(stats),
      stats,
      { limit: 10, minRated: 1 },
    ).items.filter((r) => r.source === 'neighbours');
    expect(summed.map((c) => c.movie)).toEqual(ref.map((r) => r.movie));
    summed.forEach((c, t) => {
      expect(c.score).toBe(ref[t].score);
      for (const term of c.contributions) expect(term.term).toBeCloseTo(term.similarity * (term.rating - 3), 12);
      expect(c.contributions.every((x) => mine.some((r) => r.movie === x.from))).toBe(true);
    });
  });

  it('sums sim x (rating - 3) by hand on hand-made lists', () => {
    const nb = {
      k: 2,
      kind: 'cosine' as const,
      minRatings: 1,
      movies: 4,
      count: Int32Array.of(2, 2, 0, 0),
      index: Int32Array.of(2, 3, 2, 0, -1, -1, -1, -1),
      similarity: Float32Array.of(0.5, 0.25, 0.75, 0.5, 0, 0, 0, 0),
      coCount: new Int32Array(8),
    };
    // rated: movie 0 at 5 (+2), movie 1 at 2 (-1). Movie 2: 0.5*2 + 0.75*-1 = 0.25; movie 3: 0.25*2 = 0.5.
    const s = summedRecommendations(
      nb,
      [
        { movie: 0, rating: 5 },
        { movie: 1, rating: 2 },
      ],
      5,
    );
    expect(s.map((c) => [c.movie, c.score])).toEqual([
      [3, 0.5],
      [2, 0.25],
    ]);
    expect(s[1].contributions).toEqual([
      { from: 0, rating: 5, similarity: 0.5, term: 1 },
      { from: 1, rating: 2, similarity: 0.75, term: -0.75 },
    ]);
  });
});
