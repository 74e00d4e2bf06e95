import { InputError, type CheckCancelled, type InputProblem, type RatingsBatch } from '../types';
import { idExpected, lineProblem, truncate, MAX_KEPT_PROBLEMS } from './problems';
import { readChunks } from './read-chunks';

/**
 * How one ratings format lays out a line. The byte-level engine below is shared by
 * ratings.csv ("1,31,2.5,1260759144"), ratings.dat ("1::1193::5::978300760") and ML-100k's
 * u.data ("196\t242\t3\t881250949"): only the separator, the optional header and the words
 * of the messages differ.
 */
export interface RatingsLineFormat {
  /** Between fields: one or two ASCII bytes (",", "::", "\t"). */
  separator: string;
  /** The header line, for formats that have one (the CSV releases); matched case-insensitively. */
  header?: string;
  /** The four fields as a person would recognise them: "UserID::MovieID::Rating::Timestamp". */
  layout: string;
  /** How messages name the separator: "comma-separated", "tab-separated". */
  separatorWords: string;
  /** What the file should be, for the binary-data message: "a MovieLens ratings.csv". */
  fileWords: string;
  /** What to choose instead, for the binary-data message. */
  chooseWords: string;
}

/** 1M rows = 16 MB per batch: few batches for ML-32M, small enough to transfer one at a time. */
export const DEFAULT_BATCH_ROWS = 1 << 20;

/** A byte range of a file; its lines are those that start in [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface RatingsParseOptions {
  fileName: string;
  chunkBytes?: number;
  batchRows?: number;
  /** Parse only the lines that START in [start, end): a line starts at 0 or right after '\n'. The last owned line is read to its end even past `end`. Used to split one file across workers. */
  range?: ByteRange;
  /** When true, bad lines are counted and skipped instead of throwing; the first 5 problems are kept. */
  skipBadLines?: boolean;
  /** Batches on SharedArrayBuffer memory: a pool thread can then post them without copying or transferring (see workers/compute.worker.ts). */
  sharedMemory?: boolean;
  /** Called once per chunk; it may throw CancelledError. */
  check?: CheckCancelled;
  /** Called once per chunk. Bytes are counted within the range when one is given. */
  onProgress?: (bytesDone: number, bytesTotal: number, rows: number) => void;
}

export interface RatingsParseResult {
  batches: RatingsBatch[];
  rows: number;
  /** Bytes read from the source (the range plus the tail of its last line, and one byte before it). */
  bytes: number;
  /** Lines seen in the owned range, including header, blank and skipped lines. */
  lines: number;
  skipped: number;
  /** The first few skipped lines' problems (only with skipBadLines). */
  problems: InputProblem[];
  hasHeader: boolean;
}

export interface RatingsLineParserOptions {
  fileName: string;
  batchRows?: number;
  /** As in RatingsParseOptions. */
  sharedMemory?: boolean;
  skipBadLines?: boolean;
  /** As in RatingsParseOptions. The bytes pushed must then begin at `rangeReadStart(range)`. */
  range?: ByteRange;
  /** Throw kind 'empty' from finish() when no data line was seen. Default: true without a range. */
  requireRows?: boolean;
}

const NL = 10;
const CR = 13;
const DOT = 46;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;
/** Below 2^53 an integer is exact in a double, so mantissa / 10^k is one correctly rounded step. */
const MAX_EXACT = 2 ** 53;
const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
/**
 * A valid line is under 50 bytes; a longer carried line is kept only as far as an error message
 * needs, so a file without newlines cannot grow the carry to its own size.
 */
const MAX_LINE_BYTES = 1024;
/** Every valid line is at least "1,1,1,1\n" (the "::" format's are longer). */
export const MIN_LINE_BYTES = 8;

const DIGITS = /^\d+$/;
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/;
const SIGNED_DIGITS = /^[-+]?\d+$/;

