import { InputError } from '../types';
import { lineProblem, ProblemLog } from './problems';

/** The header line of links.csv in every MovieLens CSV release. */
export const LINKS_CSV_HEADER = 'movieId,imdbId,tmdbId';

/**
 * links.csv as columns, in file order. IMDb ids are numbers ("0114709" -> 114709), because
 * IMDb's own exports write "tt0114709" and newer titles have eight digits: only the number
 * compares the same everywhere.
 */
export interface LinksTable {
  count: number;
  movieIds: Int32Array;
  imdbIds: Int32Array;
  /** 0 where the release has no TMDb id for the movie (a few rows in every release). */
  tmdbIds: Int32Array;
}

export interface LinksParseResult {
  links: LinksTable;
  skipped: number;
}

const ID = /^\d{1,10}$/;
const INT32_MAX = 2147483647;

function idOf(field: string): number {
  const t = field.trim();
  if (!ID.test(t)) return -1;
  const n = Number(t);
  return n <= INT32_MAX ? n : -1;
}

/**
 * Parses a release's links.csv. The file is small (about 2 MB for ML-25M), so it is read whole;
 * no field is ever quoted. A bad line throws an InputError naming it, or with skipBadLines is
 * counted and left out.
 */
export function parseLinksCsv(text: string, fileName: string, opts: { skipBadLines?: boolean } = {}): LinksParseResult {
  const log = new ProblemLog(opts.skipBadLines ?? false);
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const movieIds: number[] = [];
  const imdbIds: number[] = [];
  const tmdbIds: number[] = [];
  let sawHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const line = i + 1;
    if (!sawHeader) {
      if (raw.trim().toLowerCase() !== LINKS_CSV_HEADER.toLowerCase()) {
        throw new InputError(lineProblem(fileName, line, raw, `the header "${LINKS_CSV_HEADER}"`, `"${raw}"`));
      }
      sawHeader = true;
      continue;
    }
    const fields = raw.split(',');
    if (fields.length !== 3) {
      log.report(lineProblem(fileName, line, raw, `3 comma-separated fields (${LINKS_CSV_HEADER})`, `${fields.length} in "${raw}"`));
      continue;
    }
    const movieId = idOf(fields[0]);
    const imdbId = idOf(fields[1]);
    const tmdbId = fields[2].trim() === '' ? 0 : idOf(fields[2]);
    const bad = movieId < 0 ? ['movieId', fields[0]] : imdbId < 0 ? ['imdbId', fields[1]] : tmdbId < 0 ? ['tmdbId', fields[2]] : undefined;
    if (bad) {
      const problem = lineProblem(fileName, line, raw, `a whole-number ${bad[0]}`, `"${bad[1]}"`);
      log.report({ ...problem, column: bad[0], message: `${fileName}, line ${line}, column ${bad[0]}: expected a whole number, found "${bad[1]}"` });
      continue;
    }
    movieIds.push(movieId);
    imdbIds.push(imdbId);
    tmdbIds.push(tmdbId);
  }
  if (!sawHeader) {
    throw new InputError({
      kind: 'empty',
      file: fileName,
      expected: `the header "${LINKS_CSV_HEADER}" and one movie per line`,
      message: `${fileName} is empty: expected the header "${LINKS_CSV_HEADER}" and one movie per line.`,
    });
  }
  return {
    links: { count: movieIds.length, movieIds: Int32Array.from(movieIds), imdbIds: Int32Array.from(imdbIds), tmdbIds: Int32Array.from(tmdbIds) },
    skipped: log.skipped,
  };
}

/** Reads and parses a links.csv blob (UTF-8; the file is ASCII in every release). */
export async function parseLinksBlob(blob: Blob, fileName: string, opts: { skipBadLines?: boolean } = {}): Promise<LinksParseResult> {
  return parseLinksCsv(await blob.text(), fileName, opts);
}
