import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractYear, MOVIES_CSV_HEADER, MoviesCsvParser, parseMoviesCsv, splitGenres, type MoviesParseOptions } from '../../../src/lib/formats/movies-csv';
import { CancelledError, InputError, type InputProblem, type MoviesTable } from '../../../src/lib/types';

const SAMPLE = new URL('../../../public/data/ml-latest-small/movies.csv', import.meta.url);

function parse(text: string | Uint8Array<ArrayBuffer>, opts: Partial<MoviesParseOptions> = {}) {
  return parseMoviesCsv(new Blob([text]), { fileName: 'movies.csv', ...opts });
}

async function problemOf(text: string, opts: Partial<MoviesParseOptions> = {}): Promise<InputProblem> {
  try {
    await parse(text, opts);
  } catch (e) {
    if (e instanceof InputError) return e.problem;
    throw e;
  }
  throw new Error('expected an InputError');
}

function genresOf(movies: MoviesTable, i: number): string[] {
  return movies.genreNames.filter((_, g) => (movies.genreMasks[i] >>> g) & 1);
}

function movieRows(movies: MoviesTable) {
  return Array.from({ length: movies.count }, (_, i) => ({
    id: movies.movieIds[i],
    title: movies.titles[i],
    year: movies.years[i],
    genres: genresOf(movies, i),
  }));
}

describe('extractYear', () => {
  it.each([
    ['Toy Story (1995)', 1995],
    ['Cosmos (1980-1981)', 1980],
    ['Planet Earth (2006–2007)', 2006],
    ['Heat (1995)  ', 1995],
    ['Babylon 5', 0],
    ['1984 (1984) Remastered', 0],
    ['Hyena Road', 0],
    ['(500) Days of Summer (2009)', 2009],
  ])('%j -> %i', (title, year) => {
    expect(extractYear(title)).toBe(year);
  });
});

describe('splitGenres', () => {
  it('splits on pipes and treats "(no genres listed)" and empty as none', () => {
    expect(splitGenres('Adventure|Animation|Children')).toEqual(['Adventure', 'Animation', 'Children']);
    expect(splitGenres('(no genres listed)')).toEqual([]);
    expect(splitGenres('')).toEqual([]);
    expect(splitGenres(' Drama ')).toEqual(['Drama']);
  });
});

describe('parseMoviesCsv on the bundled ml-latest-small sample', () => {
  it('reads all 9,742 movies with titles, years and genres', async () => {
    const { movies, skipped } = await parseMoviesCsv(new Blob([readFileSync(SAMPLE)]), {
      fileName: 'movies.csv',
      chunkBytes: 4096,
    });
    expect(skipped).toBe(0);
    expect(movies.count).toBe(9742);
    const byId = new Map(movieRows(movies).map((m) => [m.id, m]));
    expect(byId.get(1)).toEqual({
      id: 1,
      title: 'Toy Story (1995)',
      year: 1995,
      genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'],
    });
    expect(byId.get(11)?.title).toBe('American President, The (1995)');
    expect(byId.get(7789)?.title).toBe('11\'09"01 - September 11 (2002)');
    expect(byId.get(4973)?.title).toBe("Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)");
    expect(byId.get(114335)).toMatchObject({ title: 'La cravate (1957)', genres: [] });
    expect(movies.genreNames).toHaveLength(19);
    expect(movies.genreNames.slice(0, 5)).toEqual(['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy']);
    expect(movies.genreNames).not.toContain('(no genres listed)');
  });
});

