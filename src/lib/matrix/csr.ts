/**
 * Ratings in file order -> the same ratings as two chunked CSR matrices: user-major (rows are
 * users, columns movies, with timestamps) and movie-major (rows are movies, columns users).
 *
 * Everything is counting sort: each pass is O(nnz) with no comparison sort, and because a
 * counting sort is stable, "iterate the source rows in ascending order" yields destination rows
 * whose column indices are ascending for free.
 *
 *   general input:    input ─(by movie)─► staging ─(by user)─► byUser ─(by movie)─► byMovie
 *   sorted input:     input ─────────────(by user)────────────► byUser ─(by movie)─► byMovie
 *
 * "Sorted" means user ids non-decreasing and, within a user, movie ids non-decreasing: the
 * MovieLens ratings.csv files are written that way, so the staging pass is normally skipped.
 *
 * Peak memory beyond the caller's batches (16 bytes per rating, still alive) and O(users+movies):
 *   general path: 24 bytes per rating (staging user+rating+timestamp 12, byUser 12), then 20
 *                 (byUser 12 + byMovie 8) once staging is dropped;
 *   sorted path:  20 bytes per rating (byUser 12 + byMovie 8);
 *   duplicates:   24 bytes per rating for a moment while byUser is compacted (rare).
 */
import type { CheckCancelled, ChunkedCsr, CsrChunk, IdMap, RatingsBatch } from '../types';
import { createIndexer } from './id-map';

/** The browser caps one ArrayBuffer near 2 GiB and IndexedDB values are happier small. */
export const DEFAULT_MAX_CHUNK_BYTES = 64 * 1024 * 1024;

/** Entries handled between two check()/onProgress calls: a few milliseconds of work. */
const BLOCK = 1 << 20;

export interface BuildCsrOptions {
  /**
   * No typed array of a chunk (indptr, indices, values, timestamps) exceeds this many bytes,
   * except when a single row alone is bigger: such a row gets a chunk of its own.
   */
  maxChunkBytes?: number;
  check?: CheckCancelled;
  /** done/total count entries moved by the scatter passes (2 or 3 passes over the ratings). */
  onProgress?: (done: number, total: number) => void;
}

export interface BuiltCsr {
  /** Rows are dense user indices, columns dense movie indices; carries timestamps. */
  byUser: ChunkedCsr;
  /** Rows are dense movie indices, columns dense user indices; no timestamps. */
  byMovie: ChunkedCsr;
  /** Repeated (user, movie) ratings dropped; the latest timestamp was kept (ties: later in file). */
  duplicates: number;
}

/** Where each row lands: its chunk and the local offset of its first entry. */
interface Layout {
  chunks: CsrChunk[];
  rowChunk: Int32Array;
  rowStart: Int32Array;
}

/**
 * Builds both orientations of the ratings matrix. Every user and movie id of the batches must be
 * in `users` / `movies` (they may hold more, e.g. movies nobody rated: those rows are empty).
 */
