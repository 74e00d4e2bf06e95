import Papa from 'papaparse';
import { InputError, type CheckCancelled, type InputProblem, type MoviesTable } from '../types';
import type { TextEncodingName } from './encoding';
import { MoviesTableBuilder, splitGenres } from './movies-table';
import { truncate } from './problems';
import { feedParser } from './read-chunks';

// Shared with the .dat and ML-100k movies parsers; these names stay importable from here.
export { extractYear, MAX_GENRES, NO_GENRES_LISTED, splitGenres } from './movies-table';

/** The header line of every MovieLens CSV release's movies.csv. */
export const MOVIES_CSV_HEADER = 'movieId,title,genres';

export interface MoviesParseOptions {
  fileName: string;
  chunkBytes?: number;
  /** Called once per chunk; it may throw CancelledError. */
  check?: CheckCancelled;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** When true, bad lines are counted and skipped instead of throwing; the first 5 problems are kept. */
  skipBadLines?: boolean;
  /** The text encoding; UTF-8 unless the file was found to be ISO-8859-1 (see detectEncoding). */
  encoding?: TextEncodingName;
}

export interface MoviesParseResult {
  movies: MoviesTable;
  skipped: number;
  /** The first few skipped lines' problems (only with skipBadLines). */
  problems: InputProblem[];
}

const QUOTE = 34;
const NL = 10;
/**
 * The longest stretch of text kept while looking for a record's end. Real records are under
 * 300 characters; beyond this an opening quote was never closed and the rest of the file would
 * be swallowed into one title.
 */
const MAX_CARRY_CHARS = 1 << 20;

/**
 * The synchronous core of the movies parser: push the file's bytes in any chunking, then
 * finish(). Papa Parse handles the CSV grammar; this class only decides where a chunk's
 * complete records end (the last newline outside quotes) and keeps the rest for the next one.
 */
export class MoviesCsvParser {
  readonly fileName: string;
  readonly skipBadLines: boolean;
  // Stream mode joins UTF-8 sequences split across chunks and drops a leading BOM.
  private readonly decoder: TextDecoder;
  /** Text after the last complete record, waiting for the rest of its record, in pieces. */
  private carryPieces: string[] = [];
  private carryChars = 0;
  /** Quote parity at the end of the carry. */
  private inQuotes = false;
  /** Lines ('\n') handed to Papa so far; the carry starts on line linesBefore + 1. */
  private linesBefore = 0;
  private sawAnything = false;
  private sawHeader = false;
  private finished = false;

  private readonly table: MoviesTableBuilder;

  constructor(opts: { fileName: string; skipBadLines?: boolean; encoding?: TextEncodingName }) {
    this.fileName = opts.fileName;
    this.skipBadLines = opts.skipBadLines ?? false;
    this.decoder = new TextDecoder(opts.encoding ?? 'utf-8', { fatal: false });
    this.table = new MoviesTableBuilder(this.fileName, this.skipBadLines);
  }

  get skipped(): number {
    return this.table.log.skipped;
  }

