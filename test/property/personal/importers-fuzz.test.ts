/**
 * Fuzzing of the importers a person feeds with their own exports: mutated valid files of every
 * supported format (cut, spliced, lines repeated or swapped, stray quotes, separators, BOMs and
 * line endings), random text, and random bytes handed over as a zip. Each input must end in a
 * review or a typed InputError naming the file, never another exception and never a hang.
 * 10,000 cases in all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRatingsText, readImportFiles } from '../../../src/lib/personal/import-files';
import { buildReview } from '../../../src/lib/personal/import-review';
import { MatchIndex } from '../../../src/lib/personal/match-index';
import { InputError } from '../../../src/lib/types';
import { FIXTURE_MOVIES } from '../../support/fixtures';
import { extractYear } from '../../../src/lib/formats/movies-table';

const index = new MatchIndex(
  {
    movieIds: Int32Array.from(FIXTURE_MOVIES, (m) => m.id),
    titles: FIXTURE_MOVIES.map((m) => m.title),
    years: Int16Array.from(FIXTURE_MOVIES, (m) => extractYear(m.title)),
  },
  { count: 2, movieIds: Int32Array.of(1, 2), imdbIds: Int32Array.of(114709, 113497), tmdbIds: Int32Array.of(862, 8844) },
);

const SEEDS: { name: string; text: string }[] = [
  {
    name: 'ratings.csv',
    text: 'Date,Name,Year,Letterboxd URI,Rating\n2019-01-05,Heat,1995,https://boxd.it/2aHi,4.5\n2019-02-10,"The Good, the Bad and the Ugly",1966,https://boxd.it/2a1S,5\n2020-03-01,Toy Story,1995,https://boxd.it/28Q8,0.5\n',
  },
  {
    name: 'diary.csv',
    text: 'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n2021-05-02,Heat,1995,https://boxd.it/a,3.5,,,2021-05-01\n2021-06-02,Casino,1995,https://boxd.it/b,,Yes,"cinema, 35mm",2021-06-01\n',
  },
  { name: 'watched.csv', text: 'Date,Name,Year,Letterboxd URI\r\n2021-05-02,Heat,1995,https://boxd.it/a\r\n2021-05-03,Amelie,2001,https://boxd.it/c\r\n' },
  {
    name: 'imdb.csv',
    text: 'Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\ntt0114709,9,2024-01-02,Toy Story,Toy Story,https://www.imdb.com/title/tt0114709/,Movie,8.3,81,1995,"Animation, Comedy",1000000,1995-11-22,John Lasseter\ntt0113497,4,2024-01-03,Jumanji,Jumanji,https://www.imdb.com/title/tt0113497/,Movie,7.1,104,1995,Adventure,400000,1995-12-15,Joe Johnston\n',
  },
  {
    name: 'old-imdb.csv',
    text: 'position,const,created,modified,description,Title,Title type,Directors,You rated,IMDb Rating,Runtime (mins),Year,Genres,Num. Votes,Release Date (month/day/year),URL\n1,tt0113277,Mon Jan 16 00:00:00 2017,Mon Jan 16 00:00:00 2017,,Heat,Feature Film,Michael Mann,7,8.2,170,1995,"crime, drama",500000,1995-12-15,http://www.imdb.com/title/tt0113277/\n',
  },
  { name: 'mine.csv', text: 'movieId,rating,timestamp\n1,4.0,964982703\n2,3.5,\n47,5.0,964982800\n' },
  { name: 'letterboxd-import.csv', text: 'imdbID,tmdbID,Title,Year,Rating10\ntt0114709,862,Toy Story,1995,9\n,,"Seven",1995,7\n' },
];

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; line: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'char'; at: number; ch: string }
  | { kind: 'endings'; crlf: boolean };

const NASTY = [',', '"', '""', '\n', '\r', '\r\n', '\t', ';', '\uFEFF', 'é', '\u0000', ' ', 'tt', '10', '4.5', '-1', '1e9', 'NaN'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), ch: fc.constantFrom(...NASTY) }),
  fc.record({ kind: fc.constant('endings' as const), crlf: fc.boolean() }),
);

function mutate(seed: string, mutations: Mutation[]): string {
  let t = seed;
  for (const m of mutations) {
    const lines = t.split('\n');
    switch (m.kind) {
      case 'truncate':
        t = t.slice(0, m.at % (t.length + 1));
        break;
      case 'insert': {
        const at = m.at % (t.length + 1);
        t = t.slice(0, at) + m.text + t.slice(at);
        break;
      }
      case 'delete': {
        const at = m.at % (t.length + 1);
        t = t.slice(0, at) + t.slice(at + m.length);
        break;
      }
      case 'duplicate': {
        const i = m.line % lines.length;
        lines.splice(i, 0, lines[i]);
        t = lines.join('\n');
        break;
      }
      case 'swap': {
        const a = m.a % lines.length;
        const b = m.b % lines.length;
        [lines[a], lines[b]] = [lines[b], lines[a]];
        t = lines.join('\n');
        break;
      }
      case 'char': {
        const at = m.at % Math.max(1, t.length);
        t = t.slice(0, at) + m.ch + t.slice(at + 1);
        break;
      }
      case 'endings':
        t = m.crlf ? t.replace(/\r?\n/g, '\r\n') : t.replace(/\r\n/g, '\n');
        break;
    }
  }
  return t;
}

/** Parses (strictly, then skipping bad lines) and matches; only an InputError naming the file may escape. */
function survive(text: string, name: string): void {
  for (const skipBadLines of [false, true]) {
    try {
      const parsed = parseRatingsText(text, name, { skipBadLines });
      for (const f of parsed.films) {
        expect(f.rating === null || (f.rating >= 0.5 && f.rating <= 5 && Number.isInteger(f.rating * 2))).toBe(true);
        expect(f.line).toBeGreaterThanOrEqual(1);
      }
      expect(parsed.films.length + parsed.skipped + parsed.unrated).toBeLessThanOrEqual(parsed.lines);
      const review = buildReview([parsed], index);
      expect(
        review.matched.length + review.matchedByTitle.length + review.ambiguous.length + review.notFound.length + review.seen.length + review.duplicates,
      ).toBe(parsed.films.length);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      expect(error.problem.file).toBe(name);
      if (error.problem.line !== undefined) expect(error.problem.line).toBeGreaterThanOrEqual(1);
      expect(error.problem.message.length).toBeGreaterThan(0);
    }
  }
}

