import { describe, expect, it } from 'vitest';
import {
  buildContentFeatures,
  FEATURE_GENRE,
  FEATURE_TAG,
  FEATURE_YEAR,
  tagTfIdf,
  yearBucketName,
  type ContentFeatures,
} from '../../../src/lib/content/content-features';
import type { MoviesTable } from '../../../src/lib/types';

/** Row i of the feature matrix as { featureName: value }. */
function rowOf(f: ContentFeatures, i: number): Record<string, number> {
  const ch = f.matrix.chunks[0];
  const out: Record<string, number> = {};
  for (let p = ch.indptr[i]; p < ch.indptr[i + 1]; p++) out[f.featureNames[ch.indices[p]]] = ch.values[p];
  return out;
}

/** Same features, each value within float32 rounding of the expected one. */
function expectRow(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [name, v] of Object.entries(expected)) expect(actual[name]).toBeCloseTo(v, 6);
}

function catalogOf(years: number[], masks: number[], genreNames: string[]): MoviesTable {
  return {
    count: years.length,
    movieIds: Int32Array.from(years, (_, i) => i + 1),
    titles: years.map((y, i) => `Movie ${i + 1}${y ? ` (${y})` : ''}`),
    years: Int16Array.from(years),
    genreMasks: Uint32Array.from(masks),
    genreNames,
  };
}

const MOVIES = { ids: Int32Array.of(1, 2, 3, 4, 5) };

/**
 * Five movies; movie 4 has no tags. Applications (movie: tag by user):
 *   1: mafia by 10, 11 and 10 again; crime by 10; classic by 10
 *   2: mafia by 12; funny by 13; rare by 13; classic by 12
 *   3: funny by 10; crime by 14; classic by 14
 *   5: funny by 15; classic by 15
 *  99: mafia by 10 (not in the model: ignored)
 * N = 4 tagged movies. df: mafia 2, crime 2, funny 3, classic 4 (idf 0: dropped), rare 1 (< 2: dropped).
 */
const TAGS = {
  movieIds: Int32Array.of(1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 5, 5, 99),
  userIds: Int32Array.of(10, 11, 10, 10, 10, 12, 13, 13, 12, 10, 14, 14, 15, 15, 10),
  tags: ['mafia', 'mafia', 'mafia', 'crime', 'classic', 'mafia', 'funny', 'rare', 'classic', 'funny', 'crime', 'classic', 'funny', 'classic', 'mafia'],
};

describe('tagTfIdf', () => {
  it('computes tf = distinct users, idf = ln(N / df), by hand', () => {
    const t = tagTfIdf(TAGS, MOVIES, 50, 2);
    expect(t.names).toEqual(['crime', 'funny', 'mafia']);
    const ln2 = Math.log(2);
    const ln43 = Math.log(4 / 3);
    const rows = Array.from({ length: 5 }, (_, i) =>
      Object.fromEntries(Array.from(t.columns.subarray(t.indptr[i], t.indptr[i + 1]), (c, p) => [t.names[c], t.values[t.indptr[i] + p]])),
    );
    // Movie 1: mafia by two distinct users (10 twice counts once), crime by one.
    expect(rows[0]).toEqual({ crime: ln2, mafia: 2 * ln2 });
    expect(rows[1]).toEqual({ funny: ln43, mafia: ln2 });
    expect(rows[2]).toEqual({ crime: ln2, funny: ln43 });
    expect(rows[3]).toEqual({});
    expect(rows[4]).toEqual({ funny: ln43 });
  });

  it('ignores tags about a person’s list or copy (“in netflix queue”), whatever movies they are on', () => {
    const queued = {
      movieIds: Int32Array.from([...TAGS.movieIds, 1, 2, 3, 2]),
      userIds: Int32Array.from([...TAGS.userIds, 20, 20, 20, 21]),
      tags: [...TAGS.tags, 'in netflix queue', 'in netflix queue', 'dvd', 'seen'],
    };
    const plain = tagTfIdf(TAGS, MOVIES, 50, 2);
    const t = tagTfIdf(queued, MOVIES, 50, 2);
    expect(t.names).toEqual(plain.names);
    expect(Array.from(t.values)).toEqual(Array.from(plain.values));
    expect(Array.from(t.indptr)).toEqual(Array.from(plain.indptr));
  });

  it('counts rows instead of users without userIds, and keeps the top maxTags per movie', () => {
    const noUsers = { movieIds: TAGS.movieIds, tags: TAGS.tags };
    const t = tagTfIdf(noUsers, MOVIES, 1, 2);
    // Movie 1 now has mafia ×3 (3·ln 2) over crime (ln 2); movie 2 keeps mafia (ln 2 > ln 4/3).
    expect(Array.from(t.indptr)).toEqual([0, 1, 2, 3, 3, 4]);
    expect(Array.from(t.columns, (c) => t.names[c])).toEqual(['mafia', 'mafia', 'crime', 'funny']);
    expect(t.values[0]).toBeCloseTo(3 * Math.log(2), 12);
  });
});

