import { ProblemLog } from '../formats/problems';
import type { ImportedFilm, ImportParseOptions, ParsedImport } from './imported-film';
import { cell, cellProblem, findColumns, recordProblem, secondsOfDate, starsOfTen, yearOf, type ColumnSpec, type CsvTable } from './csv-table';

/** The leading columns of IMDb's ratings export since 2017 (the 2024 export adds "Original Title" after Title). */
export const IMDB_HEADER = 'Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,...';

/**
 * Columns by name, because IMDb has moved them: the 2017-2023 export, the 2024 one with
 * "Original Title", and the older list export ("const", "You rated", "created") all read.
 */
const COLUMNS: Record<'id' | 'rating' | 'date' | 'title' | 'original' | 'year', ColumnSpec> = {
  id: { name: 'Const', spellings: ['const'], required: true },
  rating: { name: 'Your Rating', spellings: ['your rating', 'you rated'], required: true },
  date: { name: 'Date Rated', spellings: ['date rated', 'created'], required: false },
  title: { name: 'Title', spellings: ['title'], required: false },
  original: { name: 'Original Title', spellings: ['original title'], required: false },
  year: { name: 'Year', spellings: ['year'], required: false },
};

const CONST = /^tt(\d{1,10})$/i;

/**
 * Reads IMDb's ratings export. Const is "tt" + the IMDb id, kept as a number so that it compares
 * with links.csv's zero-padded imdbId; Your Rating 1..10 becomes 0.5..5 stars (7 -> 3.5). A line
 * with no rating (a list exported with that column empty) is counted as unrated, not as seen:
 * a watchlist holds films not yet watched.
 */
export function parseImdbCsv(table: CsvTable, opts: ImportParseOptions = {}): ParsedImport {
  const col = findColumns(table, COLUMNS, 'IMDb ratings export', IMDB_HEADER);
  const log = new ProblemLog(opts.skipBadLines ?? false);
  const films: ImportedFilm[] = [];
  let unrated = 0;
  for (const row of table.rows) {
    const shape = recordProblem(table, row);
    if (shape) {
      log.report(shape);
      continue;
    }
    const idText = cell(row, col.id);
    const id = CONST.exec(idText);
    const ratingText = cell(row, col.rating);
    const yearText = cell(row, col.year);
    const year = yearOf(yearText);
    if (!id || Number(id[1]) === 0 || Number(id[1]) > 2147483647) {
      log.report(cellProblem(table, row, 'Const', 'an IMDb id such as tt0114709', `"${idText}"`));
      continue;
    }
    if (ratingText === '') {
      unrated++;
      continue;
    }
    const rating = starsOfTen(ratingText);
    if (rating === undefined) log.report(cellProblem(table, row, 'Your Rating', 'a whole rating from 1 to 10', `"${ratingText}"`));
    else if (year === undefined) log.report(cellProblem(table, row, 'Year', 'a 4-digit year or nothing', `"${yearText}"`));
    else {
      const title = cell(row, col.title);
      const original = cell(row, col.original);
      films.push({
        file: table.file,
        line: row.line,
        source: 'imdb',
        title,
        otherTitles: original && original !== title ? [original] : [],
        year,
        imdbId: Number(id[1]),
        tmdbId: 0,
        movieId: 0,
        rating,
        ratedAt: secondsOfDate(cell(row, col.date)),
      });
    }
  }
  return { file: table.file, source: 'imdb', films, lines: table.rows.length, unrated, skipped: log.skipped, problems: log.problems };
}
