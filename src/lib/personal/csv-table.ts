import Papa from 'papaparse';
import { InputError, type InputProblem } from '../types';
import { truncate } from '../formats/problems';

/** One record of a CSV file and the line it starts on. */
export interface CsvRow {
  /** 1-based line of the record's first character. */
  line: number;
  fields: string[];
  /** The record as written, for error messages. */
  raw: string;
  /** Papa Parse found a quote out of place (a quoted field not closed before the next comma). */
  quoteError: boolean;
}

/**
 * A small CSV file read whole: the header and the records after it. The files people export
 * from Letterboxd and IMDb are a few thousand lines, so holding them is cheaper than streaming.
 */
export interface CsvTable {
  file: string;
  delimiter: string;
  /** Column names as the header spells them, trimmed; empty when the file has no header line. */
  header: string[];
  /** 1-based line of the header; 0 when the file is empty or blank. */
  headerLine: number;
  rawHeader: string;
  rows: CsvRow[];
}

const NL = 10;
const DELIMITERS = [',', '\t', ';'] as const;

/**
 * The separator of the header line: whichever of comma, tab and semicolon occurs most outside
 * quotes. Letterboxd and IMDb write commas; a MovieLens-format file saved from a spreadsheet in
 * some locales has semicolons, and people who type ratings by hand use tabs.
 */
function delimiterOf(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * Reads CSV text into rows with their line numbers. A byte-order mark is dropped, and CRLF and
 * lone CR are turned into LF first: Papa Parse is given one fixed newline, because its guess from
 * the first lines would glue together the records of a file with mixed line endings, and a CR
 * left after a closing quote would count as a misplaced quote.
 */
export function readCsvTable(text: string, file: string): CsvTable {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const firstLine = clean.split('\n', 64).find((l) => l.trim() !== '') ?? '';
  const delimiter = delimiterOf(firstLine);
  const table: CsvTable = { file, delimiter, header: [], headerLine: 0, rawHeader: '', rows: [] };
  let rowStart = 0;
  let countedTo = 0;
  let newlines = 0;
  Papa.parse<string[]>(clean, {
    header: false,
    delimiter,
    newline: '\n',
    skipEmptyLines: false,
    step: (result) => {
      const start = rowStart;
      const end = result.meta.cursor;
      rowStart = end;
      if (start >= clean.length) return;
      for (; countedTo < start; countedTo++) if (clean.charCodeAt(countedTo) === NL) newlines++;
      const fields = result.data;
      if (fields.length === 1 && fields[0].trim() === '') return;
      const line = 1 + newlines;
      const raw = clean.slice(start, end).replace(/\n$/, '');
      if (table.headerLine === 0) {
        table.header = fields.map((f) => f.trim());
        table.headerLine = line;
        table.rawHeader = raw;
        return;
      }
      table.rows.push({ line, fields, raw, quoteError: result.errors.length > 0 });
    },
  });
  return table;
}

/** A header name compared loosely: case, spaces and a stray BOM aside ("Your  rating" = "your rating"). */
export function columnName(name: string): string {
  return name
    .replace(/\uFEFF/g, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** Where a column is, by any of its spellings (lower-case); -1 when the header lacks it. */
export function columnIndex(table: CsvTable, spellings: readonly string[]): number {
  const names = table.header.map(columnName);
  for (const s of spellings) {
    const i = names.indexOf(s);
    if (i >= 0) return i;
  }
  return -1;
}

/** A column a format reads: its name as the format's own files spell it, and other spellings. */
export interface ColumnSpec {
  name: string;
  /** Lower-case spellings accepted, the name's own included. */
  spellings: readonly string[];
  required: boolean;
}

/**
 * The index of every column a format reads (-1 for an optional column the header lacks).
 * A missing required column throws an InputError naming the file, the header's line, the column
 * and the header the format's files have.
 */
export function findColumns<K extends string>(table: CsvTable, spec: Record<K, ColumnSpec>, formatName: string, expectedHeader: string): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(spec) as K[]) {
    const col = spec[key];
    const i = columnIndex(table, col.spellings);
    if (i < 0 && col.required) {
      throw new InputError({
        kind: 'format',
        file: table.file,
        line: table.headerLine,
        column: col.name,
        expected: `the column "${col.name}" (${formatName}: ${expectedHeader})`,
        found: truncate(table.rawHeader),
        message: `${table.file}, line ${table.headerLine}, column "${col.name}": the header has no such column. A ${formatName} has the header "${expectedHeader}"; this one is "${truncate(table.rawHeader)}". Export the file again, or fix its first line.`,
      });
    }
    out[key] = i;
  }
  return out;
}

/** A field, trimmed; '' when the record is shorter than the header. */
export function cell(row: CsvRow, index: number): string {
  return index >= 0 && index < row.fields.length ? row.fields[index].trim() : '';
}

/** The problem of one field, naming the file, line and column. */
export function cellProblem(table: CsvTable, row: CsvRow, column: string, expected: string, found: string): InputProblem {
  return {
    kind: 'parse',
    file: table.file,
    line: row.line,
    column,
    expected,
    found: truncate(row.raw),
    message: `${table.file}, line ${row.line}, column "${column}": expected ${expected}, found ${found || 'nothing'}.`,
  };
}

/**
 * The problem of a record whose fields do not line up with the header (an unquoted comma in a
 * title, a quote never closed), or undefined when it is fine. Trailing empty fields are allowed:
 * spreadsheets add them.
 */
export function recordProblem(table: CsvTable, row: CsvRow): InputProblem | undefined {
  const n = table.header.length;
  const sep = table.delimiter === '\t' ? 'tab' : `"${table.delimiter}"`;
  const base = { kind: 'parse' as const, file: table.file, line: row.line, found: truncate(row.raw) };
  if (row.quoteError) {
    return {
      ...base,
      expected: 'a quoted field to end with a quote before the next separator',
      message: `${table.file}, line ${row.line}: a quote is out of place in "${truncate(row.raw)}". A title with a comma or a quote must be in double quotes, with quotes inside doubled ("").`,
    };
  }
  const extra = row.fields.slice(n).some((f) => f.trim() !== '');
  if (row.fields.length < n || extra) {
    return {
      ...base,
      expected: `${n} ${sep}-separated fields (${table.header.join(',')})`,
      message: `${table.file}, line ${row.line}: expected ${n} ${sep}-separated fields (${truncate(table.header.join(','))}), found ${row.fields.length} in "${truncate(row.raw)}". Put quotes around a title that has a comma.`,
    };
  }
  return undefined;
}

/** Seconds since the Unix epoch of "2019-05-12" (as UTC midnight) or any date Date.parse reads; 0 when unreadable or absent. */
export function secondsOfDate(text: string): number {
  const t = text.trim();
  if (t === '') return 0;
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const ms = ymd ? Date.UTC(Number(ymd[1]), Number(ymd[2]) - 1, Number(ymd[3])) : Date.parse(t);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
}

/** A release year field: 0 for an empty one, undefined when it is not a 4-digit year. */
export function yearOf(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return 0;
  return /^\d{4}$/.test(t) ? Number(t) : undefined;
}

/** Stars from "0.5".."5" in half stars (a comma decimal accepted); undefined otherwise. */
export function halfStarsOf(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (!/^\d(?:\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 0.5 && n <= 5 && Number.isInteger(n * 2) ? n : undefined;
}

/** Stars from a whole 1..10 score (IMDb, Letterboxd's Rating10): 7 -> 3.5; undefined otherwise. */
export function starsOfTen(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,2}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= 10 ? n / 2 : undefined;
}
