import { describe, expect, it } from 'vitest';
import { toCsr } from '../../../src/lib/evaluate/interactions';
import { computeMovieStats } from '../../../src/lib/model/movie-stats';
import { weightedPopularity } from '../../../src/lib/model/popularity';
import { computeNeighbours } from '../../../src/lib/model/similarity';
import { MIN_RATED_FOR_PERSONAL, rankKeys, recommendFor, topByKey, type RecommendInputs } from '../../../src/lib/recommend/app-recommender';
import { fitAppRecommender } from '../../../src/lib/recommend/fit-recommender';
import { contributions, factorScores, foldIn } from '../../../src/lib/recommend/fold-in';
import { DEFAULT_IALS, fitIals, solveRows, gramOf } from '../../../src/lib/recommend/ials';
import { AppPredictor } from '../../../src/lib/evaluate/predictors/app';
import { sampleInteractions } from '../evaluate/helpers';

const x = sampleInteractions(20, 15, 3);
const { byUser, byMovie } = toCsr(x);
const stats = computeMovieStats(byMovie);
const popularity = weightedPopularity(stats, 0.9);
const neighbours = computeNeighbours(byMovie, byUser, { k: 5 });
const ials = { factors: 6, iterations: 6, cgSteps: 12 };

function inputs(kind: 'ials' | 'item-knn-topn'): RecommendInputs {
  return { neighbours, popularity, stats, recommender: fitAppRecommender(kind, byUser, byMovie, ials) };
}

describe('fold-in', () => {
  it('gives a training user the factors an exact iALS user step gives', () => {
    const model = fitIals(byUser, byMovie, { ...DEFAULT_IALS, ...ials });
    const rec = inputs('ials').recommender!;
    if (rec.kind !== 'ials') throw new Error('expected ials');
    const f = model.factors;
    const exact = solveRows({
      rows: byUser,
      other: model.movieFactors,
      gram: gramOf(model.movieFactors, model.movies, f),
      start: new Float32Array(x.nUsers * f),
      rowRange: [0, x.nUsers],
      params: { ...model.params, cgSteps: 50 },
    });
    const ch = byUser.chunks[0];
    for (const u of [0, 7, 13]) {
      const folded = foldIn(rec, ch.indices.subarray(ch.indptr[u], ch.indptr[u + 1]), ch.values.subarray(ch.indptr[u], ch.indptr[u + 1]));
      for (let t = 0; t < f; t++) expect(folded.x[t]).toBeCloseTo(exact[u * f + t], 4);
    }
  });

  it('explains a score exactly: the contributions of the rated movies sum to it', () => {
    const rec = inputs('ials').recommender!;
    if (rec.kind !== 'ials') throw new Error('expected ials');
    const folded = foldIn(rec, Int32Array.of(0, 3, 4), Float32Array.of(5, 4, 2));
    const scores = new Float64Array(rec.movies);
    factorScores(rec, folded.x, scores);
    for (const j of [1, 2, 9]) {
      const parts = contributions(rec, folded, j);
      expect(parts.reduce((s, v) => s + v, 0)).toBeCloseTo(scores[j], 9);
    }
  });
});

describe('rankKeys and recommendFor (what the page shows)', () => {
  it('uses popularity below the cold-start threshold, and the recommender from it on', () => {
    const few = { movie: Int32Array.of(0, 1), rating: Float32Array.of(5, 4) };
    expect(MIN_RATED_FOR_PERSONAL).toBe(3);
    const cold = recommendFor(inputs('ials'), few, 5);
    expect(cold.source).toBe('popular');
    expect(cold.items.every((r) => r.source === 'popular')).toBe(true);
    const warm = recommendFor(inputs('ials'), { movie: Int32Array.of(0, 1, 2), rating: Float32Array.of(5, 4, 3) }, 5);
    expect(warm.source).toBe('ials');
    expect(warm.items.every((r) => r.source === 'ials')).toBe(true);
  });

  it('never recommends a rated movie or one nobody rated, and ranks by the key', () => {
    const mine = { movie: Int32Array.of(2, 5, 8, 2), rating: Float32Array.of(1, 5, 4, 5) };
    for (const kind of ['ials', 'item-knn-topn'] as const) {
      const inp = inputs(kind);
      const ranked = rankKeys(inp, mine);
      expect(Array.from(ranked.rated)).toEqual([2, 5, 8]);
      expect(ranked.stars[0]).toBe(5); // the last rating of movie 2 wins
      const list = recommendFor(inp, mine, 50).items.map((r) => r.movie);
      expect(list).not.toContain(2);
      expect(list).not.toContain(5);
      for (const j of list) expect(stats.count[j]).toBeGreaterThan(0);
      expect(list).toEqual(Array.from(topByKey(ranked.keys, 50)));
    }
  });

  it('item-knn-topn scores are sums of row-normalised similarities', () => {
    const inp = inputs('item-knn-topn');
    const mine = { movie: Int32Array.of(0, 4, 6), rating: Float32Array.of(5, 5, 5) };
    const { scores } = rankKeys(inp, mine);
    for (let j = 0; j < x.nMovies; j++) {
      let expected = 0;
      for (const i of [0, 4, 6]) {
        let rowSum = 0;
        let sim = 0;
        for (let t = 0; t < neighbours.count[i]; t++) {
          rowSum += neighbours.similarity[i * neighbours.k + t];
          if (neighbours.index[i * neighbours.k + t] === j) sim = neighbours.similarity[i * neighbours.k + t];
        }
        if (rowSum > 0) expected += sim / rowSum;
      }
      if (expected > 0) expect(scores[j]).toBeCloseTo(expected, 5);
      else expect(Number.isNaN(scores[j])).toBe(true);
    }
  });
});

describe('the app predictor', () => {
  it('scores candidates with the same keys the page ranks by', () => {
    const app = new AppPredictor({ recommender: 'ials', ...ials });
    app.fit(x);
    const inp = inputs('ials');
    const ch = byUser.chunks[0];
    const u = 4;
    const keys = rankKeys(inp, { movie: ch.indices.subarray(ch.indptr[u], ch.indptr[u + 1]), rating: ch.values.subarray(ch.indptr[u], ch.indptr[u + 1]) }).keys;
    const candidates = Int32Array.from({ length: x.nMovies }, (_, j) => j);
    const out = new Float64Array(x.nMovies);
    app.score(u, candidates, out);
    expect(Array.from(out)).toEqual(Array.from(keys));
  });
});
