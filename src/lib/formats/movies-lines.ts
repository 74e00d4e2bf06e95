import { InputError, type CheckCancelled } from '../types';
import type { TextEncodingName } from './encoding';
import type { MoviesParseResult } from './movies-csv';
import { MoviesTableBuilder } from './movies-table';
import { truncate } from './problems';
import { feedParser } from './read-chunks';
import { MAX_LINE_CHARS, TextLines } from './text-lines';

export interface MoviesLinesOptions {
  fileName: string;
  /** Default: UTF-8. ML-100k's u.item and ML-1M's movies.dat are ISO-8859-1 ('latin1'). */
  encoding?: TextEncodingName;
  chunkBytes?: number;
  skipBadLines?: boolean;
  /** Called once per chunk; it may throw CancelledError. */
  check?: CheckCancelled;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/**
 * The push/finish core of the headerless, one-movie-per-line formats (movies.dat, u.item).
 * A subclass splits one line into id, title and genres; blank lines are skipped, and the
 * rules every movies file shares live in MoviesTableBuilder.
 */
export abstract class MoviesLineParser {
  readonly fileName: string;
  protected readonly table: MoviesTableBuilder;
  private readonly lines: TextLines;
  private finished = false;
  private sawLine = false;
  /** The line layout, for messages: "MovieID::Title::Genres". */
  protected abstract readonly layout: string;

  constructor(opts: { fileName: string; encoding?: TextEncodingName; skipBadLines?: boolean }) {
    this.fileName = opts.fileName;
    this.table = new MoviesTableBuilder(opts.fileName, opts.skipBadLines ?? false);
    this.lines = new TextLines(opts.encoding ?? 'utf-8', (text, line, overlong) => {
      if (text.trim() === '') return;
      this.sawLine = true;
      if (overlong) {
        this.table.bad(line, text, `a line of ${this.layout}`, `a line longer than ${MAX_LINE_CHARS} characters starting "${truncate(text, 40)}"`);
        return;
      }
      this.record(text, line);
    });
  }

  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('MoviesLineParser: push() after finish()');
    this.lines.push(chunk);
  }

  finish(): MoviesParseResult {
    if (!this.finished) {
      this.finished = true;
      this.lines.finish();
      if (!this.sawLine) {
        throw new InputError({
          kind: 'empty',
          file: this.fileName,
          expected: `one movie per line (${this.layout})`,
          message: `${this.fileName} is ${this.lines.sawBytes ? 'only blank lines' : 'empty'}: expected one movie per line, "${this.layout}".`,
        });
      }
    }
    return { movies: this.table.build(), skipped: this.table.log.skipped, problems: this.table.log.problems.slice() };
  }

  /** Judges one non-blank line (without its line ending). */
  protected abstract record(text: string, line: number): void;
}

/** Streams a blob through a line-based movies parser. */
export async function parseMoviesLines(parser: MoviesLineParser, source: Blob, opts: MoviesLinesOptions): Promise<MoviesParseResult> {
  return feedParser(parser, source, opts);
}
