import { describe, expect, it } from 'vitest';
import { toCsr } from '../../../src/lib/evaluate/interactions';
import { computeMovieStats } from '../../../src/lib/model/movie-stats';
import { weightedPopularity } from '../../../src/lib/model/popularity';
import { computeNeighbours } from '../../../src/lib/model/similarity';
import { explainScore, rankKeys, recommendFor, type MyRatings, type RecommendInputs } from '../../../src/lib/recommend/app-recommender';
import { fitAppRecommender } from '../../../src/lib/recommend/fit-recommender';
import { becauseText, formatContribution } from '../../../src/lib/recommend/because-text';
import { sampleInteractions } from '../evaluate/helpers';
import { sampleQueries } from '../../support/sample-app';

const x = sampleInteractions(40, 30, 5);
const { byUser, byMovie } = toCsr(x);
const stats = computeMovieStats(byMovie);
const popularity = weightedPopularity(stats, 0.9);
const neighbours = computeNeighbours(byMovie, byUser, { k: 8 });
// Content lists over the same movies: here simply a second neighbour table (other k, other
// similarities), which is all explainScore reads of the content side.
const content = computeNeighbours(byMovie, byUser, { k: 5, kind: 'adjusted-cosine' });
const ials = { factors: 5, iterations: 5, cgSteps: 10 };

function inputs(kind: 'ials' | 'item-knn-topn', withContent: boolean): RecommendInputs {
  return {
    neighbours,
    popularity,
    stats,
    recommender: fitAppRecommender(kind, byUser, byMovie, ials),
    content: withContent ? { neighbours: content } : undefined,
  };
}

const mine: MyRatings = { movie: Int32Array.of(0, 3, 7, 11, 19, 24), rating: Float32Array.of(5, 4, 2, 5, 3, 4.5) };

describe('explainScore: each rated movie’s share of a score', () => {
  for (const kind of ['ials', 'item-knn-topn'] as const) {
    for (const withContent of [false, true]) {
      it(`${kind}${withContent ? ' with content' : ''}: the shares of all rated movies add up to the score`, () => {
        const inp = inputs(kind, withContent);
        const ranked = rankKeys(inp, mine);
        expect(ranked.source).toBe(kind);
        let checked = 0;
        for (let j = 0; j < x.nMovies; j++) {
          const s = ranked.scores[j];
          if (!(s === s) || ranked.keys[j] === -Infinity) continue;
          const { collaborative, content: fromContent } = explainScore(inp, ranked, j);
          let sum = 0;
          for (let q = 0; q < ranked.rated.length; q++) sum += collaborative[q] + fromContent[q];
          expect(sum).toBeCloseTo(s, 9);
          if (!withContent) expect(fromContent.every((v) => v === 0)).toBe(true);
          checked++;
        }
        expect(checked).toBeGreaterThan(10);
      });
    }
  }

  it('content-led (one or two ratings): every share is content, and they add up', () => {
    const inp = inputs('ials', true);
    const two: MyRatings = { movie: Int32Array.of(0, 3), rating: Float32Array.of(5, 4) };
    const ranked = rankKeys(inp, two);
    expect(ranked.source).toBe('content');
    const { items } = recommendFor(inp, two, 10);
    const led = items.filter((r) => r.source === 'content');
    expect(led.length).toBeGreaterThan(0);
    for (const r of led) {
      const parts = explainScore(inp, ranked, r.movie);
      expect(parts.collaborative.every((v) => v === 0)).toBe(true);
      expect(parts.content.reduce((a, b) => a + b, 0)).toBeCloseTo(r.score, 12);
      expect(r.because.every((b) => b.byContent)).toBe(true);
    }
  });

  it('reasons: up to three, positive, largest first, and not the same for every recommendation', () => {
    for (const kind of ['ials', 'item-knn-topn'] as const) {
      const { items } = recommendFor(inputs(kind, true), mine, 15);
      for (const r of items) {
        expect(r.because.length).toBeLessThanOrEqual(3);
        for (let t = 0; t < r.because.length; t++) {
          expect(r.because[t].contribution).toBeGreaterThan(0);
          expect(mine.movie).toContain(r.because[t].movie);
          if (t > 0) expect(r.because[t].contribution).toBeLessThanOrEqual(r.because[t - 1].contribution);
        }
      }
      const lines = new Set(items.map((r) => r.because.map((b) => b.movie).join(',')));
      expect(lines.size, kind).toBeGreaterThan(1);
    }
  });
});

describe('because-text', () => {
  it('writes each reason with its share, and what a content-led one shares', () => {
    expect(
      becauseText([
        { title: 'Heat (1995)', contribution: 0.2149, shares: [] },
        { title: 'Casino (1995)', contribution: 0.12, shares: ['Crime', 'mafia'] },
      ]),
    ).toBe('because you rated Heat (1995) (+0.21), Casino (1995) (+0.12; shares: Crime, mafia)');
    expect(becauseText([])).toBe('');
    expect(formatContribution(0.0583)).toBe('+0.058');
    expect(formatContribution(0.0042)).toBe('+0.0042');
    expect(formatContribution(1.234)).toBe('+1.23');
    expect(formatContribution(-0.25)).toBe('-0.25');
  });
});

describe('on the bundled sample (the page’s own model)', () => {
  it('names different movies, with different sizes, under different recommendations', async () => {
    const q = await sampleQueries();
    // Godfather, Heat, Toy Story, Amélie, The Matrix, Casino: tastes that pull apart.
    const mine = new Map([
      [858, 5],
      [6, 4.5],
      [1, 4],
      [4973, 5],
      [2571, 4],
      [16, 4.5],
    ]);
    const { items, source } = q.recommend(mine, 20);
    expect(source).toBe('ials');
    const firsts = new Set(items.map((r) => r.because[0]?.movieId));
    expect(firsts.size).toBeGreaterThan(2);
    const lines = new Set(items.map((r) => becauseText(r.because)));
    expect(lines.size).toBe(items.length);
  }, 120_000);
});
