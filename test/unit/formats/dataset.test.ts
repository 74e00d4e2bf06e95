import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseDatasetGenome, parseDatasetMovies, parseDatasetRatings } from '../../../src/lib/formats/dataset';
import type { RatingsParseResult } from '../../../src/lib/formats/ratings-csv';
import { detectDataset, expandInputs, type DatasetFiles, type InputFile } from '../../../src/lib/pipeline/input-files';
import { InputError, type InputProblem, type MoviesTable } from '../../../src/lib/types';
import {
  AMELIE_TITLE,
  FIXTURE_GENOME_TAGS,
  FIXTURE_MOVIES,
  genomeRelevance,
  inputFile,
  RELEASE_FOLDER,
  RELEASES,
  releaseFiles,
  releaseGenres,
  releaseRatings,
  toInputFiles,
  zipFixture,
  type Release,
} from '../../support/fixtures';

function rowSet(result: RatingsParseResult): string[] {
  const rows: string[] = [];
  for (const b of result.batches) for (let i = 0; i < b.count; i++) rows.push(`${b.userIds[i]},${b.movieIds[i]},${b.ratings[i]},${b.timestamps[i]}`);
  return rows.sort();
}

function expectedRowSet(release: Release): string[] {
  return releaseRatings(release)
    .map((r) => r.join(','))
    .sort();
}

function movieList(table: MoviesTable): { id: number; title: string; genres: string[] }[] {
  return Array.from({ length: table.count }, (_, i) => ({
    id: table.movieIds[i],
    title: table.titles[i],
    genres: table.genreNames.filter((_, g) => (table.genreMasks[i] >>> g) & 1).sort(),
  })).sort((a, b) => a.id - b.id);
}

function expectedMovies(release: Release) {
  return FIXTURE_MOVIES.map((m) => ({ id: m.id, title: m.title, genres: releaseGenres(release, m).sort() })).sort((a, b) => a.id - b.id);
}

async function parseAll(ds: DatasetFiles) {
  const ratings = await parseDatasetRatings(ds, {});
  const movies = await parseDatasetMovies(ds, {});
  return { ratings: rowSet(ratings), movies: movies ? movieList(movies.movies) : undefined };
}

async function problemOf(run: () => Promise<unknown>): Promise<InputProblem> {
  try {
    await run();
  } catch (e) {
    if (e instanceof InputError) return e.problem;
    throw e;
  }
  throw new Error('expected an InputError');
}

const FORMAT: Record<Release, DatasetFiles['format']> = {
  'ml-100k': 'ml-100k',
  'ml-1m': 'dat',
  'ml-10m': 'dat',
  'ml-latest-small': 'csv',
  'ml-25m': 'csv',
};

describe.each(RELEASES)('%s', (release) => {
  const folder = RELEASE_FOLDER[release];

  it('is detected from its loose files and parses to the underlying ratings, titles and genres', async () => {
    const ds = await detectDataset(toInputFiles(releaseFiles(release)));
    expect(ds.format).toBe(FORMAT[release]);
    expect(ds.ratings.name).toMatch(new RegExp(`^${folder}/(ratings\\.(csv|dat)|u\\.data)$`));
    const parsed = await parseAll(ds);
    expect(parsed.ratings).toEqual(expectedRowSet(release));
    expect(parsed.movies).toEqual(expectedMovies(release));
  });

  it('gives the same result from its zip (top-level folder, Finder litter) as from the loose files', async () => {
    const files = releaseFiles(release, { folder: false });
    const zip = zipFixture(files, { folder, macJunk: true });
    const expanded = await expandInputs([inputFile(`${release}.zip`, zip)], { keepGenome: true });
    expect(expanded.every((f) => f.name.startsWith(`${folder}/`))).toBe(true);
    expect(expanded.some((f) => f.name.includes('__MACOSX') || f.name.endsWith('.DS_Store') || f.name.endsWith('/'))).toBe(false);
    const fromZip = await parseAll(await detectDataset(expanded));
    const loose = await parseAll(await detectDataset(toInputFiles(releaseFiles(release))));
    expect(fromZip).toEqual(loose);
  });
});

