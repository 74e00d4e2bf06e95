/**
 * The command line with a person's own exports: `recommend --ratings` takes Letterboxd and IMDb
 * files (matched against the release, the summary on stderr), `--csv` writes the list as CSV, and
 * `export-ratings` converts to MovieLens or Letterboxd format, which reads back the same.
 * Over the 20-movie ml-latest-small fixture, which has links.csv.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/latentlens.ts';
import { FIXTURE_MOVIES, releaseFiles } from '../../support/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'latentlens-personal-'));
for (const f of releaseFiles('ml-latest-small')) {
  mkdirSync(dirname(join(dir, f.name)), { recursive: true });
  writeFileSync(join(dir, f.name), f.bytes);
}
const release = join(dir, 'ml-latest-small');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

const letterboxd = file(
  'letterboxd-ratings.csv',
  [
    'Date,Name,Year,Letterboxd URI,Rating',
    '2020-01-01,Toy Story,1995,u,5',
    '2020-01-02,Heat,1995,u,4.5',
    '2020-01-03,The American President,1995,u,4',
    '2020-01-04,Se7en,1995,u,3.5',
    '2020-01-05,Qwxzv Plorkt,2011,u,2',
  ].join('\n'),
);
// The fixture's links.csv gives movie m the IMDb id 114709 + m and the TMDb id 862 + m.
const imdb = file(
  'imdb-ratings.csv',
  [
    'Const,Your Rating,Date Rated,Title,Year',
    'tt0114710,10,2020-01-01,Toy Story,1995',
    'tt0114715,9,2020-01-02,Heat,1995',
    'tt0114725,8,2020-01-03,Casino,1995',
  ].join('\r\n'),
);

let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, (s) => (out += s));
  return { code, out };
}

describe('latentlens recommend --ratings with exports from elsewhere', () => {
  it("Letterboxd's ratings.csv: matched by title, the summary on stderr, rated movies not recommended", async () => {
    const { code, out } = await run(['recommend', release, '--ratings', letterboxd, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { items: { movieId: number }[]; imported: { matchedByTitle: number; notFound: number } };
    expect(result.imported).toMatchObject({ matchedByTitle: 4, notFound: 1 });
    expect(result.items.map((m) => m.movieId)).not.toContain(1);
    expect(stderr).toContain('Letterboxd ratings, 5 lines');
    expect(stderr).toContain('Matched 4 films of 5');
    expect(stderr).toContain('Qwxzv Plorkt (2011)');
  });

  it("IMDb's export: matched by IMDb id through links.csv", async () => {
    const { code, out } = await run(['recommend', release, '--ratings', imdb, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).imported).toMatchObject({ matched: 3, matchedByTitle: 0 });
  });

  it('--csv writes the recommendations as CSV', async () => {
    const { code, out } = await run(['recommend', release, '--ratings', imdb, '--csv', '--limit', '5']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('rank,movieId,imdbId,title,year,score,because');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^1,\d+,tt\d{7},/);
  });

  it('the old movieId,rating lines still work', async () => {
    const { code } = await run(['recommend', release, '--ratings', file('mine.csv', '1,4.5\n6,3\n16,5\n')]);
    expect(code).toBe(0);
    expect(stderr).toContain('3 by id');
  });

  it('a file that is no ratings export: exit 1, the file and what was expected', async () => {
    const { code } = await run(['recommend', release, '--ratings', file('notes.csv', 'a,b,c\n1,2,3\n')]);
    expect(code).toBe(1);
    expect(stderr).toContain('notes.csv, line 1');
    expect(stderr).toContain('Letterboxd');
  });

  it('a missing file: exit 1 naming it', async () => {
    const { code } = await run(['recommend', release, '--ratings', join(dir, 'nope.csv')]);
    expect(code).toBe(1);
    expect(stderr).toContain('nope.csv: no such file');
  });
});

describe('latentlens export-ratings', () => {
  it('--to movielens writes movieId,rating,timestamp, which reads back with no change', async () => {
    const first = await run(['export-ratings', release, '--ratings', letterboxd]);
    expect(first.code).toBe(0);
    expect(first.out.split('\n')[0]).toBe('movieId,rating,timestamp');
    expect(first.out).toContain(`1,5.0,${Date.UTC(2020, 0, 1) / 1000}`);
    const again = await run(['export-ratings', release, '--ratings', file('export.csv', first.out)]);
    expect(again.out).toBe(first.out);
  });

  it("--to letterboxd writes Letterboxd's import format with IMDb ids", async () => {
    const { code, out } = await run(['export-ratings', release, '--ratings', imdb, '--to', 'letterboxd']);
    expect(code).toBe(0);
    const title = (id: number) => FIXTURE_MOVIES.find((m) => m.id === id)!.title.replace(/ \(\d{4}\)$/, '');
    expect(out).toBe(
      `imdbID,tmdbID,Title,Year,Rating10\ntt0114710,863,${title(1)},1995,10\ntt0114715,868,${title(6)},1995,9\ntt0114725,878,${title(16)},1995,8\n`,
    );
  });

  it('refuses an unknown --to (exit 2)', async () => {
    expect((await run(['export-ratings', release, '--ratings', imdb, '--to', 'excel'])).code).toBe(2);
  });
});
