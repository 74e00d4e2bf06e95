import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoviesDat, RATINGS_DAT } from '../../../src/lib/formats/dat';
import { parseUItem, U_DATA } from '../../../src/lib/formats/ml-100k';
import { parseRatingsLines, type RatingsLineFormat, type RatingsParseResult } from '../../../src/lib/formats/ratings-lines';
import { InputError } from '../../../src/lib/types';
import { FIXTURE_MOVIES, latin1, releaseFiles, utf8 } from '../../support/fixtures';

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

type Row = [number, number, number, number];

/**
 * The brute-force reading of a .dat or u.data file: decode, split on '\n', judge each line as
 * text with the grammar of the ratings parsers (fields trimmed, whole-number ids, a decimal
 * rating in 0.5..5, a whole-second timestamp; lines over 1024 bytes are refused).
 */
function reference(bytes: Uint8Array, sep: string) {
  let text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const rows: Row[] = [];
  const badLines: number[] = [];
  let nonBlank = 0;
  const utf8Lengths = new TextEncoder();
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    nonBlank++;
    const f = line.split(sep).map((x) => x.trim());
    const ok =
      utf8Lengths.encode(raw).length < 1024 &&
      f.length === 4 &&
      /^\d+$/.test(f[0]) &&
      Number(f[0]) <= INT32_MAX &&
      /^\d+$/.test(f[1]) &&
      Number(f[1]) <= INT32_MAX &&
      /^(?:\d+\.?\d*|\.\d+)$/.test(f[2]) &&
      Number(f[2]) >= 0.5 &&
      Number(f[2]) <= 5 &&
      /^[-+]?\d+$/.test(f[3]) &&
      Number(f[3]) >= INT32_MIN &&
      Number(f[3]) <= INT32_MAX;
    if (ok) rows.push([Number(f[0]), Number(f[1]), Math.fround(Number(f[2])), Number(f[3])]);
    else badLines.push(i + 1);
  });
  return { rows, badLines, nonBlank, lines: lines.length };
}

function rowsOf(result: RatingsParseResult): Row[] {
  const rows: Row[] = [];
  for (const b of result.batches) for (let i = 0; i < b.count; i++) rows.push([b.userIds[i], b.movieIds[i], b.ratings[i], b.timestamps[i]]);
  return rows;
}

const rowArb = fc.tuple(
  fc.integer({ min: 0, max: INT32_MAX }),
  fc.integer({ min: 0, max: 200_000 }),
  fc.integer({ min: 1, max: 10 }).map((h) => h / 2),
  fc.integer({ min: 0, max: INT32_MAX }),
);

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; line: number }
  | { kind: 'separator'; nth: number; with: string }
  | { kind: 'invalid-utf8'; at: number; bytes: number[] }
  | { kind: 'huge'; at: number; char: string; length: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('separator' as const), nth: fc.nat(), with: fc.constantFrom(',', ';', ' ', ':', '\t', '::', '|', '') }),
  fc.record({
    kind: fc.constant('invalid-utf8' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), char: fc.constantFrom('9', 'x'), length: fc.integer({ min: 50, max: 3000 }) }),
);

function mutate(bytes: Uint8Array, sep: string, m: Mutation): Uint8Array<ArrayBuffer> {
  const at = (n: number) => (bytes.length === 0 ? 0 : n % (bytes.length + 1));
  const splice = (pos: number, insert: Uint8Array, remove = 0) => {
    const out = new Uint8Array(bytes.length - remove + insert.length);
    out.set(bytes.subarray(0, pos));
    out.set(insert, pos);
    out.set(bytes.subarray(pos + remove), pos + insert.length);
    return out;
  };
  switch (m.kind) {
    case 'truncate':
      return bytes.slice(0, at(m.at));
    case 'duplicate': {
      const text = new TextDecoder('latin1').decode(bytes);
      const lines = text.split('\n');
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i]);
      return latin1(lines.join('\n'));
    }
    case 'separator': {
      const text = new TextDecoder('latin1').decode(bytes);
      const positions: number[] = [];
      for (let p = text.indexOf(sep); p >= 0; p = text.indexOf(sep, p + sep.length)) positions.push(p);
      if (positions.length === 0) return bytes.slice();
      return splice(positions[m.nth % positions.length], utf8(m.with), sep.length);
    }
    case 'invalid-utf8':
      return splice(at(m.at), Uint8Array.from(m.bytes));
    case 'huge':
      return splice(at(m.at), utf8(m.char.repeat(m.length)));
  }
}

const FORMATS: [string, RatingsLineFormat][] = [
  ['ratings.dat', RATINGS_DAT],
  ['u.data', U_DATA],
];

describe.each(FORMATS)('%s under mutation', (fileName, format) => {
  it('returns exactly the valid lines (or the first bad line as an InputError), never another exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 25 }),
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 200 }),
        fc.boolean(),
        async (rows, mutations, chunkBytes, skipBadLines) => {
          const sep = format.separator;
          let bytes: Uint8Array<ArrayBuffer> = utf8(rows.map((r) => r.join(sep) + '\n').join(''));
          for (const m of mutations) bytes = mutate(bytes, sep, m);
          const ref = reference(bytes, sep);
          let result: RatingsParseResult | undefined;
          try {
            result = await parseRatingsLines(format, new Blob([bytes]), { fileName, chunkBytes, skipBadLines });
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            if (ref.nonBlank === 0) {
              expect(e.problem.kind).toBe('empty');
            } else {
              expect(skipBadLines).toBe(false);
              expect(e.problem).toMatchObject({ kind: 'parse', file: fileName, line: ref.badLines[0] });
            }
            return;
          }
          expect(ref.nonBlank).toBeGreaterThan(0);
          if (!skipBadLines) expect(ref.badLines).toEqual([]);
          expect(rowsOf(result)).toEqual(ref.rows);
          expect(result.skipped).toBe(ref.badLines.length);
          expect(result.problems.map((p) => p.line)).toEqual(ref.badLines.slice(0, 5));
          expect(result.lines).toBe(ref.lines);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('movies.dat and u.item under mutation', () => {
  const base = Object.fromEntries([...releaseFiles('ml-1m', { folder: false }), ...releaseFiles('ml-100k', { folder: false })].map((f) => [f.name, f.bytes]));

  it.each([
    ['movies.dat', '::', parseMoviesDat],
    ['u.item', '|', parseUItem],
  ] as const)('%s: a result no larger than its lines, or an InputError', async (name, sep, parse) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        async (mutations, chunkBytes, skipBadLines) => {
          let bytes = base[name];
          for (const m of mutations) bytes = mutate(bytes, sep, m);
          try {
            const r = await parse(new Blob([bytes]), { fileName: name, encoding: 'latin1', chunkBytes, skipBadLines });
            const nonBlank = new TextDecoder('latin1')
              .decode(bytes)
              .split('\n')
              .filter((l) => l.trim() !== '').length;
            expect(r.movies.count + r.skipped).toBe(nonBlank);
            expect(r.movies.count).toBeLessThanOrEqual(FIXTURE_MOVIES.length + 1);
            if (!skipBadLines) expect(r.skipped).toBe(0);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            expect(e.problem.file).toBe(name);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
