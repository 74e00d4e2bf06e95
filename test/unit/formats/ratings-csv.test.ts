import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseRatingsCsv,
  RATINGS_CSV_HEADER,
  RatingsCsvParser,
  rangeReadStart,
  shiftProblemLine,
  type RatingsParseOptions,
  type RatingsParseResult,
} from '../../../src/lib/formats/ratings-csv';
import { readChunks } from '../../../src/lib/formats/read-chunks';
import { CancelledError, InputError, type InputProblem } from '../../../src/lib/types';

const SAMPLE = new URL('../../../public/data/ml-latest-small/ratings.csv', import.meta.url);

type Row = [number, number, number, number];

function rowsOf(result: RatingsParseResult): Row[] {
  const rows: Row[] = [];
  for (const b of result.batches) {
    for (let i = 0; i < b.count; i++) {
      rows.push([b.userIds[i], b.movieIds[i], b.ratings[i], b.timestamps[i]]);
    }
  }
  return rows;
}

function parse(text: string | Uint8Array<ArrayBuffer>, opts: Partial<RatingsParseOptions> = {}) {
  return parseRatingsCsv(new Blob([text]), { fileName: 'ratings.csv', ...opts });
}

async function problemOf(text: string | Uint8Array<ArrayBuffer>, opts: Partial<RatingsParseOptions> = {}): Promise<InputProblem> {
  try {
    await parse(text, opts);
  } catch (e) {
    if (e instanceof InputError) return e.problem;
    throw e;
  }
  throw new Error('expected an InputError');
}

const FIRST_FIVE = `${RATINGS_CSV_HEADER}\r\n1,1,4.0,964982703\r\n1,3,4.0,964981247\r\n1,6,4.0,964982224\r\n1,47,5.0,964983815\r\n1,50,5.0,964982931\r\n`;
const FIRST_FIVE_ROWS: Row[] = [
  [1, 1, 4, 964982703],
  [1, 3, 4, 964981247],
  [1, 6, 4, 964982224],
  [1, 47, 5, 964983815],
  [1, 50, 5, 964982931],
];

describe('readChunks', () => {
  it('yields the bytes from start to end in chunks of at most chunkBytes', async () => {
    const blob = new Blob(['abcdefghij']);
    const chunks: string[] = [];
    for await (const c of readChunks(blob, { chunkBytes: 3, start: 2, end: 9 })) {
      chunks.push(new TextDecoder().decode(c));
    }
    expect(chunks).toEqual(['cde', 'fgh', 'i']);
  });

  it('yields nothing for an empty blob or an empty range', async () => {
    let n = 0;
    for await (const _ of readChunks(new Blob([]))) n++;
    for await (const _ of readChunks(new Blob(['abc']), { start: 2, end: 2 })) n++;
    expect(n).toBe(0);
  });
});

describe('parseRatingsCsv on the bundled ml-latest-small sample', () => {
  it('reads all 100,836 ratings, first and last rows included', async () => {
    const result = await parseRatingsCsv(new Blob([readFileSync(SAMPLE)]), {
      fileName: 'ratings.csv',
      chunkBytes: 64 * 1024,
    });
    expect(result.rows).toBe(100_836);
    expect(result.lines).toBe(100_837);
    expect(result.hasHeader).toBe(true);
    expect(result.skipped).toBe(0);
    const rows = rowsOf(result);
    expect(rows.slice(0, 5)).toEqual(FIRST_FIVE_ROWS);
    expect(rows[rows.length - 1]).toEqual([610, 170875, 3, 1493846415]);
  });

  it('gives the same rows when split into two ranges at the middle', async () => {
    const bytes = readFileSync(SAMPLE);
    const blob = new Blob([bytes]);
    const whole = await parseRatingsCsv(blob, { fileName: 'ratings.csv' });
    const mid = Math.floor(bytes.length / 2);
    const a = await parseRatingsCsv(blob, { fileName: 'ratings.csv', range: { start: 0, end: mid } });
    const b = await parseRatingsCsv(blob, { fileName: 'ratings.csv', range: { start: mid, end: bytes.length } });
    expect(a.rows + b.rows).toBe(100_836);
    expect(a.lines + b.lines).toBe(100_837);
    expect(b.hasHeader).toBe(false);
    expect([...rowsOf(a), ...rowsOf(b)]).toEqual(rowsOf(whole));
  });
});

