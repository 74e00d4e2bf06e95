/**
 * The real intermediate data of the pipeline, one function per walkthrough step, so a learner
 * sees the actual arrays of the loaded set rather than a diagram. Small outputs (a few rows,
 * a few numbers) from the big arrays; the heavy ones run in the explore worker.
 */
import type { ChunkedCsr, IdMap, Neighbours, SimilarityKind } from '../types';
import type { MovieColumns } from './movie-columns';
import { rowLocator } from '../matrix/csr';
import { NEUTRAL_RATING } from '../model/recommend';

// ---------------------------------------------------------------- step 1: the ratings file

export type RatingsFileFormat = 'csv' | 'dat' | 'tab';

/** The layout the loaded ratings came in, from the file names the summary lists. */
export function ratingsFormatOf(files: string[]): RatingsFileFormat {
  if (files.some((f) => /ratings\.dat$/i.test(f))) return 'dat';
  if (files.some((f) => /(^|\/)u\.data$/i.test(f))) return 'tab';
  return 'csv';
}

/**
 * The first `limit` ratings written back in the file's own layout (header included for CSV),
 * users ascending and, within a user, movies ascending. MovieLens files are sorted that way, so
 * these are the file's first lines; the file itself is not kept, only the matrix.
 */
export function ratingsFileLines(byUser: ChunkedCsr, users: IdMap, movies: IdMap, limit: number, format: RatingsFileFormat): string[] {
  const out: string[] = format === 'csv' ? ['userId,movieId,rating,timestamp'] : [];
  const sep = format === 'csv' ? ',' : format === 'dat' ? '::' : '\t';
  let left = limit;
  for (const ch of byUser.chunks) {
    for (let r = 0; r < ch.rowCount && left > 0; r++) {
      const userId = users.ids[ch.firstRow + r];
      for (let p = ch.indptr[r]; p < ch.indptr[r + 1] && left > 0; p++, left--) {
        const v = ch.values[p];
        // ratings.csv writes "4.0" and "3.5"; the .dat and u.data releases whole stars "4".
        const stars = format === 'csv' ? (Number.isInteger(v) ? v.toFixed(1) : String(v)) : String(v);
        out.push([userId, movies.ids[ch.indices[p]], stars, ch.timestamps?.[p] ?? 0].join(sep));
      }
    }
    if (left === 0) break;
  }
  return out;
}

// ---------------------------------------------------------------- step 2: id maps

export interface IdMapSample {
  count: number;
  /** The first rows of the map: dense index -> raw id. */
  head: { index: number; id: number }[];
  /** The last row, to show the raw ids are not contiguous. */
  last: { index: number; id: number } | null;
  /** The largest raw id: how big a lookup table indexed by raw id has to be. */
  maxId: number;
}

export function idMapSample(map: IdMap, limit: number): IdMapSample {
  const n = map.ids.length;
  const head = Array.from({ length: Math.min(limit, n) }, (_, index) => ({ index, id: map.ids[index] }));
  return { count: n, head, last: n > 0 ? { index: n - 1, id: map.ids[n - 1] } : null, maxId: n > 0 ? map.ids[n - 1] : 0 };
}

// ---------------------------------------------------------------- step 3: one CSR column

export interface MovieColumnSlice {
  movie: number;
  /** indptr[movie] and indptr[movie+1]: the movie's entries are start..end-1. */
  start: number;
  end: number;
  /** indptr around the movie: indptr[from .. from+values.length-1]. */
  indptrFrom: number;
  indptrValues: number[];
  /** The first `limit` entries of the movie's row: dense user indices and ratings. */
  userIndex: number[];
  ratings: number[];
}

export function movieColumn(cols: MovieColumns, movie: number, limit: number): MovieColumnSlice {
  checkMovie(cols, movie);
  const start = cols.indptr[movie];
  const end = cols.indptr[movie + 1];
  const from = Math.max(0, movie - 2);
  const to = Math.min(cols.movies, movie + 3);
  const shown = Math.min(end, start + limit);
  return {
    movie,
    start,
    end,
    indptrFrom: from,
    indptrValues: Array.from(cols.indptr.subarray(from, to + 1)),
    userIndex: Array.from(cols.userIndex.subarray(start, shown)),
    ratings: Array.from(cols.ratings.subarray(start, shown)),
  };
}

// ---------------------------------------------------------------- step 4: memory

export interface MemoryFootprint {
  users: number;
  /** Every movie in the id space: listed in the movies file or rated. */
  movies: number;
  nnz: number;
  /** users × movies × 8: one float64 per cell, as numpy would store a dense matrix. */
  denseBytes: number;
  /** The movie-by-user CSR: indptr (movies+1)×4 + user indices nnz×4 + ratings nnz×4, from the arrays themselves. */
  indptrBytes: number;
  indexBytes: number;
  valueBytes: number;
  sparseBytes: number;
}

