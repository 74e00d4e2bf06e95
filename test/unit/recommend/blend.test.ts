import { beforeAll, describe, expect, it } from 'vitest';
import { ModelQueries } from '../../../src/lib/model/model-queries';
import { buildModel } from '../../../src/lib/pipeline/build-model';
import { contentStage, fitRecommenderStage } from '../../../src/lib/pipeline/recommender-stage';
import { DEFAULT_BLEND, hybridParamsOf, similarParamsOf } from '../../../src/lib/recommend/blend';
import { generateToMemory } from '../../../src/lib/synthetic/generate';
import { DEFAULT_PARAMS, type Model } from '../../../src/lib/types';

let model: Model;

beforeAll(async () => {
  const data = generateToMemory({ ratings: 5_000, seed: 5 });
  const files = {
    format: 'csv' as const,
    ratings: { name: 'ratings.csv', blob: new Blob([data.ratingsCsv]) },
    movies: { name: 'movies.csv', blob: new Blob([data.moviesCsv]) },
    ignored: [],
  };
  const built = await buildModel(files, { ...DEFAULT_PARAMS, factors: 8 });
  built.model.recommender = await fitRecommenderStage(built.model.params, built.model.byUser!, built.byMovie);
  built.model.content = await contentStage(built.model, undefined);
  model = built.model;
});

describe('the blend weights, a setting applied when lists are ranked', () => {
  it('a value being typed (empty, negative, not a number) ranks with the default', () => {
    expect(hybridParamsOf({ beta: null as unknown as number, gamma: -1, gammaNew: Number.NaN })).toEqual({ beta: 1, gamma: 0.3, gammaNew: 1 });
    expect(hybridParamsOf({ beta: 0, gamma: 2, gammaNew: 0.5 })).toEqual({ beta: 0, gamma: 2, gammaNew: 0.5 });
    expect(similarParamsOf(undefined)).toEqual({ beta: DEFAULT_BLEND.similarBeta });
  });

  it('"Movies like this" follows β: 0 is behaviour only, a huge β content only', () => {
    const id = model.movies.ids[model.stats.count.indexOf(Math.max(...model.stats.count))];
    const behaviour = new ModelQueries(model, { similarBeta: 0 }).similar(id, 10);
    const content = new ModelQueries(model, { similarBeta: 1e12 }).similar(id, 10);
    expect(behaviour.every((n) => n.alpha === 1 && n.similarity === n.collaborative)).toBe(true);
    expect(content.every((n) => n.alpha < 1e-6)).toBe(true);
    for (const n of content) expect(n.similarity).toBeCloseTo(n.content, 5);
    expect(behaviour.map((n) => n.movieId)).not.toEqual(content.map((n) => n.movieId));
  });

  it('the live settings object is read on every ranking: changing γ re-ranks without a new ModelQueries', () => {
    const blend = { ...DEFAULT_BLEND };
    const q = new ModelQueries(model, blend);
    // Someone with three ratings of rarely rated movies, where content weighs most.
    const rare = Array.from(model.stats.count.keys()).filter((i) => model.stats.count[i] > 0 && model.stats.count[i] <= 2);
    const mine = new Map(rare.slice(0, 3).map((i) => [model.movies.ids[i], 5]));
    const before = q.recommend(mine, 20).items.map((r) => `${r.movieId}:${r.score}`);
    blend.gamma = 50;
    blend.beta = 1000;
    const after = q.recommend(mine, 20).items.map((r) => `${r.movieId}:${r.score}`);
    expect(after).not.toEqual(before);
    blend.gamma = DEFAULT_BLEND.gamma;
    blend.beta = DEFAULT_BLEND.beta;
    expect(q.recommend(mine, 20).items.map((r) => `${r.movieId}:${r.score}`)).toEqual(before);
  });
});
