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
      cells: fc.array(
        fc.oneof(
          fc.constant(0),
          fc.integer({ min: 0, max: 40 }).map((q) => q / 40),
        ),
        {
          minLength: movies * dims,
          maxLength: movies * dims,
        },
      ),
      genomeWeight: fc.constantFrom(0, 0.5, 2),
      k: fc.integer({ min: 1, max: 6 }),
      blockRows: fc.integer({ min: 1, max: 6 }),
      rowsPerChunk: fc.integer({ min: 1, max: 8 }),
      withGenome: fc.boolean(),
      // The leading columns found by profile classes rather than pair by pair (genres and era in
      // the app); any split must give the same neighbours.
      commonShare: fc.double({ min: 0, max: 1, noNaN: true }),
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
    return { ...c, rows, genome, commonColumns: Math.round(c.commonShare * c.features) };
  });

/**
 * Content where many movies share a common part, as genres and era do: a few profiles over the
 * leading `common` columns, rare columns (tags) on some movies, a genome on some. Exercises the
 * class walk: classes with many members, ties, movies excluded for sharing a tag, longer orders.
 */
const profiled = fc
  .record({
    movies: fc.integer({ min: 1, max: 40 }),
    common: fc.integer({ min: 1, max: 4 }),
    rare: fc.integer({ min: 0, max: 4 }),
    dims: fc.integer({ min: 1, max: 5 }),
  })
  .chain(({ movies, common, rare, dims }) =>
    fc.record({
      movies: fc.constant(movies),
      common: fc.constant(common),
      rare: fc.constant(rare),
      dims: fc.constant(dims),
      profiles: fc.array(
        fc.uniqueArray(fc.record({ col: fc.integer({ min: 0, max: common - 1 }), value: fc.constantFrom(0.25, 0.5, 1) }), {
          selector: (e) => e.col,
          minLength: 1,
        }),
        { minLength: 1, maxLength: 4 },
      ),
      profileOf: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: movies, maxLength: movies }),
      rareRows: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, rare - 1) }), { maxLength: rare }), { minLength: movies, maxLength: movies }),
      genomeRows: fc.subarray(Array.from({ length: movies }, (_, i) => i)),
      cells: fc.array(
        fc.integer({ min: 0, max: 4 }).map((q) => q / 4),
        { minLength: movies * dims, maxLength: movies * dims },
      ),
      k: fc.integer({ min: 1, max: 6 }),
      cuts: fc.array(fc.nat(), { maxLength: 2 }),
    }),
  )
  .map((c) => {
    const rows: Entry[][] = c.profileOf.map((p, i) => [
      ...(p >= 0 && p < c.profiles.length ? [...c.profiles[p]].sort((x, y) => x.col - y.col) : []),
      ...(c.rare === 0 ? [] : [...c.rareRows[i]].sort((x, y) => x - y).map((f) => ({ col: c.common + f, value: 1 }))),
    ]);
    const genome: GenomeMatrix = {
      tagNames: Array.from({ length: c.dims }, (_, t) => `t${t}`),
      rows: Int32Array.from(c.genomeRows),
      dims: c.dims,
      relevance: Float32Array.from(c.cells.slice(0, c.genomeRows.length * c.dims)),
    };
    return { ...c, rows, genome, features: c.common + c.rare };
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
        const nb = contentNeighbours({ matrix }, c.genome, { k: c.k, genomeWeight: c.genomeWeight, blockRows: c.blockRows, commonColumns: c.commonColumns });
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
        const opts = { k: c.k, genomeWeight: c.genomeWeight, blockRows: c.blockRows, commonColumns: c.commonColumns };
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

  it('finds the same neighbours when genres and era are walked by profile class, in 1–3 ranges', () => {
    fc.assert(
      fc.property(profiled, (c) => {
        const matrix = csrOf(c.rows, c.features, 7);
        const opts = { k: c.k, genomeWeight: 2, blockRows: 3 };
        const ref = bruteContentNeighbours(c.rows, c.features, c.genome, 2, c.k);
        const byClass = contentNeighbours({ matrix }, c.genome, { ...opts, commonColumns: c.common });
        for (let i = 0; i < c.movies; i++) {
          const ours = neighboursOf(byClass, i);
          expect(ours.map((e) => e.index)).toEqual(ref[i].map((e) => e.index));
          ours.forEach((e, t) => {
            expect(Math.abs(e.similarity - ref[i][t].similarity)).toBeLessThanOrEqual(1e-6);
            expect(e.coCount).toBe(ref[i][t].coCount);
          });
        }
        const parts = partition(c.movies, c.cuts).map((movieRange) =>
          contentNeighbours({ matrix }, c.genome, { ...opts, commonColumns: c.common, movieRange }),
        );
        expect(mergeNeighbours(parts)).toEqual(byClass);
      }),
      { numRuns: 200 },
    );
  });
});