export function memoryFootprint(cols: MovieColumns): MemoryFootprint {
  const indptrBytes = cols.indptr.byteLength;
  const indexBytes = cols.userIndex.byteLength;
  const valueBytes = cols.ratings.byteLength;
  return {
    users: cols.users,
    movies: cols.movies,
    nnz: cols.nnz,
    denseBytes: cols.users * cols.movies * 8,
    indptrBytes,
    indexBytes,
    valueBytes,
    sparseBytes: indptrBytes + indexBytes + valueBytes,
  };
}

// ---------------------------------------------------------------- step 5: one cosine, by hand

/**
 * The values the similarity works on, per movie column: raw ratings for 'cosine'; for
 * 'adjusted-cosine' each rating minus its user's mean, rounded to float32 exactly as
 * computeNeighbours stores its centred copies.
 */
export function columnValues(cols: MovieColumns, kind: SimilarityKind, userMean?: Float64Array): Float32Array {
  if (kind === 'cosine') return cols.ratings;
  if (!userMean) throw new Error('columnValues: adjusted cosine needs the user means (userMeans(byUser)).');
  const out = new Float32Array(cols.nnz);
  for (let p = 0; p < cols.nnz; p++) out[p] = cols.ratings[p] - userMean[cols.userIndex[p]];
  return out;
}

export interface CoRater {
  user: number;
  /** The values used (raw or centred) for movie i and movie j. */
  xi: number;
  xj: number;
  product: number;
}

export interface WorkedCosine {
  kind: SimilarityKind;
  i: number;
  j: number;
  /** The first co-raters, users ascending (the table is truncated; the sums are not). */
  coRaters: CoRater[];
  coCount: number;
  ratersI: number;
  ratersJ: number;
  dot: number;
  /** ‖x_i‖ over ALL of movie i's ratings, not only the co-raters. */
  normI: number;
  normJ: number;
  /** dot / (normI · normJ) in float64. */
  cosine: number;
}

/** sim(i,j) = Σ_u x_ui·x_uj / (‖x_i‖·‖x_j‖), summed in the same order (users ascending) as computeNeighbours. */
export function workedCosine(cols: MovieColumns, values: Float32Array, i: number, j: number, kind: SimilarityKind, limit: number): WorkedCosine {
  checkMovie(cols, i);
  checkMovie(cols, j);
  const { indptr, userIndex } = cols;
  const coRaters: CoRater[] = [];
  let dot = 0;
  let coCount = 0;
  let a = indptr[i];
  let b = indptr[j];
  const aEnd = indptr[i + 1];
  const bEnd = indptr[j + 1];
  while (a < aEnd && b < bEnd) {
    const ua = userIndex[a];
    const ub = userIndex[b];
    if (ua < ub) a++;
    else if (ub < ua) b++;
    else {
      const product = values[a] * values[b];
      dot += product;
      if (coCount < limit) coRaters.push({ user: ua, xi: values[a], xj: values[b], product });
      coCount++;
      a++;
      b++;
    }
  }
  const normI = Math.sqrt(sumSquares(values, indptr[i], aEnd));
  const normJ = Math.sqrt(sumSquares(values, indptr[j], bEnd));
  const cosine = normI > 0 && normJ > 0 ? dot / (normI * normJ) : NaN;
  return { kind, i, j, coRaters, coCount, ratersI: aEnd - indptr[i], ratersJ: bEnd - indptr[j], dot, normI, normJ, cosine };
}

/** The similarity the model stored for (i, j): j among i's top-K, else i among j's; undefined when neither kept it. */
export function storedSimilarity(n: Neighbours, i: number, j: number): number | undefined {
  for (const [x, y] of [
    [i, j],
    [j, i],
  ]) {
    const h = x * n.k;
    for (let t = 0; t < n.count[x]; t++) if (n.index[h + t] === y) return n.similarity[h + t];
  }
  return undefined;
}

// ---------------------------------------------------------------- step 6: one movie's top-K

export interface OneNeighbour {
  index: number;
  similarity: number;
  coCount: number;
}

/**
 * The top-k neighbours of ONE movie, exactly as computeNeighbours would list them for the same
 * k, kind and minRatings: same sums in the same order, same float32 rounding, same tie order
 * (similarity descending, lower index first). Cost: the ratings of the movie's raters, O(Σ rows).
 */
