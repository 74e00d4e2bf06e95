import { describe, expect, it } from 'vitest';
import { MOVIES_DAT_LAYOUT, parseMoviesDat, parseRatingsDat, RATINGS_DAT_LAYOUT } from '../../../src/lib/formats/dat';
import type { RatingsParseOptions, RatingsParseResult } from '../../../src/lib/formats/ratings-csv';
import { InputError, type InputProblem } from '../../../src/lib/types';
import { latin1 } from '../../support/fixtures';

type Row = [number, number, number, number];

function rowsOf(result: RatingsParseResult): Row[] {
  const rows: Row[] = [];
  for (const b of result.batches) for (let i = 0; i < b.count; i++) rows.push([b.userIds[i], b.movieIds[i], b.ratings[i], b.timestamps[i]]);
  return rows;
}

const parse = (text: string, opts: Partial<RatingsParseOptions> = {}) => parseRatingsDat(new Blob([text]), { fileName: 'ratings.dat', ...opts });

async function problemOf(run: () => Promise<unknown>): Promise<InputProblem> {
  try {
    await run();
  } catch (e) {
    if (e instanceof InputError) return e.problem;
    throw e;
  }
  throw new Error('expected an InputError');
}

const ML1M_HEAD = '1::1193::5::978300760\n1::661::3::978302109\n1::914::3::978301968\n';
const ML10M_HEAD = '1::122::5::838985046\n1::185::4.5::838983525\n2::151::0.5::868246450\n';

describe('parseRatingsDat', () => {
  it('reads ML-1M whole stars and ML-10M half stars', async () => {
    expect(rowsOf(await parse(ML1M_HEAD))).toEqual([
      [1, 1193, 5, 978300760],
      [1, 661, 3, 978302109],
      [1, 914, 3, 978301968],
    ]);
    const r = await parse(ML10M_HEAD);
    expect(rowsOf(r)).toEqual([
      [1, 122, 5, 838985046],
      [1, 185, 4.5, 838983525],
      [2, 151, 0.5, 868246450],
    ]);
    expect(r).toMatchObject({ rows: 3, lines: 3, hasHeader: false, skipped: 0 });
  });

  it('gives the same rows however the bytes are chunked, with CRLF endings and no final newline', async () => {
    const text = ML10M_HEAD.replace(/\n/g, '\r\n').slice(0, -2);
    for (const chunkBytes of [1, 2, 3, 7, 1 << 20]) {
      expect(rowsOf(await parse(text, { chunkBytes }))).toEqual(rowsOf(await parse(ML10M_HEAD)));
    }
  });

  it.each([
    ['1::2::5.5::978300760', 'a rating between 0.5 and 5', '"5.5"'],
    ['1::2::0::978300760', 'a rating between 0.5 and 5', '"0"'],
    ['x::2::4::978300760', 'a userId that is a whole number', '"x"'],
    ['1::m2::4::978300760', 'a movieId that is a whole number', '"m2"'],
    ['1::2::4::soon', 'a timestamp in whole seconds', '"soon"'],
    ['1,2,4,978300760', `4 "::"-separated fields (${RATINGS_DAT_LAYOUT})`, '1 in "1,2,4,978300760"'],
    ['1::2::4:978300760', `4 "::"-separated fields (${RATINGS_DAT_LAYOUT})`, '3 in "1::2::4:978300760"'],
  ])('names the file, line, expectation and finding for %s', async (bad, expected, found) => {
    const problem = await problemOf(() => parse(`${ML1M_HEAD}${bad}\n1::1::1::1\n`));
    expect(problem).toMatchObject({ kind: 'parse', file: 'ratings.dat', line: 4, expected, found: bad });
    expect(problem.message).toBe(`ratings.dat, line 4: expected ${expected}, found ${found}`);
  });

  it('fails on a file cut off mid-line, as the CSV parser does', async () => {
    const problem = await problemOf(() => parse(`${ML1M_HEAD}2::3`));
    expect(problem).toMatchObject({ line: 4, expected: `4 "::"-separated fields (${RATINGS_DAT_LAYOUT})` });
  });

  it('skips bad lines when asked, keeping the first five problems and every good row', async () => {
    const bad = Array.from({ length: 7 }, (_, i) => `${i}::x::3::1`).join('\n');
    const r = await parse(`${ML1M_HEAD}${bad}\n\n9::9::1::9\n`, { skipBadLines: true });
    expect(r).toMatchObject({ rows: 4, skipped: 7, lines: 12 });
    expect(r.problems.map((p) => p.line)).toEqual([4, 5, 6, 7, 8]);
    expect(rowsOf(r).at(-1)).toEqual([9, 9, 1, 9]);
  });

  it('says an empty file or binary data is not a ratings.dat', async () => {
    expect((await problemOf(() => parse(''))).message).toContain(
      'ratings.dat is empty: expected MovieLens ratings, one "UserID::MovieID::Rating::Timestamp" per line.',
    );
    const binary = await problemOf(() => parseRatingsDat(new Blob([new Uint8Array([1, 0, 2, 0])]), { fileName: 'ratings.dat' }));
    expect(binary).toMatchObject({ kind: 'format', found: 'binary data' });
    expect(binary.message).toContain('this does not look like a MovieLens ratings.dat');
  });
});