/**
 * Where to start reading so that a range's first line can be found: one byte before `start`,
 * because a line starts at `start` exactly when the byte before it is '\n'.
 */
export function rangeReadStart(range?: ByteRange): number {
  return range && range.start > 0 ? range.start - 1 : 0;
}

/**
 * Rewrites a problem found in a range so that its line counts from the top of the file:
 * `linesBefore` is the sum of `lines` of the ranges before it.
 */
export function shiftProblemLine(p: InputProblem, linesBefore: number): InputProblem {
  if (p.line === undefined || linesBefore === 0) return { ...p };
  const line = p.line + linesBefore;
  const oldPrefix = `${p.file}, line ${p.line}:`;
  const message = p.message.startsWith(oldPrefix)
    ? `${p.file}, line ${line}:${p.message.slice(oldPrefix.length)}`
    : p.message.replace(`line ${p.line}`, `line ${line}`);
  return { ...p, line, message };
}

/**
 * The synchronous core of every ratings parser: push the file's bytes in any chunking, then
 * finish(). The result does not depend on how the bytes were chunked.
 *
 * Most lines take the fast path, which parses the four numbers straight from the bytes. Any
 * line the fast path does not recognise (header, BOM, blank, spaces, CR alone, errors) is
 * decoded to a string and judged by the slow path, which defines the grammar; the fast path
 * accepts a subset of it and yields the same numbers.
 */
export class RatingsLineParser {
  readonly fileName: string;
  readonly skipBadLines: boolean;
  readonly format: RatingsLineFormat;
  /** The separator's first byte, and its second or -1: "::" is checked as two bytes. */
  private readonly sep0: number;
  private readonly sep1: number;
  private readonly batchRows: number;
  private readonly sharedMemory: boolean;
  private readonly requireRows: boolean;
  /** Lines starting at or after this absolute offset belong to the next range. */
  private readonly ownedEnd: number;
  /** Still looking for the first line start of a range that begins mid-file. */
  private seeking: boolean;
  private sniffed = false;
  /** Absolute offset of the next byte pushed. */
  private pos: number;
  private firstPos: number;
  private finished = false;
  /** True once a line past the range was reached; further bytes are ignored. */
  done = false;

  private readonly batches: RatingsBatch[] = [];
  private users: Int32Array = new Int32Array(0);
  private movies: Int32Array = new Int32Array(0);
  private ratings: Float32Array = new Float32Array(0);
  private times: Int32Array = new Int32Array(0);
  /** Rows in the current batch. */
  private count = 0;
  private rowsInFullBatches = 0;

  lines = 0;
  skipped = 0;
  hasHeader = false;
  readonly problems: InputProblem[] = [];
  /**
   * The header is the first non-blank line of the file. Only a range that starts at 0 can see
   * it, and only until the fast path has taken a row (a data line cannot start with a letter).
   */
  private headerPossible: boolean;
  /** Lines judged by the slow path that were neither blank nor the header. */
  private dataLines = 0;

  /** The start of a line cut by a chunk boundary; one spare byte for the '\n' added at EOF. */
  private readonly carry = new Uint8Array(MAX_LINE_BYTES + 1);
  private carryLen = 0;
  /** Absolute offset where the carried line starts; -1 when nothing is carried. */
  private carryAbs = -1;
  private carryOverlong = false;

  // ignoreBOM: a BOM is meaningful only at offset 0, where it is stripped by hand.
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  constructor(format: RatingsLineFormat, opts: RatingsLineParserOptions) {
    this.format = format;
    this.sep0 = format.separator.charCodeAt(0);
    this.sep1 = format.separator.length > 1 ? format.separator.charCodeAt(1) : -1;
    this.fileName = opts.fileName;
    this.skipBadLines = opts.skipBadLines ?? false;
    this.batchRows = Math.max(1, Math.floor(opts.batchRows ?? DEFAULT_BATCH_ROWS));
    this.sharedMemory = opts.sharedMemory ?? false;
    this.requireRows = opts.requireRows ?? opts.range === undefined;
    const start = Math.max(0, opts.range?.start ?? 0);
    this.ownedEnd = opts.range ? opts.range.end : Infinity;
    this.seeking = start > 0;
    this.headerPossible = start === 0 && format.header !== undefined;
    this.pos = rangeReadStart(opts.range);
    this.firstPos = this.pos;
    if (start >= this.ownedEnd) this.done = true;
  }