export function buildCsr(
  batches: RatingsBatch[],
  users: IdMap,
  movies: IdMap,
  opts: BuildCsrOptions = {},
): BuiltCsr {
  const maxEntries = maxEntriesPerChunk(opts.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES);
  const nUsers = users.ids.length;
  const nMovies = movies.ids.length;
  const userIndex = createIndexer(users);
  const movieIndex = createIndexer(movies);
  const check = opts.check;
  const onProgress = opts.onProgress;

  let total = 0;
  for (const b of batches) {
    if (b.userIds.length < b.count || b.movieIds.length < b.count || b.ratings.length < b.count || b.timestamps.length < b.count) {
      throw new Error(`buildCsr: a batch claims ${b.count} ratings but one of its columns is shorter; the parser filled it wrongly.`);
    }
    total += b.count;
  }
  const sorted = isSortedByUserThenMovie(batches);
  const progressTotal = total * (sorted ? 2 : 3);
  let progressDone = 0;
  const tick = (n: number): void => {
    progressDone += n;
    check?.();
    onProgress?.(progressDone, progressTotal);
  };

  // Counting pass for the user-major layout: raw counts, duplicates included (fixed up later).
  const userCount = new Int32Array(nUsers);
  for (const b of batches) {
    const ids = b.userIds;
    for (let e = 0; e < b.count; e++) {
      const u = userIndex(ids[e]);
      if (u < 0) throw missingId('user', ids[e]);
      userCount[u]++;
    }
  }
  let byUser = layout(userCount, maxEntries, true);
  // cursor[u] is the next free local slot of row u; row u has entries rowStart[u]..cursor[u]-1.
  const cursor = byUser.rowStart.slice();
  let duplicates = 0;

  if (sorted) {
    // Sorted input: scatter straight into byUser; repeats of a (user, movie) are adjacent.
    for (const b of batches) {
      for (let s0 = 0; s0 < b.count; s0 += BLOCK) {
        const s1 = Math.min(b.count, s0 + BLOCK);
        for (let e = s0; e < s1; e++) {
          const m = movieIndex(b.movieIds[e]);
          if (m < 0) throw missingId('movie', b.movieIds[e]);
          duplicates += placeUserEntry(byUser, cursor, userIndex(b.userIds[e]), m, b.ratings[e], b.timestamps[e]);
        }
        tick(s1 - s0);
      }
    }
  } else {
    // Pass A: input -> staging grouped by movie, file order within a movie (stable).
    const movieStart = new Int32Array(nMovies + 1);
    for (const b of batches) {
      const ids = b.movieIds;
      for (let e = 0; e < b.count; e++) {
        const m = movieIndex(ids[e]);
        if (m < 0) throw missingId('movie', ids[e]);
        movieStart[m + 1]++;
      }
    }
    for (let m = 0; m < nMovies; m++) movieStart[m + 1] += movieStart[m];
    const fill = movieStart.slice(0, nMovies);
    let stUser: Int32Array | null = new Int32Array(total);
    let stValue: Float32Array | null = new Float32Array(total);
    let stTime: Int32Array | null = new Int32Array(total);
    for (const b of batches) {
      for (let s0 = 0; s0 < b.count; s0 += BLOCK) {
        const s1 = Math.min(b.count, s0 + BLOCK);
        for (let e = s0; e < s1; e++) {
          const q = fill[movieIndex(b.movieIds[e])]++;
          stUser[q] = userIndex(b.userIds[e]);
          stValue[q] = b.ratings[e];
          stTime[q] = b.timestamps[e];
        }
        tick(s1 - s0);
      }
    }
    // Pass B: staging -> byUser. Movies ascending, so each user row fills in ascending movie
    // order, and repeats of a (user, movie) arrive one after another, in file order.
    let ticked = 0;
    for (let m = 0; m < nMovies; m++) {
      const end = movieStart[m + 1];
      for (let q = movieStart[m]; q < end; q++) {
        duplicates += placeUserEntry(byUser, cursor, stUser[q], m, stValue[q], stTime[q]);
      }
      if (end - ticked >= BLOCK) {
        tick(end - ticked);
        ticked = end;
      }
    }
    if (total > ticked) tick(total - ticked);
    // Drop the staging before allocating byMovie: this is what keeps the peak at 24 B/rating.
    stUser = stValue = stTime = null;
  }

  if (duplicates > 0) {
    // Rows were sized for the raw counts; compact them so that indptr has no gaps.
    for (let u = 0; u < nUsers; u++) userCount[u] = cursor[u] - byUser.rowStart[u];
    const compact = layout(userCount, maxEntries, true);
    for (let u = 0; u < nUsers; u++) {
      const from = byUser.chunks[byUser.rowChunk[u]];
      const to = compact.chunks[compact.rowChunk[u]];
      const a = byUser.rowStart[u];
      const b = a + userCount[u];
      const at = compact.rowStart[u];
      to.indices.set(from.indices.subarray(a, b), at);
      to.values.set(from.values.subarray(a, b), at);
      to.timestamps!.set(from.timestamps!.subarray(a, b), at);
    }
    byUser = compact;
  }
  const nnz = total - duplicates;

  // Pass C: byUser -> byMovie. Users ascending, so movie rows come out with ascending users.
  const movieCount = new Int32Array(nMovies);
  for (const ch of byUser.chunks) {
    const idx = ch.indices;
    const end = ch.indptr[ch.rowCount];
    for (let p = 0; p < end; p++) movieCount[idx[p]]++;
  }
  const byMovie = layout(movieCount, maxEntries, false);
  const mCursor = byMovie.rowStart.slice();
  const mIndices = byMovie.chunks.map((c) => c.indices);
  const mValues = byMovie.chunks.map((c) => c.values);
  const mChunk = byMovie.rowChunk;
  let sinceTick = 0;
  for (const ch of byUser.chunks) {
    const idx = ch.indices;
    const val = ch.values;
    const ptr = ch.indptr;
    for (let r = 0; r < ch.rowCount; r++) {
      const u = ch.firstRow + r;
      const end = ptr[r + 1];
      for (let p = ptr[r]; p < end; p++) {
        const m = idx[p];
        const c = mChunk[m];
        const q = mCursor[m]++;
        mIndices[c][q] = u;
        mValues[c][q] = val[p];
      }
      sinceTick += end - ptr[r];
      if (sinceTick >= BLOCK) {
        tick(sinceTick);
        sinceTick = 0;
      }
    }
  }
  // Report the whole planned total even when duplicates made this pass shorter.
  tick(progressTotal - progressDone);

  return {
    byUser: { rows: nUsers, cols: nMovies, nnz, chunks: byUser.chunks },
    byMovie: { rows: nMovies, cols: nUsers, nnz, chunks: byMovie.chunks },
    duplicates,
  };
}

/**
 * Appends (m, value, time) to user u's row, or, when the row's last entry is the same movie,
 * resolves the repeat: the later timestamp wins and equal timestamps go to the later arrival
 * (callers feed repeats in file order). Returns 1 for a repeat, else 0.
 */
