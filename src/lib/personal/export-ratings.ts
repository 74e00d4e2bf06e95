import type { LinksTable } from '../formats/links-csv';
import type { MatchCatalog } from './match-index';
import { MOVIELENS_HEADER } from './movielens-csv';
import { primaryTitle } from './title-key';
import { csvText } from './csv-text';

/** One rating to write: raw MovieLens movieId, stars, and when (seconds since epoch; 0 or absent when unknown). */
export interface RatingRecord {
  movieId: number;
  rating: number;
  ratedAt?: number;
}

/** The map MyRatings keeps (and its optional dates) as records, in movieId order. */
export function ratingRecords(ratings: ReadonlyMap<number, number>, ratedAt?: ReadonlyMap<number, number>): RatingRecord[] {
  return [...ratings].map(([movieId, rating]) => ({ movieId, rating, ratedAt: ratedAt?.get(movieId) ?? 0 })).sort((a, b) => a.movieId - b.movieId);
}

/**
 * Ratings as MovieLens writes them, without the userId: "movieId,rating,timestamp", the rating
 * with one decimal as in ratings.csv. An unknown date is left empty rather than written as 0,
 * which would read back as 1970 and lose every "newest wins" comparison. Our importer reads it
 * back (parseMovieLensCsv), so this is also the backup format.
 */
export function ratingsToMovieLensCsv(ratings: Iterable<RatingRecord>): string {
  const data = [...ratings].sort((a, b) => a.movieId - b.movieId).map((r) => [String(r.movieId), r.rating.toFixed(1), r.ratedAt ? String(r.ratedAt) : '']);
  return csvText(MOVIELENS_HEADER.split(','), data);
}

export interface LetterboxdExport {
  text: string;
  /** Movies that could not be named (not in the release, no IMDb id): not written. */
  omitted: number[];
}

import { imdbTag } from './imdb-tag';

export { imdbTag };

/**
 * Ratings in Letterboxd's import format (letterboxd.com/about/importing-data): Title, Year and
 * Rating10 (1..10, so half stars survive), with imdbID and tmdbID in front when the release has
 * links.csv, because Letterboxd matches ids before titles. The title is the one a person would
 * search for: article in front, without MovieLens's "(a.k.a. ...)" and original-language names.
 */
export function ratingsToLetterboxdCsv(ratings: Iterable<RatingRecord>, catalog: MatchCatalog, links?: LinksTable): LetterboxdExport {
  const at = new Map<number, number>();
  for (let i = 0; i < catalog.movieIds.length; i++) at.set(catalog.movieIds[i], i);
  const ids = new Map<number, [number, number]>();
  if (links) for (let r = 0; r < links.count; r++) ids.set(links.movieIds[r], [links.imdbIds[r], links.tmdbIds[r]]);
  const withIds = ids.size > 0;
  const fields = withIds ? ['imdbID', 'tmdbID', 'Title', 'Year', 'Rating10'] : ['Title', 'Year', 'Rating10'];
  const data: string[][] = [];
  const omitted: number[] = [];
  for (const r of [...ratings].sort((a, b) => a.movieId - b.movieId)) {
    const i = at.get(r.movieId);
    const [imdb, tmdb] = ids.get(r.movieId) ?? [0, 0];
    if (i === undefined && imdb === 0) {
      omitted.push(r.movieId);
      continue;
    }
    const title = i === undefined ? '' : primaryTitle(catalog.titles[i]);
    const year = i === undefined || catalog.years[i] === 0 ? '' : String(catalog.years[i]);
    const rating10 = String(Math.round(r.rating * 2));
    data.push(withIds ? [imdb ? imdbTag(imdb) : '', tmdb ? String(tmdb) : '', title, year, rating10] : [title, year, rating10]);
  }
  return { text: csvText(fields, data), omitted };
}
