import { InputError } from '../types';
import { truncate } from '../formats/problems';
import { columnName, type CsvTable } from './csv-table';
import type { ImportParseOptions, ImportSource, ParsedImport } from './imported-film';
import { parseImdbCsv } from './imdb-csv';
import { parseLetterboxdCsv } from './letterboxd-csv';
import { parseLetterboxdImportCsv } from './letterboxd-import-csv';
import { isHeaderlessMovieLens, parseMovieLensCsv } from './movielens-csv';

const EXPECTED =
  "Letterboxd's ratings.csv, diary.csv or watched.csv (Date,Name,Year,Letterboxd URI[,Rating]), " +
  "IMDb's ratings export (Const,Your Rating,Date Rated,Title,...), " +
  "Letterboxd's import format (imdbID,Title,Year,Rating10) or MovieLens ratings (movieId,rating[,timestamp])";

function fail(table: CsvTable, expected: string, message: string): never {
  throw new InputError({ kind: 'format', file: table.file, line: table.headerLine, expected, found: truncate(table.rawHeader), message });
}

/**
 * Which export a file is, from its header alone (names compared without case), since people
 * rename files and every source names its columns differently. Throws a 'format' InputError
 * naming the header when it fits none, and for look-alikes that are not ratings (a Letterboxd
 * or IMDb watchlist).
 */
export function detectImportSource(table: CsvTable): ImportSource {
  if (table.headerLine === 0) {
    throw new InputError({
      kind: 'empty',
      file: table.file,
      expected: EXPECTED,
      message: `${table.file} is empty. Expected ${EXPECTED}.`,
    });
  }
  const names = new Set(table.header.map(columnName));
  const base = table.file.split(/[\\/]/).pop()!.toLowerCase();
  if (names.has('letterboxd uri') && names.has('name')) {
    if (/watchlist/.test(base)) {
      fail(
        table,
        'films you have seen or rated',
        `${table.file} is your Letterboxd watchlist: films you want to see, not ones you saw. Choose ratings.csv, diary.csv or watched.csv, or the whole export zip.`,
      );
    }
    if (!names.has('rating')) return 'letterboxd-watched';
    return names.has('watched date') || names.has('rewatch') ? 'letterboxd-diary' : 'letterboxd-ratings';
  }
  if (names.has('const')) {
    if (names.has('your rating') || names.has('you rated')) return 'imdb';
    fail(table, "IMDb's ratings export", `${table.file} is an IMDb list without your ratings (a watchlist?). On IMDb, open Your Ratings and choose Export.`);
  }
  // A movieId column says MovieLens even without a rating column: that is then named as missing.
  if (names.has('movieid')) return 'movielens';
  if ((names.has('title') || names.has('imdbid') || names.has('tmdbid')) && (names.has('rating10') || names.has('rating'))) return 'letterboxd-import';
  if (isHeaderlessMovieLens(table)) return 'movielens';
  fail(
    table,
    EXPECTED,
    `${table.file}, line ${table.headerLine}: the header "${truncate(table.rawHeader)}" is none LatentLens can import. Expected ${EXPECTED}.`,
  );
}

/** Parses a table as the export its header says it is. */
export function parseImportTable(table: CsvTable, opts: ImportParseOptions = {}): ParsedImport {
  const source = detectImportSource(table);
  switch (source) {
    case 'letterboxd-ratings':
    case 'letterboxd-diary':
    case 'letterboxd-watched':
      return parseLetterboxdCsv(table, source, opts);
    case 'letterboxd-import':
      return parseLetterboxdImportCsv(table, opts);
    case 'imdb':
      return parseImdbCsv(table, opts);
    case 'movielens':
      return parseMovieLensCsv(table, opts);
  }
}
