import { ProblemLog } from '../formats/problems';
import type { ImportedFilm, ImportParseOptions, ParsedImport } from './imported-film';
import { cell, cellProblem, findColumns, halfStarsOf, recordProblem, secondsOfDate, starsOfTen, yearOf, type ColumnSpec, type CsvTable } from './csv-table';

/**
 * The columns of Letterboxd's import format (letterboxd.com/about/importing-data), which our
 * Letterboxd export writes; Letterboxd reads any subset, by name, case-insensitively.
 */
export const LETTERBOXD_IMPORT_HEADER = 'imdbID,tmdbID,Title,Year,Rating10';

const COLUMNS: Record<'imdb' | 'tmdb' | 'title' | 'year' | 'rating' | 'rating10' | 'watchedDate', ColumnSpec> = {
  imdb: { name: 'imdbID', spellings: ['imdbid'], required: false },
  tmdb: { name: 'tmdbID', spellings: ['tmdbid'], required: false },
  title: { name: 'Title', spellings: ['title'], required: false },
  year: { name: 'Year', spellings: ['year'], required: false },
  rating: { name: 'Rating', spellings: ['rating'], required: false },
  rating10: { name: 'Rating10', spellings: ['rating10'], required: false },
  watchedDate: { name: 'WatchedDate', spellings: ['watcheddate'], required: false },
};

/** "tt0114709" or "114709" -> 114709; 0 for nothing, undefined for anything else. */
export function imdbNumberOf(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return 0;
  const m = /^(?:tt)?(\d{1,10})$/i.exec(t);
  return m && Number(m[1]) > 0 && Number(m[1]) <= 2147483647 ? Number(m[1]) : undefined;
}

function idOf(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return 0;
  return /^\d{1,10}$/.test(t) && Number(t) > 0 && Number(t) <= 2147483647 ? Number(t) : undefined;
}

/**
 * Reads Letterboxd's import format. Rating10 (1..10) is preferred to Rating (0.5..5) when both
 * are given; a line with neither is a film watched without a rating ("seen"), as Letterboxd
 * itself reads it.
 */
export function parseLetterboxdImportCsv(table: CsvTable, opts: ImportParseOptions = {}): ParsedImport {
  const col = findColumns(table, COLUMNS, "Letterboxd's import format", LETTERBOXD_IMPORT_HEADER);
  const log = new ProblemLog(opts.skipBadLines ?? false);
  const films: ImportedFilm[] = [];
  for (const row of table.rows) {
    const shape = recordProblem(table, row);
    if (shape) {
      log.report(shape);
      continue;
    }
    const imdbText = cell(row, col.imdb);
    const tmdbText = cell(row, col.tmdb);
    const yearText = cell(row, col.year);
    const r10 = cell(row, col.rating10);
    const r5 = cell(row, col.rating);
    const imdbId = imdbNumberOf(imdbText);
    const tmdbId = idOf(tmdbText);
    const year = yearOf(yearText);
    const title = cell(row, col.title);
    const rating = r10 !== '' ? starsOfTen(r10) : r5 !== '' ? halfStarsOf(r5) : null;
    if (imdbId === undefined) log.report(cellProblem(table, row, 'imdbID', 'an IMDb id such as tt0114709, or nothing', `"${imdbText}"`));
    else if (tmdbId === undefined) log.report(cellProblem(table, row, 'tmdbID', 'a TMDb id (a whole number), or nothing', `"${tmdbText}"`));
    else if (year === undefined) log.report(cellProblem(table, row, 'Year', 'a 4-digit year or nothing', `"${yearText}"`));
    else if (rating === undefined) {
      log.report(
        r10 !== ''
          ? cellProblem(table, row, 'Rating10', 'a whole rating from 1 to 10, or nothing', `"${r10}"`)
          : cellProblem(table, row, 'Rating', 'a rating from 0.5 to 5 in half stars, or nothing', `"${r5}"`),
      );
    } else if (title === '' && imdbId === 0 && tmdbId === 0) {
      log.report(cellProblem(table, row, col.title >= 0 ? 'Title' : 'imdbID', 'a title or an id that names the film', 'neither'));
    } else {
      films.push({
        file: table.file,
        line: row.line,
        source: 'letterboxd-import',
        title,
        otherTitles: [],
        year,
        imdbId,
        tmdbId,
        movieId: 0,
        rating,
        ratedAt: secondsOfDate(cell(row, col.watchedDate)),
      });
    }
  }
  return { file: table.file, source: 'letterboxd-import', films, lines: table.rows.length, unrated: 0, skipped: log.skipped, problems: log.problems };
}