describe('detectDataset', () => {
  it('lists the ML-100k evaluation splits and ignores the files the model does not use', async () => {
    const ds = await detectDataset(toInputFiles(releaseFiles('ml-100k')));
    expect(ds.splits?.map((f) => f.name.split('/')[1])).toEqual([
      'u1.base',
      'u1.test',
      'u2.base',
      'u2.test',
      'u3.base',
      'u3.test',
      'u4.base',
      'u4.test',
      'u5.base',
      'u5.test',
      'ua.base',
      'ua.test',
      'ub.base',
      'ub.test',
    ]);
    expect(ds.movies?.name).toBe('ml-100k/u.item');
    expect(ds.ignored.sort()).toEqual(['ml-100k/README', 'ml-100k/u.genre', 'ml-100k/u.info', 'ml-100k/u.user']);
  });

  it('keeps the genome, tags and links of the CSV releases', async () => {
    const ds = await detectDataset(toInputFiles(releaseFiles('ml-25m')));
    expect(ds.genomeScores?.name).toBe('ml-25m/genome-scores.csv');
    expect(ds.genomeTags?.name).toBe('ml-25m/genome-tags.csv');
    expect(ds.links?.name).toBe('ml-25m/links.csv');
    expect(ds.ignored.sort()).toEqual(['ml-25m/README.txt']);
    expect(ds.tags?.name).toBe('ml-25m/tags.csv');
    const genome = await parseDatasetGenome(ds);
    expect(genome!.tags.tags).toEqual(FIXTURE_GENOME_TAGS);
    expect(genome!.scores.count).toBe(FIXTURE_MOVIES.length * FIXTURE_GENOME_TAGS.length);
    expect(genome!.scores.movieIds[7]).toBe(FIXTURE_MOVIES[1].id);
    expect(genome!.scores.tagIds[7]).toBe(3);
    expect(genome!.scores.relevance[7]).toBe(Math.fround(genomeRelevance(1, 2)));
  });

  it('matches base names case-insensitively in any folder depth', async () => {
    const files = releaseFiles('ml-1m', { folder: false }).map((f) => ({ ...f, name: `Downloads/MovieLens/ML-1M/${f.name.toUpperCase()}` }));
    const ds = await detectDataset(toInputFiles(files));
    expect(ds.format).toBe('dat');
    expect(ds.ratings.name).toBe('Downloads/MovieLens/ML-1M/RATINGS.DAT');
    expect((await parseAll(ds)).ratings).toEqual(expectedRowSet('ml-1m'));
  });

  it('finds the files by content when their names say nothing', async () => {
    const byName = Object.fromEntries(releaseFiles('ml-100k', { folder: false }).map((f) => [f.name, f.bytes]));
    const ds = await detectDataset([inputFile('data.txt', byName['u.data']), inputFile('films', byName['u.item'])]);
    expect(ds.format).toBe('ml-100k');
    expect(ds.ratings.name).toBe('data.txt');
    expect(ds.movies?.name).toBe('films');
    expect((await parseAll(ds)).movies).toEqual(expectedMovies('ml-100k'));

    const dat = await detectDataset([inputFile('export.txt', '1::1193::5::978300760\n1::661::3::978302109\n')]);
    expect(dat).toMatchObject({ format: 'dat', ratings: { name: 'export.txt' } });
    expect(await detectDataset([inputFile('r', '1,31,2.5,1260759144\n')])).toMatchObject({ format: 'csv' });
    expect(await detectDataset([inputFile('notes.txt', 'userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n')])).toMatchObject({ format: 'csv' });
  });

  it('trusts the content over the name: u.data renamed to ratings.csv is still tab-separated', async () => {
    const ds = await detectDataset([inputFile('ratings.csv', '196\t242\t3\t881250949\n186\t302\t3\t891717742\n')]);
    expect(ds.format).toBe('ml-100k');
    expect((await parseDatasetRatings(ds)).rows).toBe(2);
  });

  it('reports the movies encoding: ISO-8859-1 for ML-1M and ML-100k, UTF-8 for ML-10M', async () => {
    expect((await detectDataset(toInputFiles(releaseFiles('ml-1m')))).encoding).toBe('latin1');
    expect((await detectDataset(toInputFiles(releaseFiles('ml-100k')))).encoding).toBe('latin1');
    expect((await detectDataset(toInputFiles(releaseFiles('ml-10m')))).encoding).toBe('utf-8');
  });

  it('reads "Amélie" from the ISO-8859-1 byte 0xE9 of ML-1M movies.dat', async () => {
    const files = releaseFiles('ml-1m');
    const moviesDat = files.find((f) => f.name.endsWith('movies.dat'))!;
    expect(moviesDat.bytes.includes(0xe9)).toBe(true);
    const ds = await detectDataset(toInputFiles(files));
    const movies = (await parseDatasetMovies(ds))!.movies;
    expect(movies.titles[movies.movieIds.indexOf(4973)]).toBe(AMELIE_TITLE);
    // Without the detected encoding, the same bytes would not decode as UTF-8.
    const asUtf8 = (await parseDatasetMovies({ ...ds, encoding: 'utf-8' }))!.movies;
    expect(asUtf8.titles[asUtf8.movieIds.indexOf(4973)]).not.toBe(AMELIE_TITLE);
  });

  it('names a PNG given as ratings.csv', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    const problem = await problemOf(() => detectDataset([inputFile('ratings.csv', png)]));
    expect(problem).toMatchObject({ kind: 'format', file: 'ratings.csv', found: 'a PNG image' });
    expect(problem.message).toContain('ratings.csv is a PNG image');
  });

  it('names a spreadsheet, and does not unpack it as a zip', async () => {
    const xlsx = zipSync({ '[Content_Types].xml': new TextEncoder().encode('<Types/>'), 'xl/workbook.xml': new TextEncoder().encode('<workbook/>') });
    const inputs = await expandInputs([inputFile('ratings.xlsx', xlsx)]);
    expect(inputs.map((f) => f.name)).toEqual(['ratings.xlsx']);
    const problem = await problemOf(() => detectDataset(inputs));
    expect(problem).toMatchObject({ kind: 'format', file: 'ratings.xlsx' });
    expect(problem.message).toContain('ratings.xlsx is an Excel workbook (XLSX)');
    expect(problem.message).toContain('ratings.csv, ratings.dat or u.data');
  });

  it('names random bytes as binary data', async () => {
    let seed = 1;
    const noise = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    const problem = await problemOf(() => detectDataset([inputFile('download.bin', noise)]));
    expect(problem).toMatchObject({ kind: 'format', file: 'download.bin' });
    expect(problem.message).toContain('download.bin is binary data');
  });

  it('says what it expected when no ratings file is among the files', async () => {
    const problem = await problemOf(() =>
      detectDataset([inputFile('movies.csv', 'movieId,title,genres\n1,Heat (1995),Action\n'), inputFile('notes.txt', 'hello\n')]),
    );
    expect(problem).toMatchObject({ kind: 'format', file: 'movies.csv, notes.txt' });
    expect(problem.message).toContain('No ratings file among the files given (movies.csv, notes.txt');
    expect(problem.expected).toContain('ratings.csv, ratings.dat or u.data');
    expect((await problemOf(() => detectDataset([]))).message).toContain('no files');
  });

  it('refuses two releases at once', async () => {
    const files = [...toInputFiles(releaseFiles('ml-1m')), ...toInputFiles(releaseFiles('ml-latest-small'))];
    const problem = await problemOf(() => detectDataset(files));
    expect(problem.kind).toBe('format');
    expect(problem.message).toContain('ml-1m/ratings.dat, ml-latest-small/ratings.csv');
  });
});

