import type { ImportedFilm } from './imported-film';
import type { MatchIndex } from './match-index';
import { titleKey } from './title-key';

/** How a film found its movie: by an id the file carries, or by its title and year. */
export type MatchedVia = 'movieId' | 'imdb' | 'tmdb' | 'title';

/** Why a film has candidates rather than one movie. */
export type AmbiguousReason =
  /** Two movies of the release share the film's IMDb or TMDb id (duplicated entries). */
  | 'shared-id'
  /** Several movies have the same title in the film's year (or within a year of it). */
  | 'same-title'
  /** Movies with the same title, none within a year of the film's. */
  | 'other-year'
  /** No title matched; the fuzzy search's closest titles within a year. */
  | 'near-miss';

export type FilmMatch =
  | { kind: 'matched'; movie: number; via: MatchedVia; /** Film year minus the movie's (title matches only). */ yearDiff: number }
  | { kind: 'ambiguous'; candidates: number[]; reason: AmbiguousReason }
  | { kind: 'none' };

/** Candidates offered for a near miss or an other-year title. */
export const MAX_CANDIDATES = 5;

function byIds(list: readonly number[]): FilmMatch | undefined {
  if (list.length === 1) return { kind: 'matched', movie: list[0], via: 'imdb', yearDiff: 0 };
  if (list.length > 1) return { kind: 'ambiguous', candidates: [...list], reason: 'shared-id' };
  return undefined;
}

/**
 * Finds a film in the release, rule by rule, stopping at the first that decides:
 *  1. a MovieLens movieId (our own export) is the movie, or nothing: it has no title to fall back on;
 *  2. an IMDb id through links.csv, then a TMDb id;
 *  3. the title's key (titleKey: case, accents, punctuation, articles in front or behind) against
 *     every main and alternative title of the release, first in the film's own year, then a year
 *     either side (festival and release years differ), then undated movies; any other year
 *     gives candidates, never a match;
 *  4. the fuzzy title search for near misses, within a year: candidates only, for the person to pick.
 * An id not in links.csv falls through to the title: links lag behind the movies file.
 */
export function matchFilm(film: ImportedFilm, index: MatchIndex): FilmMatch {
  if (film.movieId > 0) {
    const i = index.indexOfMovieId(film.movieId);
    return i >= 0 ? { kind: 'matched', movie: i, via: 'movieId', yearDiff: 0 } : { kind: 'none' };
  }
  if (film.imdbId > 0) {
    const m = byIds(index.byImdbId(film.imdbId));
    if (m) return m;
  }
  if (film.tmdbId > 0) {
    const m = byIds(index.byTmdbId(film.tmdbId));
    if (m) return m.kind === 'matched' ? { ...m, via: 'tmdb' } : m;
  }
  const years = index.catalog.years;
  const candidates = new Set<number>();
  for (const name of [film.title, ...film.otherTitles]) {
    const key = titleKey(name);
    if (key) for (const i of index.byTitleKey(key)) candidates.add(i);
  }
  if (candidates.size > 0) {
    const all = [...candidates];
    const decide = (pool: number[], reason: AmbiguousReason): FilmMatch | undefined => {
      if (pool.length === 1) return { kind: 'matched', movie: pool[0], via: 'title', yearDiff: years[pool[0]] ? film.year - years[pool[0]] : 0 };
      if (pool.length > 1) return { kind: 'ambiguous', candidates: pool, reason };
      return undefined;
    };
    if (film.year === 0) return decide(all, 'same-title')!;
    const found =
      decide(
        all.filter((i) => years[i] === film.year),
        'same-title',
      ) ??
      decide(
        all.filter((i) => years[i] !== 0 && Math.abs(years[i] - film.year) === 1),
        'same-title',
      ) ??
      decide(
        all.filter((i) => years[i] === 0),
        'same-title',
      );
    if (found) return found;
    const nearest = all.sort((a, b) => Math.abs(years[a] - film.year) - Math.abs(years[b] - film.year) || a - b).slice(0, MAX_CANDIDATES);
    return { kind: 'ambiguous', candidates: nearest, reason: 'other-year' };
  }
  if (film.title.trim() === '') return { kind: 'none' };
  const near = index
    .nearMisses(film.title, film.year, 50)
    .filter((i) => film.year === 0 || years[i] === 0 || Math.abs(years[i] - film.year) <= 1)
    .slice(0, MAX_CANDIDATES);
  return near.length > 0 ? { kind: 'ambiguous', candidates: near, reason: 'near-miss' } : { kind: 'none' };
}
