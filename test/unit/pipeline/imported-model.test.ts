import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/lib/pipeline/build-model';
import { fitRecommenderStage } from '../../../src/lib/pipeline/recommender-stage';
import { generateToMemory } from '../../../src/lib/synthetic/generate';
import { importTrainedModel } from '../../../src/lib/pipeline/import-trained-model';
import { ModelQueries } from '../../../src/lib/model/model-queries';
import { foldIn } from '../../../src/lib/recommend/fold-in';
import { tasteMap } from '../../../src/lib/explore/taste-map';
import { modelFileBlob, modelFileSource } from '../../../src/lib/cache/write-model-file';
import { readModelFile } from '../../../src/lib/cache/read-model-file';
import { neighboursDigest } from '../../../src/lib/pipeline/neighbours-digest';
import { DEFAULT_PARAMS, InputError, type Model } from '../../../src/lib/types';
import type { AppRecommender } from '../../../src/lib/recommend/app-recommender';
import { fileOf, neighbourTableParquet, sparkFactorsParquet } from '../../support/spark-parquet';
import type { InputFile } from '../../../src/lib/pipeline/input-files';

type Ials = Extract<AppRecommender, { kind: 'ials' }>;

/** A model trained here stands in for one trained by Spark: its movie factors, written in Spark's schema. */
let trained: Model;
let moviesCsv: InputFile;
/** The factors as two Spark part files, rows in shuffled order. */
let parts: InputFile[];

beforeAll(async () => {
  const data = generateToMemory({ ratings: 5_000, seed: 11 });
  moviesCsv = fileOf('ml-sample/movies.csv', data.moviesCsv as unknown as string);
  const files = { format: 'csv' as const, ratings: { name: 'ratings.csv', blob: new Blob([data.ratingsCsv]) }, movies: moviesCsv, ignored: [] };
  const { model, byMovie } = await buildModel(files, { ...DEFAULT_PARAMS, factors: 8 });
  model.recommender = await fitRecommenderStage(model.params, model.byUser!, byMovie);
  trained = model;
  const rec = model.recommender as Ials;
  const rows = Array.from({ length: rec.movies }, (_, i) => i).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101) || a - b);
  const ids = rows.map((i) => model.movies.ids[i]);
  const features = rows.map((i) => Array.from(rec.movieFactors.subarray(i * rec.factors, (i + 1) * rec.factors)));
  const half = rows.length >> 1;
  parts = [
    fileOf('item-factors.parquet/part-00000.snappy.parquet', sparkFactorsParquet(ids.slice(0, half), features.slice(0, half), { rowGroupSize: 50 })),
    fileOf('item-factors.parquet/part-00001.snappy.parquet', sparkFactorsParquet(ids.slice(half), features.slice(half))),
  ];
});

