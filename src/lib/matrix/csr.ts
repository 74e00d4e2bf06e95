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
import { createIndexer, lookupTable } from './id-map';

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
  /**
   * Allocate the result's arrays on SharedArrayBuffers, so that a pool of threads can read them
   * without the copy that shareForSimilarity would otherwise make (the copy was 8 bytes per
   * rating per orientation, at the build's memory peak).
   */
  shared?: boolean;
}

export interface TransposeOptions {
  /** As in BuildCsrOptions. */
  maxChunkBytes?: number;
  check?: CheckCancelled;
  /** done/total count entries moved. */
  onProgress?: (done: number, total: number) => void;
  /** Carry the source's timestamps over to the result (the source must have them). Default false. */
  timestamps?: boolean;
  /** As in BuildCsrOptions. */
  shared?: boolean;
  /** Entries of each source column (each result row), when the caller counted them already: saves a pass. */
  columnCounts?: Int32Array;
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
export function buildCsr(batches: RatingsBatch[], users: IdMap, movies: IdMap, opts: BuildCsrOptions = {}): BuiltCsr {
  const maxEntries = maxEntriesPerChunk(opts.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES);
  const nUsers = users.ids.length;
  const nMovies = movies.ids.length;
  const userIndex = createIndexer(users);
  const movieIndex = createIndexer(movies);
  // Plain table reads in the hot loops (a call per element through the indexer closure cost
  // about half of this stage); null only for ids too large or negative for a table.
  const userTable = lookupTable(users);
  const movieTable = lookupTable(movies);
  const shared = opts.shared ?? false;
  const check = opts.check;
  const onProgress = opts.onProgress;

  let total = 0;
  for (const b of batches) {
    if (b.userIds.length < b.count || b.movieIds.length < b.count || b.ratings.length < b.count || b.timestamps.length < b.count) {
      throw new Error(`buildCsr: a batch claims ${b.count} ratings but one of its columns is shorter; the parser filled it wrongly.`);
    }
    total += b.count;
  }
  const order = inputOrder(batches);
  const sorted = order !== 'unsorted';
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
    if (userTable) countUsers(ids, b.count, userTable, userCount);
    else {
      for (let e = 0; e < b.count; e++) {
        const u = userIndex(ids[e]);
        if (u < 0) throw missingId('user', ids[e]);
        userCount[u]++;
      }
    }
  }
  let byUser = layout(userCount, maxEntries, true, shared);
  // cursor[u] is the next free local slot of row u; row u has entries rowStart[u]..cursor[u]-1.
  const cursor = byUser.rowStart.slice();
  let duplicates = 0;
  // byMovie's row counts, when a pass below counted them on the way.
  let movieCount: Int32Array | undefined;

  if (order === 'unique' && userTable && movieTable) {
    // Sorted input, no repeats (every MovieLens release): byUser's entries are the input's, in
    // order and back to back, so its values and timestamps are block copies and only the movie
    // ids need mapping (the row counts came from countUsers).
    movieCount = new Int32Array(nMovies);
    copyUniqueSorted(batches, movieTable, byUser.chunks, movieCount, tick);
    for (let u = 0; u < nUsers; u++) cursor[u] += userCount[u];
  } else if (sorted && userTable && movieTable) {
    // Sorted input: byUser is the input in order, rows back to back; see copySortedBatch.
    const state = { u: -1, m: -1, q: 0, chunk: -1, duplicates: 0 };
    for (const b of batches) {
      for (let s0 = 0; s0 < b.count; s0 += BLOCK) {
        const s1 = Math.min(b.count, s0 + BLOCK);
        copySortedBatch(b, s0, s1, userTable, movieTable, byUser, cursor, state);
        tick(s1 - s0);
      }
    }
    duplicates = state.duplicates;
  } else if (sorted) {
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
    // eslint-disable-next-line no-useless-assignment -- not useless: it lets the GC take the staging arrays before byMovie is allocated
    stUser = stValue = stTime = null;
  }

