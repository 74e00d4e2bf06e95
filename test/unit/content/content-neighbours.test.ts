import { describe, expect, it } from 'vitest';
import { buildContentFeatures } from '../../../src/lib/content/content-features';
import { contentNeighbours } from '../../../src/lib/content/content-neighbours';
import { sharedContent } from '../../../src/lib/content/content-shares';
import type { GenomeMatrix } from '../../../src/lib/content/genome-matrix';
import { mergeNeighbours, neighboursOf } from '../../../src/lib/model/similarity';
import { CancelledError, type MoviesTable } from '../../../src/lib/types';
import { bruteContentNeighbours, csrOf, type Entry } from './brute-content';

/** A deterministic pseudo-random source for fixed examples. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function randomContent(movies: number, features: number, dims: number, seed: number) {
  const next = lcg(seed);
  const rows: Entry[][] = Array.from({ length: movies }, () => {
    const row: Entry[] = [];
    for (let f = 0; f < features; f++) if (next() < 0.3) row.push({ col: f, value: Math.fround(0.1 + next()) });
    return row;
  });
  const genomeRows = Array.from({ length: movies }, (_, i) => i).filter(() => next() < 0.7);
  const genome: GenomeMatrix = {
    tagNames: Array.from({ length: dims }, (_, t) => `tag${t}`),
    rows: Int32Array.from(genomeRows),
    dims,
    relevance: Float32Array.from({ length: genomeRows.length * dims }, () => Math.round(next() ** 3 * 4000) / 4000),
  };
  return { rows, genome };
}

describe('contentNeighbours', () => {
  it('matches the dense cosine of the concatenated vectors, across block and kernel edges', () => {
    // 61 genome rows: blocks of 7 rows leave remainders for the 1-row kernels, and 61 - 1 is not
    // a multiple of the 3-column kernel either.
    const { rows, genome } = randomContent(80, 12, 23, 42);
    const matrix = csrOf(rows, 12, 9);
    for (const blockRows of [7, 64]) {
      const nb = contentNeighbours({ matrix }, genome, { k: 8, genomeWeight: 2, blockRows });
      const ref = bruteContentNeighbours(rows, 12, genome, 2, 8);
      for (let i = 0; i < rows.length; i++) {
        const ours = neighboursOf(nb, i);
        expect(ours.map((e) => e.index)).toEqual(ref[i].map((e) => e.index));
        ours.forEach((e, t) => {
          expect(e.similarity).toBeCloseTo(ref[i][t].similarity, 6);
          expect(e.coCount).toBe(ref[i][t].coCount);
        });
      }
    }
  });

  it('splits into movie ranges that merge bit-identically', () => {
    const { rows, genome } = randomContent(50, 6, 17, 7);
    const matrix = csrOf(rows, 6);
    const whole = contentNeighbours({ matrix }, genome, { k: 5, blockRows: 4 });
    const ranges: [number, number][] = [
      [0, 13],
      [13, 14],
      [14, 40],
      [40, 50],
    ];
    const merged = mergeNeighbours(ranges.map((movieRange) => contentNeighbours({ matrix }, genome, { k: 5, blockRows: 4, movieRange })));
    expect(merged).toEqual(whole);
  });

  it('weighs the genome block by genomeWeight², and a weight of 0 leaves the genome out', () => {
    // Movie 0 and 1 share one feature exactly (cos 1 on the sparse part); their genome rows are
    // orthogonal (cos 0). With the sparse block of length 1: sim = 1 / (1 + w²).
    const matrix = csrOf([[{ col: 0, value: 1 }], [{ col: 0, value: 1 }]], 1);
    const genome: GenomeMatrix = { tagNames: ['a', 'b'], rows: Int32Array.of(0, 1), dims: 2, relevance: Float32Array.of(1, 0, 0, 1) };
    const sim = (w: number) => contentNeighbours({ matrix }, genome, { k: 1, genomeWeight: w }).similarity[0];
    expect(sim(2)).toBeCloseTo(1 / 5, 7);
    expect(sim(1)).toBeCloseTo(1 / 2, 7);
    expect(sim(0)).toBe(1);
  });

  it('gives no neighbours to movies without content, and ranks ties by lower index', () => {
    const matrix = csrOf([[{ col: 0, value: 1 }], [], [{ col: 0, value: 2 }], [{ col: 0, value: 3 }]], 1);
    const nb = contentNeighbours({ matrix }, undefined, { k: 2 });
    expect(nb.count).toEqual(Int32Array.of(2, 0, 2, 2));
    expect(neighboursOf(nb, 0).map((e) => e.index)).toEqual([2, 3]);
    expect(neighboursOf(nb, 3).map((e) => [e.index, e.similarity, e.coCount])).toEqual([
      [0, 1, 1],
      [2, 1, 1],
    ]);
  });

  it('reports progress, checks for cancellation and rejects bad options', () => {
    const { rows, genome } = randomContent(30, 4, 5, 3);
    const matrix = csrOf(rows, 4);
    const seen: number[] = [];
    contentNeighbours({ matrix }, genome, { movieRange: [10, 30], onProgress: (done, total) => seen.push(done, total) });
    expect(seen.slice(-2)).toEqual([20, 20]);
    expect(() =>
      contentNeighbours({ matrix }, genome, {
        check: () => {
          throw new CancelledError();
        },
      }),
    ).toThrow(CancelledError);
    expect(() => contentNeighbours({ matrix }, genome, { k: 0 })).toThrow(/k must be a positive integer/);
    expect(() => contentNeighbours({ matrix }, genome, { movieRange: [5, 31] })).toThrow(/movieRange/);
    expect(() => contentNeighbours({ matrix }, genome, { genomeWeight: -1 })).toThrow(/genomeWeight/);
    const unsorted: GenomeMatrix = { ...genome, rows: Int32Array.from(genome.rows).reverse() };
    expect(() => contentNeighbours({ matrix }, unsorted)).toThrow(/ascending/);
  });
});

describe('contentNeighbours on genres, era and tags', () => {
  /** A catalogue where genres and five-year buckets repeat, as in MovieLens, with tags on some movies. */
  function catalogueContent(movies: number, seed: number) {
    const next = lcg(seed);
    const catalog: MoviesTable = {
      count: movies,
      movieIds: Int32Array.from({ length: movies }, (_, i) => i + 1),
      titles: Array.from({ length: movies }, (_, i) => `Movie ${i}`),
      years: Int16Array.from({ length: movies }, () => (next() < 0.05 ? 0 : 1990 + Math.floor(next() * 20))),
      // Few genre sets (so many movies share one), some movies with none.
      genreMasks: Uint32Array.from({ length: movies }, () => [0, 0b1, 0b11, 0b101, 0b1000, 0b1010][Math.floor(next() * 6)]),
      genreNames: ['Drama', 'Comedy', 'Crime', 'Horror'],
    };
    const tagged = Array.from({ length: movies }, (_, i) => i).filter(() => next() < 0.3);
    const movieIds: number[] = [];
    const tags: string[] = [];
    for (const i of tagged) {
      for (let t = 0; t < 1 + Math.floor(next() * 3); t++) {
        movieIds.push(i + 1);
        tags.push(['mafia', 'heist', 'dark', 'funny', 'twist'][Math.floor(next() * 5)]);
      }
    }
    const features = buildContentFeatures({ movies: { ids: catalog.movieIds }, catalog, tags: { movieIds: Int32Array.from(movieIds), tags }, minTagMovies: 1 });
    const genomeRows = Array.from({ length: movies }, (_, i) => i).filter(() => next() < 0.25);
    const genome: GenomeMatrix = {
      tagNames: ['a', 'b', 'c', 'd', 'e'],
      rows: Int32Array.from(genomeRows),
      dims: 5,
      relevance: Float32Array.from({ length: genomeRows.length * 5 }, () => Math.round(next() * 40) / 40),
    };
    return { features, genome };
  }

  /** The feature matrix's rows as entry lists, for the brute force. */
  function rowsOf(features: ReturnType<typeof catalogueContent>['features']): Entry[][] {
    const ch = features.matrix.chunks[0];
    return Array.from({ length: features.matrix.rows }, (_, i) =>
      Array.from({ length: ch.indptr[i + 1] - ch.indptr[i] }, (_, t) => ({ col: ch.indices[ch.indptr[i] + t], value: ch.values[ch.indptr[i] + t] })),
    );
  }

  it('finds genre-and-era pairs by profile class: the brute force neighbours, whatever the split', () => {
    const { features, genome } = catalogueContent(400, 11);
    const byClass = contentNeighbours(features, genome, { k: 12, blockRows: 16 });
    const pairByPair = contentNeighbours({ matrix: features.matrix }, genome, { k: 12, blockRows: 16 });
    const ref = bruteContentNeighbours(rowsOf(features), features.featureNames.length, genome, 2, 12);
    for (let i = 0; i < 400; i++) {
      const ours = neighboursOf(byClass, i);
      expect(ours.map((e) => e.index)).toEqual(ref[i].map((e) => e.index));
      expect(neighboursOf(pairByPair, i).map((e) => e.index)).toEqual(ref[i].map((e) => e.index));
      ours.forEach((e, t) => {
        expect(e.similarity).toBeCloseTo(ref[i][t].similarity, 6);
        expect(e.coCount).toBe(ref[i][t].coCount);
      });
    }
  });

  it('gives bit-identical neighbours walked by class or pair by pair when there are no tags or genome', () => {
    // Then every dot product is the common columns' alone, summed in the same order both ways.
    const next = lcg(5);
    const catalog: MoviesTable = {
      count: 300,
      movieIds: Int32Array.from({ length: 300 }, (_, i) => i + 1),
      titles: Array.from({ length: 300 }, (_, i) => `Movie ${i}`),
      years: Int16Array.from({ length: 300 }, () => 1980 + Math.floor(next() * 30)),
      genreMasks: Uint32Array.from({ length: 300 }, () => 1 + Math.floor(next() * 7)),
      genreNames: ['Drama', 'Comedy', 'Crime'],
    };
    const features = buildContentFeatures({ movies: { ids: catalog.movieIds }, catalog });
    expect(contentNeighbours(features, undefined, { k: 20 })).toEqual(contentNeighbours({ matrix: features.matrix }, undefined, { k: 20 }));
  });
});