async function messageOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error.problem.message;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('a model trained elsewhere: Spark ALS item factors (Parquet) and the release’s movies file', () => {
  it('Movies like this: the movies whose factors point the same way, titled from the movies file', async () => {
    const model = await importTrainedModel({ factors: parts, release: [moviesCsv] }, { k: 10 });
    const q = new ModelQueries(model);
    const rec = trained.recommender as Ials;
    const f = rec.factors;
    const at = (i: number) => rec.movieFactors.subarray(i * f, (i + 1) * f);
    const cosine = (a: Float32Array, b: Float32Array) => {
      let d = 0;
      let na = 0;
      let nb = 0;
      for (let t = 0; t < f; t++) {
        d += a[t] * b[t];
        na += a[t] * a[t];
        nb += b[t] * b[t];
      }
      return d / Math.sqrt(na * nb);
    };
    for (const i of [0, 7, 42]) {
      const id = trained.movies.ids[i];
      const expected = Array.from(trained.movies.ids.keys())
        .filter((j) => j !== i)
        .map((j) => ({ j, s: Math.fround(cosine(at(i), at(j))) }))
        .filter((e) => e.s > 0)
        .sort((a, b) => b.s - a.s || a.j - b.j)
        .slice(0, 10);
      const similar = q.similar(id);
      expect(similar.map((m) => m.movieId)).toEqual(expected.map((e) => trained.movies.ids[e.j]));
      expect(similar.map((m) => m.title)).toEqual(expected.map((e) => q.titles[e.j]));
      expect(q.cardById(id)!.title).toBe(new ModelQueries(trained).cardById(id)!.title);
    }
    expect(model.imported).toMatchObject({ factors: rec.factors, neighbourTable: false, alpha: 1, regularization: 0.1 });
    expect(model.imported!.files).toEqual([...parts.map((p) => p.name), 'ml-sample/movies.csv']);
  });

  it('recommendations: the person folded in by Spark’s own least-squares step, rated movies left out', async () => {
    const alpha = 2;
    const lambda = 0.05;
    const model = await importTrainedModel({ factors: parts, release: [moviesCsv] }, { alpha, regularization: lambda });
    const rec = model.recommender as Ials;
    const f = rec.factors;
    const mine = new Map([
      [model.movies.ids[3], 5],
      [model.movies.ids[9], 4],
      [model.movies.ids[20], 1.5],
    ]);
    const movies = Int32Array.from([3, 9, 20]);
    const stars = Float32Array.from([5, 4, 1.5]);
    const { x } = foldIn(rec, movies, stars);
    // Spark's implicit ALS solves (YᵀY + Σ α·r·y yᵀ + λ·n·I) x = Σ (1 + α·r)·y for a user.
    const y = (i: number) => Array.from(rec.movieFactors.subarray(i * f, (i + 1) * f));
    for (let r = 0; r < f; r++) {
      let lhs = lambda * movies.length * x[r];
      for (let j = 0; j < rec.movies; j++) {
        const yj = y(j);
        let dot = 0;
        for (let s = 0; s < f; s++) dot += yj[s] * x[s];
        lhs += yj[r] * dot;
      }
      let rhs = 0;
      movies.forEach((i, q) => {
        const yi = y(i);
        let dot = 0;
        for (let s = 0; s < f; s++) dot += yi[s] * x[s];
        lhs += alpha * stars[q] * yi[r] * dot;
        rhs += (1 + alpha * stars[q]) * yi[r];
      });
      expect(lhs).toBeCloseTo(rhs, 4);
    }
    const { items, source } = new ModelQueries(model).recommend(mine, 10);
    expect(source).toBe('ials');
    expect(items).toHaveLength(10);
    expect(items.some((m) => mine.has(m.movieId))).toBe(false);
    expect(items.map((m) => m.score)).toEqual([...items.map((m) => m.score)].sort((a, b) => b - a));
  });

  it('the taste map lays out the imported factors', async () => {
    const model = await importTrainedModel({ factors: parts, release: [moviesCsv] });
    const map = tasteMap(model.neighbours, model.stats.count, model.catalog, { n: 40, nEpochs: 10, factors: model.recommender as Ials });
    expect(map.movies).toHaveLength(40);
    expect(Array.from(map.x).every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('travels in a model file like any model', async () => {
    const model = await importTrainedModel({ factors: parts, release: [moviesCsv] });
    const { blob } = await modelFileBlob(modelFileSource(model));
    const { model: back } = await readModelFile(blob, 'imported.latentlens');
    expect(neighboursDigest(back.neighbours)).toBe(neighboursDigest(model.neighbours));
    expect(back.imported).toEqual(model.imported);
    expect((back.recommender as Ials).movieFactors).toEqual((model.recommender as Ials).movieFactors);
  });

  it('with a neighbour table, Movies like this reads the table (best first, self-pairs and repeats dropped)', async () => {
    const [a, b, c] = [trained.movies.ids[0], trained.movies.ids[1], trained.movies.ids[2]];
    const table = fileOf(
      'neighbours.parquet',
      neighbourTableParquet([
        [a, c, 0.25, 3],
        [a, b, 0.75, 9],
        [a, a, 1, 1],
        [a, b, 0.5, 9],
        [b, a, 0.75, 9],
      ]),
    );
    const model = await importTrainedModel({ factors: parts, neighbours: table, release: [moviesCsv] });
    const q = new ModelQueries(model);
    expect(q.similar(a).map((m) => [m.movieId, m.similarity, m.coCount])).toEqual([
      [b, 0.75, 9],
      [c, 0.25, 3],
    ]);
    expect(q.similar(c)).toEqual([]);
    expect(model.imported!.neighbourTable).toBe(true);
    expect(model.recommender!.kind).toBe('ials');
  });

  it('with a neighbour table alone: its movies, and recommendations that sum its similarities', async () => {
    const [a, b, c, d] = Array.from(trained.movies.ids.subarray(0, 4));
    const table = fileOf('neighbours.csv', `movieId,neighbourId,similarity\n${a},${d},0.5\n${a},${b},0.5\n${b},${d},0.25\n${c},${b},0.125\n`);
    const model = await importTrainedModel({ factors: [], neighbours: table, release: [moviesCsv] });
    expect(Array.from(model.movies.ids)).toEqual([a, b, c, d]);
    expect(model.recommender!.kind).toBe('item-knn-topn');
    const { items, source } = new ModelQueries(model).recommend(
      new Map([
        [a, 5],
        [b, 4],
        [c, 4],
      ]),
      5,
    );
    expect(source).toBe('item-knn-topn');
    expect(items.map((m) => m.movieId)).toEqual([d]);
    expect(items[0].because.map((m) => m.movieId).sort((x, y) => x - y)).toEqual([a, b].sort((x, y) => x - y));
  });

  it('unknown movie ids: how many, the first few, and what to do', async () => {
    const stranger = fileOf(
      'factors.parquet',
      sparkFactorsParquet(
        [1, 2, 900001, 900002, 900003, 900004, 900005, 900006],
        Array.from({ length: 8 }, () => [0.5, 0.5]),
      ),
    );
    expect(await messageOf(() => importTrainedModel({ factors: [stranger], release: [moviesCsv] }))).toBe(
      '6 movie ids in factors.parquet are not in ml-sample/movies.csv (first: 900001, 900002, 900003, 900004, 900005). The model was trained on another release: give the movies file (or zip) of the release it was trained on.',
    );
    const table = fileOf('nb.csv', `movieId,neighbourId,similarity\n${trained.movies.ids[0]},777777,0.5\n`);
    expect(await messageOf(() => importTrainedModel({ factors: parts, neighbours: table, release: [moviesCsv] }))).toMatch(
      /^1 movie id in nb\.csv is not in item-factors\.parquet\/part-00000\.snappy\.parquet, item-factors\.parquet\/part-00001\.snappy\.parquet \(777777\)\. Give the neighbour table computed with the same model as the factors\.$/,
    );
  });

  it('a movie with two rows of factors is named', async () => {
    const twice = fileOf('factors.csv', 'id,a,b\n1,0.5,0.5\n2,0.5,0.25\n1,0.25,0.5\n');
    expect(await messageOf(() => importTrainedModel({ factors: [twice], release: [moviesCsv] }))).toBe(
      'factors.csv: movie id 1 has two rows of factors. Give the factors of one model.',
    );
  });
});
