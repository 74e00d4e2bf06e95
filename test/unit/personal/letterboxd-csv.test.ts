import { describe, expect, it } from 'vitest';
import { parseRatingsText } from '../../../src/lib/personal/import-files';
import { InputError, type InputProblem } from '../../../src/lib/types';

function problemOf(run: () => unknown): InputProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.problem;
    throw error;
  }
  throw new Error('expected an InputError');
}

const RATINGS = [
  'Date,Name,Year,Letterboxd URI,Rating',
  '2019-01-05,Heat,1995,https://boxd.it/2aHi,4.5',
  '2019-02-10,"The Good, the Bad and the Ugly",1966,https://boxd.it/2a1S,5',
  '2020-03-01,"Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb",1964,https://boxd.it/28Q8,0.5',
].join('\n');

describe("Letterboxd's ratings.csv", () => {
  it('reads names, years, half-star ratings and dates', () => {
    const parsed = parseRatingsText(RATINGS, 'ratings.csv');
    expect(parsed.source).toBe('letterboxd-ratings');
    expect(parsed.lines).toBe(3);
    expect(parsed.films.map((f) => [f.line, f.title, f.year, f.rating])).toEqual([
      [2, 'Heat', 1995, 4.5],
      [3, 'The Good, the Bad and the Ugly', 1966, 5],
      [4, 'Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb', 1964, 0.5],
    ]);
    expect(parsed.films[0].ratedAt).toBe(Date.UTC(2019, 0, 5) / 1000);
    expect(parsed.films[0]).toMatchObject({ imdbId: 0, movieId: 0, file: 'ratings.csv' });
  });

  it('reads a file with a byte-order mark and CRLF line endings the same', () => {
    const plain = parseRatingsText(RATINGS, 'ratings.csv');
    const windows = parseRatingsText(`\uFEFF${RATINGS.replace(/\n/g, '\r\n')}\r\n`, 'ratings.csv');
    expect(windows.films).toEqual(plain.films);
  });

  it('reads quoted titles with commas and doubled quotes, and counts lines of a title spanning two lines', () => {
    const text = [
      'Date,Name,Year,Letterboxd URI,Rating',
      '2019-01-05,"Crouching Tiger, Hidden ""Dragon""",2000,u,4',
      '2019-01-06,"Two',
      'Lines",2001,u,3',
      '2019-01-07,Heat,1995,u,2',
    ].join('\n');
    const parsed = parseRatingsText(text, 'ratings.csv');
    expect(parsed.films.map((f) => [f.line, f.title])).toEqual([
      [2, 'Crouching Tiger, Hidden "Dragon"'],
      [3, 'Two\nLines'],
      [5, 'Heat'],
    ]);
  });

  it('skips blank lines and allows an empty year', () => {
    const parsed = parseRatingsText('Date,Name,Year,Letterboxd URI,Rating\n\n2019-01-05,Obscure Short,,u,3\n\n', 'ratings.csv');
    expect(parsed.films.map((f) => [f.line, f.year])).toEqual([[3, 0]]);
  });

  it('reads an empty Rating as seen (null), not as an error', () => {
    const parsed = parseRatingsText('Date,Name,Year,Letterboxd URI,Rating\n2019-01-05,Heat,1995,u,\n', 'ratings.csv');
    expect(parsed.films[0].rating).toBeNull();
  });

  it('rejects a rating off the half-star scale, naming the file, line and column', () => {
    for (const bad of ['6', '0', '3.7', 'four', '10']) {
      const p = problemOf(() =>
        parseRatingsText(`Date,Name,Year,Letterboxd URI,Rating\n2019-01-05,Heat,1995,u,4\n2019-01-06,Casino,1995,u,${bad}\n`, 'ratings.csv'),
      );
      expect(p).toMatchObject({ kind: 'parse', file: 'ratings.csv', line: 3, column: 'Rating' });
      expect(p.message).toContain('ratings.csv, line 3, column "Rating"');
      expect(p.message).toContain('half stars');
    }
  });

  it('rejects an empty name and a year that is not a year', () => {
    expect(problemOf(() => parseRatingsText('Date,Name,Year,Letterboxd URI,Rating\n2019-01-05,,1995,u,4\n', 'r.csv'))).toMatchObject({
      line: 2,
      column: 'Name',
    });
    expect(problemOf(() => parseRatingsText('Date,Name,Year,Letterboxd URI,Rating\n2019-01-05,Heat,95,u,4\n', 'r.csv'))).toMatchObject({
      line: 2,
      column: 'Year',
    });
  });

  it('names the line of an unquoted comma that shifts the columns', () => {
    const p = problemOf(() => parseRatingsText('Date,Name,Year,Letterboxd URI,Rating\n2019-01-05,The Good, the Bad and the Ugly,1966,u,5\n', 'ratings.csv'));
    expect(p).toMatchObject({ kind: 'parse', file: 'ratings.csv', line: 2 });
    expect(p.message).toContain('expected 5');
    expect(p.message).toContain('quotes');
  });

  it('with skipBadLines, counts bad lines and keeps the good ones', () => {
    const parsed = parseRatingsText('Date,Name,Year,Letterboxd URI,Rating\n2019-01-05,Heat,1995,u,9\n2019-01-06,Casino,1995,u,4\n', 'ratings.csv', {
      skipBadLines: true,
    });
    expect(parsed.skipped).toBe(1);
    expect(parsed.problems[0]).toMatchObject({ line: 2, column: 'Rating' });
    expect(parsed.films.map((f) => f.title)).toEqual(['Casino']);
  });

  it('a missing Year column is an error naming the file, the header line and the column', () => {
    const p = problemOf(() => parseRatingsText('Date,Name,Letterboxd URI,Rating\n2019-01-05,Heat,u,4\n', 'ratings.csv'));
    expect(p).toMatchObject({ kind: 'format', file: 'ratings.csv', line: 1, column: 'Year' });
    expect(p.message).toContain('Date,Name,Year,Letterboxd URI,Rating');
  });

  it('reads columns by name in any order and any case', () => {
    const parsed = parseRatingsText('rating,letterboxd uri,YEAR,name,date\n4,u,1995,Heat,2019-01-05\n', 'ratings.csv');
    expect(parsed.films[0]).toMatchObject({ title: 'Heat', year: 1995, rating: 4 });
  });
});

