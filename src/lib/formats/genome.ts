import Papa from 'papaparse';
import { InputError, type CheckCancelled, type InputProblem } from '../types';
import { idExpected, lineProblem, ProblemLog, truncate } from './problems';
import { feedParser } from './read-chunks';

/**
 * The tag genome of ML-20M and later: a relevance in 0..1 for every (movie, tag) pair. It is
 * parsed and kept for hybrid (content + collaborative) work; the model does not use it yet.
 */
export const GENOME_SCORES_HEADER = 'movieId,tagId,relevance';
export const GENOME_TAGS_HEADER = 'tagId,tag';

/** Rows of genome-scores.csv in file order; arrays are exactly `count` long. */
export interface GenomeScores {
  count: number;
  movieIds: Int32Array;
  tagIds: Int32Array;
  relevance: Float32Array;
}

/** genome-tags.csv: tags[i] is the text of tag tagIds[i]. */
export interface GenomeTags {
  count: number;
  tagIds: Int32Array;
  tags: string[];
}

export interface GenomeParseOptions {
  fileName: string;
  chunkBytes?: number;
  skipBadLines?: boolean;
  check?: CheckCancelled;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export interface GenomeParseResult<T> {
  value: T;
  skipped: number;
  problems: InputProblem[];
}

const NL = 10;
const CR = 13;
const COMMA = 44;
const DOT = 46;
const INT32_MAX = 2147483647;
/** Digits kept of a relevance: far beyond Float32's 7, and exact in a double. */
const MAX_MANTISSA_DIGITS = 15;
const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
/** A genome line is under 40 bytes; longer carried lines are cut for the message. */
const MAX_LINE_BYTES = 1024;
const DIGITS = /^\d+$/;
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/;

/**
 * The push/finish core of the genome-scores parser. 15 million lines in ML-25M, so the common
 * line is parsed from bytes as in RatingsLineParser; anything else (header, CR, errors) is
 * judged as text by the slow path.
 */
export class GenomeScoresParser {
  private movieIds: Int32Array;
  private tagIds: Int32Array;
  private relevance: Float32Array;
  private count = 0;
  private lines = 0;
  private sawHeader = false;
  private sawNonBlank = false;
  private carry = new Uint8Array(0);
  private finished = false;
  readonly log: ProblemLog;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  constructor(
    readonly fileName: string,
    opts: { skipBadLines?: boolean; expectedRows?: number } = {},
  ) {
    this.log = new ProblemLog(opts.skipBadLines ?? false);
    const cap = Math.max(16, Math.min(1 << 24, Math.floor(opts.expectedRows ?? 1024)));
    this.movieIds = new Int32Array(cap);
    this.tagIds = new Int32Array(cap);
    this.relevance = new Float32Array(cap);
  }

  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('GenomeScoresParser: push() after finish()');
    if (this.lines === 0 && this.carry.length === 0 && chunk.indexOf(0) >= 0) {
      throw new InputError({
        kind: 'format',
        file: this.fileName,
        expected: `a text file with the header "${GENOME_SCORES_HEADER}"`,
        found: 'binary data',
        message: `${this.fileName}: this does not look like a MovieLens genome-scores.csv (it contains binary data).`,
      });
    }
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl < 0) {
      this.appendCarry(chunk);
      return;
    }
    let buf = chunk;
    const to = lastNl + 1;
    if (this.carry.length > 0) {
      // The carried start of a line joins the chunk's first line: one small copy per chunk.
      const firstNl = chunk.indexOf(NL);
      const joined = new Uint8Array(this.carry.length + firstNl + 1);
      joined.set(this.carry);
      joined.set(chunk.subarray(0, firstNl + 1), this.carry.length);
      this.carry = new Uint8Array(0);
      this.scan(joined, 0, joined.length);
      buf = chunk;
      this.scan(buf, firstNl + 1, to);
    } else {
      this.scan(buf, 0, to);
    }
    if (to < chunk.length) this.appendCarry(chunk.subarray(to));
  }

  finish(): GenomeParseResult<GenomeScores> {
    if (!this.finished) {
      this.finished = true;
      if (this.carry.length > 0) {
        const line = new Uint8Array(this.carry.length + 1);
        line.set(this.carry);
        line[this.carry.length] = NL;
        this.carry = new Uint8Array(0);
        this.scan(line, 0, line.length);
      }
      if (!this.sawHeader) {
        throw new InputError({
          kind: 'empty',
          file: this.fileName,
          expected: `the header "${GENOME_SCORES_HEADER}" and one score per line`,
          message: `${this.fileName} is ${this.sawNonBlank ? 'missing its header' : 'empty'}: expected the header "${GENOME_SCORES_HEADER}" and one score per line.`,
        });
      }
    }
    const n = this.count;
    return {
      value: {
        count: n,
        movieIds: this.movieIds.slice(0, n),
        tagIds: this.tagIds.slice(0, n),
        relevance: this.relevance.slice(0, n),
      },
      skipped: this.log.skipped,
      problems: this.log.problems.slice(),
    };
  }

  private appendCarry(bytes: Uint8Array): void {
    // Past MAX_LINE_BYTES the line is bad whatever follows; keep only what a message quotes.
    const keep = Math.min(bytes.length, MAX_LINE_BYTES + 1 - this.carry.length);
    if (keep <= 0) return;
    const next = new Uint8Array(this.carry.length + keep);
    next.set(this.carry);
    next.set(bytes.subarray(0, keep), this.carry.length);
    this.carry = next;
  }

  /** Parses the whole lines of buf[from, to); buf[to - 1] is '\n', which bounds every loop. */
  private scan(buf: Uint8Array, from: number, to: number): void {
    let p = from;
    while (p < to) {
      const start = p;
      let m = 0;
      let t = 0;
      let r = 0;
      let ok = false;
      fast: {
        if (!this.sawHeader) break fast;
        let c = buf[p] - 48;
        if (c < 0 || c > 9) break fast;
        m = c;
        while ((c = buf[++p] - 48) >= 0 && c <= 9) m = m * 10 + c;
        if (buf[p] !== COMMA || m > INT32_MAX) break fast;
        c = buf[++p] - 48;
        if (c < 0 || c > 9) break fast;
        t = c;
        while ((c = buf[++p] - 48) >= 0 && c <= 9) t = t * 10 + c;
        if (buf[p] !== COMMA || t > INT32_MAX) break fast;
        // "0.028749999999999998": the first 15 digits, as one exact integer, then one division.
        c = buf[++p] - 48;
        if (c < 0 || c > 9) break fast;
        let mant = c;
        let digits = 1;
        while ((c = buf[++p] - 48) >= 0 && c <= 9) {
          if (digits < MAX_MANTISSA_DIGITS) mant = mant * 10 + c;
          digits++;
        }
        if (digits > MAX_MANTISSA_DIGITS) break fast;
        let k = 0;
        if (buf[p] === DOT) {
          while ((c = buf[++p] - 48) >= 0 && c <= 9) {
            if (digits < MAX_MANTISSA_DIGITS) {
              mant = mant * 10 + c;
              k++;
              digits++;
            }
          }
        }
        if (buf[p] === CR) p++;
        if (buf[p] !== NL) break fast;
        r = mant / POW10[k];
        if (!(r >= 0 && r <= 1)) break fast;
        p++;
        ok = true;
      }
      if (ok) {
        this.lines++;
        this.add(m, t, r);
      } else {
        const end = buf.indexOf(NL, start);
        this.slowLine(buf.subarray(start, end));
        p = end + 1;
      }
    }
  }

  private add(m: number, t: number, r: number): void {
    if (this.count === this.movieIds.length) {
      const cap = this.count * 2;
      const grow = <A extends Int32Array | Float32Array>(a: A, b: A): A => (b.set(a), b);
      this.movieIds = grow(this.movieIds, new Int32Array(cap));
      this.tagIds = grow(this.tagIds, new Int32Array(cap));
      this.relevance = grow(this.relevance, new Float32Array(cap));
    }
    const n = this.count++;
    this.movieIds[n] = m;
    this.tagIds[n] = t;
    this.relevance[n] = r;
  }

  private slowLine(bytes: Uint8Array): void {
    this.lines++;
    let text = this.decoder.decode(bytes);
    if (this.lines === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    if (bytes.length > MAX_LINE_BYTES) {
      this.bad(text, `a line of ${GENOME_SCORES_HEADER}`, `a line longer than ${MAX_LINE_BYTES} bytes starting "${truncate(text, 40)}"`);
      return;
    }
    const fields = text.split(',').map((f) => f.trim());
    if (!this.sawNonBlank) {
      this.sawNonBlank = true;
      if (fields.join(',').toLowerCase() !== GENOME_SCORES_HEADER.toLowerCase()) {
        throw new InputError(lineProblem(this.fileName, this.lines, text, `the header "${GENOME_SCORES_HEADER}"`, `"${truncate(text)}"`));
      }
      this.sawHeader = true;
      return;
    }
    if (fields.length !== 3) {
      this.bad(text, `3 comma-separated fields (${GENOME_SCORES_HEADER})`, `${fields.length} in "${truncate(text)}"`);
      return;
    }
    const m = DIGITS.test(fields[0]) ? Number(fields[0]) : -1;
    if (m < 0 || m > INT32_MAX) return this.bad(text, idExpected('movieId', fields[0]), `"${truncate(fields[0])}"`);
    const t = DIGITS.test(fields[1]) ? Number(fields[1]) : -1;
    if (t < 0 || t > INT32_MAX) return this.bad(text, idExpected('tagId', fields[1]), `"${truncate(fields[1])}"`);
    const r = DECIMAL.test(fields[2]) ? Number(fields[2]) : NaN;
    if (!(r >= 0 && r <= 1)) return this.bad(text, 'a relevance between 0 and 1', `"${truncate(fields[2])}"`);
    this.add(m, t, r);
  }

  private bad(text: string, expected: string, found: string): void {
    this.log.report(lineProblem(this.fileName, this.lines, text, expected, found));
  }
}

