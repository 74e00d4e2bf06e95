import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentNeighbours } from '../../../src/lib/content/content-neighbours';
import type { GenomeMatrix } from '../../../src/lib/content/genome-matrix';
import type { ScreenStats } from '../../../src/lib/content/genome-screened';
import { mergeNeighbours } from '../../../src/lib/model/similarity';
import { csrOf, type Entry } from '../../unit/content/brute-content';

/**
 * Small genomes built to make the screen's decisions hard: few distinct values (many exactly
 * tied similarities), repeated rows (similarity 1 with each other), all-zero rows (no genome
 * pairs), and sparse features on some movies so that the bound's exact sparse part matters.
 */
const screened = fc
  .record({
    movies: fc.integer({ min: 2, max: 40 }),
    dims: fc.integer({ min: 1, max: 12 }),
    features: fc.integer({ min: 0, max: 4 }),
  })
  .chain(({ movies, dims, features }) =>
    fc.record({
      movies: fc.constant(movies),
      dims: fc.constant(dims),
      features: fc.constant(features),
      genomeRows: fc.subarray(
        Array.from({ length: movies }, (_, i) => i),
        { minLength: 1 },
      ),
      // Rows drawn from a few prototypes (ties), some zeroed, values in {0, 1/4, 1/2, 1} or fine.
      prototypes: fc.array(
        fc.array(
          fc.oneof(
            fc.constantFrom(0, 0.25, 0.5, 1),
            fc.integer({ min: 0, max: 4000 }).map((q) => q / 4000),
          ),
          { minLength: dims, maxLength: dims },
        ),
        { minLength: 1, maxLength: 6 },
      ),
      pick: fc.array(fc.integer({ min: -1, max: 5 }), { minLength: movies, maxLength: movies }),
      noise: fc.array(
        fc.oneof(
          fc.constant(0),
          fc.constant(0),
          fc.integer({ min: 0, max: 8 }).map((q) => q / 8),
        ),
        { minLength: movies * dims, maxLength: movies * dims },
      ),
      rows: fc.array(
        fc.uniqueArray(fc.record({ col: fc.integer({ min: 0, max: Math.max(0, features - 1) }), value: fc.constantFrom(0.5, 1) }), {
          selector: (e) => e.col,
          maxLength: features,
        }),
        { minLength: movies, maxLength: movies },
      ),
      k: fc.integer({ min: 1, max: 6 }),
      blockRows: fc.integer({ min: 1, max: 6 }),
      genomeWeight: fc.constantFrom(0.5, 2),
      cuts: fc.array(fc.nat(), { maxLength: 3 }),
    }),
  )
  .map((c) => {
    const nG = c.genomeRows.length;
    const relevance = new Float32Array(nG * c.dims);
    c.genomeRows.forEach((_, g) => {
      const p = c.pick[g];
      if (p < 0) return; // an all-zero row
      const proto = c.prototypes[p % c.prototypes.length];
      for (let t = 0; t < c.dims; t++) relevance[g * c.dims + t] = Math.min(1, proto[t] + c.noise[g * c.dims + t]);
    });
    const genome: GenomeMatrix = {
      tagNames: Array.from({ length: c.dims }, (_, t) => `t${t}`),
      rows: Int32Array.from(c.genomeRows),
      dims: c.dims,
      relevance,
    };
    const rows: Entry[][] = c.rows.map((r) => (c.features === 0 ? [] : [...r].sort((x, y) => x.col - y.col)));
    return { ...c, genome, rows };
  });

/** Cut points that split [0, n) into consecutive ranges. */
function partition(n: number, cuts: number[]): [number, number][] {
  const points = [...new Set(cuts.map((c) => c % (n + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...points.filter((p) => p > 0 && p < n), n];
  return bounds.slice(0, -1).map((b, t) => [b, bounds[t + 1]]);
}

describe('the genome screen (properties)', () => {
  it('gives bit-identical neighbours to computing every genome pair, whole and in movie ranges', () => {
    fc.assert(
      fc.property(screened, (c) => {
        const matrix = csrOf(c.rows, c.features, 5);
        const opts = { k: c.k, genomeWeight: c.genomeWeight, blockRows: c.blockRows };
        const dense = contentNeighbours({ matrix }, c.genome, { ...opts, genomeScreen: false });
        const stats: ScreenStats = { screened: 0, exact: 0, known: 0 };
        expect(contentNeighbours({ matrix }, c.genome, { ...opts, genomeScreen: true, screenStats: stats })).toEqual(dense);
        // The screen saw every pair of non-zero genome rows.
        let live = 0;
        for (let g = 0; g < c.genomeRows.length; g++) if (c.genome.relevance.subarray(g * c.dims, (g + 1) * c.dims).some((x) => x > 0)) live++;
        expect(stats.screened).toBe(live > 1 ? (live * (live - 1)) / 2 : 0);
        const parts = partition(c.movies, c.cuts).map((movieRange) => contentNeighbours({ matrix }, c.genome, { ...opts, genomeScreen: true, movieRange }));
        expect(mergeNeighbours(parts)).toEqual(dense);
      }),
      { numRuns: 300 },
    );
  });
});
