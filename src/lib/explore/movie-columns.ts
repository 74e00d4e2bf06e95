/**
 * The movie-by-user orientation of the ratings, rebuilt from the user-major matrix the model
 * keeps. One flat CSR (not chunked): the explore views read single columns and whole-matrix
 * byte counts, and one set of arrays is the clearest thing to show a learner.
 *
 * matrix/csr.ts has transposeCsr, but it gives a chunked matrix; the walkthrough shows one flat
 * set of arrays, so this keeps its own flat transpose rather than joining chunks afterwards.
 */
import type { ChunkedCsr } from '../types';

/**
 * Rows are dense movie indices, columns dense user indices.
 * indptr has movies+1 entries; movie i spans indptr[i]..indptr[i+1] of users/ratings, users ascending.
 */
export interface MovieColumns {
  movies: number;
  users: number;
  nnz: number;
  indptr: Int32Array;
  userIndex: Int32Array;
  ratings: Float32Array;
}

/** Counting-sort transpose of byUser: O(nnz + movies), and users come out ascending within each movie. */
export function movieColumnsOf(byUser: ChunkedCsr): MovieColumns {
  const movies = byUser.cols;
  const indptr = new Int32Array(movies + 1);
  for (const ch of byUser.chunks) {
    const end = ch.indptr[ch.rowCount];
    for (let p = 0; p < end; p++) indptr[ch.indices[p] + 1]++;
  }
  for (let m = 0; m < movies; m++) indptr[m + 1] += indptr[m];
  const nnz = indptr[movies];
  const userIndex = new Int32Array(nnz);
  const ratings = new Float32Array(nnz);
  const fill = indptr.slice(0, movies);
  for (const ch of byUser.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      const u = ch.firstRow + r;
      for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) {
        const q = fill[ch.indices[p]]++;
        userIndex[q] = u;
        ratings[q] = ch.values[p];
      }
    }
  }
  return { movies, users: byUser.rows, nnz, indptr, userIndex, ratings };
}