function placeUserEntry(byUser: Layout, cursor: Int32Array, u: number, m: number, value: number, time: number): number {
  const ch = byUser.chunks[byUser.rowChunk[u]];
  const q = cursor[u];
  const ts = ch.timestamps!;
  if (q > byUser.rowStart[u] && ch.indices[q - 1] === m) {
    if (time >= ts[q - 1]) {
      ch.values[q - 1] = value;
      ts[q - 1] = time;
    }
    return 1;
  }
  ch.indices[q] = m;
  ch.values[q] = value;
  ts[q] = time;
  cursor[u] = q + 1;
  return 0;
}

function isSortedByUserThenMovie(batches: RatingsBatch[]): boolean {
  let pu = -Infinity;
  let pm = -Infinity;
  for (const b of batches) {
    const us = b.userIds;
    const ms = b.movieIds;
    for (let e = 0; e < b.count; e++) {
      const u = us[e];
      const m = ms[e];
      if (u < pu || (u === pu && m < pm)) return false;
      pu = u;
      pm = m;
    }
  }
  return true;
}

function maxEntriesPerChunk(maxChunkBytes: number): number {
  if (!(maxChunkBytes > 0)) throw new Error(`buildCsr: maxChunkBytes must be positive, got ${maxChunkBytes}.`);
  // 4-byte elements in every array; cap so that local offsets stay well inside Int32.
  return Math.max(1, Math.min(Math.floor(maxChunkBytes / 4), 1 << 29));
}

/**
 * Cuts rows into chunks greedily: a chunk takes rows while its entries and its indptr
 * (rowCount+1 entries) both fit in maxEntries; a row that alone is too big gets its own chunk.
 * Allocates every chunk's arrays and fills indptr from the counts.
 */
function layout(counts: Int32Array, maxEntries: number, withTimestamps: boolean): Layout {
  const rows = counts.length;
  const rowChunk = new Int32Array(rows);
  const rowStart = new Int32Array(rows);
  const chunks: CsrChunk[] = [];
  let first = 0;
  while (first < rows) {
    let nnz = 0;
    let r = first;
    while (r < rows && (r === first || (nnz + counts[r] <= maxEntries && r - first + 2 <= maxEntries))) {
      nnz += counts[r];
      r++;
    }
    const rowCount = r - first;
    const indptr = new Int32Array(rowCount + 1);
    const c = chunks.length;
    for (let i = 0; i < rowCount; i++) {
      rowChunk[first + i] = c;
      rowStart[first + i] = indptr[i];
      indptr[i + 1] = indptr[i] + counts[first + i];
    }
    const chunk: CsrChunk = {
      firstRow: first,
      rowCount,
      indptr,
      indices: new Int32Array(nnz),
      values: new Float32Array(nnz),
    };
    if (withTimestamps) chunk.timestamps = new Int32Array(nnz);
    chunks.push(chunk);
    first = r;
  }
  return { chunks, rowChunk, rowStart };
}

function missingId(kind: 'user' | 'movie', raw: number): Error {
  return new Error(
    `buildCsr: ${kind} id ${raw} appears in the ratings but not in the ${kind} id map; build the map from every batch's ${kind}Ids (idsOf) before building the matrix.`,
  );
}

/** Chunk index of every row: locator[row] is the chunk that holds it. */
export function rowLocator(csr: ChunkedCsr): Int32Array {
  const loc = new Int32Array(csr.rows);
  csr.chunks.forEach((ch, c) => loc.fill(c, ch.firstRow, ch.firstRow + ch.rowCount));
  return loc;
}

/** Where a row lives: entries start..end-1 of chunk's indices/values/timestamps. */
export interface RowSpan {
  chunk: CsrChunk;
  start: number;
  end: number;
}

/** The span of one row, given the matrix's rowLocator. Allocates one small object: not for hot loops. */
export function rowSpan(csr: ChunkedCsr, locator: Int32Array, row: number): RowSpan {
  const chunk = csr.chunks[locator[row]];
  const r = row - chunk.firstRow;
  return { chunk, start: chunk.indptr[r], end: chunk.indptr[r + 1] };
}

/** One row as views (no copy) of its column indices, values and, when present, timestamps. */
export function rowEntries(
  csr: ChunkedCsr,
  locator: Int32Array,
  row: number,
): { indices: Int32Array; values: Float32Array; timestamps?: Int32Array } {
  const { chunk, start, end } = rowSpan(csr, locator, row);
  return {
    indices: chunk.indices.subarray(start, end),
    values: chunk.values.subarray(start, end),
    timestamps: chunk.timestamps?.subarray(start, end),
  };
}

/** Number of entries in each row. */
export function rowLengths(csr: ChunkedCsr): Int32Array {
  const len = new Int32Array(csr.rows);
  for (const ch of csr.chunks) {
    for (let r = 0; r < ch.rowCount; r++) len[ch.firstRow + r] = ch.indptr[r + 1] - ch.indptr[r];
  }
  return len;
}
