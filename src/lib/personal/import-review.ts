import type { InputProblem } from '../types';
import { displayTitle } from '../model/titles';
import type { ImportedFilm, ImportSource, ParsedImport } from './imported-film';
import { matchFilm, type AmbiguousReason, type FilmMatch, type MatchedVia } from './match-film';
import type { MatchIndex } from './match-index';
import { titleKey } from './title-key';

/** A movie of the release as the review shows it beside the imported film. */
export interface MovieRef {
  movieId: number;
  /** The release's title, article in front: "The Godfather (1972)". */
  title: string;
  year: number;
}

export interface ReviewRow {
  /** "file:line": names the row in the choices given to acceptReview. */
  key: string;
  film: ImportedFilm;
}

export interface MatchedRow extends ReviewRow {
  movie: MovieRef;
  via: MatchedVia;
  /** The film's year minus the movie's: ±1 for a title matched a year either side. */
  yearDiff: number;
}

export interface AmbiguousRow extends ReviewRow {
  candidates: MovieRef[];
  reason: AmbiguousReason;
}

/**
 * What an import would do, for the person to confirm before anything is stored. Rated films are
 * matched (by an id), matched by title (the two titles side by side), ambiguous (pick one) or
 * not found; films watched without a rating that matched are "seen". Plain data: it crosses from
 * the worker.
 */
export interface ImportReview {
  files: { file: string; source: ImportSource; lines: number; unrated: number; skipped: number }[];
  matched: MatchedRow[];
  matchedByTitle: MatchedRow[];
  /** Rated or seen films with candidates to choose from. */
  ambiguous: AmbiguousRow[];
  /** Rated or seen films with nothing close in the release. */
  notFound: ReviewRow[];
  seen: MatchedRow[];
  /** Lines that repeat a film already listed in the same file; the newest of them is kept. */
  duplicates: number;
  /** The first few bad lines left out (with skipBadLines). */
  problems: InputProblem[];
  /** False when the release has no links.csv, so IMDb and Letterboxd films matched by title only. */
  linksUsed: boolean;
}

/**
 * Lines and files that say more about a film outrank those that say less: ratings.csv (and
 * IMDb's, MovieLens's) hold the current rating, the diary a rating at the time of one viewing,
 * watched.csv only that it was seen.
 */
const SOURCE_RANK: Record<ImportSource, number> = {
  'letterboxd-ratings': 2,
  'letterboxd-import': 2,
  imdb: 2,
  movielens: 2,
  'letterboxd-diary': 1,
  'letterboxd-watched': 0,
};

/**
 * Which of two lines about one film wins: a rating over "seen", then the more telling source,
 * then the newer date (an unknown date is older than any), then the one read later (files list
 * oldest first, and a later file was chosen to correct an earlier one).
 */
export function preferred<T extends { film: ImportedFilm; order: number }>(a: T, b: T): T {
  const ar = a.film.rating !== null ? 1 : 0;
  const br = b.film.rating !== null ? 1 : 0;
  if (ar !== br) return ar > br ? a : b;
  const as = SOURCE_RANK[a.film.source];
  const bs = SOURCE_RANK[b.film.source];
  if (as !== bs) return as > bs ? a : b;
  if (a.film.ratedAt !== b.film.ratedAt) return a.film.ratedAt > b.film.ratedAt ? a : b;
  return a.order > b.order ? a : b;
}

export function rowKey(film: ImportedFilm): string {
  return `${film.file}:${film.line}`;
}

function movieRef(index: MatchIndex, i: number): MovieRef {
  const c = index.catalog;
  return { movieId: c.movieIds[i], title: displayTitle(c.titles[i]), year: c.years[i] };
}

/** Lines about the same film end up in one group: by movie once matched, else by what the file says. */
function groupKey(film: ImportedFilm, match: FilmMatch, index: MatchIndex): string {
  if (match.kind === 'matched') return `movie:${index.catalog.movieIds[match.movie]}`;
  if (film.movieId > 0) return `movieId:${film.movieId}`;
  if (film.imdbId > 0) return `imdb:${film.imdbId}`;
  if (film.tmdbId > 0) return `tmdb:${film.tmdbId}`;
  return `title:${titleKey(film.title)}|${film.year}`;
}

interface Entry {
  film: ImportedFilm;
  match: FilmMatch;
  order: number;
}

/**
 * Matches every imported film against the release and sorts the results into the review. Lines
 * about the same film (a film logged twice in the diary, or in both ratings.csv and watched.csv)
 * are resolved to one, by `preferred`; repeats within one file are counted as duplicates.
 */
export function buildReview(imports: readonly ParsedImport[], index: MatchIndex): ImportReview {
  const groups = new Map<string, Entry[]>();
  let order = 0;
  for (const parsed of imports) {
    for (const film of parsed.films) {
      const match = matchFilm(film, index);
      const key = groupKey(film, match, index);
      const entry = { film, match, order: order++ };
      const list = groups.get(key);
      if (list) list.push(entry);
      else groups.set(key, [entry]);
    }
  }
  const review: ImportReview = {
    files: imports.map((p) => ({ file: p.file, source: p.source, lines: p.lines, unrated: p.unrated, skipped: p.skipped })),
    matched: [],
    matchedByTitle: [],
    ambiguous: [],
    notFound: [],
    seen: [],
    duplicates: 0,
    problems: imports.flatMap((p) => p.problems),
    linksUsed: index.hasLinks,
  };
  const winners: Entry[] = [];
  for (const list of groups.values()) {
    const perFile = new Map<string, number>();
    for (const e of list) perFile.set(e.film.file, (perFile.get(e.film.file) ?? 0) + 1);
    for (const n of perFile.values()) review.duplicates += n - 1;
    winners.push(list.reduce(preferred));
  }
  winners.sort((a, b) => a.order - b.order);
  for (const { film, match } of winners) {
    const key = rowKey(film);
    if (match.kind === 'matched') {
      const row: MatchedRow = { key, film, movie: movieRef(index, match.movie), via: match.via, yearDiff: match.yearDiff };
      if (film.rating === null) review.seen.push(row);
      else if (match.via === 'title') review.matchedByTitle.push(row);
      else review.matched.push(row);
    } else if (match.kind === 'ambiguous') {
      review.ambiguous.push({ key, film, candidates: match.candidates.map((i) => movieRef(index, i)), reason: match.reason });
    } else {
      review.notFound.push({ key, film });
    }
  }
  return review;
}
