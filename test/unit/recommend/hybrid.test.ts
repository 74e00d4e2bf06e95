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

  it('with iALS, a movie nobody rated is scored by factors borrowed from its rated content neighbours', async () => {
    const { toCsr } = await import('../../../src/lib/evaluate/interactions');
    const { fitAppRecommender } = await import('../../../src/lib/recommend/fit-recommender');
    const { sampleInteractions } = await import('../evaluate/helpers');
    const x = sampleInteractions(20, 4, 3);
    const { byUser, byMovie } = toCsr(x);
    const recommender = fitAppRecommender('ials', byUser, byMovie, { factors: 3, iterations: 3 });
    if (recommender.kind !== 'ials') throw new Error('expected iALS');
    const stats = { count: Int32Array.of(9, 0, 9, 9), mean: new Float32Array(4), globalMean: 3 };
    const popularity = { m: 1, c: 3, percentile: 0.9, score: Float32Array.of(4, NaN, 3, 2) };
    const inputs: RecommendInputs = { neighbours: content, popularity, stats, recommender, content: { neighbours: content } };
    const mine = { movie: Int32Array.of(0, 2), rating: Float32Array.of(5, 4) };
    const three = { movie: Int32Array.of(0, 2, 3), rating: Float32Array.of(5, 4, 4) };
    const ranked = rankKeys(inputs, three);
    expect(ranked.source).toBe('ials');
    // Movie 1's content neighbours are 0 (0.8) and 3 (0.5), both rated by others:
    // ŷ_1 = (0.8·y_0 + 0.5·y_3) / 1.3, and the key is ŷ_1 · x with x the person's folded-in factors.
    const Y = recommender.movieFactors;
    const xs = ranked.folded!.x;
    const w0 = Math.fround(0.8) / (Math.fround(0.8) + 0.5);
    let expected = 0;
    for (let t = 0; t < 3; t++) expected += (w0 * Y[t] + (1 - w0) * Y[3 * 3 + t]) * xs[t];
    expect(ranked.keys[1]).toBeCloseTo(expected, 12);
    // Its reasons split that score exactly, and it names whose factors it borrowed.
    const { explainScore, recommendFor } = await import('../../../src/lib/recommend/app-recommender');
    const parts = explainScore(inputs, ranked, 1);
    expect(parts.collaborative.reduce((a, b) => a + b, 0)).toBeCloseTo(ranked.scores[1], 12);
    expect(parts.content.every((c) => c === 0)).toBe(true);
    const list = recommendFor(inputs, three, 4).items.find((r) => r.movie === 1)!;
    expect(list.like!.every((m) => m === 0 || m === 3)).toBe(true);
    // Movies with ratings get no `like`; without content there is nothing to borrow from.
    expect(
      recommendFor(inputs, three, 4)
        .items.filter((r) => r.movie !== 1)
        .every((r) => r.like === undefined),
    ).toBe(true);
    expect(rankKeys({ ...inputs, content: undefined }, three).keys[1]).toBe(-Infinity);
    // With one or two ratings the list is content-led: movie 1 is ranked by content votes then.
    const led = rankKeys(inputs, mine);
    expect(led.source).toBe('content');
    const votes = new Float64Array(4);
    contentVotes(content, [0, 2], votes, [1.5, 0.5]);
    expect(led.keys[1]).toBeCloseTo(votes[1] * DEFAULT_HYBRID.gamma, 6);
  });
});
