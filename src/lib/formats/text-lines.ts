import type { TextEncodingName } from './encoding';

/**
 * Real movie lines are under 400 characters. A longer one is cut here, so a file without
 * newlines (a binary, a ratings file chosen as movies) cannot grow the carry to its own size.
 */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Turns a file's bytes, pushed in any chunking, into numbered lines of text: the shared front
 * end of the line-based movies parsers (movies.dat, u.item). Those files are small (under a few
 * MB), so the simplicity of strings beats the byte-level tricks of the ratings engine.
 * A '\r' before '\n' and a leading BOM are dropped; the last line needs no newline.
 */
export class TextLines {
  private readonly decoder: TextDecoder;
  private carry = '';
  private lineNo = 0;
  /** Dropping the rest of an overlong line up to its '\n'. */
  private dropping = false;
  private finished = false;
  /** True once any byte was pushed. */
  sawBytes = false;

  constructor(
    encoding: TextEncodingName,
    /** Called per line; `overlong` lines were cut to MAX_LINE_CHARS. */
    private readonly onLine: (text: string, line: number, overlong: boolean) => void,
  ) {
    // Stream mode joins UTF-8 sequences split across chunks; a BOM is dropped by default.
    this.decoder = new TextDecoder(encoding, { fatal: false });
  }

  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('TextLines: push() after finish()');
    if (chunk.length > 0) this.sawBytes = true;
    this.take(this.decoder.decode(chunk, { stream: true }), false);
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.take(this.decoder.decode(), true);
  }

  private take(text: string, final: boolean): void {
    let from = 0;
    if (this.dropping) {
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      this.dropping = false;
      from = nl + 1;
    }
    const all = this.carry + text.slice(from);
    from = 0;
    for (let nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', from)) {
      this.emit(all.slice(from, nl));
      from = nl + 1;
    }
    this.carry = all.slice(from);
    if (this.carry.length > MAX_LINE_CHARS) {
      this.lineNo++;
      this.onLine(this.carry.slice(0, MAX_LINE_CHARS), this.lineNo, true);
      this.carry = '';
      this.dropping = !final;
      return;
    }
    if (final && this.carry !== '') {
      this.emit(this.carry);
      this.carry = '';
    }
  }

  private emit(line: string): void {
    this.lineNo++;
    if (line.length > MAX_LINE_CHARS) {
      this.onLine(line.slice(0, MAX_LINE_CHARS), this.lineNo, true);
      return;
    }
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line, this.lineNo, false);
  }
}
