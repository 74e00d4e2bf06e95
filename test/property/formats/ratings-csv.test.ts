import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRatingsCsv, RATINGS_CSV_HEADER, shiftProblemLine, type RatingsParseResult } from '../../../src/lib/formats/ratings-csv';
import { InputError } from '../../../src/lib/types';

type Row = [number, number, number, number];

const INT32_MAX = 2147483647;

/** A rating and one of the ways a file may write it ("4", "4.0", "3.5", "0.50"). */
const ratingArb = fc.tuple(fc.integer({ min: 1, max: 10 }), fc.constantFrom('', '.0', '.00', 'half')).map(([halves, style]): [number, string] => {
  const value = halves / 2;
  if (Number.isInteger(value)) return [value, style === 'half' ? `${value}` : `${value}${style}`];
  return [value, style === '.00' ? value.toFixed(2) : `${value}`];
});

const rowArb = fc.tuple(fc.integer({ min: 0, max: INT32_MAX }), fc.integer({ min: 0, max: INT32_MAX }), ratingArb, fc.integer({ min: 0, max: INT32_MAX }));

const fileArb = fc.record({
  rows: fc.array(rowArb, { maxLength: 40 }),
  header: fc.boolean(),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
  /** Per line: its ending and whether a blank line follows it. */
  endings: fc.array(fc.tuple(fc.constantFrom('\n', '\r\n'), fc.constantFrom('', '', '', '\n', '\r\n')), {
    minLength: 41,
    maxLength: 41,
  }),
});

type FileSpec = {
  rows: [number, number, [number, string], number][];
  header: boolean;
  bom: boolean;
  finalNewline: boolean;
  endings: [string, string][];
};

function serialise(file: FileSpec): Uint8Array<ArrayBuffer> {
  const lines = file.rows.map(([u, m, [, r], t]) => `${u},${m},${r},${t}`);
  if (file.header) lines.unshift(RATINGS_CSV_HEADER);
  let text = file.bom ? '\uFEFF' : '';
  lines.forEach((line, i) => {
    const [ending, blank] = file.endings[i];
    const last = i === lines.length - 1;
    text += line + (last && !file.finalNewline ? '' : ending + (last ? '' : blank));
  });
  return new TextEncoder().encode(text);
}

function rowsOf(result: RatingsParseResult): Row[] {
  const rows: Row[] = [];
  for (const b of result.batches) {
    for (let i = 0; i < b.count; i++) rows.push([b.userIds[i], b.movieIds[i], b.ratings[i], b.timestamps[i]]);
  }
  return rows;
}

/** Lines as the parser counts them: every '\n' ends one, and a final line may lack it. */
function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 10) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? n + 1 : n;
}

describe('parseRatingsCsv (property)', () => {
  it('returns exactly the rows written, for any chunking and any split into ranges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fileArb.filter((f) => f.rows.length > 0),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 8 }),
        async (file, chunkBytes, cutFractions, batchRows) => {
          const bytes = serialise(file);
          const blob = new Blob([bytes]);
          const cuts = cutFractions.map((f) => Math.floor(f * bytes.length)).sort((a, b) => a - b);
          const bounds = [0, ...cuts, bytes.length];
          const rows: Row[] = [];
          let lines = 0;
          for (let i = 0; i + 1 < bounds.length; i++) {
            const part = await parseRatingsCsv(blob, {
              fileName: 'ratings.csv',
              chunkBytes,
              batchRows,
              range: cuts.length > 0 ? { start: bounds[i], end: bounds[i + 1] } : undefined,
            });
            expect(part.hasHeader).toBe(file.header && bounds[i] === 0 && part.lines > 0);
            rows.push(...rowsOf(part));
            lines += part.lines;
          }
          expect(rows).toEqual(file.rows.map(([u, m, [r], t]) => [u, m, r, t]));
          expect(lines).toBe(countLines(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on a damaged file returns rows or an InputError on a line inside the file, nothing else', async () => {
    const mutationArb = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({
        kind: fc.constant('replace' as const),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(10, 13, 44, 46, 45, 32, 48, 57)),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (file, mutations, chunkBytes, skipBadLines, cutFraction) => {
          let bytes = serialise(file);
          for (const m of mutations) bytes = mutate(bytes, m);
          const total = countLines(bytes);
          const cut = Math.floor(cutFraction * bytes.length);
          const ranges = [
            { start: 0, end: cut },
            { start: cut, end: bytes.length },
          ];
          let linesBefore = 0;
          for (const range of ranges) {
            try {
              const result = await parseRatingsCsv(new Blob([bytes]), {
                fileName: 'ratings.csv',
                chunkBytes,
                skipBadLines,
                range,
              });
              expect(result.skipped).toBeGreaterThanOrEqual(result.problems.length);
              for (const p of result.problems) {
                const line = shiftProblemLine(p, linesBefore).line ?? 0;
                expect(line).toBeGreaterThanOrEqual(1);
                expect(line).toBeLessThanOrEqual(total);
              }
              linesBefore += result.lines;
            } catch (e) {
              if (!(e instanceof InputError)) throw e;
              if (e.problem.kind === 'parse') {
                const line = shiftProblemLine(e.problem, linesBefore).line ?? 0;
                expect(line).toBeGreaterThanOrEqual(1);
                expect(line).toBeLessThanOrEqual(total);
              } else {
                expect(['format', 'empty']).toContain(e.problem.kind);
              }
              return;
            }
          }
          expect(linesBefore).toBe(total);
        },
      ),
      { numRuns: 300 },
    );
  });
});

type Mutation = { kind: 'truncate'; at: number } | { kind: 'duplicate'; at: number } | { kind: 'replace'; at: number; byte: number };

function mutate(bytes: Uint8Array<ArrayBuffer>, m: Mutation): Uint8Array<ArrayBuffer> {
  const at = Math.floor(m.at * bytes.length);
  if (m.kind === 'truncate') return bytes.slice(0, at);
  if (m.kind === 'replace') {
    if (bytes.length === 0) return bytes;
    const copy = bytes.slice();
    copy[Math.min(at, bytes.length - 1)] = m.byte;
    return copy;
  }
  // Duplicate the line containing `at`.
  let start = at;
  while (start > 0 && bytes[start - 1] !== 10) start--;
  let end = at;
  while (end < bytes.length && bytes[end] !== 10) end++;
  end = Math.min(bytes.length, end + 1);
  const line = bytes.subarray(start, end);
  const out = new Uint8Array(bytes.length + line.length);
  out.set(bytes.subarray(0, end));
  out.set(line, end);
  out.set(bytes.subarray(end), end + line.length);
  return out;
}