  if (duplicates > 0) {
    // Rows were sized for the raw counts; compact them so that indptr has no gaps.
    for (let u = 0; u < nUsers; u++) userCount[u] = cursor[u] - byUser.rowStart[u];
    const compact = layout(userCount, maxEntries, true, shared);
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

  // Pass C: byUser -> byMovie.
  const userMajor: ChunkedCsr = { rows: nUsers, cols: nMovies, nnz, chunks: byUser.chunks };
  const doneBefore = progressDone;
  const byMovie = transposeCsr(userMajor, {
    maxChunkBytes: opts.maxChunkBytes,
    shared,
    columnCounts: movieCount,
    onProgress: (done) => tick(doneBefore + done - progressDone),
  });
  // Report the whole planned total even when duplicates made this pass shorter.
  tick(progressTotal - progressDone);

  return {
    byUser: { rows: nUsers, cols: nMovies, nnz, chunks: byUser.chunks },
    byMovie,
    duplicates,
  };
}

/**
 * The transpose of a chunked CSR matrix: rows become columns. A counting sort over the source
 * rows in ascending order, so each result row lists its columns (the source's row indices)
 * ascending. Timestamps are carried only when asked; the source is not modified. Relies on the
 * CsrChunk contract that each source row lists its columns ascending (see the passes below).
 */
export function transposeCsr(csr: ChunkedCsr, opts: TransposeOptions = {}): ChunkedCsr {
  const maxEntries = maxEntriesPerChunk(opts.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES);
  const withTimes = opts.timestamps ?? false;
  if (withTimes && csr.chunks.some((ch) => !ch.timestamps)) {
    throw new Error('transposeCsr: timestamps were asked for but the matrix has none; build it with timestamps or leave the option off.');
  }
  const rows = csr.cols;
  const count = opts.columnCounts ?? countColumns(csr);
  const out = layout(count, maxEntries, withTimes, opts.shared ?? false);
  const cursor = out.rowStart.slice();
  // One pass per result chunk, each with that chunk's arrays in locals: looking up the chunk of
  // every entry cost this pass about half its time once ML-25M's result needs two chunks. A
  // result chunk holds a range of result rows, i.e. of source columns, and every source row
  // lists its columns ascending, so a row's entries for one result chunk are contiguous: each
  // source row keeps a position (`next`) that the passes advance, and every entry is still read
  // exactly once.
  const next = csr.chunks.map((ch) => ch.indptr.slice(0, ch.rowCount));
  let done = 0;
  for (const target of out.chunks) {
    const below = target.firstRow + target.rowCount;
    for (let c = 0; c < csr.chunks.length; c++) {
      const ch = csr.chunks[c];
      // Blocks of source rows of about BLOCK entries, with check/onProgress between them.
      let from = 0;
      while (from < ch.rowCount) {
        let to = from + 1;
        while (to < ch.rowCount && ch.indptr[to] - ch.indptr[from] < BLOCK) to++;
        done += withTimes ? scatterRowsTimed(ch, next[c], from, to, below, target, cursor) : scatterRows(ch, next[c], from, to, below, target, cursor);
        from = to;
        opts.check?.();
        opts.onProgress?.(done, csr.nnz);
      }
    }
  }
  return { rows, cols: csr.rows, nnz: csr.nnz, chunks: out.chunks };
}

/** Entries per column. */
function countColumns(csr: ChunkedCsr): Int32Array {
  const count = new Int32Array(csr.cols);
  for (const ch of csr.chunks) {
    const idx = ch.indices;
    const end = ch.indptr[ch.rowCount];
    for (let p = 0; p < end; p++) count[idx[p]]++;
  }
  return count;
}

/**
 * Source rows [from, to) of a chunk, each from its position in `next` up to its first column
 * at or beyond `below`, into the result chunk `target` (whose rows are those columns); advances
 * `next` and returns the entries moved.
 */
function scatterRows(ch: CsrChunk, next: Int32Array, from: number, to: number, below: number, target: CsrChunk, cursor: Int32Array): number {
  const idx = ch.indices;
  const val = ch.values;
  const ptr = ch.indptr;
  const oIdx = target.indices;
  const oVal = target.values;
  let moved = 0;
  for (let r = from; r < to; r++) {
    const row = ch.firstRow + r;
    const end = ptr[r + 1];
    let p = next[r];
    const p0 = p;
    for (; p < end; p++) {
      const m = idx[p];
      if (m >= below) break;
      const q = cursor[m]++;
      oIdx[q] = row;
      oVal[q] = val[p];
    }
    next[r] = p;
    moved += p - p0;
  }
  return moved;
}

/** scatterRows with timestamps (a separate loop, so that the common one stays lean). */
function scatterRowsTimed(ch: CsrChunk, next: Int32Array, from: number, to: number, below: number, target: CsrChunk, cursor: Int32Array): number {
  const idx = ch.indices;
  const val = ch.values;
  const time = ch.timestamps!;
  const ptr = ch.indptr;
  const oIdx = target.indices;
  const oVal = target.values;
  const oTime = target.timestamps!;
  let moved = 0;
  for (let r = from; r < to; r++) {
    const row = ch.firstRow + r;
    const end = ptr[r + 1];
    let p = next[r];
    const p0 = p;
    for (; p < end; p++) {
      const m = idx[p];
      if (m >= below) break;
      const q = cursor[m]++;
      oIdx[q] = row;
      oVal[q] = val[p];
      oTime[q] = time[p];
    }
    next[r] = p;
    moved += p - p0;
  }
  return moved;
}

/**
 * The input (sorted by user then movie, no repeats) into byUser's chunks, which hold it in order:
 * chunk c starts at the entry where chunk c − 1 ends.
 */
function copyUniqueSorted(batches: RatingsBatch[], movieTable: Int32Array, chunks: CsrChunk[], movieCount: Int32Array, tick: (n: number) => void): void {
  let c = 0;
  let at = 0;
  for (const b of batches) {
    let e = 0;
    while (e < b.count) {
      while (at === chunks[c].indices.length) {
        c++;
        at = 0;
      }
      const ch = chunks[c];
      const n = Math.min(b.count - e, ch.indices.length - at, BLOCK);
      mapMovieIds(b.movieIds, e, n, movieTable, ch.indices, at, movieCount);
      ch.values.set(b.ratings.subarray(e, e + n), at);
      ch.timestamps!.set(b.timestamps.subarray(e, e + n), at);
      e += n;
      at += n;
      tick(n);
    }
  }
}

/** out[at + i] = table[ids[from + i]] for i < n, with the id check inline, counting each movie. */
function mapMovieIds(ids: Int32Array, from: number, n: number, table: Int32Array, out: Int32Array, at: number, count: Int32Array): void {
  const size = table.length;
  for (let i = 0; i < n; i++) {
    const id = ids[from + i];
    const m = id >>> 0 < size ? table[id] : -1;
    if (m < 0) throw missingId('movie', id);
    out[at + i] = m;
    count[m]++;
  }
}

/** userCount[table[id]]++ for each user id of a batch, with the id check inline. */
function countUsers(ids: Int32Array, n: number, table: Int32Array, userCount: Int32Array): void {
  const size = table.length;
  for (let e = 0; e < n; e++) {
    const id = ids[e];
    const u = id >>> 0 < size ? table[id] : -1;
    if (u < 0) throw missingId('user', id);
    userCount[u]++;
  }
}

/**
 * The sorted-input pass for entries [s0, s1) of a batch: ratings sorted by user then movie are
 * byUser's entries in order, so this is a copy with two table lookups per entry. A repeated
 * (user, movie) is adjacent to its first copy and resolved as placeUserEntry does. `state`
 * carries the last (user, movie), the next slot and the current chunk across calls.
 */
function copySortedBatch(
  b: RatingsBatch,
  s0: number,
  s1: number,
  userTable: Int32Array,
  movieTable: Int32Array,
  byUser: Layout,
  cursor: Int32Array,
  state: { u: number; m: number; q: number; chunk: number; duplicates: number },
): void {
  const uIds = b.userIds;
  const mIds = b.movieIds;
  const ratings = b.ratings;
  const times = b.timestamps;
  const uSize = userTable.length;
  const mSize = movieTable.length;
  let pu = state.u;
  let pm = state.m;
  let q = state.q;
  let duplicates = state.duplicates;
  let chunk = state.chunk >= 0 ? byUser.chunks[state.chunk] : byUser.chunks[0];
  let idx = chunk?.indices;
  let val = chunk?.values;
  let ts = chunk?.timestamps;
  for (let e = s0; e < s1; e++) {
    const uid = uIds[e];
    const mid = mIds[e];
    const u = uid >>> 0 < uSize ? userTable[uid] : -1;
    const m = mid >>> 0 < mSize ? movieTable[mid] : -1;
    if (u < 0) throw missingId('user', uid);
    if (m < 0) throw missingId('movie', mid);
    if (u !== pu) {
      // A new row: close the previous one and move to where this one starts.
      if (pu >= 0) cursor[pu] = q;
      const c = byUser.rowChunk[u];
      if (c !== state.chunk) {
        state.chunk = c;
        chunk = byUser.chunks[c];
        idx = chunk.indices;
        val = chunk.values;
        ts = chunk.timestamps;
      }
      q = byUser.rowStart[u];
      pu = u;
    } else if (m === pm) {
      // A repeat: the later timestamp wins, equal timestamps go to the later line.
      duplicates++;
      if (times[e] >= ts![q - 1]) {
        val![q - 1] = ratings[e];
        ts![q - 1] = times[e];
      }
      continue;
    }
    idx![q] = m;
    val![q] = ratings[e];
    ts![q] = times[e];
    q++;
    pm = m;
  }
  if (pu >= 0) cursor[pu] = q;
  state.u = pu;
  state.m = pm;
  state.q = q;
  state.duplicates = duplicates;
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

/** How the input is ordered: 'unique' is sorted by user then movie with no (user, movie) twice. */
type InputOrder = 'unsorted' | 'sorted' | 'unique';

function inputOrder(batches: RatingsBatch[]): InputOrder {
  let pu = -Infinity;
  let pm = -Infinity;
  let repeats = false;
  for (const b of batches) {
    const us = b.userIds;
    const ms = b.movieIds;
    for (let e = 0; e < b.count; e++) {
      const u = us[e];
      const m = ms[e];
      if (u < pu || (u === pu && m < pm)) return 'unsorted';
      if (u === pu && m === pm) repeats = true;
      pu = u;
      pm = m;
    }
  }
  return repeats ? 'sorted' : 'unique';
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
function layout(counts: Int32Array, maxEntries: number, withTimestamps: boolean, shared = false): Layout {
  const ints = (n: number): Int32Array => (shared ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n));
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
    const indptr = ints(rowCount + 1);
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
      indices: ints(nnz),
      values: shared ? new Float32Array(new SharedArrayBuffer(4 * nnz)) : new Float32Array(nnz),
    };
    if (withTimestamps) chunk.timestamps = ints(nnz);
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
export function rowEntries(csr: ChunkedCsr, locator: Int32Array, row: number): { indices: Int32Array; values: Float32Array; timestamps?: Int32Array } {
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