export function neighboursOfOne(
  cols: MovieColumns,
  byUser: ChunkedCsr,
  values: Float32Array,
  userValues: Float32Array[],
  movie: number,
  opts: { k: number; minRatings: number },
): OneNeighbour[] {
  checkMovie(cols, movie);
  const n = cols.movies;
  const invNorm = inverseNorms(cols, values, opts.minRatings);
  if (invNorm[movie] !== invNorm[movie]) return [];
  const dot = new Float64Array(n);
  const co = new Int32Array(n);
  const loc = rowLocator(byUser);
  for (let q = cols.indptr[movie]; q < cols.indptr[movie + 1]; q++) {
    const u = cols.userIndex[q];
    const x = values[q];
    const c = loc[u];
    const ch = byUser.chunks[c];
    const val = userValues[c];
    const r = u - ch.firstRow;
    for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) {
      const j = ch.indices[p];
      if (j === movie) continue;
      co[j]++;
      dot[j] += x * val[p];
    }
  }
  const out: OneNeighbour[] = [];
  for (let j = 0; j < n; j++) {
    if (co[j] === 0 || invNorm[j] !== invNorm[j]) continue;
    // computeNeighbours multiplies by the lower index's inverse norm first: same rounding.
    const [lo, hi] = movie < j ? [movie, j] : [j, movie];
    out.push({ index: j, similarity: Math.fround(dot[j] * invNorm[lo] * invNorm[hi]), coCount: co[j] });
  }
  out.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
  return out.slice(0, opts.k);
}

/** The user-major values matching `values`: raw, or centred by each user's mean (float32). */
export function userRowValues(byUser: ChunkedCsr, kind: SimilarityKind, userMean?: Float64Array): Float32Array[] {
  if (kind === 'cosine') return byUser.chunks.map((c) => c.values);
  if (!userMean) throw new Error('userRowValues: adjusted cosine needs the user means.');
  return byUser.chunks.map((ch) => {
    const out = new Float32Array(ch.values.length);
    for (let r = 0; r < ch.rowCount; r++) {
      const mu = userMean[ch.firstRow + r];
      for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) out[p] = ch.values[p] - mu;
    }
    return out;
  });
}

/** 1/‖x_m‖ per movie, NaN for a movie below minRatings or with a zero column (as in computeNeighbours). */
function inverseNorms(cols: MovieColumns, values: Float32Array, minRatings: number): Float64Array {
  const inv = new Float64Array(cols.movies);
  for (let m = 0; m < cols.movies; m++) {
    const start = cols.indptr[m];
    const end = cols.indptr[m + 1];
    const ss = sumSquares(values, start, end);
    inv[m] = end - start >= minRatings && ss > 0 ? 1 / Math.sqrt(ss) : NaN;
  }
  return inv;
}

// ---------------------------------------------------------------- step 7: a recommendation, summed

export interface Contribution {
  /** The rated movie the evidence comes from. */
  from: number;
  rating: number;
  similarity: number;
  /** similarity × (rating − 3). */
  term: number;
}

export interface SummedCandidate {
  movie: number;
  /** Σ of the terms: the score recommendFor ranks by. */
  score: number;
  contributions: Contribution[];
}

/**
 * The recommendFor sum laid open: every unrated neighbour j of a rated movie i gets
 * sim(i,j)·(r_i − 3); candidates with a positive total, best first (ties: lower index).
 */
export function summedRecommendations(n: Neighbours, mine: { movie: number; rating: number }[], limit: number): SummedCandidate[] {
  const rated = new Map<number, number>();
  for (const r of mine) rated.set(r.movie, r.rating);
  const byCandidate = new Map<number, Contribution[]>();
  for (const [i, rating] of rated) {
    const h = i * n.k;
    for (let t = 0; t < n.count[i]; t++) {
      const j = n.index[h + t];
      if (rated.has(j)) continue;
      const similarity = n.similarity[h + t];
      const list = byCandidate.get(j) ?? [];
      list.push({ from: i, rating, similarity, term: similarity * (rating - NEUTRAL_RATING) });
      byCandidate.set(j, list);
    }
  }
  const out: SummedCandidate[] = [];
  for (const [movie, contributions] of byCandidate) {
    const score = contributions.reduce((s, c) => s + c.term, 0);
    if (score > 0) out.push({ movie, score, contributions });
  }
  out.sort((a, b) => b.score - a.score || a.movie - b.movie);
  return out.slice(0, limit);
}

// ----------------------------------------------------------------

function sumSquares(values: Float32Array, start: number, end: number): number {
  let ss = 0;
  for (let p = start; p < end; p++) ss += values[p] * values[p];
  return ss;
}

function checkMovie(cols: MovieColumns, movie: number): void {
  if (!(Number.isInteger(movie) && movie >= 0 && movie < cols.movies)) {
    throw new Error(`Movie index ${movie} is outside 0..${cols.movies - 1}; pick a movie from the list.`);
  }
}
