import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../../src/lib/matrix/csr';
import { buildIdMap, createIndexer, idsOf } from '../../../src/lib/matrix/id-map';
import { balancedMovieRanges, computeNeighbours, estimatePairUpdates, mergeNeighbours, neighboursOf, packedRowCodes } from '../../../src/lib/model/similarity';
import { CancelledError, type Neighbours, type RatingsBatch, type SimilarityKind } from '../../../src/lib/types';
import { batchOf, bruteNeighbours, csrToDense, parseRatingsCsvForTest, type Triple } from '../../support/brute-force';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomRatings(seed: number, users: number, movies: number, density: number): Triple[] {
  const r = rng(seed);
  const out: Triple[] = [];
  for (let u = 1; u <= users; u++) {
    for (let m = 1; m <= movies; m++) {
      if (r() < density) out.push({ user: u, movie: m, rating: (1 + Math.floor(r() * 10)) / 2, timestamp: 0 });
    }
  }
  return out;
}

function matrices(batches: RatingsBatch[], maxChunkBytes?: number) {
  const users = buildIdMap(idsOf(batches, 'userIds'));
  const movies = buildIdMap(idsOf(batches, 'movieIds'));
  return { users, movies, ...buildCsr(batches, users, movies, { maxChunkBytes }) };
}

/**
 * Our neighbours against the dense Float64 reference: same list lengths, similarities equal
 * position by position within 1e-6, each listed pair's similarity and co-count equal to the
 * reference's for that pair, every reference neighbour clearly above the cut present, and our
 * lists in strict (similarity desc, index asc) order.
 */
function expectMatchesBrute(nb: Neighbours, dense: Float64Array[], kind: SimilarityKind, k: number, minRatings: number): void {
  const top = bruteNeighbours(dense, nb.movies, kind, k, minRatings);
  const all = bruteNeighbours(dense, nb.movies, kind, nb.movies, minRatings);
  for (let i = 0; i < nb.movies; i++) {
    const ours = neighboursOf(nb, i);
    const ref = top[i];
    expect(ours.length, `movie ${i}`).toBe(ref.length);
    const pair = new Map(all[i].map((e) => [e.index, e]));
    ours.forEach((e, t) => {
      expect(Math.abs(e.similarity - ref[t].similarity), `movie ${i} slot ${t}`).toBeLessThanOrEqual(1e-6);
      const p = pair.get(e.index);
      expect(p, `movie ${i} lists ${e.index}`).toBeDefined();
      expect(Math.abs(e.similarity - p!.similarity)).toBeLessThanOrEqual(1e-6);
      expect(e.coCount).toBe(p!.coCount);
      if (t > 0) {
        const prev = ours[t - 1];
        expect(prev.similarity > e.similarity || (prev.similarity === e.similarity && prev.index < e.index)).toBe(true);
      }
    });
    if (ref.length > 0) {
      const cut = ref[ref.length - 1].similarity + 1e-6;
      const mine = new Set(ours.map((e) => e.index));
      for (const e of ref) if (e.similarity > cut) expect(mine.has(e.index), `movie ${i} misses ${e.index}`).toBe(true);
    }
    for (let t = ours.length; t < nb.k; t++) expect(nb.index[i * nb.k + t]).toBe(-1);
  }
}

