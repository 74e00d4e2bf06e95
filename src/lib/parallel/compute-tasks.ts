import type { Neighbours } from '../types';
import { parseRatingsCsv, type RatingsParseResult } from '../formats/ratings-csv';
import { computeNeighbours } from '../model/similarity';
import type { RangeBarsRequest, RangeContentRequest, RangeNeighboursRequest, RangeParseRequest } from './compute-pool';
import { contentGenomeBarPairs, contentNeighbours } from '../content/content-neighbours';
import type { BarPairs } from '../content/genome-thresholds';
import { solveRows, type HalfStepRequest } from '../recommend/ials';

/** What one pool thread does for a parse request; the browser worker and the Node thread both call it. */
export function runParseRange(request: RangeParseRequest, onBytes: (bytesDone: number) => void): Promise<RatingsParseResult> {
  return parseRatingsCsv(request.file.blob, {
    fileName: request.file.name,
    range: request.range,
    skipBadLines: request.skipBadLines,
    // Shared where the platform has it, so the batches go back to the coordinator uncopied.
    sharedMemory: typeof SharedArrayBuffer !== 'undefined',
    onProgress: (bytesDone) => onBytes(bytesDone),
  });
}

/** What one pool thread does for a neighbours request. */
export function runNeighbours(request: RangeNeighboursRequest, onProgress: (moviesDone: number, pairUpdates: number) => void): Neighbours {
  return computeNeighbours(request.byMovie, request.byUser, {
    k: request.k,
    kind: request.kind,
    minRatings: request.minRatings,
    movieRange: request.movieRange,
    rowCodes: request.rowCodes,
    onProgress: (moviesDone, _total, pairs) => onProgress(moviesDone, pairs),
  });
}

/** What one pool thread does for a slice of the genome screen's candidate pairs. */
export function runContentBars(request: RangeBarsRequest): BarPairs {
  return contentGenomeBarPairs({ matrix: request.matrix }, request.genome, { k: request.k, genomeWeight: request.genomeWeight, rowRange: request.rowRange });
}

/** What one pool thread does for a content neighbours range. */
export function runContentNeighbours(request: RangeContentRequest, onProgress: (moviesDone: number, multiplyAdds: number) => void): Neighbours {
  return contentNeighbours({ matrix: request.matrix }, request.genome, {
    k: request.k,
    genomeWeight: request.genomeWeight,
    commonColumns: request.commonColumns,
    movieRange: request.movieRange,
    genomeBars: request.genomeBars,
    genomeScreen: request.genomeScreen,
    onProgress: (moviesDone, _total, macs) => onProgress(moviesDone, macs),
  });
}

/** What one pool thread does for an iALS half-step range. */
export function runIalsRows(request: HalfStepRequest, onRows: (rowsDone: number) => void): Float32Array {
  return solveRows(request, undefined, onRows);
}