describe('parseMoviesCsv on well-formed variants', () => {
  const FIRST_FIVE = [
    MOVIES_CSV_HEADER,
    '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy',
    '2,Jumanji (1995),Adventure|Children|Fantasy',
    '3,Grumpier Old Men (1995),Comedy|Romance',
    '11,"American President, The (1995)",Comedy|Drama|Romance',
    '5021,"Shawshank ""Redemption"" (1994)",(no genres listed)',
  ];

  it('reads quoted titles with commas and doubled quotes, in LF, CRLF, with a BOM or no final newline', async () => {
    for (const text of [
      `${FIRST_FIVE.join('\n')}\n`,
      `${FIRST_FIVE.join('\r\n')}\r\n`,
      `\uFEFF${FIRST_FIVE.join('\r\n')}`,
      `\n\n${FIRST_FIVE.join('\n\n')}\n\n`,
    ]) {
      const { movies } = await parse(text, { chunkBytes: 9 });
      expect(movies.count).toBe(5);
      expect(movies.titles).toEqual([
        'Toy Story (1995)',
        'Jumanji (1995)',
        'Grumpier Old Men (1995)',
        'American President, The (1995)',
        'Shawshank "Redemption" (1994)',
      ]);
      expect(Array.from(movies.movieIds)).toEqual([1, 2, 3, 11, 5021]);
      expect(Array.from(movies.years)).toEqual([1995, 1995, 1995, 1995, 1994]);
      expect(movies.genreNames).toEqual(['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy', 'Romance', 'Drama']);
      expect(Array.from(movies.genreMasks)).toEqual([0b11111, 0b10101, 0b101000, 0b1101000, 0]);
    }
  });

  it('gives identical results for a non-ASCII title split at every byte', async () => {
    const text = `${MOVIES_CSV_HEADER}\n4973,"Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)",Comedy|Romance\n73,"Misérables, Les (1995)",Drama|War\n`;
    const bytes = new TextEncoder().encode(text);
    const whole = new MoviesCsvParser({ fileName: 'movies.csv' });
    whole.push(bytes);
    const expected = whole.finish();
    expect(expected.movies.titles[0]).toBe("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)");
    for (let cut = 0; cut <= bytes.length; cut++) {
      const parser = new MoviesCsvParser({ fileName: 'movies.csv' });
      parser.push(bytes.subarray(0, cut));
      parser.push(bytes.subarray(cut));
      expect(parser.finish(), `cut at byte ${cut}`).toEqual(expected);
    }
    for (let chunkBytes = 1; chunkBytes <= 8; chunkBytes++) {
      expect(await parse(bytes, { chunkBytes })).toEqual(expected);
    }
  });

  it('keeps a title with a newline inside quotes and numbers later lines right', async () => {
    const text = `${MOVIES_CSV_HEADER}\n1,"Two\nLines (2000)",Drama\n2,Fine (2001),Drama\nx,Bad,Drama\n`;
    expect((await parse(text, { skipBadLines: true })).movies.titles).toEqual(['Two\nLines (2000)', 'Fine (2001)']);
    expect((await problemOf(text, { chunkBytes: 5 })).line).toBe(5);
  });

  it('reports progress per chunk and stops when cancelled', async () => {
    const text = `${FIRST_FIVE.join('\n')}\n`;
    const done: number[] = [];
    await parse(text, { chunkBytes: 50, onProgress: (d, total) => done.push(total - d) });
    expect(done).toHaveLength(Math.ceil(text.length / 50));
    expect(done[done.length - 1]).toBe(0);
    const check = () => {
      throw new CancelledError();
    };
    await expect(parse(text, { check })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('parseMoviesCsv errors', () => {
  const H = MOVIES_CSV_HEADER;

  it.each([
    [`1,Toy Story (1995),Comedy\n`, 1, `the header "${H}"`, '"1,Toy Story (1995),Comedy"'],
    [`\n\nmovie,title,genre\n`, 3, `the header "${H}"`, '"movie,title,genre"'],
    [`${H}\nabc,Heat (1995),Action\n`, 2, 'a movieId that is a whole number', '"abc"'],
    [`${H}\n1.5,Heat (1995),Action\n`, 2, 'a movieId that is a whole number', '"1.5"'],
    [`${H}\n3000000000,Heat (1995),Action\n`, 2, 'a movieId no larger than 2,147,483,647 (ids are stored as 32-bit integers)', '"3000000000"'],
    [`${H}\n1,Heat (1995),Action\n2,X,Drama\n1,Heat again,Drama\n`, 4, 'each movieId once', 'movieId 1 again (first on line 2)'],
    [
      `${H}\n1,"Heat (1995)",Action\n\n2,American President, The (1995),Drama\n`,
      4,
      `3 comma-separated fields (${H}), with quotes around a title that has a comma`,
      '4 in "2,American President, The (1995),Drama"',
    ],
    [`${H}\n1,"Multi\nline",Drama\n2,Heat\n`, 4, `3 comma-separated fields (${H}), with quotes around a title that has a comma`, '2 in "2,Heat"'],
    [`${H}\n1,"Heat" (1995),Action\n`, 2, 'a quoted field to end with a quote before the next comma', '"1,"Heat" (1995),Action"'],
  ])('%j fails on line %i', async (text, line, expected, found) => {
    for (const chunkBytes of [3, 1 << 20]) {
      const problem = await problemOf(text, { chunkBytes });
      expect(problem).toMatchObject({ kind: 'parse', file: 'movies.csv', line, expected });
      expect(problem.message).toBe(`movies.csv, line ${line}: expected ${expected}, found ${found}`);
    }
  });

  it('skips bad lines when asked, keeping the first of a duplicated movieId', async () => {
    const text = `${H}\n1,Heat (1995),Action\nx,Bad,Drama\n1,Heat again,Drama\n2,Ok (2000),Drama\n3,Too,Many,Fields\n`;
    const { movies, skipped, problems } = await parse(text, { skipBadLines: true });
    expect(movieRows(movies).map((m) => [m.id, m.title])).toEqual([
      [1, 'Heat (1995)'],
      [2, 'Ok (2000)'],
    ]);
    expect(skipped).toBe(3);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 6]);
  });

  it('still refuses a missing header when skipping bad lines', async () => {
    expect((await problemOf('1,Heat (1995),Action\n', { skipBadLines: true })).line).toBe(1);
  });

  it('calls an empty file empty', async () => {
    expect((await problemOf('')).kind).toBe('empty');
    expect((await problemOf('\r\n\n')).kind).toBe('empty');
  });

  it('refuses more than 32 distinct genres as a format problem', async () => {
    const lines = [H, ...Array.from({ length: 33 }, (_, i) => `${i + 1},Movie ${i},G${i}`)];
    const problem = await problemOf(lines.join('\n'));
    expect(problem).toMatchObject({ kind: 'format', line: 34 });
    expect(problem.message).toContain('at most 32 distinct genres');
    const ok = await parse(lines.slice(0, 33).join('\n'));
    expect(ok.movies.genreMasks[31]).toBe(2 ** 31);
  });
});
