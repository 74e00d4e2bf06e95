import type { LinksTable } from '../formats/links-csv';
import { titleWithoutYear } from '../model/titles';
import { csvText } from './csv-text';
import { imdbTag } from './imdb-tag';

/** What a recommendation row needs; ModelQueries' Recommended has it. */
export interface RecommendationLike {
  movieId: number;
  /** Display title, possibly with its "(1995)" suffix, which the CSV moves to the year column. */
  title: string;
  year: number;
  score: number;
  because: readonly { title: string }[];
}

/**
 * "Recommended for you" as CSV: rank, movieId (and imdbId when the release has links.csv),
 * title, year, the recommender's score, and the rated movies that led to it, joined by "; ".
 * Scores are the ranking's own units (not stars), written with four decimals.
 */
export function recommendationsToCsv(items: readonly RecommendationLike[], links?: LinksTable): string {
  const imdb = new Map<number, number>();
  if (links) for (let r = 0; r < links.count; r++) imdb.set(links.movieIds[r], links.imdbIds[r]);
  const withIds = imdb.size > 0;
  const fields = ['rank', 'movieId', ...(withIds ? ['imdbId'] : []), 'title', 'year', 'score', 'because'];
  const data = items.map((m, i) => {
    const id = imdb.get(m.movieId);
    return [
      String(i + 1),
      String(m.movieId),
      ...(withIds ? [id ? imdbTag(id) : ''] : []),
      titleWithoutYear(m.title),
      m.year ? String(m.year) : '',
      Number.isFinite(m.score) ? m.score.toFixed(4) : '',
      m.because.map((b) => titleWithoutYear(b.title)).join('; '),
    ];
  });
  return csvText(fields, data);
}
