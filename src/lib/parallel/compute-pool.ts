import type { ChunkedCsr, Neighbours, SimilarityKind } from '../types';
import type { RatingsParseResult } from '../formats/ratings-csv';
import type { InputFile } from '../pipeline/input-files';
import type { HalfStepRequest } from '../recommend/ials';
import type { GenomeMatrix } from '../content/genome-matrix';
import type { BarPairs, GenomeThresholds } from '../content/genome-thresholds';

/** Bytes [start, end) of a file; a range owns the lines that start inside it. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface RangeParseRequest {
  file: InputFile;
  range: ByteRange;
  skipBadLines?: boolean;
}

export interface RangeNeighboursRequest {
  byMovie: ChunkedCsr;
  byUser: ChunkedCsr;
  k: number;
  kind: SimilarityKind;
  minRatings: number;
  movieRange: [number, number];
  /** byUser packed once for every thread (packedRowCodes, shared memory), when it applies. */
  rowCodes?: Int32Array[];
}

/** One movie range of the content neighbours (see contentNeighbours' movieRange). */
export interface RangeContentRequest {
  /** The content features (ContentFeatures.matrix), on shared memory when the pool has it. */
  matrix: ChunkedCsr;
  /** Leading genre and era columns (contentNeighbours' commonColumns). */
  commonColumns: number;
  /** The tag genome without its tag names, which the threads never read. */
  genome?: Pick<GenomeMatrix, 'rows' | 'dims' | 'relevance'>;
  k: number;
  genomeWeight: number;
  movieRange: [number, number];
  /** The genome screen's bars for this range, computed once for all ranges (contentNeighbours' genomeBars). */
  genomeBars?: GenomeThresholds;
  /** contentNeighbours' genomeScreen (tests force the screen on small genomes with it). */
  genomeScreen?: boolean;
}

/** One slice of genome rows of the screen's candidate pairs (contentGenomeBarPairs). */
export interface RangeBarsRequest {
  matrix: ChunkedCsr;
  genome: Pick<GenomeMatrix, 'rows' | 'dims' | 'relevance'>;
  k: number;
  genomeWeight: number;
  rowRange: [number, number];
}

/**
 * A set of threads that run the two parallel stages. The browser implements it with Web
 * Workers (Comlink), the benchmark with Node worker threads; the coordinator does not care
 * which. Calls beyond `size` queue until a thread is free.
 */
export interface ComputePool {
  readonly size: number;
  /** True when typed arrays on SharedArrayBuffers reach the threads without a copy. */
  readonly sharedMemory: boolean;
  parseRatingsRange(request: RangeParseRequest, onBytes: (bytesDone: number) => void): Promise<RatingsParseResult>;
  neighbours(request: RangeNeighboursRequest, onProgress: (moviesDone: number, pairUpdates: number) => void): Promise<Neighbours>;
  /** The genome screen's candidate pairs of one slice of genome rows, to merge with mergeBarPairs. */
  contentBars(request: RangeBarsRequest): Promise<BarPairs>;
  /** Content neighbours of one movie range, to merge with mergeNeighbours. */
  contentNeighbours(request: RangeContentRequest, onProgress: (moviesDone: number, multiplyAdds: number) => void): Promise<Neighbours>;
  /** One iALS half-step over a range of rows: their new factors (rowCount × f). */
  ialsRows(request: HalfStepRequest, onRows: (rowsDone: number) => void): Promise<Float32Array>;
  dispose(): void;
}

/**
 * Splits [0, size) into `parts` ranges of nearly equal bytes. The cut points need not fall on
 * line breaks: the parser gives each line to the range it starts in.
 */
export function splitByteRanges(size: number, parts: number): ByteRange[] {
  const n = Math.max(1, Math.min(parts, Math.ceil(size / (1 << 20)) || 1));
  const ranges: ByteRange[] = [];
  for (let p = 0; p < n; p++) {
    ranges.push({ start: Math.floor((size * p) / n), end: Math.floor((size * (p + 1)) / n) });
  }
  return ranges;
}
