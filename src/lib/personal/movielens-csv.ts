import { InputError } from '../types';
import { ProblemLog } from '../formats/problems';
import type { ImportedFilm, ImportParseOptions, ParsedImport } from './imported-film';
import { cell, cellProblem, findColumns, halfStarsOf, recordProblem, type ColumnSpec, type CsvRow, type CsvTable } from './csv-table';

/** What our MovieLens export writes; userId first (as in a release's ratings.csv) also reads. */
export const MOVIELENS_HEADER = 'movieId,rating,timestamp';

const COLUMNS: Record<'user' | 'movie' | 'rating' | 'timestamp', ColumnSpec> = {
  user: { name: 'userId', spellings: ['userid'], required: false },
  movie: { name: 'movieId', spellings: ['movieid'], required: true },
  rating: { name: 'rating', spellings: ['rating'], required: true },
  timestamp: { name: 'timestamp', spellings: ['timestamp'], required: false },
};

const NUMBER = /^\s*\d+(?:[.,]\d+)?\s*$/;

/**
 * True when the first line is data, not a header: "1,4.5" or "1\t4.5\t964982703". The command
 * line took such files before imports existed, so they still read.
 */
export function isHeaderlessMovieLens(table: CsvTable): boolean {
  const n = table.header.length;
  return n >= 2 && n <= 4 && table.header.every((f) => NUMBER.test(f));
}

/** Column positions of a headerless file: movieId,rating[,timestamp] or userId,movieId,rating,timestamp. */
function headerlessColumns(n: number): Record<'user' | 'movie' | 'rating' | 'timestamp', number> {
  return n === 4 ? { user: 0, movie: 1, rating: 2, timestamp: 3 } : { user: -1, movie: 0, rating: 1, timestamp: n === 3 ? 2 : -1 };
}

const WHOLE = /^\d{1,10}$/;

/**
 * Reads ratings in MovieLens's layout: movieId and rating (0.5..5 in half stars), an optional
 * timestamp in seconds, and an optional userId that is ignored as long as it names one person.
 * A file with several userIds is a whole release's ratings.csv, not one person's: that throws,
 * rather than importing thousands of strangers' ratings as yours.
 */
export function parseMovieLensCsv(table: CsvTable, opts: ImportParseOptions = {}): ParsedImport {
  const headerless = isHeaderlessMovieLens(table);
  const col = headerless ? headerlessColumns(table.header.length) : findColumns(table, COLUMNS, 'MovieLens-format ratings file', MOVIELENS_HEADER);
  const rows: CsvRow[] = headerless ? [{ line: table.headerLine, fields: table.header, raw: table.rawHeader, quoteError: false }, ...table.rows] : table.rows;
  const log = new ProblemLog(opts.skipBadLines ?? false);
  const films: ImportedFilm[] = [];
  const users = new Set<string>();
  const name = (key: keyof typeof COLUMNS) => (headerless ? COLUMNS[key].name : table.header[col[key]]);
  for (const row of rows) {
    const shape = headerless ? undefined : recordProblem(table, row);
    if (shape) {
      log.report(shape);
      continue;
    }
    if (headerless && row.fields.length !== table.header.length) {
      log.report(cellProblem(table, row, 'rating', `${table.header.length} fields like the first line`, `${row.fields.length} in "${row.raw}"`));
      continue;
    }
    const movieText = cell(row, col.movie);
    const ratingText = cell(row, col.rating);
    const timeText = cell(row, col.timestamp);
    const rating = halfStarsOf(ratingText);
    if (!WHOLE.test(movieText) || Number(movieText) === 0 || Number(movieText) > 2147483647) {
      log.report(cellProblem(table, row, name('movie'), 'a MovieLens movieId (a whole number)', `"${movieText}"`));
    } else if (rating === undefined) {
      log.report(cellProblem(table, row, name('rating'), 'a rating from 0.5 to 5 in half stars', `"${ratingText}"`));
    } else if (timeText !== '' && !(WHOLE.test(timeText) && Number(timeText) <= 2147483647)) {
      log.report(cellProblem(table, row, name('timestamp'), 'seconds since 1970 (a whole number), or nothing', `"${timeText}"`));
    } else {
      if (col.user >= 0) users.add(cell(row, col.user));
      films.push({
        file: table.file,
        line: row.line,
        source: 'movielens',
        title: '',
        otherTitles: [],
        year: 0,
        imdbId: 0,
        tmdbId: 0,
        movieId: Number(movieText),
        rating,
        ratedAt: timeText === '' ? 0 : Number(timeText),
      });
    }
  }
  if (users.size > 1) {
    const some = [...users].slice(0, 3).join(', ');
    throw new InputError({
      kind: 'format',
      file: table.file,
      line: table.headerLine,
      column: headerless ? 'userId' : table.header[col.user],
      expected: "one person's ratings",
      found: `${users.size} different userIds (${some}, ...)`,
      message: `${table.file} holds the ratings of ${users.size.toLocaleString('en')} people (userId ${some}, ...), not one person's. Keep only your own lines, or choose your own export.`,
    });
  }
  return { file: table.file, source: 'movielens', films, lines: rows.length, unrated: 0, skipped: log.skipped, problems: log.problems };
}
