import { describe, expect, it } from 'vitest';
import { isMl100kSplitName, ML100K_GENRES, parseUData, parseUItem } from '../../../src/lib/formats/ml-100k';
import { InputError, type InputProblem } from '../../../src/lib/types';
import { latin1 } from '../../support/fixtures';

async function problemOf(run: () => Promise<unknown>): Promise<InputProblem> {
  try {
    await run();
  } catch (e) {
    if (e instanceof InputError) return e.problem;
    throw e;
  }
  throw new Error('expected an InputError');
}

const flags = (...on: number[]) => ML100K_GENRES.map((_, i) => (on.includes(i) ? 1 : 0)).join('|');

describe('parseUData', () => {
  it('reads the tab-separated lines of u.data and its splits', async () => {
    const r = await parseUData(new Blob(['196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n']), { fileName: 'u1.base', chunkBytes: 4 });
    expect(r.rows).toBe(3);
    const b = r.batches[0];
    expect([b.userIds[2], b.movieIds[2], b.ratings[2], b.timestamps[2]]).toEqual([22, 377, 1, 878887116]);
  });

  it('names a line with spaces instead of tabs', async () => {
    const problem = await problemOf(() => parseUData(new Blob(['196\t242\t3\t881250949\n186 302 3 891717742\n']), { fileName: 'u.data' }));
    expect(problem).toMatchObject({ file: 'u.data', line: 2, found: '186 302 3 891717742' });
    expect(problem.expected).toContain('4 tab-separated fields');
  });
});

describe('parseUItem', () => {
  const line = (id: number, title: string, ...on: number[]) => `${id}|${title}|01-Jan-1995||http://us.imdb.com/M/title-exact?x|${flags(...on)}`;

  it('turns the 19 flags into genres, "unknown" excepted, and decodes ISO-8859-1', async () => {
    const text = [line(1, 'Toy Story (1995)', 3, 4, 5), line(267, 'unknown', 0), line(1300, 'Misérables, Les (1995)', 8, 12)].join('\n') + '\n';
    const r = await parseUItem(new Blob([latin1(text)]), { fileName: 'u.item', encoding: 'latin1' });
    expect(r.movies.titles).toEqual(['Toy Story (1995)', 'unknown', 'Misérables, Les (1995)']);
    expect(r.movies.genreNames).toEqual(['Animation', "Children's", 'Comedy', 'Drama', 'Musical']);
    expect(Array.from(r.movies.genreMasks)).toEqual([0b111, 0, 0b11000]);
    expect(Array.from(r.movies.years)).toEqual([1995, 0, 1995]);
  });

  it('names a flag that is not 0 or 1, and a line with too few fields', async () => {
    const bad = line(1, 'Heat (1995)', 1).replace(/\|0$/, '|2');
    const flag = await problemOf(() => parseUItem(new Blob([bad]), { fileName: 'u.item' }));
    expect(flag).toMatchObject({ line: 1, expected: 'genre flags of 0 or 1 (Western)', found: `${bad.slice(0, 79)}…` });
    expect(flag.message).toBe('u.item, line 1: expected genre flags of 0 or 1 (Western), found "2"');
    const short = await problemOf(() => parseUItem(new Blob(['1|Heat (1995)|0|1\n']), { fileName: 'u.item' }));
    expect(short.message).toBe(
      'u.item, line 1: expected 24 "|"-separated fields (movie id|title|release date|video release date|IMDb URL|19 genre flags), found 4 in "1|Heat (1995)|0|1"',
    );
  });
});

describe('isMl100kSplitName', () => {
  it('knows u1..u5 and ua/ub, base and test, and nothing else', () => {
    expect(['u1.base', 'u5.test', 'ua.base', 'UB.TEST'].every(isMl100kSplitName)).toBe(true);
    expect(['u6.base', 'u.data', 'uc.test', 'u1.bases'].some(isMl100kSplitName)).toBe(false);
  });
});
