import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentNeighbours } from '../../../src/lib/content/content-neighbours';
import type { GenomeMatrix } from '../../../src/lib/content/genome-matrix';
import { mergeNeighbours, neighboursOf } from '../../../src/lib/model/similarity';
import { bruteContentNeighbours, csrOf, type Entry } from '../../unit/content/brute-content';

/** Small random content: sparse rows, a genome over a subset of the movies, and run options. */
const content = fc
  .record({
    movies: fc.integer({ min: 1, max: 24 }),
    features: fc.integer({ min: 0, max: 7 }),
    dims: fc.integer({ min: 1, max: 9 }),
  })
  .chain(({ movies, features, dims }) =>
    fc.record({
      movies: fc.constant(movies),
      features: fc.constant(features),
      dims: fc.constant(dims),
      rows: fc.array(
        fc.uniqueArray(
          fc.record({
            col: fc.integer({ min: 0, max: Math.max(0, features - 1) }),
            // Some shared exact values, to exercise ties.
            value: fc.oneof(fc.constantFrom(0.5, 1), fc.float({ min: Math.fround(0.01), max: 1, noNaN: true })),
          }),
          { selector: (e) => e.col, maxLength: features },
        ),
        { minLength: movies, maxLength: movies },
      ),
      genomeRows: fc.subarray(Array.from({ length: movies }, (_, i) => i)),
      // Quantised like the real genome, with zeros (and so, sometimes, an all-zero row).
      cells: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 }).map((q) => q / 40)), {
        minLength: movies * dims,
        maxLength: movies * dims,
      }),
      genomeWeight: fc.constantFrom(0, 0.5, 2),
      k: fc.integer({ min: 1, max: 6 }),
      blockRows: fc.integer({ min: 1, max: 6 }),
      rowsPerChunk: fc.integer({ min: 1, max: 8 }),
      withGenome: fc.boolean(),
    }),
  )
  .map((c) => {
    const rows: Entry[][] = c.rows.map((r) => (c.features === 0 ? [] : [...r].sort((x, y) => x.col - y.col)));
    const genome: GenomeMatrix | undefined = c.withGenome
      ? {
          tagNames: Array.from({ length: c.dims }, (_, t) => `t${t}`),
          rows: Int32Array.from(c.genomeRows),
          dims: c.dims,
          relevance: Float32Array.from(c.cells.slice(0, c.genomeRows.length * c.dims)),
        }
      : undefined;
    return { ...c, rows, genome };
  });

/** Cut points that split [0, n) into consecutive ranges. */
function partition(n: number, cuts: number[]): [number, number][] {
  const points = [...new Set(cuts.map((c) => c % (n + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...points.filter((p) => p > 0 && p < n), n];
  return bounds.slice(0, -1).map((b, t) => [b, bounds[t + 1]]);
}

describe('contentNeighbours (properties)', () => {
  it('agrees with a dense cosine over the explicitly concatenated vectors', () => {
    fc.assert(
      fc.property(content, (c) => {
        const matrix = csrOf(c.rows, c.features, c.rowsPerChunk);
        const nb = contentNeighbours({ matrix }, c.genome, { k: c.k, genomeWeight: c.genomeWeight, blockRows: c.blockRows });
        const ref = bruteContentNeighbours(c.rows, c.features, c.genome, c.genomeWeight, c.k);
        const all = bruteContentNeighbours(c.rows, c.features, c.genome, c.genomeWeight, c.movies);
        for (let i = 0; i < c.movies; i++) {
          const ours = neighboursOf(nb, i);
          expect(ours.length).toBe(ref[i].length);
          const byIndex = new Map(all[i].map((e) => [e.index, e]));
          ours.forEach((e, t) => {
            // Position by position within 1e-6 (near-ties may swap places), and each neighbour's
            // own similarity and shared-feature count as the reference has them.
            expect(Math.abs(e.similarity - ref[i][t].similarity)).toBeLessThanOrEqual(1e-6);
            const mine = byIndex.get(e.index);
            expect(mine).toBeDefined();
            expect(Math.abs(e.similarity - mine!.similarity)).toBeLessThanOrEqual(1e-6);
            expect(e.coCount).toBe(mine!.coCount);
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('any partition into movie ranges, merged with mergeNeighbours, is bit-identical to one run', () => {
    fc.assert(
      fc.property(content, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (c, cuts, reverse) => {
        const matrix = csrOf(c.rows, c.features, c.rowsPerChunk);
        const opts = { k: c.k, genomeWeight: c.genomeWeight, blockRows: c.blockRows };
        const whole = contentNeighbours({ matrix }, c.genome, opts);
        const parts = partition(c.movies, cuts).map((movieRange) => contentNeighbours({ matrix }, c.genome, { ...opts, movieRange }));
        if (reverse) parts.reverse();
        const merged = mergeNeighbours(parts);
        expect(merged.count).toEqual(whole.count);
        expect(merged.index).toEqual(whole.index);
        expect(merged.similarity).toEqual(whole.similarity);
        expect(merged.coCount).toEqual(whole.coCount);
      }),
      { numRuns: 150 },
    );
  });
});
