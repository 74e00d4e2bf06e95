import { describe, expect, it } from 'vitest';
import { collaborativeShare, contentReasons, contentVotes, DEFAULT_HYBRID } from '../../../src/lib/recommend/hybrid';
import { rankKeys, type RecommendInputs } from '../../../src/lib/recommend/app-recommender';
import type { Neighbours } from '../../../src/lib/types';

/** Content neighbours of 4 movies, k = 2: 0~1 (0.8), 0~2 (0.2), 1~3 (0.5). */
const content: Neighbours = {
  k: 2,
  kind: 'cosine',
  minRatings: 1,
  movies: 4,
  count: Int32Array.of(2, 2, 1, 1),
  index: Int32Array.of(1, 2, 0, 3, 0, -1, 1, -1),
  similarity: Float32Array.of(0.8, 0.2, 0.8, 0.5, 0.2, 0, 0.5, 0),
  coCount: new Int32Array(8),
};

describe('hybrid content side', () => {
  it('content votes are the mean similarity to the rated movies over the lists', () => {
    const out = new Float64Array(4);
    contentVotes(content, [0, 3], out);
    expect(Array.from(out).map((v) => +v.toFixed(6))).toEqual([0, (0.8 + 0.5) / 2, 0.1, 0]);
  });

  it('the collaborative share is 0 with no ratings and tends to 1 with many', () => {
    expect(collaborativeShare(0, { beta: 1, gamma: 1, gammaNew: 1 })).toBe(0);
    expect(collaborativeShare(1, { beta: 1, gamma: 1, gammaNew: 1 })).toBe(0.5);
    expect(collaborativeShare(30_000, { beta: 1, gamma: 1, gammaNew: 1 })).toBeGreaterThan(0.9999);
  });

  it('names the rated movies most similar in content, largest first', () => {
    expect(contentReasons(content, [2, 1, 3], 0)).toEqual([
      { movie: 1, similarity: expect.closeTo(0.8, 6) },
      { movie: 2, similarity: expect.closeTo(0.2, 6) },
    ]);
  });

  it('ranks a movie nobody rated by content, and one or two ratings give a content-led list', () => {
    const stats = { count: Int32Array.of(5, 0, 3, 2), mean: new Float32Array(4), globalMean: 3 };
    const popularity = { m: 1, c: 3, percentile: 0.9, score: Float32Array.of(4, NaN, 3, 2) };
    const inputs: RecommendInputs = { neighbours: content, popularity, stats, content: { neighbours: content } };
    const ranked = rankKeys(inputs, { movie: Int32Array.of(0), rating: Float32Array.of(5) });
    expect(ranked.source).toBe('content');
    // Movie 1 was never rated but is the closest in content: first.
    expect(ranked.keys[1]).toBeCloseTo(0.8 * DEFAULT_HYBRID.gamma, 6);
    expect(ranked.keys[1]).toBeGreaterThan(ranked.keys[2]);
    expect(ranked.keys[0]).toBe(-Infinity);
    // Without content, a movie nobody rated is never shown.
    const plain = rankKeys({ ...inputs, content: undefined }, { movie: Int32Array.of(0), rating: Float32Array.of(5) });
    expect(plain.source).toBe('popular');
    expect(plain.keys[1]).toBe(-Infinity);
  });

  it('with a recommender, a movie nobody rated scores at most γ × the person’s best collaborative score', async () => {
    const { toCsr } = await import('../../../src/lib/evaluate/interactions');
    const { fitAppRecommender } = await import('../../../src/lib/recommend/fit-recommender');
    const { sampleInteractions } = await import('../evaluate/helpers');
    const x = sampleInteractions(20, 4, 3);
    const { byUser, byMovie } = toCsr(x);
    const recommender = fitAppRecommender('ials', byUser, byMovie, { factors: 3, iterations: 3 });
    const stats = { count: Int32Array.of(9, 0, 9, 9), mean: new Float32Array(4), globalMean: 3 };
    const popularity = { m: 1, c: 3, percentile: 0.9, score: Float32Array.of(4, NaN, 3, 2) };
    const inputs: RecommendInputs = {
      neighbours: content,
      popularity,
      stats,
      recommender,
      content: { neighbours: content },
      hybrid: { beta: 1, gamma: 0.3, gammaNew: 0.3 },
    };
    const ranked = rankKeys(inputs, { movie: Int32Array.of(0, 2, 3), rating: Float32Array.of(5, 4, 4) });
    expect(ranked.source).toBe('ials');
    // Movie 1 (no ratings) is ranked by content alone, scaled so the best content match would
    // score 0.3 × the best factor score: key = 0.3 · cfMax · votes[1] / max(votes).
    const plain = rankKeys({ ...inputs, content: undefined }, { movie: Int32Array.of(0, 2, 3), rating: Float32Array.of(5, 4, 4) });
    const cfMax = Math.max(...Array.from(plain.scores).filter(Number.isFinite));
    const votes = new Float64Array(4);
    contentVotes(content, [0, 2, 3], votes);
    expect(ranked.keys[1]).toBeCloseTo((0.3 * cfMax * votes[1]) / Math.max(...votes), 9);
    expect(ranked.keys[1]).toBeLessThanOrEqual(0.3 * cfMax + 1e-12);
  });
});