  /** Rows parsed so far. */
  get rows(): number {
    return this.rowsInFullBatches + this.count;
  }

  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('RatingsLineParser: push() after finish()');
    const base = this.pos;
    this.pos += chunk.length;
    if (this.done || chunk.length === 0) return;
    if (!this.sniffed) {
      this.sniffed = true;
      this.sniff(chunk);
    }
    let p = 0;
    if (this.seeking) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) return;
      this.seeking = false;
      p = nl + 1;
      if (base + p >= this.ownedEnd) {
        this.done = true;
        return;
      }
    }
    if (this.carryAbs >= 0) {
      const nl = chunk.indexOf(NL, p);
      if (nl < 0) {
        this.appendCarry(chunk, p, chunk.length);
        return;
      }
      this.appendCarry(chunk, p, nl + 1);
      this.flushCarry();
      p = nl + 1;
      if (this.done) return;
    }
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl >= p) {
      this.scan(chunk, p, lastNl + 1, base);
      p = lastNl + 1;
      if (this.done) return;
    }
    if (p < chunk.length) {
      if (base + p >= this.ownedEnd) {
        this.done = true;
        return;
      }
      this.carryAbs = base + p;
      this.appendCarry(chunk, p, chunk.length);
    }
  }

  /** Parses a last line without a newline, trims the last batch and returns everything. */
  finish(): Omit<RatingsParseResult, 'bytes'> {
    if (!this.finished) {
      this.finished = true;
      if (!this.done && this.carryAbs >= 0) {
        // The spare byte: a file may end without a newline.
        if (!this.carryOverlong) this.carry[this.carryLen++] = NL;
        this.flushCarry();
      }
      if (this.count > 0) {
        const n = this.count;
        // Trimmed copies: a batch sent to another thread should not carry the unused tail.
        this.batches.push({
          count: n,
          userIds: this.trimmed(this.users, n, Int32Array),
          movieIds: this.trimmed(this.movies, n, Int32Array),
          ratings: this.trimmed(this.ratings, n, Float32Array),
          timestamps: this.trimmed(this.times, n, Int32Array),
        });
        this.rowsInFullBatches += n;
        this.count = 0;
      }
      this.users = new Int32Array(0);
      this.movies = new Int32Array(0);
      this.ratings = new Float32Array(0);
      this.times = new Int32Array(0);
      if (this.requireRows && this.rowsInFullBatches === 0 && this.dataLines === 0) {
        const empty = this.pos === this.firstPos;
        const layout = this.format.layout;
        throw new InputError({
          kind: 'empty',
          file: this.fileName,
          expected: `lines of ${layout}`,
          message: empty
            ? `${this.fileName} is empty: expected MovieLens ratings, one "${layout}" per line.`
            : `${this.fileName} has no ratings: expected lines of "${layout}"${this.hasHeader ? ' after the header' : ''}.`,
        });
      }
    }
    return {
      batches: this.batches,
      rows: this.rowsInFullBatches,
      lines: this.lines,
      skipped: this.skipped,
      problems: this.problems,
      hasHeader: this.hasHeader,
    };
  }

  /** NUL bytes never occur in a text file of ratings; they mean a zip, a database or an image. */
  private sniff(chunk: Uint8Array): void {
    if (chunk.indexOf(0) < 0) return;
    const zip = chunk[0] === 0x50 && chunk[1] === 0x4b;
    const f = this.format;
    throw new InputError({
      kind: 'format',
      file: this.fileName,
      expected: `a text file of ${f.separatorWords} ratings`,
      found: zip ? 'a zip archive' : 'binary data',
      message:
        `${this.fileName}: this does not look like ${f.fileWords} ` +
        `(it contains ${zip ? 'a zip archive' : 'binary data'}). ` +
        (zip
          ? `Unpack the download and ${f.chooseWords} inside it.`
          : `${f.chooseWords[0].toUpperCase()}${f.chooseWords.slice(1)} from an unpacked MovieLens download.`),
    });
  }

  private appendCarry(chunk: Uint8Array, from: number, to: number): void {
    const room = MAX_LINE_BYTES - this.carryLen;
    const n = to - from;
    if (n > room) {
      this.carry.set(chunk.subarray(from, from + room), this.carryLen);
      this.carryLen = MAX_LINE_BYTES;
      this.carryOverlong = true;
    } else if (n > 0) {
      this.carry.set(chunk.subarray(from, to), this.carryLen);
      this.carryLen += n;
    }
  }

  /** Parses the carried line, which ends in '\n' unless it is overlong. */
  private flushCarry(): void {
    const abs = this.carryAbs;
    const len = this.carryLen;
    this.carryAbs = -1;
    this.carryLen = 0;
    if (this.carryOverlong) {
      this.carryOverlong = false;
      this.lines++;
      this.dataLines++;
      const text = this.decoder.decode(this.carry.subarray(0, len));
      this.bad(text, `a line of ${this.format.layout}`, `a line longer than ${MAX_LINE_BYTES} bytes starting "${truncate(text, 40)}"`);
      return;
    }
    this.scan(this.carry, 0, len, abs);
  }

  /**
   * Parses the whole lines in buf[from, to); buf[to - 1] is '\n'. That invariant is the trick
   * that keeps the loop free of bounds checks: every digit loop stops at the '\n' at the latest.
   * `base` is the absolute file offset of buf[0].
   */
  private scan(buf: Uint8Array, from: number, to: number, base: number): void {
    const limit = this.ownedEnd - base;
    const sep0 = this.sep0;
    const sep1 = this.sep1;
    let users = this.users;
    let movies = this.movies;
    let ratings = this.ratings;
    let times = this.times;
    let cap = users.length;
    let n = this.count;
    let lines = this.lines;
    let p = from;
    while (p < to) {
      if (p >= limit) {
        this.done = true;
        break;
      }
      const lineStart = p;
      let u = 0;
      let m = 0;
      let r = 0;
      let t = 0;
      let ok = false;
      fast: {
        let c = buf[p] - 48;
        if (c < 0 || c > 9) break fast;
        u = c;
        while ((c = buf[++p] - 48) >= 0 && c <= 9) u = u * 10 + c;
        // A two-byte separator's second byte is in bounds: buf[p] is not the final '\n'.
        if (buf[p] !== sep0 || (sep1 >= 0 && buf[++p] !== sep1) || u > INT32_MAX) break fast;

        c = buf[++p] - 48;
        if (c < 0 || c > 9) break fast;
        m = c;
        while ((c = buf[++p] - 48) >= 0 && c <= 9) m = m * 10 + c;
        if (buf[p] !== sep0 || (sep1 >= 0 && buf[++p] !== sep1) || m > INT32_MAX) break fast;

        // The rating's digits with the dot ignored, then one division: "3.5" -> 35 / 10.
        c = buf[++p] - 48;
        if (c < 0 || c > 9) break fast;
        let mant = c;
        while ((c = buf[++p] - 48) >= 0 && c <= 9) mant = mant * 10 + c;
        let k = 0;
        if (buf[p] === DOT) {
          while ((c = buf[++p] - 48) >= 0 && c <= 9) {
            mant = mant * 10 + c;
            k++;
          }
          if (k === 0 || k > 22) break fast;
        }
        if (buf[p] !== sep0 || (sep1 >= 0 && buf[++p] !== sep1) || mant >= MAX_EXACT) break fast;
        r = mant / POW10[k];
        if (!(r >= 0.5 && r <= 5)) break fast;

        c = buf[++p] - 48;
        if (c < 0 || c > 9) break fast;
        t = c;
        while ((c = buf[++p] - 48) >= 0 && c <= 9) t = t * 10 + c;
        if (t > INT32_MAX) break fast;
        if (buf[p] === CR) p++;
        if (buf[p] !== NL) break fast;
        p++;
        ok = true;
      }
      if (ok) {
        if (n === cap) {
          this.count = n;
          this.nextBatch();
          users = this.users;
          movies = this.movies;
          ratings = this.ratings;
          times = this.times;
          cap = users.length;
          n = 0;
        }
        users[n] = u;
        movies[n] = m;
        ratings[n] = r;
        times[n] = t;
        n++;
        lines++;
      } else {
        this.count = n;
        this.lines = lines;
        p = this.slowLine(buf, lineStart, base);
        users = this.users;
        movies = this.movies;
        ratings = this.ratings;
        times = this.times;
        cap = users.length;
        n = this.count;
        lines = this.lines;
      }
    }
    this.count = n;
    this.lines = lines;
  }

  /** Keeps the full batch and starts an empty one. */
  private nextBatch(): void {
    if (this.count > 0) {
      this.batches.push({
        count: this.count,
        userIds: this.users,
        movieIds: this.movies,
        ratings: this.ratings,
        timestamps: this.times,
      });
      this.rowsInFullBatches += this.count;
    }
    this.count = 0;
    const n = this.batchRows;
    this.users = new Int32Array(this.memory(4 * n));
    this.movies = new Int32Array(this.memory(4 * n));
    this.ratings = new Float32Array(this.memory(4 * n));
    this.times = new Int32Array(this.memory(4 * n));
  }

  /** A batch column's memory: shared when asked for (sharedMemory), so it crosses threads uncopied. */
  private memory(bytes: number): ArrayBuffer | SharedArrayBuffer {
    return this.sharedMemory ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  }

  /** The first n values of a column, in memory of the same kind (slice would always give an ArrayBuffer). */
  private trimmed<T extends Int32Array | Float32Array>(column: T, n: number, Ctor: new (buffer: ArrayBuffer | SharedArrayBuffer) => T): T {
    if (n === column.length) return column;
    const out = new Ctor(this.memory(4 * n));
    out.set(column.subarray(0, n));
    return out;
  }

  private addRow(u: number, m: number, r: number, t: number): void {
    if (this.count === this.users.length) this.nextBatch();
    const n = this.count++;
    this.users[n] = u;
    this.movies[n] = m;
    this.ratings[n] = r;
    this.times[n] = t;
  }

  /** Judges one line as text; returns the offset after its '\n'. */
  private slowLine(buf: Uint8Array, lineStart: number, base: number): number {
    const end = buf.indexOf(NL, lineStart);
    this.lines++;
    const atFileStart = base + lineStart === 0;
    let text = this.decoder.decode(buf.subarray(lineStart, end));
    if (atFileStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() !== '') {
      const mayBeHeader = this.headerPossible && this.rows === 0;
      this.headerPossible = false;
      this.judgeLine(text, mayBeHeader);
    }
    return end + 1;
  }

  private judgeLine(text: string, mayBeHeader: boolean): void {
    const { separator, header, layout, separatorWords } = this.format;
    const fields = text.split(separator);
    if (mayBeHeader && header !== undefined && !/^\s*[-+.\d]/.test(fields[0])) {
      const names = fields.map((f) =>
        f
          .trim()
          .replace(/^"(.*)"$/, '$1')
          .toLowerCase(),
      );
      if (names.join(separator) === header.toLowerCase()) {
        this.hasHeader = true;
        return;
      }
      this.dataLines++;
      this.bad(text, `the header "${header}"${semicolonHint(text, separator)}`, `"${truncate(text)}"`);
      return;
    }
    this.dataLines++;
    if (fields.length !== 4) {
      this.bad(text, `4 ${separatorWords} fields (${layout})${semicolonHint(text, separator)}`, `${fields.length} in "${truncate(text)}"`);
      return;
    }
    const [userText, movieText, ratingText, timeText] = fields.map((f) => f.trim());
    const u = DIGITS.test(userText) ? Number(userText) : -1;
    if (u < 0 || u > INT32_MAX) {
      this.bad(text, idExpected('userId', userText), `"${truncate(userText)}"`);
      return;
    }
    const m = DIGITS.test(movieText) ? Number(movieText) : -1;
    if (m < 0 || m > INT32_MAX) {
      this.bad(text, idExpected('movieId', movieText), `"${truncate(movieText)}"`);
      return;
    }
    const r = DECIMAL.test(ratingText) ? Number(ratingText) : NaN;
    if (!(r >= 0.5 && r <= 5)) {
      this.bad(text, 'a rating between 0.5 and 5', `"${truncate(ratingText)}"`);
      return;
    }
    const t = SIGNED_DIGITS.test(timeText) ? Number(timeText) : NaN;
    if (!(t >= INT32_MIN && t <= INT32_MAX)) {
      this.bad(text, 'a timestamp in whole seconds', `"${truncate(timeText)}"`);
      return;
    }
    this.addRow(u, m, r, t);
  }

  private bad(line: string, expected: string, found: string): void {
    const problem = lineProblem(this.fileName, this.lines, line, expected, found);
    if (!this.skipBadLines) throw new InputError(problem);
    this.skipped++;
    if (this.problems.length < MAX_KEPT_PROBLEMS) this.problems.push(problem);
  }
}

