/**
 * MovieLens tags.csv ("userId,movieId,tag,timestamp"): free-text tags people applied to movies,
 * the raw material of the tag block of content-features.ts. Tags are quoted when they hold a
 * comma or a quote ("""Oh, the Humanity!"""), so the CSV grammar is Papa Parse's job; this file
 * only cuts the stream into whole records, as movies-csv.ts does, and judges each record.
 */
import Papa from 'papaparse';
import type { TextEncodingName } from '../formats/encoding';
import { lineProblem, ProblemLog, truncate } from '../formats/problems';
import { feedParser } from '../formats/read-chunks';
import { InputError, type CheckCancelled, type InputProblem } from '../types';

export const TAGS_CSV_HEADER = 'userId,movieId,tag,timestamp';

/** One entry per tag application (row of tags.csv), in file order; arrays are exactly `count` long. */
export interface TagsTable {
  count: number;
  userIds: Int32Array;
  movieIds: Int32Array;
  /** Normalised (normalizeTag); equal tags are the same string instance. */
  tags: string[];
}

export interface TagsParseOptions {
  fileName: string;
  chunkBytes?: number;
  /** Count and skip bad rows instead of throwing; the first 5 problems are kept. */
  skipBadLines?: boolean;
  encoding?: TextEncodingName;
  check?: CheckCancelled;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export interface TagsParseResult {
  tags: TagsTable;
  skipped: number;
  problems: InputProblem[];
}

const QUOTE = 34;
const NL = 10;
const INT32_MAX = 2147483647;
const DIGITS = /^\d+$/;
const INTEGER = /^-?\d+$/;
const WHITESPACE = /\s+/g;
/** As in movies-csv.ts: past this, an opening quote was never closed. Real records are < 300 chars. */
const MAX_CARRY_CHARS = 1 << 20;

/**
 * The form tags are compared in: Unicode NFKC (full-width letters, ligatures and compatibility
 * forms fold to their plain letters), lower case, trimmed, inner runs of whitespace as one space.
 * "Sci-Fi ", "sci-fi" and "ｓｃｉ-ｆｉ" are one tag.
 */
export function normalizeTag(tag: string): string {
  return tag.normalize('NFKC').toLowerCase().replace(WHITESPACE, ' ').trim();
}

/** The push/finish core of parseTagsCsv: feed the file's bytes in any chunking, then finish(). */
export class TagsCsvParser {
  readonly fileName: string;
  readonly log: ProblemLog;
  private readonly decoder: TextDecoder;
  private carryPieces: string[] = [];
  private carryChars = 0;
  private inQuotes = false;
  /** Lines ('\n') handed to Papa so far; the carry starts on line linesBefore + 1. */
  private linesBefore = 0;
  private sawAnything = false;
  private sawHeader = false;
  private finished = false;

  private userIds: Int32Array = new Int32Array(1024);
  private movieIds: Int32Array = new Int32Array(1024);
  private readonly tags: string[] = [];
  /** One string per distinct tag: ML-25M has 1.1M applications of ~74k tags. */
  private readonly interned = new Map<string, string>();

  constructor(opts: { fileName: string; skipBadLines?: boolean; encoding?: TextEncodingName }) {
    this.fileName = opts.fileName;
    this.log = new ProblemLog(opts.skipBadLines ?? false);
    // Stream mode joins UTF-8 sequences split across chunks and drops a leading BOM.
    this.decoder = new TextDecoder(opts.encoding ?? 'utf-8', { fatal: false });
  }

  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('TagsCsvParser: push() after finish()');
    this.pushText(this.decoder.decode(chunk, { stream: true }));
  }

  finish(): TagsParseResult {
    if (!this.finished) {
      this.finished = true;
      this.pushText(this.decoder.decode());
      const rest = this.carryPieces.join('');
      this.carryPieces = [];
      this.carryChars = 0;
      if (rest !== '') this.parseRecords(rest);
      if (!this.sawHeader) {
        const what = this.sawAnything ? 'has only blank lines' : 'is empty';
        throw new InputError({
          kind: 'empty',
          file: this.fileName,
          expected: `the header "${TAGS_CSV_HEADER}" and one tag per line`,
          message: `${this.fileName} ${what}: expected the header "${TAGS_CSV_HEADER}" and one tag per line.`,
        });
      }
    }
    const n = this.tags.length;
    return {
      tags: { count: n, userIds: this.userIds.slice(0, n), movieIds: this.movieIds.slice(0, n), tags: this.tags.slice() },
      skipped: this.log.skipped,
      problems: this.log.problems.slice(),
    };
  }