describe('parseRatingsCsv on well-formed variants', () => {
  it('reads the first five lines of the real file', async () => {
    const result = await parse(FIRST_FIVE);
    expect(rowsOf(result)).toEqual(FIRST_FIVE_ROWS);
    expect(result).toMatchObject({ rows: 5, lines: 6, hasHeader: true, skipped: 0 });
  });

  it('reads LF, CRLF, a BOM, a missing header and a missing final newline alike', async () => {
    const lf = FIRST_FIVE.replace(/\r\n/g, '\n');
    const variants = [lf, FIRST_FIVE, `\uFEFF${FIRST_FIVE}`, `\uFEFF${lf.slice(RATINGS_CSV_HEADER.length + 1)}`, lf.trimEnd(), FIRST_FIVE.trimEnd()];
    for (const text of variants) {
      expect(rowsOf(await parse(text)), JSON.stringify(text.slice(0, 40))).toEqual(FIRST_FIVE_ROWS);
    }
    expect((await parse(lf.slice(RATINGS_CSV_HEADER.length + 1))).hasHeader).toBe(false);
  });

  it('ignores blank lines but counts them as lines', async () => {
    const result = await parse(`\n${RATINGS_CSV_HEADER}\n\n1,1,4.0,1\r\n\r\n  \n2,2,3.5,2\n\n`);
    expect(rowsOf(result)).toEqual([
      [1, 1, 4, 1],
      [2, 2, 3.5, 2],
    ]);
    expect(result.lines).toBe(8);
  });

  it('reads whole and half stars written in any of the usual ways', async () => {
    const result = await parse('1,1,4,1\n1,2,4.0,1\n1,3,3.5,1\n1,4,0.5,1\n1,5,5,1\n1,6,5.00,1\n1,7,2.,1\n1,8, 1.5 ,1\n');
    expect(rowsOf(result).map((r) => r[2])).toEqual([4, 4, 3.5, 0.5, 5, 5, 2, 1.5]);
  });

  it('keeps the largest ids and timestamps an Int32 holds, and tolerates spaces around fields', async () => {
    const result = await parse('2147483647,2147483647,1,2147483647\n 7 , 8 ,2.5, -5 \n');
    expect(rowsOf(result)).toEqual([
      [2147483647, 2147483647, 1, 2147483647],
      [7, 8, 2.5, -5],
    ]);
  });

  it('fills batches of batchRows and trims the last one', async () => {
    const text = Array.from({ length: 5 }, (_, i) => `${i},${i},3.0,${i}`).join('\n');
    const result = await parse(text, { batchRows: 2 });
    expect(result.batches.map((b) => b.count)).toEqual([2, 2, 1]);
    const last = result.batches[2];
    expect([last.userIds.length, last.movieIds.length, last.ratings.length, last.timestamps.length]).toEqual([1, 1, 1, 1]);
    expect(rowsOf(result).map((r) => r[0])).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives the same rows for every chunk size', async () => {
    for (let chunkBytes = 1; chunkBytes <= 40; chunkBytes++) {
      expect(rowsOf(await parse(`\uFEFF${FIRST_FIVE}`, { chunkBytes }))).toEqual(FIRST_FIVE_ROWS);
    }
  });

  it('calls check and onProgress once per chunk, ending at the total', async () => {
    let checks = 0;
    const progress: [number, number, number][] = [];
    await parse(FIRST_FIVE, {
      chunkBytes: 50,
      check: () => void checks++,
      onProgress: (done, total, rows) => progress.push([done, total, rows]),
    });
    const chunks = Math.ceil(FIRST_FIVE.length / 50);
    expect(checks).toBe(chunks);
    expect(progress.length).toBeGreaterThanOrEqual(chunks);
    expect(progress[progress.length - 1]).toEqual([FIRST_FIVE.length, FIRST_FIVE.length, 5]);
    expect(progress.map((p) => p[0])).toEqual([...progress.map((p) => p[0])].sort((a, b) => a - b));
  });

  it('stops with CancelledError when check throws', async () => {
    let calls = 0;
    const check = () => {
      if (++calls === 2) throw new CancelledError();
    };
    await expect(parse(FIRST_FIVE, { chunkBytes: 10, check })).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toBe(2);
  });

  it('can be driven synchronously, one byte at a time', () => {
    const parser = new RatingsCsvParser({ fileName: 'ratings.csv', batchRows: 3 });
    for (const byte of new TextEncoder().encode(FIRST_FIVE)) parser.push(Uint8Array.of(byte));
    const result = parser.finish();
    expect(rowsOf({ ...result, bytes: 0 })).toEqual(FIRST_FIVE_ROWS);
    expect(result.batches.map((b) => b.count)).toEqual([3, 2]);
  });
});

