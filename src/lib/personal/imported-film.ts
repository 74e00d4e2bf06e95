import type { InputProblem } from '../types';

/**
 * The files a person brings from elsewhere, by what wrote them: Letterboxd's export (ratings.csv,
 * diary.csv, watched.csv), Letterboxd's import format (what our Letterboxd export writes), IMDb's
 * ratings export, and MovieLens-format ratings (what our MovieLens export writes).
 */
export type ImportSource = 'letterboxd-ratings' | 'letterboxd-diary' | 'letterboxd-watched' | 'letterboxd-import' | 'imdb' | 'movielens';

/** How a source is named to a person. */
export const IMPORT_SOURCE_LABELS: Record<ImportSource, string> = {
  'letterboxd-ratings': 'Letterboxd ratings',
  'letterboxd-diary': 'Letterboxd diary',
  'letterboxd-watched': 'Letterboxd watched films',
  'letterboxd-import': 'Letterboxd import file',
  imdb: 'IMDb ratings',
  movielens: 'MovieLens-format ratings',
};

/**
 * One line of an imported file: a film as the file names it, and what the person gave it.
 * Ids the file does not carry are 0 (MovieLens, IMDb and TMDb ids all start at 1).
 */
export interface ImportedFilm {
  /** The file's name as given, and the 1-based line: identifies the row in the review. */
  file: string;
  line: number;
  source: ImportSource;
  /** The title as the file writes it; '' when the file has ids only (MovieLens format). */
  title: string;
  /** Other names the file gives the film (IMDb's "Original Title"), tried when the title is not found. */
  otherTitles: string[];
  /** Release year; 0 when the file does not say. */
  year: number;
  /** IMDb's number without "tt" (tt0114709 -> 114709). */
  imdbId: number;
  tmdbId: number;
  movieId: number;
  /** Stars 0.5..5 in half stars; null for a film watched but not rated ("seen"). */
  rating: number | null;
  /** When it was rated or logged, seconds since the Unix epoch; 0 when the file does not say. */
  ratedAt: number;
}

/** What one file gave. */
export interface ParsedImport {
  file: string;
  source: ImportSource;
  films: ImportedFilm[];
  /** Data lines read (blank lines aside). */
  lines: number;
  /**
   * Lines with no rating that do not mean "seen" (an IMDb list exported with empty "Your
   * Rating"): left out, and counted so the review can say so.
   */
  unrated: number;
  /** Bad lines left out (only with skipBadLines), with the first few problems. */
  skipped: number;
  problems: InputProblem[];
}

export interface ImportParseOptions {
  /** Count and leave out bad lines instead of stopping at the first one. */
  skipBadLines?: boolean;
}
