import { describe, expect, it } from 'vitest';
import { evidenceShare, hybridNeighbours, type SimilarityInputs } from '../../../src/lib/recommend/hybrid-similarity';
import type { Neighbours } from '../../../src/lib/types';

/** Neighbour lists from rows of [movie, similarity, coCount], k = the longest row. */
function lists(rows: [number, number, number][][]): Neighbours {
  const k = Math.max(1, ...rows.map((r) => r.length));
  const nb: Neighbours = {
    k,
    kind: 'cosine',
    minRatings: 1,
    movies: rows.length,
    count: Int32Array.from(rows, (r) => r.length),
    index: new Int32Array(rows.length * k).fill(-1),
    similarity: new Float32Array(rows.length * k),
    coCount: new Int32Array(rows.length * k),
  };
  rows.forEach((r, i) =>
    r.forEach(([j, s, c], t) => {
      nb.index[i * k + t] = j;
      nb.similarity[i * k + t] = s;
      nb.coCount[i * k + t] = c;
    }),
  );
  return nb;
}

// Movie 0 is linked by ratings to 2 (0.75, 4 co-raters), 1 (0.5, 3) and 4 (0.25, 2), by content
// to 1 (0.625) and 3 (0.375). Its content similarity to 4 (0.5) is only in 4's own list.
const cf = lists([
  [
    [2, 0.75, 4],
    [1, 0.5, 3],
    [4, 0.25, 2],
  ],
  [[0, 0.5, 3]],
  [[0, 0.75, 4]],
  [],
  [[0, 0.25, 2]],
]);
const content = lists([
  [
    [1, 0.625, 0],
    [3, 0.375, 0],
  ],
  [[0, 0.625, 0]],
  [],
  [[0, 0.375, 0]],
  [[0, 0.5, 0]],
]);
const inputs = (ratings: number[]): SimilarityInputs => ({ neighbours: cf, content, ratings: Int32Array.from(ratings) });

describe('hybridNeighbours: blend = α·collaborative + (1 − α)·content, α = n/(n + β)', () => {
  it('works out by hand: 4 ratings and β = 1 give α = 0.8', () => {
    const list = hybridNeighbours(inputs([4, 9, 9, 9, 9]), 0, { beta: 1 }, 10);
    expect(list.map((n) => n.movie)).toEqual([2, 1, 4, 3]);
    const [two, one, four, three] = list;
    expect(two).toMatchObject({ collaborative: 0.75, content: 0, coCount: 4, led: 'ratings' });
    expect(two.alpha).toBeCloseTo(0.8, 12);
    expect(two.blend).toBeCloseTo(0.8 * 0.75, 12);
    expect(one.blend).toBeCloseTo(0.8 * 0.5 + 0.2 * 0.625, 12);
    expect(one.led).toBe('ratings');
    // The content part read from movie 4's own list: both similarities are symmetric.
    expect(four).toMatchObject({ collaborative: 0.25, content: 0.5, coCount: 2 });
    expect(four.blend).toBeCloseTo(0.8 * 0.25 + 0.2 * 0.5, 12);
    expect(three).toMatchObject({ collaborative: 0, content: 0.375, coCount: 0, led: 'content' });
    expect(three.blend).toBeCloseTo(0.2 * 0.375, 12);
  });

  it('asks contentOf for the content part of a pair that no content list holds', () => {
    const asked: [number, number][] = [];
    const contentOf = (a: number, b: number) => (asked.push([a, b]), 0.125);
    const list = hybridNeighbours({ ...inputs([4, 9, 9, 9, 9]), contentOf }, 0, { beta: 1 }, 10);
    expect(asked).toEqual([[0, 2]]);
    const two = list.find((n) => n.movie === 2)!;
    expect(two.content).toBe(0.125);
    expect(two.blend).toBeCloseTo(0.8 * 0.75 + 0.2 * 0.125, 12);
  });

  it('a movie nobody rated gets its content neighbours alone, in content order', () => {
    const list = hybridNeighbours(inputs([0, 9, 9, 9, 9]), 0, undefined, 10);
    expect(list.map((n) => n.movie)).toEqual([1, 4, 3]);
    for (const n of list) {
      expect(n.alpha).toBe(0);
      expect(n.blend).toBe(n.content);
      expect(n.led).toBe('content');
    }
  });

  it('huge evidence gives the collaborative list, numbers and order', () => {
    const list = hybridNeighbours(inputs([1e9, 9, 9, 9, 9]), 0, undefined, 10);
    expect(list.slice(0, 3).map((n) => n.movie)).toEqual([2, 1, 4]);
    for (const n of list) expect(n.blend).toBeCloseTo(n.collaborative, 6);
    // A content-only match sinks to the bottom, at about nothing.
    expect(list[3]).toMatchObject({ movie: 3, led: 'content' });
    expect(list[3].blend).toBeLessThan(1e-8);
  });

  it('three ratings lean on content, thousands on behaviour (default β)', () => {
    expect(hybridNeighbours(inputs([3, 9, 9, 9, 9]), 0)[0].alpha).toBeLessThan(0.5);
    expect(hybridNeighbours(inputs([3000, 9, 9, 9, 9]), 0)[0].alpha).toBeGreaterThan(0.99);
  });

  it('without a content side the list is behaviour only, whatever the evidence', () => {
    const list = hybridNeighbours({ neighbours: cf, ratings: Int32Array.of(1, 9, 9, 9, 9) }, 0);
    expect(list.map((n) => [n.movie, n.blend, n.alpha])).toEqual([
      [2, 0.75, 1],
      [1, 0.5, 1],
      [4, 0.25, 1],
    ]);
  });

  it('keeps the collaborative k by default, at most `limit`, never the movie itself, and refuses a β that is not a number >= 0', () => {
    expect(hybridNeighbours(inputs([4, 9, 9, 9, 9]), 0)).toHaveLength(cf.k);
    expect(hybridNeighbours(inputs([4, 9, 9, 9, 9]), 0, { beta: 1 }, 2).map((n) => n.movie)).toEqual([2, 1]);
    expect(hybridNeighbours(inputs([4, 9, 9, 9, 9]), 1).some((n) => n.movie === 1)).toBe(false);
    expect(hybridNeighbours(inputs([4, 9, 9, 9, 9]), 99)).toEqual([]);
    expect(() => hybridNeighbours(inputs([4, 9, 9, 9, 9]), 0, { beta: -1 })).toThrow(/beta/);
  });

  it('evidenceShare: 0 without ratings, ½ at β, → 1 with many', () => {
    expect(evidenceShare(0, { beta: 5 })).toBe(0);
    expect(evidenceShare(5, { beta: 5 })).toBe(0.5);
    expect(evidenceShare(1e6, { beta: 5 })).toBeGreaterThan(0.99999);
    expect(evidenceShare(3, { beta: 0 })).toBe(1);
  });
});