  get problems(): InputProblem[] {
    return this.table.log.problems;
  }

  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('MoviesCsvParser: push() after finish()');
    this.pushText(this.decoder.decode(chunk, { stream: true }));
  }

  finish(): MoviesParseResult {
    if (!this.finished) {
      this.finished = true;
      this.pushText(this.decoder.decode());
      const rest = this.carry;
      if (rest !== '') this.parseRecords(rest);
      this.carryPieces = [];
      this.carryChars = 0;
      if (!this.sawHeader) {
        throw new InputError({
          kind: 'empty',
          file: this.fileName,
          expected: `the header "${MOVIES_CSV_HEADER}" and one movie per line`,
          message: this.sawAnything
            ? `${this.fileName} has only blank lines: expected the header "${MOVIES_CSV_HEADER}" and one movie per line.`
            : `${this.fileName} is empty: expected the header "${MOVIES_CSV_HEADER}" and one movie per line.`,
        });
      }
    }
    return {
      movies: this.table.build(),
      skipped: this.skipped,
      problems: this.problems.slice(),
    };
  }

  private pushText(text: string): void {
    if (text === '') return;
    this.sawAnything = true;
    let inQuotes = this.inQuotes;
    let lastNl = -1;
    // Only the new text is scanned, and the carry is kept as pieces until a record ends: a
    // string grown by `+=` and then indexed is flattened (copied) by V8 on every chunk, which
    // made one huge unterminated field quadratic. A doubled quote inside a quoted field flips
    // the parity twice, so parity alone tells whether a newline ends a record.
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === QUOTE) inQuotes = !inQuotes;
      else if (ch === NL && !inQuotes) lastNl = i;
    }
    this.inQuotes = inQuotes;
    if (lastNl < 0) {
      this.carryPieces.push(text);
      this.carryChars += text.length;
      if (this.carryChars > MAX_CARRY_CHARS) this.unclosedQuote(this.carryPieces.join(''));
      return;
    }
    this.carryPieces.push(text.slice(0, lastNl + 1));
    const complete = this.carryPieces.join('');
    const rest = text.slice(lastNl + 1);
    this.carryPieces = rest ? [rest] : [];
    this.carryChars = rest.length;
    this.parseRecords(complete);
  }

  private get carry(): string {
    return this.carryPieces.join('');
  }

  private unclosedQuote(carry: string): never {
    const line = this.linesBefore + 1;
    const text = carry.slice(0, carry.indexOf('\n') >>> 0);
    throw new InputError({
      kind: 'parse',
      file: this.fileName,
      line,
      expected: 'a closing quote for the quoted field on this line',
      found: truncate(text),
      message: `${this.fileName}, line ${line}: expected a closing quote for the quoted field on this line, found none in the next ${MAX_CARRY_CHARS.toLocaleString('en')} characters`,
    });
  }

  /** Parses whole records; `text` ends with a newline except at the end of the file. */
  private parseRecords(text: string): void {
    let rowStart = 0;
    let countedTo = 0;
    let newlines = 0;
    Papa.parse<string[]>(text, {
      header: false,
      // Fixed rather than guessed per chunk: a guess of "\r\n" would glue the lines of a file
      // with mixed endings. A '\r' left at the end of a record is trimmed below.
      newline: '\n',
      delimiter: ',',
      skipEmptyLines: false,
      step: (result) => {
        const start = rowStart;
        const end = result.meta.cursor;
        rowStart = end;
        // Papa reports one empty row for the end after the last '\n'.
        if (start >= text.length) return;
        for (; countedTo < start; countedTo++) if (text.charCodeAt(countedTo) === NL) newlines++;
        const line = this.linesBefore + 1 + newlines;
        const raw = text.slice(start, end).replace(/\r?\n$/, '');
        this.record(result.data, result.errors.length > 0, line, raw);
      },
    });
    for (; countedTo < text.length; countedTo++) if (text.charCodeAt(countedTo) === NL) newlines++;
    this.linesBefore += newlines;
  }

  private record(fields: string[], quoteError: boolean, line: number, raw: string): void {
    const last = fields.length - 1;
    if (fields[last].endsWith('\r')) fields[last] = fields[last].slice(0, -1);
    if (fields.length === 1 && fields[0].trim() === '') return;
    if (!this.sawHeader) {
      const names = fields.map((f) => f.trim().toLowerCase()).join(',');
      if (names !== MOVIES_CSV_HEADER.toLowerCase()) {
        throw new InputError(this.problem(line, raw, `the header "${MOVIES_CSV_HEADER}"`, `"${truncate(raw)}"`));
      }
      this.sawHeader = true;
      return;
    }
    if (quoteError) {
      this.bad(line, raw, 'a quoted field to end with a quote before the next comma', `"${truncate(raw)}"`);
      return;
    }
    if (fields.length !== 3) {
      this.bad(
        line,
        raw,
        `3 comma-separated fields (${MOVIES_CSV_HEADER}), with quotes around a title that has a comma`,
        `${fields.length} in "${truncate(raw)}"`,
      );
      return;
    }
    this.table.add(line, raw, fields[0], fields[1], splitGenres(fields[2]));
  }

  private problem(line: number, raw: string, expected: string, found: string): InputProblem {
    return this.table.problem(line, raw, expected, found);
  }

  private bad(line: number, raw: string, expected: string, found: string): void {
    this.table.bad(line, raw, expected, found);
  }
}

/** Parses a MovieLens movies.csv, streaming the blob chunk by chunk. */
export async function parseMoviesCsv(source: Blob, opts: MoviesParseOptions): Promise<MoviesParseResult> {
  const parser = new MoviesCsvParser(opts);
  return feedParser(parser, source, opts);
}
