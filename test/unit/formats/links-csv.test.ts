import { describe, expect, it } from 'vitest';
import { parseLinksCsv } from '../../../src/lib/formats/links-csv';
import { InputError } from '../../../src/lib/types';

describe('parseLinksCsv', () => {
  it('reads imdbId as a number (leading zeros dropped) and an empty tmdbId as 0', () => {
    const { links } = parseLinksCsv('\uFEFFmovieId,imdbId,tmdbId\r\n1,0114709,862\r\n2,10872600,\r\n', 'links.csv');
    expect([...links.movieIds]).toEqual([1, 2]);
    expect([...links.imdbIds]).toEqual([114709, 10872600]);
    expect([...links.tmdbIds]).toEqual([862, 0]);
  });

  it('names the file, line and column of a bad id', () => {
    try {
      parseLinksCsv('movieId,imdbId,tmdbId\n1,0114709,862\n2,tt0113497,8844\n', 'links.csv');
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).problem).toMatchObject({ kind: 'parse', file: 'links.csv', line: 3, column: 'imdbId' });
    }
  });

  it('skips bad lines when asked', () => {
    const r = parseLinksCsv('movieId,imdbId,tmdbId\n1,x,862\n2,0113497,8844\n', 'links.csv', { skipBadLines: true });
    expect(r.skipped).toBe(1);
    expect(r.links.count).toBe(1);
  });

  it('refuses another header and an empty file', () => {
    expect(() => parseLinksCsv('movieId,title,genres\n', 'links.csv')).toThrow(/movieId,imdbId,tmdbId/);
    expect(() => parseLinksCsv('', 'links.csv')).toThrow(/empty/);
  });
});