  private pushText(text: string): void {
    if (text === '') return;
    this.sawAnything = true;
    // Quote parity tells whether a newline ends a record (a doubled quote flips it twice).
    let inQuotes = this.inQuotes;
    let lastNl = -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === QUOTE) inQuotes = !inQuotes;
      else if (ch === NL && !inQuotes) lastNl = i;
    }
    this.inQuotes = inQuotes;
    if (lastNl < 0) {
      // Pieces, not `+=`: see movies-csv.ts (a grown string indexed per chunk is quadratic).
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

  private unclosedQuote(carry: string): never {
    const line = this.linesBefore + 1;
    throw new InputError({
      kind: 'parse',
      file: this.fileName,
      line,
      expected: 'a closing quote for the quoted tag on this line',
      found: truncate(carry.slice(0, carry.indexOf('\n') >>> 0)),
      message: `${this.fileName}, line ${line}: expected a closing quote for the quoted tag on this line, found none in the next ${MAX_CARRY_CHARS.toLocaleString('en')} characters`,
    });
  }

  /** Parses whole records; `text` ends with a newline except at the end of the file. */
  private parseRecords(text: string): void {
    let rowStart = 0;
    let countedTo = 0;
    let newlines = 0;
    Papa.parse<string[]>(text, {
      header: false,
      // Fixed, not guessed per block: a guessed "\r\n" would glue the lines of a mixed file.
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
      if (fields.map((f) => f.trim().toLowerCase()).join(',') !== TAGS_CSV_HEADER.toLowerCase()) {
        throw new InputError(lineProblem(this.fileName, line, raw, `the header "${TAGS_CSV_HEADER}"`, `"${truncate(raw)}"`));
      }
      this.sawHeader = true;
      return;
    }
    if (quoteError) {
      return this.bad(line, raw, 'a quoted tag to end with a quote before the next comma', `"${truncate(raw)}"`);
    }
    if (fields.length !== 4) {
      return this.bad(
        line,
        raw,
        `4 comma-separated fields (${TAGS_CSV_HEADER}), with quotes around a tag that has a comma`,
        `${fields.length} in "${truncate(raw)}"`,
      );
    }
    const userText = fields[0].trim();
    const movieText = fields[1].trim();
    const user = DIGITS.test(userText) ? Number(userText) : -1;
    if (user < 0 || user > INT32_MAX) return this.bad(line, raw, 'a userId that is a whole number', `"${truncate(userText)}"`);
    const movie = DIGITS.test(movieText) ? Number(movieText) : -1;
    if (movie < 0 || movie > INT32_MAX) return this.bad(line, raw, 'a movieId that is a whole number', `"${truncate(movieText)}"`);
    const tag = normalizeTag(fields[2]);
    if (tag === '') return this.bad(line, raw, 'a tag with some text', 'an empty tag');
    const timeText = fields[3].trim();
    if (!INTEGER.test(timeText)) return this.bad(line, raw, 'a timestamp in whole seconds', `"${truncate(timeText)}"`);
    this.add(user, movie, tag);
  }

  private add(user: number, movie: number, tag: string): void {
    const n = this.tags.length;
    if (n === this.movieIds.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.userIds = grow(this.userIds);
      this.movieIds = grow(this.movieIds);
    }
    this.userIds[n] = user;
    this.movieIds[n] = movie;
    let same = this.interned.get(tag);
    if (same === undefined) {
      same = tag;
      this.interned.set(tag, tag);
    }
    this.tags.push(same);
  }

  private bad(line: number, raw: string, expected: string, found: string): void {
    this.log.report(lineProblem(this.fileName, line, raw, expected, found));
  }
}

/** Parses a MovieLens tags.csv, streaming the blob chunk by chunk. */
export async function parseTagsCsv(source: Blob, opts: TagsParseOptions): Promise<TagsParseResult> {
  return feedParser(new TagsCsvParser(opts), source, opts);
}
