import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { MAX_IMPORT_BYTES, readImportFiles } from '../../../src/lib/personal/import-files';
import { InputError, type InputProblem } from '../../../src/lib/types';
import { inputFile } from '../../support/fixtures';

const enc = (s: string) => new TextEncoder().encode(s);

async function problemOf(run: () => Promise<unknown>): Promise<InputProblem> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error.problem;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** Letterboxd's export zip, as it unpacks: the files at the top, copies under deleted/ and orphaned/, other files beside. */
function letterboxdZip(): Uint8Array<ArrayBuffer> {
  return zipSync({
    'profile.csv': enc('Date Joined,Username\n2019-01-01,me\n'),
    'ratings.csv': enc('Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Heat,1995,u,4\n'),
    'diary.csv': enc('Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n2020-01-01,Heat,1995,u,4,,,2020-01-01\n'),
    'watched.csv': enc('Date,Name,Year,Letterboxd URI\n2020-01-01,Heat,1995,u\n2020-01-02,Casino,1995,u\n'),
    'watchlist.csv': enc('Date,Name,Year,Letterboxd URI\n2020-01-03,Ran,1985,u\n'),
    'reviews.csv': enc('Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n'),
    'deleted/ratings.csv': enc('Date,Name,Year,Letterboxd URI,Rating\n2018-01-01,Deleted Film,1990,u,1\n'),
    'likes/films.csv': enc('Date,Name,Year,Letterboxd URI\n2020-01-01,Heat,1995,u\n'),
  }) as Uint8Array<ArrayBuffer>;
}

describe('readImportFiles', () => {
  it("takes ratings.csv, diary.csv and watched.csv from the top of Letterboxd's zip, nothing else", async () => {
    const parsed = await readImportFiles([inputFile('letterboxd-me-2024.zip', letterboxdZip())]);
    expect(parsed.map((p) => [p.file, p.source, p.films.length])).toEqual([
      ['letterboxd-me-2024.zip/ratings.csv', 'letterboxd-ratings', 1],
      ['letterboxd-me-2024.zip/diary.csv', 'letterboxd-diary', 1],
      ['letterboxd-me-2024.zip/watched.csv', 'letterboxd-watched', 2],
    ]);
  });

  it('reads loose files side by side, each by its own header', async () => {
    const parsed = await readImportFiles([
      inputFile('ratings.csv', 'Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Heat,1995,u,4\n'),
      inputFile('imdb.csv', 'Const,Your Rating,Date Rated,Title,Year\ntt0113277,8,2020-01-01,Heat,1995\n'),
    ]);
    expect(parsed.map((p) => p.source)).toEqual(['letterboxd-ratings', 'imdb']);
  });

  it('reads a zip holding a single ratings file whatever its name', async () => {
    const zip = zipSync({
      'export/my ratings.csv': enc('Const,Your Rating,Date Rated,Title,Year\ntt0113277,8,2020-01-01,Heat,1995\n'),
    }) as Uint8Array<ArrayBuffer>;
    const [parsed] = await readImportFiles([inputFile('imdb.zip', zip)]);
    expect(parsed.source).toBe('imdb');
    expect(parsed.file).toBe('imdb.zip/export/my ratings.csv');
  });

  it('refuses a zip that is neither, naming what is inside', async () => {
    const zip = zipSync({ 'a.csv': enc('x\n'), 'b.csv': enc('y\n') }) as Uint8Array<ArrayBuffer>;
    const p = await problemOf(() => readImportFiles([inputFile('stuff.zip', zip)]));
    expect(p).toMatchObject({ kind: 'format', file: 'stuff.zip' });
    expect(p.message).toContain('a.csv, b.csv');
  });

  it('refuses a MovieLens release zip given as ratings: several users', async () => {
    const zip = zipSync({
      'ml-latest-small/ratings.csv': enc('userId,movieId,rating,timestamp\n1,1,4.0,964982703\n2,1,3.0,964982703\n'),
      'ml-latest-small/movies.csv': enc('movieId,title,genres\n1,Toy Story (1995),Comedy\n'),
    }) as Uint8Array<ArrayBuffer>;
    const p = await problemOf(() => readImportFiles([inputFile('ml-latest-small.zip', zip)]));
    expect(p.message).toContain('2 people');
  });

  it('refuses a file larger than a ratings export before reading it', async () => {
    const big = { name: 'huge.csv', blob: new Blob([new Uint8Array(MAX_IMPORT_BYTES + 1)]) };
    const p = await problemOf(() => readImportFiles([big]));
    expect(p).toMatchObject({ kind: 'format', file: 'huge.csv' });
    expect(p.message).toContain('too large');
  });

  it('reads a file saved as Windows-1252 (a spreadsheet on Windows)', async () => {
    const latin1 = new Uint8Array([...enc('Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Am'), 0xe9, ...enc('lie,2001,u,4\n')]);
    const [parsed] = await readImportFiles([inputFile('ratings.csv', latin1)]);
    expect(parsed.films[0].title).toBe('Amélie');
  });
});