describe('computeNeighbours', () => {
  for (const kind of ['cosine', 'adjusted-cosine'] as const) {
    it(`${kind} top-K equals brute force on random 30x25 matrices`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const { byUser, byMovie } = matrices([batchOf(randomRatings(seed, 30, 25, 0.3))], seed % 2 ? 64 : undefined);
        const k = 3 + seed;
        const nb = computeNeighbours(byMovie, byUser, { k, kind });
        expect(nb.kind).toBe(kind);
        expectMatchesBrute(nb, csrToDense(byUser), kind, k, 1);
      }
    });
  }

  it('leaves movies below minRatings out, as sources and as neighbours', () => {
    const { byUser, byMovie } = matrices([batchOf(randomRatings(42, 30, 25, 0.2))]);
    const minRatings = 7;
    const nb = computeNeighbours(byMovie, byUser, { k: 5, minRatings });
    const dense = csrToDense(byUser);
    expectMatchesBrute(nb, dense, 'cosine', 5, minRatings);
    const count = (m: number) => dense.filter((row) => !Number.isNaN(row[m])).length;
    let excluded = 0;
    for (let m = 0; m < 25; m++) {
      if (count(m) >= minRatings) continue;
      excluded++;
      expect(nb.count[m]).toBe(0);
    }
    expect(excluded).toBeGreaterThan(0); // the test would be vacuous otherwise
    for (let t = 0; t < nb.index.length; t++) if (nb.index[t] >= 0) expect(count(nb.index[t])).toBeGreaterThanOrEqual(minRatings);
  });

  it('computes a worked 3-movie example exactly', () => {
    // users x movies:  u0: [5, 5, -]   u1: [1, -, 2]   u2: [-, 4, 4]
    const { byUser, byMovie } = matrices([
      batchOf([
        { user: 0, movie: 0, rating: 5, timestamp: 0 },
        { user: 0, movie: 1, rating: 5, timestamp: 0 },
        { user: 1, movie: 0, rating: 1, timestamp: 0 },
        { user: 1, movie: 2, rating: 2, timestamp: 0 },
        { user: 2, movie: 1, rating: 4, timestamp: 0 },
        { user: 2, movie: 2, rating: 4, timestamp: 0 },
      ]),
    ]);
    const nb = computeNeighbours(byMovie, byUser, { k: 2 });
    // cos(0,1) = 25/(√26·√41), cos(0,2) = 2/(√26·√20), cos(1,2) = 16/(√41·√20)
    const s01 = 25 / Math.sqrt(26 * 41);
    const s02 = 2 / Math.sqrt(26 * 20);
    const s12 = 16 / Math.sqrt(41 * 20);
    const n0 = neighboursOf(nb, 0);
    expect(n0.map((e) => e.index)).toEqual([1, 2]);
    expect(n0[0].similarity).toBeCloseTo(s01, 6);
    expect(n0[1].similarity).toBeCloseTo(s02, 6);
    expect(neighboursOf(nb, 1).map((e) => e.index)).toEqual([0, 2]); // s01 = 0.765 > s12 = 0.559
    expect(neighboursOf(nb, 2)[0].similarity).toBeCloseTo(s12, 6);
    expect(neighboursOf(nb, 2).map((e) => e.coCount)).toEqual([1, 1]);
  });

  it('gives bit-identical results for ranges merged and for one whole run', () => {
    const { byUser, byMovie } = matrices([batchOf(randomRatings(7, 40, 30, 0.35))], 128);
    for (const kind of ['cosine', 'adjusted-cosine'] as const) {
      const whole = computeNeighbours(byMovie, byUser, { k: 6, kind });
      const ranges = balancedMovieRanges(byUser, 3);
      expect(ranges[0][0]).toBe(0);
      expect(ranges.at(-1)![1]).toBe(30);
      const merged = mergeNeighbours(ranges.map((r) => computeNeighbours(byMovie, byUser, { k: 6, kind, movieRange: r })));
      expect(merged.count).toEqual(whole.count);
      expect(merged.index).toEqual(whole.index);
      expect(merged.similarity).toEqual(whole.similarity);
      expect(merged.coCount).toEqual(whole.coCount);
    }
  });

  it('gives bit-identical results with the packed half-star accumulator and the Float64 one', () => {
    const { byMovie, byUser } = matrices([batchOf(randomRatings(17, 60, 40, 0.3))], 512);
    for (const minRatings of [1, 3]) {
      const packed = computeNeighbours(byMovie, byUser, { k: 5, minRatings });
      const float = computeNeighbours(byMovie, byUser, { k: 5, minRatings, accumulator: 'float64' });
      expect(packed).toEqual(float);
      for (const [a, b] of [
        [0, 13],
        [13, 40],
      ] as [number, number][]) {
        expect(computeNeighbours(byMovie, byUser, { k: 5, minRatings, movieRange: [a, b] })).toEqual(
          computeNeighbours(byMovie, byUser, { k: 5, minRatings, movieRange: [a, b], accumulator: 'float64' }),
        );
      }
    }
  });

  it('gives the same result from packed rows made once and shared (packedRowCodes), and packs only half stars', () => {
    const { byMovie, byUser } = matrices([batchOf(randomRatings(23, 50, 30, 0.35))], 256);
    const rowCodes = packedRowCodes(byUser, true)!;
    expect(rowCodes.length).toBe(byUser.chunks.length);
    expect(rowCodes[0].buffer).toBeInstanceOf(SharedArrayBuffer);
    for (const movieRange of [undefined, [5, 21]] as ([number, number] | undefined)[]) {
      expect(computeNeighbours(byMovie, byUser, { k: 4, movieRange, rowCodes })).toEqual(computeNeighbours(byMovie, byUser, { k: 4, movieRange }));
    }
    const quarter = matrices([batchOf([{ user: 1, movie: 1, rating: 2.25, timestamp: 0 }])]);
    expect(packedRowCodes(quarter.byUser, false)).toBeUndefined();
  });

  it('breaks equal similarities by the lower movie index, in any partition', () => {
    // Movies 1..4 have identical columns, so movie 0 is equally similar to all four; movie 5
    // is similar to nothing. Index 0 is the lower one for each of 1..4.
    const triples: Triple[] = [];
    for (let u = 0; u < 6; u++) {
      triples.push({ user: u, movie: 0, rating: 1 + (u % 3), timestamp: 0 });
      for (let m = 1; m <= 4; m++) triples.push({ user: u, movie: m, rating: 1 + ((u * 2) % 5), timestamp: 0 });
    }
    triples.push({ user: 9, movie: 5, rating: 3, timestamp: 0 });
    const { byUser, byMovie } = matrices([batchOf(triples)]);
    for (const ranges of [
      [[0, 6]],
      [
        [0, 2],
        [2, 6],
      ],
      [
        [0, 1],
        [1, 3],
        [3, 4],
        [4, 6],
      ],
    ] as [number, number][][]) {
      const nb = mergeNeighbours(ranges.map((r) => computeNeighbours(byMovie, byUser, { k: 2, movieRange: r })));
      expect(neighboursOf(nb, 0).map((e) => e.index)).toEqual([1, 2]);
      expect(neighboursOf(nb, 3).map((e) => e.index)).toEqual([1, 2]); // sim 1 with each twin
      expect(neighboursOf(nb, 1).map((e) => e.index)).toEqual([2, 3]);
      expect(nb.count[5]).toBe(0);
    }
  });

  it('keeps the lower index among equal similarities when lower indices arrive after a movie has filled up', () => {
    // Movie 0 is rated by users 0 and 1, movies 7..12 by user 0 alone and 1..6 by user 1 alone,
    // all 1 star: every pair (0, j) has similarity 1/√2. Twenty movies of user 2 keep movie 0 on
    // the sparse path, where its candidates arrive in rater order: 7..12 first, then 1..6.
    // With k = 2, the buffer (k + 4 slots) is cut while 7 and 8 are the best seen; 1 and 2 still
    // have to win on the tie rule, at admission and at every cut.
    const triples: Triple[] = [
      { user: 0, movie: 0, rating: 1, timestamp: 0 },
      { user: 1, movie: 0, rating: 1, timestamp: 0 },
    ];
    for (let m = 7; m <= 12; m++) triples.push({ user: 0, movie: m, rating: 1, timestamp: 0 });
    for (let m = 1; m <= 6; m++) triples.push({ user: 1, movie: m, rating: 1, timestamp: 0 });
    for (let m = 13; m <= 32; m++) triples.push({ user: 2, movie: m, rating: 1, timestamp: 0 });
    const { byUser, byMovie } = matrices([batchOf(triples)]);
    const nb = computeNeighbours(byMovie, byUser, { k: 2 });
    expect(neighboursOf(nb, 0).map((e) => e.index)).toEqual([1, 2]);
    expect(neighboursOf(nb, 0).map((e) => e.similarity)).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]);
  });
  it('reports progress up to Σ c(c−1)/2 pair updates and honours cancellation', () => {
    const { byUser, byMovie } = matrices([batchOf(randomRatings(3, 30, 250, 0.3))]);
    const seen: [number, number, number][] = [];
    computeNeighbours(byMovie, byUser, { k: 5, onProgress: (d, t, p) => seen.push([d, t, p]) });
    expect(seen.length).toBeGreaterThanOrEqual(50); // about every 1% of the movies
    expect(seen.at(-1)).toEqual([250, 250, estimatePairUpdates(byUser)]);
    let calls = 0;
    const check = () => {
      if (++calls === 3) throw new CancelledError();
    };
    expect(() => computeNeighbours(byMovie, byUser, { k: 5, check })).toThrow(CancelledError);
  });

  it('rejects bad options with a readable message', () => {
    const { byUser, byMovie } = matrices([batchOf(randomRatings(3, 8, 4, 1))]); // 8 users x 4 movies
    expect(() => computeNeighbours(byMovie, byUser, { k: 0 })).toThrow(/k must be/);
    expect(() => computeNeighbours(byMovie, byUser, { movieRange: [3, 9] })).toThrow(/movieRange/);
    const other = matrices([batchOf(randomRatings(4, 8, 5, 1))]); // 8 users x 5 movies
    expect(() => computeNeighbours(byMovie, other.byUser)).toThrow(/two orientations/);
  });
});