describe('parseRatingsCsv ranges', () => {
  const text = `${RATINGS_CSV_HEADER}\n1,1,4.0,1\n2,2,4.0,2\n3,3,4.0,3\n`;
  const lineStarts = [0, 32, 42, 52];

  it('owns exactly the lines that start inside the range', async () => {
    const owned = async (start: number, end: number) => rowsOf(await parse(text, { range: { start, end }, chunkBytes: 4 })).map((r) => r[0]);
    expect(await owned(0, 32)).toEqual([]);
    expect(await owned(0, 33)).toEqual([1]);
    expect(await owned(32, 33)).toEqual([1]);
    expect(await owned(33, 42)).toEqual([]);
    expect(await owned(33, 43)).toEqual([2]);
    expect(await owned(42, text.length)).toEqual([2, 3]);
    expect(await owned(52, 1000)).toEqual([3]);
    expect(lineStarts.every((s) => s === 0 || text[s - 1] === '\n')).toBe(true);
  });

  it('reads one byte before the range to see whether a line starts at its first byte', () => {
    expect(rangeReadStart({ start: 0, end: 10 })).toBe(0);
    expect(rangeReadStart({ start: 42, end: 50 })).toBe(41);
    expect(rangeReadStart()).toBe(0);
  });

  it('numbers lines from the range start, and shiftProblemLine moves them to the file', async () => {
    const bad = `${RATINGS_CSV_HEADER}\n1,1,4.0,1\n2,2,4.0,2\n3,3,9.0,3\n`;
    const first = await parse(bad, { range: { start: 0, end: 42 } });
    const problem = await problemOf(bad, { range: { start: 42, end: bad.length } });
    expect(problem.line).toBe(2);
    expect(problem.message).toBe('ratings.csv, line 2: expected a rating between 0.5 and 5, found "9.0"');
    const shifted = shiftProblemLine(problem, first.lines);
    expect(shifted.line).toBe(4);
    expect(shifted.message).toBe('ratings.csv, line 4: expected a rating between 0.5 and 5, found "9.0"');
    expect(problem.line).toBe(2);
  });

  it('does not ask for rows or a header in a range that starts mid-file', async () => {
    const result = await parse(text, { range: { start: 33, end: 40 } });
    expect(result).toMatchObject({ rows: 0, lines: 0, hasHeader: false });
  });
});

