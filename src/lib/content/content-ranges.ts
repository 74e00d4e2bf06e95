/**
 * Movie ranges of about equal work for contentNeighbours on several threads. A movie's work as
 * the lower index is dominated by its genome pairs: (genome rows after it) × dims multiply-adds,
 * so the first genome movies cost the most and equal ranges of movies would leave one thread
 * with most of the work. Rare-column pairs and the per-movie common walk are counted too, in
 * multiply-add equivalents.
 */
import type { ChunkedCsr } from '../types';
import type { GenomeMatrix } from './genome-matrix';

/**
 * One sparse pair update and offer, in genome multiply-adds (~10 ns against ~0.2 ns: the screen
 * bounds two pairs per multiply-add and skips most of them). At 25M the ranges finished 0.7 s
 * apart with half these two weights (set when a genome multiply-add cost ~0.4 ns), the range
 * with the genome's first rows first.
 */
const PAIR_COST = 50;
/** A movie's common-only walk and its row of C, in genome multiply-adds (~20 µs). */
const MOVIE_COST = 100_000;

/** Work per movie as the lower index of its pairs, in genome multiply-add equivalents. */
export function contentWorkByMovie(matrix: ChunkedCsr, commonColumns: number, genome: Pick<GenomeMatrix, 'rows' | 'dims'> | undefined): Float64Array {
  const n = matrix.rows;
  const work = new Float64Array(n).fill(MOVIE_COST);
  if (genome) {
    const nG = genome.rows.length;
    for (let r = 0; r < nG; r++) work[genome.rows[r]] += (nG - r - 1) * genome.dims;
  }
  // Rare pairs: for each rare column, the movies after i that have it.
  const moviesWith = new Int32Array(matrix.cols);
  for (const ch of matrix.chunks) for (let p = 0; p < ch.indptr[ch.rowCount]; p++) if (ch.indices[p] >= commonColumns) moviesWith[ch.indices[p]]++;
  const seen = new Int32Array(matrix.cols);
  for (const ch of matrix.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      let pairs = 0;
      for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) {
        const f = ch.indices[p];
        if (f < commonColumns) continue;
        pairs += moviesWith[f] - ++seen[f];
      }
      work[ch.firstRow + r] += PAIR_COST * pairs;
    }
  }
  return work;
}

/** [0, rows) cut into at most `parts` consecutive ranges of about equal contentWorkByMovie. */
export function balancedContentRanges(
  matrix: ChunkedCsr,
  commonColumns: number,
  genome: Pick<GenomeMatrix, 'rows' | 'dims'> | undefined,
  parts: number,
): [number, number][] {
  const work = contentWorkByMovie(matrix, commonColumns, genome);
  const n = work.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += work[i];
  const want = Math.max(1, Math.floor(parts));
  const ranges: [number, number][] = [];
  let start = 0;
  let acc = 0;
  for (let i = 0; i < n && ranges.length < want - 1; i++) {
    acc += work[i];
    if (acc >= (total * (ranges.length + 1)) / want) {
      ranges.push([start, i + 1]);
      start = i + 1;
    }
  }
  ranges.push([start, n]);
  return ranges;
}