describe('expandInputs', () => {
  it('leaves the genome packed unless asked (tags.csv for the hybrid and links.csv for imports are unpacked), and reports progress over the zip bytes', async () => {
    const zip = zipFixture(releaseFiles('ml-25m', { folder: false }), { folder: 'ml-25m' });
    const seen: [number, number][] = [];
    const inputs = await expandInputs([inputFile('ml-25m.zip', zip)], { onProgress: (d, t) => seen.push([d, t]) });
    expect(inputs.map((f) => f.name).sort()).toEqual(['ml-25m/links.csv', 'ml-25m/movies.csv', 'ml-25m/ratings.csv', 'ml-25m/tags.csv']);
    expect(seen.at(-1)).toEqual([zip.length, zip.length]);
    const ds = await detectDataset(inputs);
    expect(ds.genomeScores).toBeUndefined();
  });

  it('passes loose files through and unpacks several zips side by side', async () => {
    const loose: InputFile = inputFile('notes.txt', 'x');
    const a = zipFixture(releaseFiles('ml-1m', { folder: false }), { folder: 'ml-1m' });
    const out = await expandInputs([loose, inputFile('ml-1m.zip', a)]);
    expect(out[0]).toBe(loose);
    expect(out.map((f) => f.name).sort()).toEqual(['ml-1m/movies.dat', 'ml-1m/ratings.dat', 'notes.txt']);
  });
});