describe('parseMoviesDat', () => {
  const ML1M_MOVIES = "1::Toy Story (1995)::Animation|Children's|Comedy\n73::Misérables, Les (1995)::Drama|Musical\n";

  it('reads id, title, year and genres; ISO-8859-1 with encoding latin1', async () => {
    const r = await parseMoviesDat(new Blob([latin1(ML1M_MOVIES)]), { fileName: 'movies.dat', encoding: 'latin1' });
    expect(r.movies.titles).toEqual(['Toy Story (1995)', 'Misérables, Les (1995)']);
    expect(Array.from(r.movies.movieIds)).toEqual([1, 73]);
    expect(Array.from(r.movies.years)).toEqual([1995, 1995]);
    expect(r.movies.genreNames).toEqual(['Animation', "Children's", 'Comedy', 'Drama', 'Musical']);
    expect(Array.from(r.movies.genreMasks)).toEqual([0b111, 0b11000]);
  });

  it('reads ML-10M UTF-8 and "(no genres listed)" as no genres', async () => {
    const text = "4973::Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)::Comedy|Romance\r\n65130::Revolutionary Road (2008)::(no genres listed)";
    const r = await parseMoviesDat(new Blob([text]), { fileName: 'movies.dat', chunkBytes: 5 });
    expect(r.movies.titles[0]).toBe("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)");
    expect(r.movies.genreMasks[1]).toBe(0);
  });

  it('reports a line with too few fields and a repeated id, or skips them', async () => {
    const text = '1::Heat (1995)::Action\n2::Jumanji (1995)\n1::Heat again (1995)::Action\n';
    const problem = await problemOf(() => parseMoviesDat(new Blob([text]), { fileName: 'movies.dat' }));
    expect(problem).toMatchObject({ file: 'movies.dat', line: 2, expected: `3 "::"-separated fields (${MOVIES_DAT_LAYOUT})` });
    const r = await parseMoviesDat(new Blob([text]), { fileName: 'movies.dat', skipBadLines: true });
    expect(r).toMatchObject({ skipped: 2, movies: { count: 1 } });
    expect(r.problems[1]).toMatchObject({
      line: 3,
      expected: 'each movieId once',
      message: 'movies.dat, line 3: expected each movieId once, found movieId 1 again (first on line 1)',
    });
    expect((await problemOf(() => parseMoviesDat(new Blob(['\n\n']), { fileName: 'movies.dat' }))).kind).toBe('empty');
  });
});
