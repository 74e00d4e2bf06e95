import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentNeighbours } from '../../../src/lib/content/content-neighbours';
import { contentCosine } from '../../../src/lib/content/content-pair';
import type { GenomeMatrix } from '../../../src/lib/content/genome-matrix';
import { neighboursOf } from '../../../src/lib/model/similarity';
import { csrOf, type Entry } from '../../unit/content/brute-content';

/** Small random content: sparse rows and a genome over a subset of the movies. */
const content = fc
  .record({ movies: fc.integer({ min: 2, max: 14 }), features: fc.integer({ min: 0, max: 6 }), dims: fc.integer({ min: 1, max: 6 }) })
  .chain(({ movies, features, dims }) =>
    fc.record({
      movies: fc.constant(movies),
      features: fc.constant(features),
      dims: fc.constant(dims),
      rows: fc.array(
        fc.uniqueArray(fc.record({ col: fc.integer({ min: 0, max: Math.max(0, features - 1) }), value: fc.integer({ min: 1, max: 40 }).map((q) => q / 40) }), {
          selector: (e) => e.col,
          maxLength: features,
        }),
        { minLength: movies, maxLength: movies },
      ),
      genomeRows: fc.subarray(Array.from({ length: movies }, (_, i) => i)),
      cells: fc.array(
        fc.oneof(
          fc.constant(0),
          fc.integer({ min: 0, max: 40 }).map((q) => q / 40),
        ),
        { minLength: movies * dims, maxLength: movies * dims },
      ),
      genomeWeight: fc.constantFrom(0, 0.5, 2),
    }),
  );

describe('contentCosine (property)', () => {
  it('is the similarity contentNeighbours lists for every pair, and 0 for a pair it does not list', () => {
    fc.assert(
      fc.property(content, (c) => {
        const rows: Entry[][] = c.rows.map((r) => [...r].sort((a, b) => a.col - b.col));
        const matrix = csrOf(rows, c.features, 3);
        const genome: GenomeMatrix = {
          tagNames: Array.from({ length: c.dims }, (_, t) => `tag ${t}`),
          rows: Int32Array.from(c.genomeRows),
          dims: c.dims,
          relevance: Float32Array.from(c.genomeRows.flatMap((i) => c.cells.slice(i * c.dims, (i + 1) * c.dims))),
        };
        // k = every other movie: the lists hold every pair with a candidate similarity.
        const nb = contentNeighbours({ matrix }, genome, { k: c.movies, genomeWeight: c.genomeWeight });
        const explainable = { features: { matrix, featureNames: [] }, genome, genomeWeight: c.genomeWeight };
        for (let a = 0; a < c.movies; a++) {
          const listed = new Map(neighboursOf(nb, a).map((n) => [n.index, n.similarity]));
          for (let b = 0; b < c.movies; b++) {
            if (b === a) continue;
            const s = contentCosine(explainable, a, b);
            // Both float32; the sums are ordered differently, so allow one float32 step.
            expect(s).toBeCloseTo(listed.get(b) ?? 0, 6);
            expect(contentCosine(explainable, b, a)).toBe(s);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
