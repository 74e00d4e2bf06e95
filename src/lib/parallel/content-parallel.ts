/**
 * Content neighbours on every thread of the pool: movie ranges of about equal work (the genome
 * pairs dominate, and the first genome movies have the most of them), each computed whole by one
 * thread and merged. The result is bit-identical to one thread's (see contentNeighbours on
 * partitions), whatever the number of threads.
 *
 * When the genome is screened, its bars are computed first, once: each thread finds the
 * candidate pairs of a slice of the genome rows (contentGenomeBarPairs), and every range gets
 * the bars of the whole catalogue and the known pairs of its rows. Each range computed its own
 * before, for its rows onwards: at ML-25M's shape (K = 100, two threads) 4.3 s for the first
 * range and 3.4 s for the second, 7.7 s of CPU for what takes 4.3 s once.
 */
import { contentNeighbours, lowerBound, usesGenomeScreen } from '../content/content-neighbours';
import { balancedContentRanges } from '../content/content-ranges';
import { barsOf, knownIn, mergeBarPairs, type BarPairs, type GenomeThresholds } from '../content/genome-thresholds';
import type { GenomeMatrix } from '../content/genome-matrix';
import { mergeNeighbours } from '../model/similarity';
import type { CheckCancelled, ChunkedCsr, Neighbours } from '../types';
import type { ComputePool, RangeContentRequest } from './compute-pool';
import { shareForSimilarity } from './shared-csr';

export interface ContentParallelParams {
  k: number;
  genomeWeight: number;
  commonColumns: number;
  /** contentNeighbours' genomeScreen: default when it pays, true to force it (tests). */
  genomeScreen?: boolean;
}

/** A typed array's contents on a SharedArrayBuffer (as shared-csr.ts does for the CSRs). */
function onSharedMemory<T extends Int32Array | Float32Array>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Ctor = array.constructor as { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new Ctor(new SharedArrayBuffer(array.length * Ctor.BYTES_PER_ELEMENT));
  out.set(array);
  return out;
}

/**
 * One range per thread: each request carries the features and the genome (62 MB at ML-25M), so
 * every thread receives them once; with shared memory it is one copy read by all, otherwise a
 * copy each.
 */
export async function contentNeighboursParallel(
  pool: ComputePool,
  matrix: ChunkedCsr,
  genome: Pick<GenomeMatrix, 'rows' | 'dims' | 'relevance'> | undefined,
  params: ContentParallelParams,
  opts: { check?: CheckCancelled; onProgress?: (moviesDone: number, moviesTotal: number, multiplyAdds: number) => void } = {},
): Promise<Neighbours> {
  const shared = pool.sharedMemory && typeof SharedArrayBuffer !== 'undefined';
  const m = shared ? shareForSimilarity(matrix) : matrix;
  const g: RangeContentRequest['genome'] = genome && {
    rows: shared ? onSharedMemory(genome.rows) : genome.rows,
    dims: genome.dims,
    relevance: shared ? onSharedMemory(genome.relevance) : genome.relevance,
  };
  const ranges = balancedContentRanges(matrix, params.commonColumns, params.genomeWeight > 0 ? genome : undefined, pool.size);
  const bars = g && usesGenomeScreen(matrix, g, params.k, params.genomeWeight, params.genomeScreen) ? await sharedBars(pool, m, g, params, shared) : undefined;
  opts.check?.();
  const moviesDone = new Float64Array(ranges.length);
  const macsDone = new Float64Array(ranges.length);
  const report = () => {
    let movies = 0;
    let macs = 0;
    for (let r = 0; r < ranges.length; r++) {
      movies += moviesDone[r];
      macs += macsDone[r];
    }
    opts.onProgress?.(movies, matrix.rows, macs);
  };
  // Merged as they arrive: the merge is exact and the top-K unique, so arrival order does not matter.
  let merged: Neighbours | undefined;
  await Promise.all(
    ranges.map((movieRange, r) =>
      pool
        .contentNeighbours(
          {
            matrix: m,
            commonColumns: params.commonColumns,
            genome: g,
            k: params.k,
            genomeWeight: params.genomeWeight,
            movieRange,
            genomeBars: bars && g ? barsForRange(bars, g.rows, movieRange) : undefined,
            genomeScreen: params.genomeScreen,
          },
          (movies, macs) => {
            moviesDone[r] = movies;
            macsDone[r] = macs;
            report();
          },
        )
        .then((part) => {
          merged = merged ? mergeNeighbours([merged, part]) : part;
        }),
    ),
  );
  opts.check?.();
  return merged!;
}

/** The screen's candidate pairs of the whole genome, a slice of rows per thread, merged; and the bars they give. */
async function sharedBars(
  pool: ComputePool,
  matrix: ChunkedCsr,
  genome: NonNullable<RangeContentRequest['genome']>,
  params: ContentParallelParams,
  shared: boolean,
): Promise<{ pairs: BarPairs; tau: Float64Array }> {
  const nG = genome.rows.length;
  // Each row's candidate search and exact dot products cost about the same: equal slices.
  const slices = Array.from({ length: pool.size }, (_, t): [number, number] => [Math.floor((t * nG) / pool.size), Math.floor(((t + 1) * nG) / pool.size)]);
  const parts = await Promise.all(slices.map((rowRange) => pool.contentBars({ matrix, genome, k: params.k, genomeWeight: params.genomeWeight, rowRange })));
  const pairs = mergeBarPairs(parts);
  const kth = barsOf(pairs, nG, params.k);
  // One copy of tau for every range, on shared memory when the threads can read it there.
  const tau = shared ? new Float64Array(new SharedArrayBuffer(8 * nG)) : new Float64Array(nG);
  tau.set(kth);
  return { pairs, tau };
}

/** A range's bars: tau of every genome row, and the known pairs of its genome rows (those of its movies). */
function barsForRange(bars: { pairs: BarPairs; tau: Float64Array }, rows: Int32Array, [a, b]: [number, number]): GenomeThresholds {
  const gA = lowerBound(rows, a);
  const gB = lowerBound(rows, b);
  return { tau: bars.tau, ...knownIn(bars.pairs, gA, gB) };
}

/**
 * The content neighbours of the genome alone (no genres, era or tags): the workload of the
 * benchmarks' "genome alone" row, ML-25M's 13,816 × 1,128 relevances at the app's K. On the pool
 * when there is one, else on this thread.
 */
export async function genomeOnlyNeighbours(
  pool: ComputePool | undefined,
  genome: Pick<GenomeMatrix, 'rows' | 'dims' | 'relevance'>,
  movies: number,
  params: { k: number; genomeWeight: number },
): Promise<Neighbours> {
  const matrix: ChunkedCsr = {
    rows: movies,
    cols: 0,
    nnz: 0,
    chunks: [{ firstRow: 0, rowCount: movies, indptr: new Int32Array(movies + 1), indices: new Int32Array(0), values: new Float32Array(0) }],
  };
  const full = { ...params, commonColumns: 0 };
  return pool && pool.size > 1 ? contentNeighboursParallel(pool, matrix, genome, full) : contentNeighbours({ matrix }, genome, full);
}
