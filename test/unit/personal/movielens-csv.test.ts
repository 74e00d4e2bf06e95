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

const ids = (text: string) => parseRatingsText(text, 'mine.csv').films.map((f) => [f.movieId, f.rating, f.ratedAt]);

describe('MovieLens-format ratings', () => {
  it('reads movieId,rating,timestamp (our own export), an empty timestamp as unknown', () => {
    expect(ids('movieId,rating,timestamp\n1,4.0,964982703\n858,5.0,\n')).toEqual([
      [1, 4, 964982703],
      [858, 5, 0],
    ]);
  });

  it('reads movieId,rating alone, and a release-style userId,movieId,rating,timestamp of one user', () => {
    expect(ids('movieId,rating\n1,0.5\n')).toEqual([[1, 0.5, 0]]);
    expect(ids('userId,movieId,rating,timestamp\r\n7,1,4.5,964982703\r\n7,2,3,964982704\r\n')).toEqual([
      [1, 4.5, 964982703],
      [2, 3, 964982704],
    ]);
  });

  it('reads headerless lines, comma or tab separated, as the command line always has', () => {
    expect(ids('1,4.5\n50,3\n')).toEqual([
      [1, 4.5, 0],
      [50, 3, 0],
    ]);
    expect(ids('1\t4.5\t964982703\n')).toEqual([[1, 4.5, 964982703]]);
    expect(ids('9\t1\t4\t964982703\n')).toEqual([[1, 4, 964982703]]);
  });

  it('refuses a file with several userIds: a release, not one person', () => {
    const p = problemOf(() => parseRatingsText('userId,movieId,rating,timestamp\n1,1,4,964982703\n2,1,3,964982703\n', 'ratings.csv'));
    expect(p).toMatchObject({ kind: 'format', file: 'ratings.csv', column: 'userId' });
    expect(p.message).toContain('2 people');
  });

  it('rejects an empty rating, a rating off the scale and a bad movieId, naming line and column', () => {
    expect(problemOf(() => parseRatingsText('movieId,rating\n1,\n', 'm.csv'))).toMatchObject({ line: 2, column: 'rating' });
    expect(problemOf(() => parseRatingsText('movieId,rating\n1,4\n2,5.5\n', 'm.csv'))).toMatchObject({ line: 3, column: 'rating' });
    expect(problemOf(() => parseRatingsText('movieId,rating\nabc,4\n', 'm.csv'))).toMatchObject({ line: 2, column: 'movieId' });
    expect(problemOf(() => parseRatingsText('movieId,rating,timestamp\n1,4,yesterday\n', 'm.csv'))).toMatchObject({ line: 2, column: 'timestamp' });
  });

  it('a missing rating column is an error naming the column', () => {
    const p = problemOf(() => parseRatingsText('movieId,stars\n1,4\n', 'm.csv'));
    expect(p).toMatchObject({ kind: 'format', file: 'm.csv', line: 1, column: 'rating' });
    expect(p.message).toContain('m.csv, line 1, column "rating"');
    expect(p.message).toContain('movieId,rating,timestamp');
  });
});

describe('detecting the format', () => {
  it('names the header and every format it could have been when none fits', () => {
    const p = problemOf(() => parseRatingsText('\n\nfoo,bar,baz\n1,2,3\n', 'notes.csv'));
    expect(p).toMatchObject({ kind: 'format', file: 'notes.csv', line: 3, found: 'foo,bar,baz' });
    expect(p.message).toContain('Letterboxd');
    expect(p.message).toContain('IMDb');
    expect(p.message).toContain('MovieLens');
  });

  it('an empty or blank file is "empty"', () => {
    expect(problemOf(() => parseRatingsText('', 'e.csv')).kind).toBe('empty');
    expect(problemOf(() => parseRatingsText('\r\n \n', 'e.csv')).kind).toBe('empty');
  });

  it('a header alone gives no films and no error', () => {
    expect(parseRatingsText('Date,Name,Year,Letterboxd URI,Rating\n', 'r.csv').films).toEqual([]);
  });
});