/**
 * Spreadsheets in locales with a decimal comma save "CSV" with semicolons; say so instead of
 * leaving the person to spot it in the quoted line.
 */
function semicolonHint(text: string, separator: string): string {
  return separator !== ';' && text.split(';').length === 4
    ? ' (this line is separated by semicolons, as some spreadsheets save CSV: export it comma-separated)'
    : '';
}

/**
 * Parses a ratings file of the given format (or the lines of one byte range of it) into
 * typed-array batches, streaming the blob so that the whole file is never in memory.
 */
export async function parseRatingsLines(format: RatingsLineFormat, source: Blob, opts: RatingsParseOptions): Promise<RatingsParseResult> {
  const size = source.size;
  const range = opts.range
    ? {
        start: Math.min(size, Math.max(0, opts.range.start)),
        end: Math.min(size, Math.max(0, opts.range.end)),
      }
    : undefined;
  const start = range?.start ?? 0;
  const end = range?.end ?? size;
  const total = Math.max(0, end - start);
  const wholeFile = start === 0 && end >= size;
  const parser = new RatingsLineParser(format, {
    fileName: opts.fileName,
    skipBadLines: opts.skipBadLines,
    sharedMemory: opts.sharedMemory,
    range,
    requireRows: wholeFile,
    // A small file needs no 16 MB batch: rows cannot outnumber (bytes / 8) + the last line.
    batchRows: Math.min(opts.batchRows ?? DEFAULT_BATCH_ROWS, Math.ceil(total / MIN_LINE_BYTES) + 1),
  });
  const readStart = rangeReadStart(range);
  let bytes = 0;
  let reported = -1;
  if (!parser.done) {
    for await (const chunk of readChunks(source, {
      chunkBytes: opts.chunkBytes,
      start: readStart,
    })) {
      opts.check?.();
      parser.push(chunk);
      bytes += chunk.length;
      reported = Math.min(total, Math.max(0, readStart + bytes - start));
      opts.onProgress?.(reported, total, parser.rows);
      if (parser.done) break;
    }
  }
  const result = parser.finish();
  if (reported !== total) opts.onProgress?.(total, total, result.rows);
  return { ...result, bytes };
}
