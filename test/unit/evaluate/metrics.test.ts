import { describe, expect, it } from 'vitest';
import {
  catalogueCoverage,
  hitRateAtK,
  mae,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
  reciprocalRankAtK,
  rmse,
  topN,
  memoryInUse,
} from '../../../src/lib/evaluate/metrics';

describe('rating accuracy', () => {
  it('RMSE and MAE of errors 1, -2, 0, 1 are sqrt(6/4) and 4/4', () => {
    const actual = [4, 3, 5, 2];
    const predicted = [3, 5, 5, 1];
    expect(rmse(actual, predicted)).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(mae(actual, predicted)).toBeCloseTo(1, 12);
  });
  it('is NaN with nothing to measure', () => {
    expect(rmse([], [])).toBeNaN();
    expect(mae([], [])).toBeNaN();
  });
});

describe('ranking metrics, worked by hand', () => {
  // Ranked list 10, 20, 30, 40, 50; relevant: 20 and 50 and 99 (never recommended).
  const ranked = [10, 20, 30, 40, 50];
  const relevant = new Set([20, 50, 99]);
  it('Precision@5 = 2/5, Precision@1 = 0', () => {
    expect(precisionAtK(ranked, relevant, 5)).toBeCloseTo(0.4, 12);
    expect(precisionAtK(ranked, relevant, 1)).toBe(0);
  });
  it('Recall@5 = 2/3', () => {
    expect(recallAtK(ranked, relevant, 5)).toBeCloseTo(2 / 3, 12);
  });
  it('HitRate@1 = 0, HitRate@2 = 1', () => {
    expect(hitRateAtK(ranked, relevant, 1)).toBe(0);
    expect(hitRateAtK(ranked, relevant, 2)).toBe(1);
  });
  it('NDCG@5 = (1/log2 3 + 1/log2 6) / (1 + 1/log2 3 + 1/2)', () => {
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(6);
    const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(dcg / ideal, 12);
  });
  it('NDCG is 1 for a perfect list and NaN with nothing relevant', () => {
    expect(ndcgAtK([7, 8], new Set([7, 8]), 10)).toBeCloseTo(1, 12);
    expect(ndcgAtK([7, 8], new Set(), 10)).toBeNaN();
  });
  it('leave-one-out NDCG@10 of a hit at position 3 is 1/log2(4) = 0.5', () => {
    expect(ndcgAtK([1, 2, 3, 4], new Set([3]), 10)).toBeCloseTo(0.5, 12);
  });
  it('MRR: first hit at position 2 gives 1/2; no hit in the first k gives 0', () => {
    expect(reciprocalRankAtK(ranked, relevant, 5)).toBe(0.5);
    expect(reciprocalRankAtK(ranked, relevant, 1)).toBe(0);
  });
});

describe('topN', () => {
  it('orders by score, keeps candidate order among ties, skips -Infinity padding', () => {
    const candidates = [5, 6, 7, 8, -1];
    const scores = [1, 3, 3, 2, -Infinity];
    expect(Array.from(topN(candidates, scores, 3))).toEqual([6, 7, 8]);
    expect(Array.from(topN(candidates, scores, 10))).toEqual([6, 7, 8, 5]);
  });
  it('equals a full sort on random scores', () => {
    const scores = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 101) / 7);
    const candidates = scores.map((_, i) => i);
    const brute = candidates
      .slice()
      .sort((a, b) => scores[b] - scores[a] || a - b)
      .slice(0, 17);
    expect(Array.from(topN(candidates, scores, 17))).toEqual(brute);
  });
});

describe('beyond accuracy', () => {
  it('coverage counts distinct recommended movies over the catalogue', () => {
    expect(
      catalogueCoverage(
        [
          [1, 2],
          [2, 3],
        ],
        10,
      ),
    ).toBeCloseTo(0.3, 12);
  });
  it('novelty is the mean of -log2(raters / users)', () => {
    const counts = Int32Array.from([8, 2, 1]);
    // Movie 0: -log2(8/8)=0; movie 1: -log2(2/8)=2; movie 2: -log2(1/8)=3.
    expect(novelty([[0, 1], [2]], counts, 8)).toBeCloseTo(5 / 3, 12);
  });
  it('reads memory in Node', () => {
    expect(memoryInUse()).toBeGreaterThan(0);
  });
});
