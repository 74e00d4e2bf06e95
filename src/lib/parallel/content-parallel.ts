/**
 * Content neighbours on every thread of the pool: movie ranges of about equal work (the genome
 * pairs dominate, and the first genome movies have the most of them), each computed whole by one
 * thread and merged. The result is bit-identical to one thread's (see contentNeighbours on
 * partitions), whatever the number of threads.
 */
import { balancedContentRanges } from '../content/content-ranges';
import type { GenomeMatrix } from '../content/genome-matrix';
import { mergeNeighbours } from '../model/similarity';
import type { CheckCancelled, ChunkedCsr, Neighbours } from '../types';
import type { ComputePool, RangeContentRequest } from './compute-pool';
import { shareForSimilarity } from './shared-csr';

export interface ContentParallelParams {
  k: number;
  genomeWeight: number;
  commonColumns: number;
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
          { matrix: m, commonColumns: params.commonColumns, genome: g, k: params.k, genomeWeight: params.genomeWeight, movieRange },
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