describe("Letterboxd's diary.csv and watched.csv", () => {
  it('diary: an entry logged without stars is seen; the date logged is the date', () => {
    const text = [
      'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date',
      '2021-05-02,Heat,1995,https://boxd.it/a,3.5,,,2021-05-01',
      '2021-06-02,Heat,1995,https://boxd.it/b,,Yes,"cinema, 35mm",2021-06-01',
    ].join('\n');
    const parsed = parseRatingsText(text, 'diary.csv');
    expect(parsed.source).toBe('letterboxd-diary');
    expect(parsed.films.map((f) => [f.rating, f.ratedAt])).toEqual([
      [3.5, Date.UTC(2021, 4, 2) / 1000],
      [null, Date.UTC(2021, 5, 2) / 1000],
    ]);
  });

  it('watched: every film is seen', () => {
    const parsed = parseRatingsText('Date,Name,Year,Letterboxd URI\n2021-05-02,Heat,1995,https://boxd.it/a\n', 'watched.csv');
    expect(parsed.source).toBe('letterboxd-watched');
    expect(parsed.films[0]).toMatchObject({ title: 'Heat', rating: null });
  });

  it('refuses the watchlist, which has the same columns as watched.csv', () => {
    const p = problemOf(() => parseRatingsText('Date,Name,Year,Letterboxd URI\n2021-05-02,Heat,1995,u\n', 'letterboxd/watchlist.csv'));
    expect(p).toMatchObject({ kind: 'format', file: 'letterboxd/watchlist.csv' });
    expect(p.message).toContain('watchlist');
  });
});

describe("Letterboxd's import format (what our Letterboxd export writes)", () => {
  it('reads imdbID, tmdbID, Title, Year and Rating10 (1-10 -> half stars)', () => {
    const parsed = parseRatingsText('imdbID,tmdbID,Title,Year,Rating10\ntt0113277,949,Heat,1995,9\n,,Casino,1995,2\n', 'letterboxd-import.csv');
    expect(parsed.source).toBe('letterboxd-import');
    expect(parsed.films.map((f) => [f.imdbId, f.tmdbId, f.title, f.rating])).toEqual([
      [113277, 949, 'Heat', 4.5],
      [0, 0, 'Casino', 1],
    ]);
  });

  it('reads Rating on the half-star scale when Rating10 is absent', () => {
    expect(parseRatingsText('Title,Year,Rating\nHeat,1995,3.5\n', 'x.csv').films[0].rating).toBe(3.5);
  });

  it('rejects a Rating10 of 11 and a malformed imdbID, naming the column', () => {
    expect(problemOf(() => parseRatingsText('Title,Year,Rating10\nHeat,1995,11\n', 'x.csv'))).toMatchObject({ line: 2, column: 'Rating10' });
    expect(problemOf(() => parseRatingsText('imdbID,Title,Rating10\nnm0000123,Heat,8\n', 'x.csv'))).toMatchObject({ line: 2, column: 'imdbID' });
  });
});