/** Parses genome-scores.csv into typed arrays (Int32 movieId and tagId, Float32 relevance). */
export async function parseGenomeScores(source: Blob, opts: GenomeParseOptions): Promise<GenomeParseResult<GenomeScores>> {
  // "1,1,0.02875\n" is about 20 bytes; a close first guess saves most regrowing.
  const parser = new GenomeScoresParser(opts.fileName, { skipBadLines: opts.skipBadLines, expectedRows: source.size / 20 });
  return feedParser(parser, source, opts);
}

/** Parses genome-tags.csv ("tagId,tag", about 1,100 lines) with Papa Parse: tags may be quoted. */
export async function parseGenomeTags(source: Blob, opts: GenomeParseOptions): Promise<GenomeParseResult<GenomeTags>> {
  opts.check?.();
  const bytes = new Uint8Array(await source.arrayBuffer());
  if (bytes.indexOf(0) >= 0) {
    throw new InputError({
      kind: 'format',
      file: opts.fileName,
      expected: `a text file with the header "${GENOME_TAGS_HEADER}"`,
      found: 'binary data',
      message: `${opts.fileName}: this does not look like a MovieLens genome-tags.csv (it contains binary data).`,
    });
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  opts.onProgress?.(bytes.length, bytes.length);
  const log = new ProblemLog(opts.skipBadLines ?? false);
  const ids: number[] = [];
  const tags: string[] = [];
  const rows = Papa.parse<string[]>(text, { header: false, delimiter: ',', skipEmptyLines: 'greedy' }).data;
  let sawHeader = false;
  // Papa does not report line numbers; counting records is exact for this file, whose tags hold no newlines.
  rows.forEach((fields, i) => {
    const line = i + 1;
    const raw = fields.join(',');
    if (!sawHeader) {
      if (fields.map((f) => f.trim().toLowerCase()).join(',') !== GENOME_TAGS_HEADER.toLowerCase()) {
        throw new InputError(lineProblem(opts.fileName, line, raw, `the header "${GENOME_TAGS_HEADER}"`, `"${truncate(raw)}"`));
      }
      sawHeader = true;
      return;
    }
    const idText = fields[0].trim();
    const id = DIGITS.test(idText) ? Number(idText) : -1;
    if (fields.length !== 2) {
      log.report(lineProblem(opts.fileName, line, raw, `2 comma-separated fields (${GENOME_TAGS_HEADER})`, `${fields.length} in "${truncate(raw)}"`));
    } else if (id < 0 || id > INT32_MAX) {
      log.report(lineProblem(opts.fileName, line, raw, idExpected('tagId', idText), `"${truncate(idText)}"`));
    } else {
      ids.push(id);
      tags.push(fields[1].trim());
    }
  });
  if (!sawHeader) {
    throw new InputError({
      kind: 'empty',
      file: opts.fileName,
      expected: `the header "${GENOME_TAGS_HEADER}" and one tag per line`,
      message: `${opts.fileName} is empty: expected the header "${GENOME_TAGS_HEADER}" and one tag per line.`,
    });
  }
  return { value: { count: ids.length, tagIds: Int32Array.from(ids), tags }, skipped: log.skipped, problems: log.problems.slice() };
}
