import { describe, expect, it } from 'vitest';
import { balancedContentRanges, contentWorkByMovie } from '../../../src/lib/content/content-ranges';
import { csrOf } from './brute-content';

describe('balancedContentRanges', () => {
  const empty = (movies: number) =>
    csrOf(
      Array.from({ length: movies }, () => []),
      0,
    );

  it('counts each genome movie’s pairs after it, times the tags', () => {
    const genome = { rows: Int32Array.of(1, 3, 4), dims: 10 };
    const work = contentWorkByMovie(empty(5), 0, genome);
    const base = work[0];
    expect(Array.from(work, (w) => w - base)).toEqual([0, 20, 0, 10, 0]);
  });

  it('gives the first genome movies, which have the most pairs, shorter ranges', () => {
    const n = 2000;
    const genome = { rows: Int32Array.from({ length: n }, (_, i) => i), dims: 1000 };
    const ranges = balancedContentRanges(empty(n), 0, genome, 2);
    expect(ranges).toHaveLength(2);
    expect(ranges[0][0]).toBe(0);
    expect(ranges[1][1]).toBe(n);
    expect(ranges[0][1]).toBe(ranges[1][0]);
    // Equal pair work splits at n·(1 − 1/√2) ≈ 29% of the movies.
    expect(ranges[0][1] / n).toBeGreaterThan(0.27);
    expect(ranges[0][1] / n).toBeLessThan(0.31);
  });

  it('counts rare-column pairs, not the common columns every movie shares', () => {
    // Columns 0–1 common, 2 rare: movie 0 shares the rare column with 1 and 2, movie 1 with 2.
    const m = csrOf(
      [
        [
          { col: 0, value: 1 },
          { col: 2, value: 1 },
        ],
        [
          { col: 0, value: 1 },
          { col: 2, value: 1 },
        ],
        [
          { col: 1, value: 1 },
          { col: 2, value: 1 },
        ],
      ],
      3,
    );
    const work = contentWorkByMovie(m, 2, undefined);
    expect((work[0] - work[2]) / (work[1] - work[2])).toBe(2);
  });
});