describe('importers under fuzzing', () => {
  for (const seed of SEEDS) {
    it(`${seed.name}: 1,200 mutated files end in a review or an InputError`, () => {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => survive(mutate(seed.text, ms), seed.name)),
        { numRuns: 1200, seed: 12 },
      );
    });
  }

  it('1,200 random texts end in a review or an InputError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), (text) => survive(text, 'random.csv')),
      { numRuns: 1200, seed: 12 },
    );
  });

  it('400 damaged zips end in films or an InputError', async () => {
    const { zipSync } = await import('fflate');
    const zip = zipSync({ 'ratings.csv': new TextEncoder().encode(SEEDS[0].text), 'watched.csv': new TextEncoder().encode(SEEDS[2].text) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }), fc.nat(), async (flips, cut) => {
        const bytes = zip.slice(0, Math.max(4, zip.length - (cut % 64)));
        for (const f of flips) bytes[4 + (f.at % (bytes.length - 4))] = f.value;
        try {
          const parsed = await readImportFiles([{ name: 'letterboxd.zip', blob: new Blob([bytes]) }]);
          for (const p of parsed) for (const film of p.films) expect(film.rating === null || film.rating >= 0.5).toBe(true);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          expect(error.problem.file.startsWith('letterboxd.zip')).toBe(true);
        }
      }),
      { numRuns: 400, seed: 12 },
    );
  });
});
