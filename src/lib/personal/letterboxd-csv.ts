import { ProblemLog } from '../formats/problems';
import type { ImportedFilm, ImportParseOptions, ParsedImport } from './imported-film';
import { cell, cellProblem, findColumns, halfStarsOf, recordProblem, secondsOfDate, yearOf, type ColumnSpec, type CsvTable } from './csv-table';

export type LetterboxdExportSource = 'letterboxd-ratings' | 'letterboxd-diary' | 'letterboxd-watched';

/** The headers of the three files of Letterboxd's export that say what a person saw and rated. */
export const LETTERBOXD_HEADERS: Record<LetterboxdExportSource, string> = {
  'letterboxd-ratings': 'Date,Name,Year,Letterboxd URI,Rating',
  'letterboxd-diary': 'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date',
  'letterboxd-watched': 'Date,Name,Year,Letterboxd URI',
};

const FORMAT_NAMES: Record<LetterboxdExportSource, string> = {
  'letterboxd-ratings': "Letterboxd's ratings.csv",
  'letterboxd-diary': "Letterboxd's diary.csv",
  'letterboxd-watched': "Letterboxd's watched.csv",
};

function columns(source: LetterboxdExportSource): Record<'date' | 'name' | 'year' | 'rating' | 'watchedDate', ColumnSpec> {
  return {
    date: { name: 'Date', spellings: ['date'], required: false },
    name: { name: 'Name', spellings: ['name'], required: true },
    year: { name: 'Year', spellings: ['year'], required: true },
    rating: { name: 'Rating', spellings: ['rating'], required: source !== 'letterboxd-watched' },
    watchedDate: { name: 'Watched Date', spellings: ['watched date'], required: false },
  };
}

/**
 * Reads one file of Letterboxd's export. Rating is 0.5..5 in half stars; an empty Rating (a diary
 * entry logged without stars) and every line of watched.csv mean "seen": the film is kept out of
 * recommendations but is not a rating. The Letterboxd URI is not kept: in diary.csv it names
 * the diary entry, not the film, so it cannot tell the same film apart across files.
 */
export function parseLetterboxdCsv(table: CsvTable, source: LetterboxdExportSource, opts: ImportParseOptions = {}): ParsedImport {
  const col = findColumns(table, columns(source), FORMAT_NAMES[source], LETTERBOXD_HEADERS[source]);
  const log = new ProblemLog(opts.skipBadLines ?? false);
  const films: ImportedFilm[] = [];
  for (const row of table.rows) {
    const shape = recordProblem(table, row);
    if (shape) {
      log.report(shape);
      continue;
    }
    const title = cell(row, col.name);
    const yearText = cell(row, col.year);
    const year = yearOf(yearText);
    const ratingText = col.rating >= 0 ? cell(row, col.rating) : '';
    const rating = ratingText === '' ? null : halfStarsOf(ratingText);
    if (title === '') log.report(cellProblem(table, row, 'Name', "the film's name", 'an empty field'));
    else if (year === undefined) log.report(cellProblem(table, row, 'Year', 'a 4-digit year or nothing', `"${yearText}"`));
    else if (rating === undefined) log.report(cellProblem(table, row, 'Rating', 'a rating from 0.5 to 5 in half stars, or nothing', `"${ratingText}"`));
    else {
      films.push({
        file: table.file,
        line: row.line,
        source,
        title,
        otherTitles: [],
        year,
        imdbId: 0,
        tmdbId: 0,
        movieId: 0,
        rating,
        ratedAt: secondsOfDate(cell(row, col.date)) || secondsOfDate(cell(row, col.watchedDate)),
      });
    }
  }
  return { file: table.file, source, films, lines: table.rows.length, unrated: 0, skipped: log.skipped, problems: log.problems };
}
