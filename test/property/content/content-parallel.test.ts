import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentNeighbours } from '../../../src/lib/content/content-neighbours';
import type { GenomeMatrix } from '../../../src/lib/content/genome-matrix';
import type { ComputePool, RangeBarsRequest, RangeContentRequest } from '../../../src/lib/parallel/compute-pool';
import { runContentBars, runContentNeighbours } from '../../../src/lib/parallel/compute-tasks';
import { contentNeighboursParallel } from '../../../src/lib/parallel/content-parallel';
import { csrOf, type Entry } from '../../unit/content/brute-content';

/** Runs each range on this thread through the pool interface, cloning as a thread boundary does. */
function pool(size: number, sharedMemory: boolean): ComputePool & { ranges: [number, number][]; sawShared: boolean; barSlices: [number, number][] } {
  const unused = () => Promise.reject(new Error('not used here'));
  const p = {
    size,
    sharedMemory,
    ranges: [] as [number, number][],
    sawShared: false,
    parseRatingsRange: unused,
    neighbours: unused,
    ialsRows: unused,
    barSlices: [] as [number, number][],
    async contentBars(request: RangeBarsRequest) {
      p.barSlices.push(request.rowRange);
      const cloned = structuredClone(request);
      await Promise.resolve();
      return structuredClone(runContentBars(cloned));
    },
    async contentNeighbours(request: RangeContentRequest, onProgress: (movies: number, macs: number) => void) {
      p.ranges.push(request.movieRange);
      p.sawShared ||= request.genome?.relevance.buffer instanceof SharedArrayBuffer;
      const cloned = structuredClone(request);
      await Promise.resolve(); // let the other ranges start, as threads would
      return structuredClone(runContentNeighbours(cloned, onProgress));
    },
    dispose() {},
  };
  return p;
}

/** Genres-and-era-like common columns, tag-like rare ones and a genome over some movies. */
const content = fc
  .record({
    movies: fc.integer({ min: 1, max: 30 }),
    common: fc.integer({ min: 0, max: 4 }),
    rare: fc.integer({ min: 0, max: 4 }),
    dims: fc.integer({ min: 1, max: 6 }),
  })
  .chain(({ movies, common, rare, dims }) =>
    fc.record({
      movies: fc.constant(movies),
      common: fc.constant(common),
      rare: fc.constant(rare),
      dims: fc.constant(dims),
      rows: fc.array(
        fc.uniqueArray(fc.record({ col: fc.integer({ min: 0, max: Math.max(0, common + rare - 1) }), value: fc.constantFrom(0.5, 1, 0.75) }), {
          selector: (e) => e.col,
          maxLength: common + rare,
        }),
        { minLength: movies, maxLength: movies },
      ),
      genomeRows: fc.subarray(Array.from({ length: movies }, (_, i) => i)),
      cells: fc.array(
        fc.integer({ min: 0, max: 8 }).map((q) => q / 8),
        { minLength: movies * dims, maxLength: movies * dims },
      ),
      k: fc.integer({ min: 1, max: 5 }),
      threads: fc.integer({ min: 1, max: 3 }),
      shared: fc.boolean(),
      genomeWeight: fc.constantFrom(0, 2),
    }),
  )
  .map((c) => {
    const rows: Entry[][] = c.rows.map((r) => (c.common + c.rare === 0 ? [] : [...r].sort((x, y) => x.col - y.col)));
    const genome: GenomeMatrix = {
      tagNames: Array.from({ length: c.dims }, (_, t) => `t${t}`),
      rows: Int32Array.from(c.genomeRows),
      dims: c.dims,
      relevance: Float32Array.from(c.cells.slice(0, c.genomeRows.length * c.dims)),
    };
    return { ...c, rows, genome };
  });

describe('contentNeighboursParallel (property)', () => {
  it('is bit-identical to one thread for 1–3 threads, shared or copied', async () => {
    await fc.assert(
      fc.asyncProperty(content, async (c) => {
        const matrix = csrOf(c.rows, c.common + c.rare, 4);
        const params = { k: c.k, genomeWeight: c.genomeWeight, commonColumns: c.common };
        const one = contentNeighbours({ matrix }, c.genome, params);
        const threads = pool(c.threads, c.shared);
        const many = await contentNeighboursParallel(threads, matrix, c.genome, params);
        expect(many).toEqual(one);
        // The ranges cover every movie once, one per thread at most.
        expect(threads.ranges.length).toBeLessThanOrEqual(c.threads);
        const covered = threads.ranges.sort((a, b) => a[0] - b[0]).flatMap(([a, b]) => Array.from({ length: b - a }, (_, t) => a + t));
        expect(covered).toEqual(Array.from({ length: c.movies }, (_, i) => i));
        if (c.shared && c.genomeRows.length > 0) expect(threads.sawShared).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('with the genome screen on, computes the bars once on the threads and stays bit-identical to the dense kernel on one thread', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 1, max: 1e6 }),
          movies: fc.integer({ min: 40, max: 90 }),
          k: fc.integer({ min: 1, max: 6 }),
          threads: fc.integer({ min: 2, max: 3 }),
          shared: fc.boolean(),
        }),
        async (c) => {
          // A genome over most movies, values in [0, 1] as the screen needs, and tag-like features.
          let x = c.seed;
          const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296;
          const genomeRows = Array.from({ length: c.movies }, (_, i) => i).filter(() => next() < 0.8);
          const dims = 7;
          const genome: GenomeMatrix = {
            tagNames: Array.from({ length: dims }, (_, t) => `t${t}`),
            rows: Int32Array.from(genomeRows),
            dims,
            relevance: Float32Array.from({ length: genomeRows.length * dims }, () => Math.round(next() ** 2 * 8) / 8),
          };
          const rows: Entry[][] = Array.from({ length: c.movies }, () => [0, 1, 2, 3].filter(() => next() < 0.3).map((col) => ({ col, value: 1 })));
          const matrix = csrOf(rows, 4, 8);
          const params = { k: c.k, genomeWeight: 2, commonColumns: 1 };
          const one = contentNeighbours({ matrix }, genome, { ...params, genomeScreen: false });
          const threads = pool(c.threads, c.shared);
          const many = await contentNeighboursParallel(threads, matrix, genome, { ...params, genomeScreen: true });
          expect(many).toEqual(one);
          expect(threads.barSlices.sort((a, b) => a[0] - b[0])).toEqual(
            Array.from({ length: c.threads }, (_, t) => [
              Math.floor((t * genomeRows.length) / c.threads),
              Math.floor(((t + 1) * genomeRows.length) / c.threads),
            ]),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
