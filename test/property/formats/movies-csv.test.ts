import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractYear, MOVIES_CSV_HEADER, parseMoviesCsv } from '../../../src/lib/formats/movies-csv';
import { InputError } from '../../../src/lib/types';

const GENRES = ['Action', 'Comedy', 'Drama', 'Sci-Fi', 'Film-Noir', 'Children', 'IMAX'];

/** Characters that stress the CSV grammar and UTF-8 chunking; no lone surrogates. */
const titleCharArb = fc.constantFrom('a', 'Z', ' ', ',', '"', '""', 'é', 'ü', '–', '日本', '😀', '|', '(', ')', '1', '\n', "'");

const titleArb = fc
  .tuple(
    fc.array(titleCharArb, { maxLength: 20 }).map((cs) => cs.join('')),
    fc.option(fc.integer({ min: 1890, max: 2030 }), { nil: undefined }),
  )
  .map(([text, year]) => (year === undefined ? text : `${text} (${year})`).trim());

const movieArb = fc.record({
  title: titleArb,
  genres: fc.uniqueArray(fc.constantFrom(...GENRES), { maxLength: 4 }),
});

/** RFC 4180: quote a field that holds a comma, a quote or a line break; double its quotes. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function serialise(ids: number[], movies: { title: string; genres: string[] }[], crlf: boolean, bom: boolean): Uint8Array<ArrayBuffer> {
  const nl = crlf ? '\r\n' : '\n';
  const lines = [MOVIES_CSV_HEADER];
  movies.forEach((m, i) => {
    const genres = m.genres.length > 0 ? m.genres.join('|') : '(no genres listed)';
    lines.push(`${ids[i]},${csvField(m.title)},${genres}`);
  });
  return new TextEncoder().encode((bom ? '\uFEFF' : '') + lines.join(nl) + nl);
}

describe('parseMoviesCsv (property)', () => {
  it('round-trips titles with commas, quotes, newlines and non-ASCII text through any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(movieArb, { maxLength: 15 }).chain((movies) =>
          fc.tuple(
            fc.constant(movies),
            fc.uniqueArray(fc.integer({ min: 0, max: 2147483647 }), {
              minLength: movies.length,
              maxLength: movies.length,
            }),
          ),
        ),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        async ([movies, ids], crlf, bom, chunkBytes) => {
          const bytes = serialise(ids, movies, crlf, bom);
          const result = await parseMoviesCsv(new Blob([bytes]), { fileName: 'movies.csv', chunkBytes });
          const genreNames: string[] = [];
          for (const m of movies) for (const g of m.genres) if (!genreNames.includes(g)) genreNames.push(g);
          expect(result.skipped).toBe(0);
          expect(result.movies.genreNames).toEqual(genreNames);
          expect(result.movies.count).toBe(movies.length);
          expect(Array.from(result.movies.movieIds)).toEqual(ids);
          expect(result.movies.titles).toEqual(movies.map((m) => m.title));
          expect(Array.from(result.movies.years)).toEqual(movies.map((m) => extractYear(m.title)));
          expect(Array.from(result.movies.genreMasks)).toEqual(movies.map((m) => m.genres.reduce((mask, g) => (mask | (1 << genreNames.indexOf(g))) >>> 0, 0)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on a damaged file returns movies or an InputError on a line inside the file, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(movieArb, { minLength: 1, maxLength: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('truncate', 'duplicate', 'replace'),
        fc.constantFrom(0, 10, 13, 34, 44, 124, 0xc3, 0xa9, 65),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        async (movies, at, kind, byte, chunkBytes, skipBadLines) => {
          const ids = movies.map((_, i) => i + 1);
          let bytes = serialise(ids, movies, false, false);
          const pos = Math.floor(at * bytes.length);
          if (kind === 'truncate') bytes = bytes.slice(0, pos);
          else if (kind === 'replace') {
            bytes = bytes.slice();
            bytes[Math.min(pos, bytes.length - 1)] = byte;
          } else {
            const text = new TextDecoder().decode(bytes);
            const lines = text.split('\n');
            const i = Math.min(lines.length - 1, Math.floor(at * lines.length));
            lines.splice(i, 0, lines[i]);
            bytes = new TextEncoder().encode(lines.join('\n'));
          }
          let totalLines = 1;
          for (const b of bytes) if (b === 10) totalLines++;
          try {
            const result = await parseMoviesCsv(new Blob([bytes]), { fileName: 'movies.csv', chunkBytes, skipBadLines });
            expect(result.movies.titles).toHaveLength(result.movies.count);
            expect(new Set(result.movies.movieIds).size).toBe(result.movies.count);
            for (const p of result.problems) {
              expect(p.line).toBeGreaterThanOrEqual(1);
              expect(p.line).toBeLessThanOrEqual(totalLines);
            }
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            if (e.problem.kind !== 'empty') {
              expect(e.problem.line).toBeGreaterThanOrEqual(1);
              expect(e.problem.line).toBeLessThanOrEqual(totalLines);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
