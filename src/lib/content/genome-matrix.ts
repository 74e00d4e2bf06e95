/**
 * The tag genome as a dense movies × tags matrix in the model's movie index space: one Float32
 * row per movie that has genome scores, tag columns in tagId order. This is the layout the
 * blocked dot-product kernel of content-neighbours.ts reads (rows contiguous, stride `dims`).
 */
import type { GenomeScores, GenomeTags } from '../formats/genome';
import { createIndexer } from '../matrix/id-map';
import { InputError, type IdMap } from '../types';

export interface GenomeMatrix {
  /** tagNames[c] is the text of column c; columns are in ascending tagId order. */
  tagNames: string[];
  /** Dense movie index of each genome row, strictly ascending. */
  rows: Int32Array;
  /** Columns (genome tags) per row. */
  dims: number;
  /** rows.length × dims relevances in 0..1, row-major: row g spans [g·dims, (g+1)·dims). */
  relevance: Float32Array;
}

export interface GenomeMatrixOptions {
  /** Names the scores file in messages (default "genome-scores.csv"). */
  scoresFile?: string;
  /** Names the tags file in messages (default "genome-tags.csv"). */
  tagsFile?: string;
}

/**
 * Lays genome-scores.csv out as one dense row per movie of `movies` (movies outside the id map,
 * e.g. cut by a subset, are ignored). Every (movie, tag) cell must appear exactly once: the
 * genome is complete by construction, so a missing or repeated cell means a damaged or
 * truncated file, and it is reported with the movie and tag it concerns.
 */
export function genomeMatrix(scores: GenomeScores, tags: GenomeTags, movies: IdMap, opts: GenomeMatrixOptions = {}): GenomeMatrix {
  const scoresFile = opts.scoresFile ?? 'genome-scores.csv';
  const tagsFile = opts.tagsFile ?? 'genome-tags.csv';

  // Columns: tags sorted by id; a lookup from tagId to column.
  const order = Array.from({ length: tags.count }, (_, c) => c).sort((x, y) => tags.tagIds[x] - tags.tagIds[y]);
  const tagNames = order.map((c) => tags.tags[c]);
  const dims = order.length;
  const columnOf = new Map<number, number>();
  order.forEach((c, col) => {
    const id = tags.tagIds[c];
    if (columnOf.has(id)) {
      throw formatError(tagsFile, `tagId ${id} is listed twice`, 'each tagId once', `tagId ${id} twice`);
    }
    columnOf.set(id, col);
  });

  // Rows: the movies of the map that have at least one score, ascending (= raw-id order).
  const denseOf = createIndexer(movies);
  const nMovies = movies.ids.length;
  const rowOf = new Int32Array(nMovies).fill(-1);
  const n = scores.count;
  const denseOfScore = new Int32Array(n);
  for (let e = 0; e < n; e++) {
    const m = denseOf(scores.movieIds[e]);
    denseOfScore[e] = m;
    if (m >= 0) rowOf[m] = 0;
  }
  let nRows = 0;
  for (let m = 0; m < nMovies; m++) if (rowOf[m] === 0) rowOf[m] = nRows++;
  const rows = new Int32Array(nRows);
  for (let m = 0; m < nMovies; m++) if (rowOf[m] >= 0) rows[rowOf[m]] = m;

  const relevance = new Float32Array(nRows * dims);
  // One byte per cell: 15.6 MB for ML-25M, the price of naming the exact missing cell.
  const seen = new Uint8Array(nRows * dims);
  for (let e = 0; e < n; e++) {
    const m = denseOfScore[e];
    if (m < 0) continue;
    const tagId = scores.tagIds[e];
    const col = columnOf.get(tagId);
    if (col === undefined) {
      throw formatError(
        scoresFile,
        `movie ${scores.movieIds[e]} has a score for tagId ${tagId}, which ${tagsFile} does not list`,
        `tagIds listed in ${tagsFile}`,
        `tagId ${tagId}`,
      );
    }
    const cell = rowOf[m] * dims + col;
    if (seen[cell] !== 0) {
      throw formatError(
        scoresFile,
        `movie ${scores.movieIds[e]}, tagId ${tagId} has more than one score`,
        'one score per (movieId, tagId)',
        `a repeated (${scores.movieIds[e]}, ${tagId})`,
      );
    }
    seen[cell] = 1;
    relevance[cell] = scores.relevance[e];
  }
  const missing = seen.indexOf(0);
  if (missing >= 0) {
    const movieId = movies.ids[rows[Math.floor(missing / dims)]];
    const tagId = tags.tagIds[order[missing % dims]];
    let count = 0;
    for (let c = missing; c < seen.length; c++) count += seen[c] === 0 ? 1 : 0;
    throw formatError(
      scoresFile,
      `movie ${movieId} has no score for tagId ${tagId} (${count.toLocaleString('en')} (movie, tag) scores missing in all); every movie in the genome needs all ${dims} tags, so the file is probably truncated: unpack it again`,
      `a score for each of the ${dims} tags of every movie`,
      `no score for movie ${movieId}, tagId ${tagId}`,
    );
  }
  return { tagNames, rows, dims, relevance };
}

/** The genome row of a dense movie index, or -1 (binary search: rows is ascending). */
export function genomeRowOf(genome: GenomeMatrix, movie: number): number {
  const rows = genome.rows;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] < movie) lo = mid + 1;
    else hi = mid;
  }
  return lo < rows.length && rows[lo] === movie ? lo : -1;
}

function formatError(file: string, what: string, expected: string, found: string): InputError {
  return new InputError({ kind: 'format', file, expected, found, message: `${file}: ${what}.` });
}
