/**
 * Ratings as four parallel columns over dense indices: the shape every split produces and every
 * predictor fits on. Row order carries no meaning; a split is a choice of rows.
 */
import type { ChunkedCsr, CsrChunk } from '../types';

export interface Interactions {
  count: number;
  /** Dense user index of each rating. */
  users: Int32Array;
  /** Dense movie index of each rating. */
  movies: Int32Array;
  ratings: Float32Array;
  /** Seconds since the Unix epoch. */
  times: Int32Array;
  /** Size of the index spaces (the whole data set's, so train and test share them). */
  nUsers: number;
  nMovies: number;
}

/** Every rating of a user-major matrix, user by user (movies ascending within a user). */
export function interactionsFromCsr(byUser: ChunkedCsr): Interactions {
  const n = byUser.nnz;
  const out = emptyInteractions(n, byUser.rows, byUser.cols);
  let q = 0;
  for (const ch of byUser.chunks) {
    const end = ch.indptr[ch.rowCount];
    for (let r = 0; r < ch.rowCount; r++) {
      out.users.fill(ch.firstRow + r, q + ch.indptr[r], q + ch.indptr[r + 1]);
    }
    out.movies.set(ch.indices.subarray(0, end), q);
    out.ratings.set(ch.values.subarray(0, end), q);
    if (ch.timestamps) out.times.set(ch.timestamps.subarray(0, end), q);
    q += end;
  }
  return out;
}

export function emptyInteractions(count: number, nUsers: number, nMovies: number): Interactions {
  return {
    count,
    users: new Int32Array(count),
    movies: new Int32Array(count),
    ratings: new Float32Array(count),
    times: new Int32Array(count),
    nUsers,
    nMovies,
  };
}

/** The rows listed in `rows` (indices into `all`), in that order. */
export function selectRows(all: Interactions, rows: Int32Array | number[]): Interactions {
  const out = emptyInteractions(rows.length, all.nUsers, all.nMovies);
  for (let t = 0; t < rows.length; t++) {
    const e = rows[t];
    out.users[t] = all.users[e];
    out.movies[t] = all.movies[e];
    out.ratings[t] = all.ratings[e];
    out.times[t] = all.times[e];
  }
  return out;
}

/** Rows where keep[e] is 1, and rows where it is 0: a partition of `all`. */
export function partition(all: Interactions, inTest: Uint8Array): { train: Interactions; test: Interactions } {
  const train: number[] = [];
  const test: number[] = [];
  for (let e = 0; e < all.count; e++) (inTest[e] ? test : train).push(e);
  return { train: selectRows(all, train), test: selectRows(all, test) };
}

/** Both orientations of a small matrix, in one chunk each. */
export interface PlainCsr {
  byUser: ChunkedCsr;
  byMovie: ChunkedCsr;
}

/**
 * Interactions -> user-major and movie-major CSR by two counting sorts, so column indices come
 * out ascending within each row (computeNeighbours relies on that). A (user, movie) pair must
 * appear at most once, which every split guarantees because the source matrix has no repeats.
 * (A private transpose: the shared transposeCsr was not yet in the tree when this was written.)
 */
export function toCsr(x: Interactions): PlainCsr {
  // Visiting the entries in movie order makes each user row come out with movies ascending,
  // and visiting them in user order makes each movie row list users ascending.
  const byMovieOrder = countingOrder(x.movies, x.count, x.nMovies);
  const byUserOrder = countingOrder(x.users, x.count, x.nUsers);
  return {
    byUser: scatter(x.users, x.movies, x.ratings, x.times, byMovieOrder, x.count, x.nUsers, x.nMovies),
    byMovie: scatter(x.movies, x.users, x.ratings, null, byUserOrder, x.count, x.nMovies, x.nUsers),
  };
}

/** Indices 0..count-1 stably sorted by key. */
function countingOrder(key: Int32Array, count: number, nKeys: number): Int32Array {
  const start = new Int32Array(nKeys + 1);
  for (let e = 0; e < count; e++) start[key[e] + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const order = new Int32Array(count);
  for (let e = 0; e < count; e++) order[start[key[e]]++] = e;
  return order;
}

/** One-chunk CSR with rows `rowKey`, columns `colKey`, entries visited in `order` (stable). */
function scatter(
  rowKey: Int32Array,
  colKey: Int32Array,
  values: Float32Array,
  times: Int32Array | null,
  order: Int32Array,
  count: number,
  rows: number,
  cols: number,
): ChunkedCsr {
  const indptr = new Int32Array(rows + 1);
  for (let e = 0; e < count; e++) indptr[rowKey[e] + 1]++;
  for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
  const fill = indptr.slice(0, rows);
  const indices = new Int32Array(count);
  const vals = new Float32Array(count);
  const ts = times ? new Int32Array(count) : undefined;
  for (let t = 0; t < count; t++) {
    const e = order[t];
    const q = fill[rowKey[e]]++;
    indices[q] = colKey[e];
    vals[q] = values[e];
    if (ts) ts[q] = times![e];
  }
  const chunk: CsrChunk = { firstRow: 0, rowCount: rows, indptr, indices, values: vals };
  if (ts) chunk.timestamps = ts;
  return { rows, cols, nnz: count, chunks: [chunk] };
}
