import { describe, expect, it } from 'vitest';
import { buildContentFeatures } from '../../../src/lib/content/content-features';
import { topTagsPerGenre } from '../../../src/lib/explore/tags-per-genre';
import type { MoviesTable } from '../../../src/lib/types';

const COMEDY = 1;
const DRAMA = 2;
const HORROR = 4;

const catalog: MoviesTable = {
  count: 8,
  movieIds: Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8),
  titles: ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8'],
  years: new Int16Array(8),
  genreMasks: Uint32Array.of(COMEDY, COMEDY, COMEDY, DRAMA, DRAMA, COMEDY | DRAMA, HORROR, HORROR),
  genreNames: ['Comedy', 'Drama', 'Horror'],
};

/**
 * Eight movies, seven of them tagged:
 *
 *   movie  genres          tags
 *   1, 2   Comedy          funny, quirky
 *   3      Comedy          funny
 *   4      Drama           sad, quirky
 *   5      Drama           sad
 *   6      Comedy, Drama   sad, dark
 *   7      Horror          dark
 *   8      Horror          -
 *
 * (movie, tag) pairs over all movies: funny 3, quirky 3, sad 3, dark 2; C = 11.
 * Comedy (movies 1, 2, 3, 6): funny 3, quirky 2, sad 1, dark 1; C_g = 7.
 * Drama (movies 4, 5, 6): sad 3, quirky 1, dark 1; C_g = 5.   Horror (movie 7): dark 1; C_g = 1.
 */
const tags = {
  movieIds: Int32Array.of(1, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7),
  tags: ['funny', 'quirky', 'funny', 'quirky', 'funny', 'sad', 'quirky', 'sad', 'sad', 'dark', 'dark'],
};
const features = buildContentFeatures({ movies: { ids: catalog.movieIds }, catalog, tags });

describe('topTagsPerGenre', () => {
  it('ranks each genre’s tags by share × ln(lift), the numbers worked out by hand', () => {
    const [comedy, drama, horror] = topTagsPerGenre(features, catalog, { minMovies: 1, minLift: 1 });
    // Comedy: funny 3/7 against 3/11 overall, lift 11/7; quirky 2/7, lift 22/21. sad and dark fall below 1.
    expect(comedy.genre).toBe('Comedy');
    expect(comedy.taggedMovies).toBe(4);
    expect(comedy.tags.map((t) => [t.tag, t.movies])).toEqual([
      ['funny', 3],
      ['quirky', 2],
    ]);
    expect(comedy.tags[0].share).toBeCloseTo(3 / 7, 15);
    expect(comedy.tags[0].lift).toBeCloseTo(11 / 7, 15);
    expect(comedy.tags[0].score).toBeCloseTo((3 / 7) * Math.log(11 / 7), 15);
    expect(comedy.tags[1].lift).toBeCloseTo(22 / 21, 15);
    expect(comedy.tags[1].score).toBeCloseTo((2 / 7) * Math.log(22 / 21), 15);
    // Drama: sad 3/5, lift 11/5; dark 1/5 against 2/11, lift 11/10; quirky 1/5 against 3/11 is below 1.
    expect(drama.taggedMovies).toBe(3);
    expect(drama.tags.map((t) => t.tag)).toEqual(['sad', 'dark']);
    expect(drama.tags[0].score).toBeCloseTo(0.6 * Math.log(11 / 5), 15);
    expect(drama.tags[1].lift).toBeCloseTo(11 / 10, 15);
    // Horror: one tagged movie, all of its tags "dark", which is 2/11 of all pairs.
    expect(horror.taggedMovies).toBe(1);
    expect(horror.tags).toHaveLength(1);
    expect(horror.tags[0]).toMatchObject({ tag: 'dark', movies: 1, share: 1 });
    expect(horror.tags[0].lift).toBeCloseTo(5.5, 15);
    expect(horror.tags[0].score).toBeCloseTo(Math.log(5.5), 15);
  });

  it('by default needs a tag on 2 of the genre’s movies and 1.5 times as common there as overall', () => {
    // quirky in Comedy (lift 1.05) and dark in Drama (1.1) are not characteristic; dark in Horror is on one movie.
    expect(topTagsPerGenre(features, catalog).map((g) => [g.genre, g.tags.map((t) => t.tag)])).toEqual([
      ['Comedy', ['funny']],
      ['Drama', ['sad']],
      ['Horror', []],
    ]);
  });

  it('keeps `limit` tags per genre', () => {
    expect(topTagsPerGenre(features, catalog, { minMovies: 1, minLift: 1, limit: 1 }).map((g) => g.tags.map((t) => t.tag))).toEqual([
      ['funny'],
      ['sad'],
      ['dark'],
    ]);
  });

  it('is empty for a release without tags.csv', () => {
    const untagged = buildContentFeatures({ movies: { ids: catalog.movieIds }, catalog });
    expect(topTagsPerGenre(untagged, catalog)).toEqual([]);
  });
});