describe('sharedContent', () => {
  it('names what contributes most to the similarity: shared tags, genre, era and genome tags', () => {
    // Two mafia films of the 1970s and an unrelated comedy.
    const catalog: MoviesTable = {
      count: 3,
      movieIds: Int32Array.of(1, 2, 3),
      titles: ['The Godfather (1972)', 'The Godfather: Part II (1974)', 'Airplane! (1980)'],
      years: Int16Array.of(1972, 1974, 1980),
      genreMasks: Uint32Array.of(0b011, 0b001, 0b100),
      genreNames: ['Drama', 'Crime', 'Comedy'],
    };
    const tags = {
      movieIds: Int32Array.of(1, 1, 1, 2, 2, 3, 3),
      userIds: Int32Array.of(1, 2, 1, 1, 3, 1, 4),
      tags: ['mafia', 'mafia', 'crime family', 'mafia', 'crime family', 'spoof', 'spoof'],
    };
    const features = buildContentFeatures({
      movies: { ids: Int32Array.of(1, 2, 3) },
      catalog,
      tags,
      minTagMovies: 1,
      weights: { genre: 1, year: 0.5, tags: 1.5 },
    });
    // Only the first two movies have genome rows; "gangsters" is high for both.
    const genome: GenomeMatrix = {
      tagNames: ['gangsters', 'slapstick'],
      rows: Int32Array.of(0, 1),
      dims: 2,
      relevance: Float32Array.of(0.9, 0.1, 0.8, 0.05),
    };
    // Contributions to the (unnormalised) dot product of movies 0 and 1:
    //   gangsters  4 · 0.9·0.8 / (‖g0‖‖g1‖) ≈ 3.97    (genome weight 2)
    //   mafia      tf-idf: mafia is on 2 of 3 tagged movies, crime family too; movie 0 has
    //              mafia ×2 users, crime family ×1, so its tag row is (2, 1)/√5 · 1.5 and
    //              movie 1's is (1, 1)/√2 · 1.5: mafia 2.25 · 2/√10 ≈ 1.42, crime family ≈ 0.71
    //   early 1970s  both in 1970–1974: 0.25 · 1/1.5 ≈ 0.17 (and 0.5·0.5 for the neighbours)
    //   Drama      movie 0 has two genres: 1/√2 · 1 ≈ 0.71
    expect(sharedContent(features, genome, 0, 1)).toEqual(['gangsters', 'mafia', 'crime family', 'Drama', 'early 1970s']);
    expect(sharedContent(features, genome, 0, 1, 2)).toEqual(['gangsters', 'mafia']);
    expect(sharedContent(features, genome, 1, 0, 3)).toEqual(['gangsters', 'mafia', 'crime family']);
    // Nothing in common but being dated next to each other: only the shared year bucket.
    expect(sharedContent(features, genome, 0, 2)).toEqual(['late 1970s']);
  });

  it('adds a user tag and a genome tag of the same name together', () => {
    const matrix = csrOf(
      [
        [
          { col: 0, value: 0.1 },
          { col: 1, value: 1 },
        ],
        [
          { col: 0, value: 0.1 },
          { col: 1, value: 1 },
        ],
      ],
      2,
    );
    const genome: GenomeMatrix = { tagNames: ['mafia', 'dark'], rows: Int32Array.of(0, 1), dims: 2, relevance: Float32Array.of(0.6, 0.8, 0.6, 0.8) };
    // mafia: 0.01 (sparse) + 4·0.36 = 1.45; dark: 4·0.64 = 2.56; other: 1.
    expect(sharedContent({ matrix, featureNames: ['mafia', 'other'] }, genome, 0, 1)).toEqual(['dark', 'mafia', 'other']);
  });
});
