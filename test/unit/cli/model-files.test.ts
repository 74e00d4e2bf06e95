import { mkdirSync, mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/latentlens.ts';
import { readModelFile } from '../../../src/lib/cache/read-model-file';
import type { AppRecommender } from '../../../src/lib/recommend/app-recommender';
import { releaseFiles, RELEASE_FOLDER } from '../../support/fixtures';
import { sparkFactorsParquet } from '../../support/spark-parquet';

const dir = mkdtempSync(join(tmpdir(), 'latentlens-model-files-'));
for (const f of releaseFiles('ml-latest-small')) {
  mkdirSync(dirname(join(dir, f.name)), { recursive: true });
  writeFileSync(join(dir, f.name), f.bytes);
}
const release = join(dir, RELEASE_FOLDER['ml-latest-small']);
const modelFile = join(dir, 'model.latentlens');
const mine = join(dir, 'mine.csv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    const code = await main(argv, (s) => (out += s));
    return { code, out, err };
  } finally {
    spy.mockRestore();
  }
}

let built: { code: number; out: string };
beforeAll(async () => {
  built = await run(['build', release, '--out', modelFile, '--json']);
  writeFileSync(mine, 'movieId,rating\n1,5\n2,4\n3,4.5\n');
});

describe('latentlens build --out, then similar and recommend --model (no release needed)', () => {
  it('writes the file and says where and how big', () => {
    expect(built.code).toBe(0);
    const { modelFile: saved } = JSON.parse(built.out);
    expect(saved.file).toBe(modelFile);
    expect(saved.fileBytes).toBeGreaterThan(1000);
  });

  it('similar --model gives the list the release gives', async () => {
    const fromFile = await run(['similar', '--model', modelFile, '--title', 'Toy Story', '--json']);
    const fromRelease = await run(['similar', release, '--title', 'Toy Story', '--json']);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.out).similar).toEqual(JSON.parse(fromRelease.out).similar);
  });

  it('recommend --model gives the list the release gives', async () => {
    const fromFile = await run(['recommend', '--model', modelFile, '--ratings', mine, '--json']);
    const fromRelease = await run(['recommend', release, '--ratings', mine, '--json']);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.out).items).toEqual(JSON.parse(fromRelease.out).items);
  });

  it('a damaged file: exit 1 and the reason on stderr', async () => {
    const bytes = new Uint8Array(await (await openAsBlob(modelFile)).arrayBuffer());
    const cut = join(dir, 'cut.latentlens');
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const { code, err } = await run(['similar', '--model', cut, '--title', 'Toy Story']);
    expect(code).toBe(1);
    expect(err).toMatch(/cut\.latentlens is not a complete zip archive: its end is missing/);
  });
});

describe('latentlens similar and recommend --factors (Spark ALS item factors, Parquet)', () => {
  let factorsDir: string;
  beforeAll(async () => {
    // The factors of the built model, written as Spark writes them: a folder of part files.
    const { model } = await readModelFile(await openAsBlob(modelFile), 'model.latentlens');
    const rec = model.recommender as Extract<AppRecommender, { kind: 'ials' }>;
    const ids = Array.from(model.movies.ids);
    const features = ids.map((_, i) => Array.from(rec.movieFactors.subarray(i * rec.factors, (i + 1) * rec.factors)));
    factorsDir = join(dir, 'item-factors.parquet');
    mkdirSync(factorsDir);
    writeFileSync(join(factorsDir, 'part-00000.snappy.parquet'), new Uint8Array(sparkFactorsParquet(ids.slice(0, 20), features.slice(0, 20))));
    writeFileSync(join(factorsDir, 'part-00001.snappy.parquet'), new Uint8Array(sparkFactorsParquet(ids.slice(20), features.slice(20))));
    writeFileSync(join(factorsDir, '_SUCCESS'), '');
  });

  it('similar: Movies like this by the cosine of the factors, titles from the release', async () => {
    const { code, out } = await run(['similar', release, '--factors', factorsDir, '--title', 'Toy Story', '--k', '5', '--json']);
    expect(code).toBe(0);
    const { movie, similar } = JSON.parse(out);
    expect(movie.title).toBe('Toy Story (1995)');
    expect(similar.length).toBeGreaterThan(0);
    expect(similar.length).toBeLessThanOrEqual(5);
    expect(similar.every((m: { similarity: number }) => m.similarity > 0 && m.similarity <= 1)).toBe(true);
  });

  it('recommend: the ratings folded into the factors', async () => {
    const { code, out } = await run(['recommend', release, '--factors', factorsDir, '--ratings', mine, '--limit', '5', '--json']);
    expect(code).toBe(0);
    const { source, items } = JSON.parse(out);
    expect(source).toBe('ials');
    expect(items).toHaveLength(5);
  });

  it('without the release: exit 2, saying the titles need it', async () => {
    const { code, err } = await run(['similar', '--factors', factorsDir, '--title', 'Toy Story']);
    expect(code).toBe(2);
    expect(err).toMatch(/need the release the model was trained on/);
  });
});