describe('parseRatingsCsv errors', () => {
  it.each([
    ['1,1,4.0\n', 1, '4 comma-separated fields (userId,movieId,rating,timestamp)', '3 in "1,1,4.0"'],
    ['1,1,4.0,1,7\n', 1, '4 comma-separated fields (userId,movieId,rating,timestamp)', '5 in "1,1,4.0,1,7"'],
    ['1,1,4.0,1\nabc,1,4.0,1\n', 2, 'a userId that is a whole number', '"abc"'],
    ['1,1,4.0,1\n-3,1,4.0,1\n', 2, 'a userId that is a whole number', '"-3"'],
    ['1,-1,4.0,1\n', 1, 'a movieId that is a whole number', '"-1"'],
    ['1,2147483648,4.0,1\n', 1, 'a movieId no larger than 2,147,483,647 (ids are stored as 32-bit integers)', '"2147483648"'],
    ['99999999999,1,4.0,1\n', 1, 'a userId no larger than 2,147,483,647 (ids are stored as 32-bit integers)', '"99999999999"'],
    [
      'userId;movieId;rating;timestamp\n1;1;4,0;1\n',
      1,
      'the header "userId,movieId,rating,timestamp" (this line is separated by semicolons, as some spreadsheets save CSV: export it comma-separated)',
      '"userId;movieId;rating;timestamp"',
    ],
    [
      '1;1;4;1\n',
      1,
      '4 comma-separated fields (userId,movieId,rating,timestamp) (this line is separated by semicolons, as some spreadsheets save CSV: export it comma-separated)',
      '1 in "1;1;4;1"',
    ],
    ['1,1,,1\n', 1, 'a rating between 0.5 and 5', '""'],
    ['1,1,four,1\n', 1, 'a rating between 0.5 and 5', '"four"'],
    ['1,1,0,1\n', 1, 'a rating between 0.5 and 5', '"0"'],
    ['1,1,5.5,1\n', 1, 'a rating between 0.5 and 5', '"5.5"'],
    ['1,1,4.0,12.5\n', 1, 'a timestamp in whole seconds', '"12.5"'],
    ['1,1,4.0,\n', 1, 'a timestamp in whole seconds', '""'],
  ])('%j fails on line %i', async (text, line, expected, found) => {
    const problem = await problemOf(text);
    expect(problem).toMatchObject({ kind: 'parse', file: 'ratings.csv', line, expected });
    expect(problem.message).toBe(`ratings.csv, line ${line}: expected ${expected}, found ${found}`);
    expect(problem.found).toBe(text.split('\n')[line - 1]);
  });

  it('names the line, the rating and what was expected (the example from the brief)', async () => {
    const text = `${RATINGS_CSV_HEADER}\n${'1,1,4.0,1\n'.repeat(10)}1,31,7.5,1260759144\n`;
    const problem = await problemOf(text);
    expect(problem.message).toBe('ratings.csv, line 12: expected a rating between 0.5 and 5, found "7.5"');
    expect(problem.found).toBe('1,31,7.5,1260759144');
  });

  it('truncates a long offending line to 80 characters', async () => {
    const problem = await problemOf(`1,1,${'9'.repeat(200)},1\n`);
    expect(problem.found?.length).toBe(80);
  });

  it('rejects a first line that is not the ratings header, saying what it expected', async () => {
    const problem = await problemOf('movieId,title,genres\n1,Toy Story (1995),Comedy\n');
    expect(problem).toMatchObject({ kind: 'parse', line: 1, found: 'movieId,title,genres' });
    expect(problem.message).toBe('ratings.csv, line 1: expected the header "userId,movieId,rating,timestamp", found "movieId,title,genres"');
  });

  it('reports a file cut off mid-line on its last line, or skips it', async () => {
    const text = `${RATINGS_CSV_HEADER}\n1,1,4.0,1\n2,2,3`;
    expect(await problemOf(text)).toMatchObject({ line: 3, expected: '4 comma-separated fields (userId,movieId,rating,timestamp)' });
    const skipped = await parse(text, { skipBadLines: true });
    expect(skipped).toMatchObject({ rows: 1, skipped: 1, lines: 3 });
    expect(skipped.problems[0].line).toBe(3);
  });

  it('calls an empty file empty, and a header alone too', async () => {
    const empty = await problemOf('');
    expect(empty.kind).toBe('empty');
    expect(empty.message).toContain('ratings.csv is empty');
    const headerOnly = await problemOf(`${RATINGS_CSV_HEADER}\r\n\r\n`);
    expect(headerOnly.kind).toBe('empty');
    expect(headerOnly.message).toContain('has no ratings');
  });

  it('refuses binary data before reading any line', async () => {
    const problem = await problemOf(Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0, 10, 49, 44));
    expect(problem.kind).toBe('format');
    expect(problem.message).toContain('this does not look like a MovieLens ratings.csv');
    const other = await problemOf(Uint8Array.of(49, 44, 0, 10));
    expect(other.kind).toBe('format');
  });

  it('reports a line longer than any rating line without keeping it whole', async () => {
    const problem = await problemOf(`1,1,4.0,1\n${'x'.repeat(5000)}\n`, { chunkBytes: 100 });
    expect(problem.line).toBe(2);
    expect(problem.message).toContain('a line longer than 1024 bytes');
  });
});

describe('parseRatingsCsv with skipBadLines', () => {
  it('counts every bad line, keeps the first five problems and the good rows', async () => {
    const lines = [RATINGS_CSV_HEADER, '1,1,4.0,1'];
    for (let i = 0; i < 7; i++) lines.push(`2,${i},9,1`);
    lines.push('3,3,3.0,3', 'junk');
    const result = await parse(lines.join('\n'), { skipBadLines: true, chunkBytes: 7 });
    expect(rowsOf(result)).toEqual([
      [1, 1, 4, 1],
      [3, 3, 3, 3],
    ]);
    expect(result.skipped).toBe(8);
    expect(result.lines).toBe(11);
    expect(result.problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7]);
  });

  it('skips a wrong header as a bad line', async () => {
    const result = await parse('user,movie,rating,time\n1,1,4.0,1\n', { skipBadLines: true });
    expect(result).toMatchObject({ rows: 1, skipped: 1, hasHeader: false });
    expect(result.problems[0].line).toBe(1);
  });
});