describe('buildContentFeatures', () => {
  const catalog = catalogOf([1994, 1995, 0, 2003, 1996], [0b01, 0b11, 0b10, 0, 0b01], ['Crime', 'Drama']);

  it('lays out genres, year buckets and tags, each block normalised and weighted', () => {
    const f = buildContentFeatures({ movies: MOVIES, catalog, tags: TAGS });
    expect(f.weights).toEqual({ genre: 1, year: 0.5, tags: 1.5 });
    expect(f.featureNames).toEqual(['Crime', 'Drama', 'late 1980s', 'early 1990s', 'late 1990s', 'early 2000s', 'late 2000s', 'crime', 'funny', 'mafia']);
    const k = FEATURE_GENRE;
    const y = FEATURE_YEAR;
    const t = FEATURE_TAG;
    expect(Array.from(f.featureKinds)).toEqual([k, k, y, y, y, y, y, t, t, t]);
    expect(f.matrix.rows).toBe(5);
    expect(f.matrix.cols).toBe(10);

    // Year block: own bucket 1, neighbours 0.5, scaled to length 0.5.
    const u = 0.5 / Math.sqrt(1.5);
    // Movie 2 (1995): two genres, own bucket late 1990s, tags funny (ln 4/3) and mafia (ln 2).
    const norm2 = Math.hypot(Math.log(4 / 3), Math.log(2));
    expectRow(rowOf(f, 1), {
      Crime: 1 / Math.SQRT2,
      Drama: 1 / Math.SQRT2,
      'early 1990s': 0.5 * u,
      'late 1990s': u,
      'early 2000s': 0.5 * u,
      funny: (1.5 * Math.log(4 / 3)) / norm2,
      mafia: (1.5 * Math.log(2)) / norm2,
    });
    // Movie 3: no year, one genre, tags crime and funny.
    expect(Object.keys(rowOf(f, 2))).toEqual(['Drama', 'crime', 'funny']);
    // Movie 4 (2003): no genres, no tags.
    expectRow(rowOf(f, 3), { 'late 1990s': 0.5 * u, 'early 2000s': u, 'late 2000s': 0.5 * u });
    // Each block's length is its weight: a tag block of 1.5.
    const m1 = rowOf(f, 0);
    expect(Math.hypot(m1.crime, m1.mafia)).toBeCloseTo(1.5, 6);
  });

  it('leaves a block out when its weight is 0, and without tags', () => {
    const f = buildContentFeatures({ movies: MOVIES, catalog, weights: { year: 0, genre: 2 } });
    expect(f.featureNames).toEqual(['Crime', 'Drama']);
    expect(rowOf(f, 0)).toEqual({ Crime: 2 });
    expect(f.matrix.nnz).toBe(5);
  });

  it('rejects a catalog not aligned to the id map and a negative weight', () => {
    expect(() => buildContentFeatures({ movies: { ids: Int32Array.of(1, 2) }, catalog })).toThrow(/aligned to the dense index/);
    expect(() => buildContentFeatures({ movies: MOVIES, catalog, weights: { tags: -1 } })).toThrow(/tags weight/);
  });
});

describe('yearBucketName', () => {
  it('names the halves of a decade', () => {
    expect(yearBucketName(1970)).toBe('early 1970s');
    expect(yearBucketName(1975)).toBe('late 1970s');
    expect(yearBucketName(2000)).toBe('early 2000s');
  });
});