describe('estimatePairUpdates', () => {
  it('sums c(c−1)/2 over users', () => {
    const { byUser } = matrices([
      batchOf([
        { user: 1, movie: 1, rating: 3, timestamp: 0 },
        { user: 1, movie: 2, rating: 3, timestamp: 0 },
        { user: 1, movie: 3, rating: 3, timestamp: 0 },
        { user: 2, movie: 1, rating: 3, timestamp: 0 },
        { user: 2, movie: 3, rating: 3, timestamp: 0 },
        { user: 3, movie: 2, rating: 3, timestamp: 0 },
      ]),
    ]);
    expect(estimatePairUpdates(byUser)).toBe(3 + 1 + 0);
  });
});

describe('on the bundled ml-latest-small sample', () => {
  it('finds The Godfather: Part II among the top 10 cosine neighbours of The Godfather', () => {
    const text = readFileSync(new URL('../../../public/data/ml-latest-small/ratings.csv', import.meta.url), 'utf8');
    const batch = parseRatingsCsvForTest(text);
    const { byUser, byMovie, movies, duplicates } = matrices([batch]);
    expect(duplicates).toBe(0);
    expect(byUser.nnz).toBe(100_836);
    const nb = computeNeighbours(byMovie, byUser, { k: 10 });
    const index = createIndexer(movies);
    const godfather = index(858);
    const top = neighboursOf(nb, godfather).map((e) => movies.ids[e.index]);
    expect(top).toHaveLength(10);
    expect(top).toContain(1221);
  });
});
