/**
 * The matching rules one by one, against the bundled sample's movies.csv and links.csv
 * (ml-latest-small: 9,742 movies).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { matchFilm, type FilmMatch } from '../../../src/lib/personal/match-film';
import { MatchIndex } from '../../../src/lib/personal/match-index';
import { sampleCatalog, type SampleCatalog } from '../../support/sample-catalog';
import { film } from '../../support/imported-films';

let s: SampleCatalog;
beforeAll(async () => {
  s = await sampleCatalog();
});

/** The movieIds a match points at. */
function ids(m: FilmMatch): number[] {
  if (m.kind === 'matched') return [s.movies.movieIds[m.movie]];
  if (m.kind === 'ambiguous') return m.candidates.map((i) => s.movies.movieIds[i]);
  return [];
}

describe('1. by MovieLens movieId (our own export)', () => {
  it('is the movie', () => {
    const m = matchFilm(film({ movieId: 858 }), s.index);
    expect(m).toMatchObject({ kind: 'matched', via: 'movieId' });
    expect(ids(m)).toEqual([858]);
  });
  it('an id the release lacks is not found; there is no title to fall back on', () => {
    expect(matchFilm(film({ movieId: 99999999 }), s.index).kind).toBe('none');
  });
});

describe('2. by IMDb id through links.csv', () => {
  it('compares numerically: tt0068646 is links.csv\'s "0068646"', () => {
    const m = matchFilm(film({ imdbId: 68646, title: 'Der Pate', year: 1972 }), s.index);
    expect(m).toMatchObject({ kind: 'matched', via: 'imdb' });
    expect(ids(m)).toEqual([858]);
  });
  it('by TMDb id when there is no IMDb id', () => {
    const m = matchFilm(film({ tmdbId: 238 }), s.index);
    expect(m).toMatchObject({ kind: 'matched', via: 'tmdb' });
    expect(ids(m)).toEqual([858]);
  });
  it('an IMDb id not in links.csv falls through to the title', () => {
    const m = matchFilm(film({ imdbId: 99999999, title: 'The Godfather', year: 1972 }), s.index);
    expect(m).toMatchObject({ kind: 'matched', via: 'title' });
    expect(ids(m)).toEqual([858]);
  });
  it('without links.csv the same film is matched by its title', () => {
    const m = matchFilm(film({ imdbId: 68646, title: 'The Godfather', year: 1972 }), s.titlesOnly);
    expect(m).toMatchObject({ kind: 'matched', via: 'title' });
  });
  it('two movies sharing one IMDb id are for the person to choose', () => {
    const index = new MatchIndex(
      { movieIds: Int32Array.of(1, 2), titles: ['War of the Worlds (2005)', 'War of the Worlds (2005)'], years: Int16Array.of(2005, 2005) },
      { count: 2, movieIds: Int32Array.of(1, 2), imdbIds: Int32Array.of(407304, 407304), tmdbIds: Int32Array.of(74, 74) },
    );
    expect(matchFilm(film({ imdbId: 407304 }), index)).toEqual({ kind: 'ambiguous', candidates: [0, 1], reason: 'shared-id' });
  });
});

describe('3. by normalised title and year', () => {
  const byTitle = (title: string, year: number) => matchFilm(film({ title, year }), s.titlesOnly);
  it.each([
    ['"The X" -> "X, The"', 'The Godfather', 1972, 858],
    ['case', 'THE GODFATHER', 1972, 858],
    ['accents dropped', 'Leon: The Professional', 1994, 293],
    ['accents added', 'Amélie', 2001, 4973],
    ['punctuation', 'Mr Hollands Opus', 1995, 62],
    ['hyphen', 'Spiderman', 2002, 5349],
    ['"&" for "and"', 'Harold & Kumar Go to White Castle', 2004, 8807],
    ['a.k.a. alternative', 'Se7en', 1995, 47],
    ['a.k.a. alternative with an article', 'The Professional', 1994, 293],
    ['original title with "Il"', 'Il Postino', 1994, 58],
    ['original title with "El"', 'El laberinto del fauno', 2006, 48394],
    ['original title with "Le"', "Le fabuleux destin d'Amélie Poulain", 2001, 4973],
    ['"Das X" -> "X, Das"', 'Das Boot', 1981, 1233],
    ['"L\'X" -> "X, L\'"', "L'Avventura", 1960, 8195],
    ['"Les X" -> "X, Les" picks the year among four', 'Les Misérables', 2012, 99149],
    ['"Die" is an article both ways', 'Die Hard', 1988, 1036],
  ])('%s: %s (%i)', (_rule, title, year, movieId) => {
    const m = byTitle(title, year);
    expect(m).toMatchObject({ kind: 'matched', via: 'title', yearDiff: 0 });
    expect(ids(m)).toEqual([movieId]);
  });

  it('a year either side matches (festival and release years differ), and says so', () => {
    expect(byTitle('Heat', 1996)).toMatchObject({ kind: 'matched', yearDiff: 1 });
    expect(byTitle('Heat', 1994)).toMatchObject({ kind: 'matched', yearDiff: -1 });
    expect(ids(byTitle('Heat', 1996))).toEqual([6]);
  });
  it('the exact year wins over a year either side', () => {
    expect(ids(byTitle('Les Misérables', 1998))).toEqual([1873]);
  });
  it('two movies a year either side are ambiguous', () => {
    const m = byTitle('Les Misérables', 1999);
    expect(m).toMatchObject({ kind: 'ambiguous', reason: 'same-title' });
    expect(ids(m).sort()).toEqual([1873, 99532]);
  });
  it('two movies of the same title and year are ambiguous', () => {
    const m = byTitle('Emma', 1996);
    expect(m).toMatchObject({ kind: 'ambiguous', reason: 'same-title' });
    expect(ids(m).sort((a, b) => a - b)).toEqual([838, 26958]);
  });
  it('the same title years away gives candidates, nearest year first, never a match', () => {
    // Heat (1995) and The Heat (2013).
    const m = byTitle('Heat', 1990);
    expect(m).toMatchObject({ kind: 'ambiguous', reason: 'other-year' });
    expect(ids(m)).toEqual([6, 103372]);
  });
  it('no year: one movie of that title matches; several are ambiguous', () => {
    expect(ids(byTitle('The Godfather', 0))).toEqual([858]);
    expect(byTitle('Les Misérables', 0)).toMatchObject({ kind: 'ambiguous' });
  });
  it("IMDb's original title is tried too", () => {
    const m = matchFilm(film({ title: 'Der Pate', otherTitles: ['The Godfather'], year: 1972 }), s.titlesOnly);
    expect(ids(m)).toEqual([858]);
  });
});

describe('4. near misses through the fuzzy title search', () => {
  it('a typo gives candidates to choose from, not a match', () => {
    const m = matchFilm(film({ title: 'The Godfater', year: 1972 }), s.titlesOnly);
    expect(m).toMatchObject({ kind: 'ambiguous', reason: 'near-miss' });
    expect(ids(m)).toContain(858);
  });
  it('only within a year of the film', () => {
    const m = matchFilm(film({ title: 'The Empire Strikes Back', year: 1980 }), s.titlesOnly);
    expect(m).toMatchObject({ kind: 'ambiguous', reason: 'near-miss' });
    expect(ids(m)).toEqual([1196]);
  });
  it('an unknown film is not found', () => {
    expect(matchFilm(film({ title: 'Qwxzv Plorkt', year: 2011 }), s.titlesOnly)).toEqual({ kind: 'none' });
  });
});
