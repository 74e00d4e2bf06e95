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

/** IMDb's export from 2017 to 2023. */
const EXPORT_2017 = [
  'Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors',
  'tt0113277,9,2018-03-04,Heat,https://www.imdb.com/title/tt0113277/,movie,8.3,170,1995,"Crime, Drama, Thriller",600000,1995-12-15,Michael Mann',
  'tt0060196,10,2018-03-05,"The Good, the Bad and the Ugly",https://www.imdb.com/title/tt0060196/,movie,8.8,178,1966,Western,700000,1966-12-23,Sergio Leone',
].join('\r\n');

/** IMDb's export since 2024: "Original Title" after Title, so every later column moved. */
const EXPORT_2024 = [
  'Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors',
  'tt0211915,8,2024-01-02,Amélie,Le fabuleux destin d\'Amélie Poulain,https://www.imdb.com/title/tt0211915/,Movie,8.3,122,2001,"Comedy, Romance",800000,2001-04-25,Jean-Pierre Jeunet',
  'tt10872600,1,2024-01-03,Spider-Man: No Way Home,Spider-Man: No Way Home,https://www.imdb.com/title/tt10872600/,Movie,8.2,148,2021,Action,900000,2021-12-15,Jon Watts',
].join('\n');

/** The list export before 2017: lower-case "const", "You rated", "created". */
const EXPORT_OLD = [
  'position,const,created,modified,description,Title,Title type,Directors,You rated,IMDb Rating,Runtime (mins),Year,Genres,Num. Votes,Release Date (month/day/year),URL',
  '1,tt0113277,Mon Jan 16 00:00:00 2017,Mon Jan 16 00:00:00 2017,,Heat,Feature Film,Michael Mann,7,8.2,170,1995,"crime, drama",500000,1995-12-15,http://www.imdb.com/title/tt0113277/',
].join('\n');

describe("IMDb's ratings export", () => {
  it('reads Const as a number and maps the 10-point scale to half stars', () => {
    const parsed = parseRatingsText(EXPORT_2017, 'ratings.csv');
    expect(parsed.source).toBe('imdb');
    expect(parsed.films.map((f) => [f.line, f.imdbId, f.title, f.year, f.rating])).toEqual([
      [2, 113277, 'Heat', 1995, 4.5],
      [3, 60196, 'The Good, the Bad and the Ugly', 1966, 5],
    ]);
    expect(parsed.films[0].ratedAt).toBe(Date.UTC(2018, 2, 4) / 1000);
  });

  it('reads the 2024 column order by header name, with the original title as another name', () => {
    const parsed = parseRatingsText(EXPORT_2024, 'ratings.csv');
    expect(parsed.films.map((f) => [f.imdbId, f.year, f.rating, f.otherTitles])).toEqual([
      [211915, 2001, 4, ["Le fabuleux destin d'Amélie Poulain"]],
      [10872600, 2021, 0.5, []],
    ]);
  });

  it('reads the pre-2017 list export (const, You rated, created)', () => {
    const parsed = parseRatingsText(EXPORT_OLD, 'ratings.csv');
    expect(parsed.films[0]).toMatchObject({ imdbId: 113277, title: 'Heat', year: 1995, rating: 3.5 });
    expect(parsed.films[0].ratedAt).toBeGreaterThan(0);
  });

  it('reads with a byte-order mark', () => {
    expect(parseRatingsText(`\uFEFF${EXPORT_2017}`, 'ratings.csv').films).toEqual(parseRatingsText(EXPORT_2017, 'ratings.csv').films);
  });

  it('counts a line with an empty Your Rating as unrated, not as seen', () => {
    const parsed = parseRatingsText(
      'Const,Your Rating,Date Rated,Title,Year\ntt0113277,,2018-03-04,Heat,1995\ntt0060196,6,2018-03-04,"The Good, the Bad and the Ugly",1966\n',
      'x.csv',
    );
    expect(parsed.unrated).toBe(1);
    expect(parsed.films.map((f) => f.imdbId)).toEqual([60196]);
  });

  it('rejects a rating of 0, 11 or 4.5, naming the file, line and column', () => {
    for (const bad of ['0', '11', '4.5']) {
      const p = problemOf(() => parseRatingsText(`Const,Your Rating,Date Rated,Title,Year\ntt0113277,${bad},2018-03-04,Heat,1995\n`, 'imdb.csv'));
      expect(p).toMatchObject({ kind: 'parse', file: 'imdb.csv', line: 2, column: 'Your Rating' });
      expect(p.message).toContain('imdb.csv, line 2, column "Your Rating": expected a whole rating from 1 to 10');
    }
  });

  it('rejects a Const that is not tt + digits', () => {
    const p = problemOf(() => parseRatingsText('Const,Your Rating,Title,Year\nnm0000123,8,Heat,1995\n', 'imdb.csv'));
    expect(p).toMatchObject({ line: 2, column: 'Const' });
  });

  it('an IMDb list without a rating column is refused with what to do instead', () => {
    const p = problemOf(() =>
      parseRatingsText('Position,Const,Created,Modified,Description,Title,URL,Title Type,Year\n1,tt0113277,2018-03-04,,,Heat,u,movie,1995\n', 'WATCHLIST.csv'),
    );
    expect(p).toMatchObject({ kind: 'format', file: 'WATCHLIST.csv', line: 1 });
    expect(p.message).toContain('Your Ratings');
  });
});
