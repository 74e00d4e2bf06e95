/**
 * A person's Letterboxd and IMDb exports, written from a release's own titles and links the way
 * those sites write them: the article in front ("The Godfather", where MovieLens sorts
 * "Godfather, The"), accents dropped, one title in every ten a year later, an unknown film, and
 * the first film listed again later with another rating. Used by the match-rate test and the
 * import e2e test.
 */
import type { LinksTable } from '../../src/lib/formats/links-csv';
import type { MoviesTable } from '../../src/lib/types';
import { primaryTitle } from '../../src/lib/personal/title-key';

export interface BuiltExport {
  text: string;
  /** For each data line, in order: the movieId it stands for, 0 for the unknown film. */
  truth: number[];
  /** The rating of each movieId after the duplicate (newest) is applied. */
  ratings: Map<number, number>;
}

export const UNKNOWN_FILM = { title: 'Qwxzv Plorkt', year: 2011, imdb: 'tt99999991' };

const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '');
const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const date = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

interface Line {
  movieId: number;
  title: string;
  year: number;
  imdb: string;
  stars: number;
  day: number;
}

function lines(movies: MoviesTable, links: LinksTable | undefined, movieIds: readonly number[]): Line[] {
  const at = new Map<number, number>();
  for (let i = 0; i < movies.count; i++) at.set(movies.movieIds[i], i);
  const imdb = new Map<number, number>();
  if (links) for (let r = 0; r < links.count; r++) imdb.set(links.movieIds[r], links.imdbIds[r]);
  const out: Line[] = movieIds.map((movieId, n) => {
    const i = at.get(movieId)!;
    const year = movies.years[i];
    return {
      movieId,
      title: stripAccents(primaryTitle(movies.titles[i])),
      year: year && n % 10 === 9 ? year + 1 : year,
      imdb: `tt${String(imdb.get(movieId) ?? 0).padStart(7, '0')}`,
      stars: ((n % 10) + 1) / 2,
      day: n,
    };
  });
  out.push({ movieId: 0, title: UNKNOWN_FILM.title, year: UNKNOWN_FILM.year, imdb: UNKNOWN_FILM.imdb, stars: 3, day: out.length });
  const first = out[0];
  out.push({ ...first, stars: first.stars === 5 ? 1 : 5, day: out.length });
  return out;
}

function built(ls: Line[], text: string): BuiltExport {
  const ratings = new Map<number, number>();
  for (const l of ls) if (l.movieId) ratings.set(l.movieId, l.stars);
  return { text, truth: ls.map((l) => l.movieId), ratings };
}

/** Letterboxd's ratings.csv: Date,Name,Year,Letterboxd URI,Rating (half stars). */
export function letterboxdRatingsCsv(movies: MoviesTable, movieIds: readonly number[]): BuiltExport {
  const ls = lines(movies, undefined, movieIds);
  const rows = ls.map((l, n) => [date(l.day), quote(l.title), l.year || '', `https://boxd.it/${(1000 + n).toString(36)}`, l.stars].join(','));
  return built(ls, ['Date,Name,Year,Letterboxd URI,Rating', ...rows, ''].join('\n'));
}

/** IMDb's ratings export (2024 columns, CRLF): Const from links.csv, Your Rating 1-10. */
export function imdbRatingsCsv(movies: MoviesTable, links: LinksTable, movieIds: readonly number[]): BuiltExport {
  const ls = lines(movies, links, movieIds);
  const header = 'Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors';
  const rows = ls.map((l) =>
    [
      l.imdb,
      l.stars * 2,
      date(l.day),
      quote(l.title),
      quote(l.title),
      `https://www.imdb.com/title/${l.imdb}/`,
      'Movie',
      '7.5',
      '100',
      l.year || '',
      '"Drama, Comedy"',
      '1000',
      '',
      '',
    ].join(','),
  );
  return built(ls, [header, ...rows, ''].join('\r\n'));
}

/** Every 25th movie of the sample, and a few whose titles exercise the matching rules. */
export function sampleSelection(movies: MoviesTable): number[] {
  const ids = new Set([858, 73, 293, 47, 4973, 1233, 58]);
  for (let i = 0; i < movies.count; i += 25) ids.add(movies.movieIds[i]);
  return [...ids];
}
