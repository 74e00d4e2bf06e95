/**
 * Dense, obviously-correct references for the matrix and model code: small inputs only.
 * Everything here is O(users × movies²) on purpose: no cleverness to get wrong.
 */
import type { ChunkedCsr, RatingsBatch, SimilarityKind } from '../../src/lib/types';

/** One rating as plain numbers (raw ids or dense indices, depending on the caller). */
export interface Triple {
  user: number;
  movie: number;
  rating: number;
  timestamp: number;
}

/** Packs triples into one RatingsBatch (optionally with spare capacity past count). */
export function batchOf(triples: Triple[], spare = 0): RatingsBatch {
  const n = triples.length;
  const b: RatingsBatch = {
    count: n,
    userIds: new Int32Array(n + spare),
    movieIds: new Int32Array(n + spare),
    ratings: new Float32Array(n + spare),
    timestamps: new Int32Array(n + spare),
  };
  triples.forEach((t, e) => {
    b.userIds[e] = t.user;
    b.movieIds[e] = t.movie;
    b.ratings[e] = t.rating;
    b.timestamps[e] = t.timestamp;
  });
  return b;
}

/** Splits triples into batches of the given sizes (the last takes the rest). */
export function batchesOf(triples: Triple[], size: number): RatingsBatch[] {
  const out: RatingsBatch[] = [];
  for (let s = 0; s < triples.length; s += size) out.push(batchOf(triples.slice(s, s + size), s % 3));
  return out.length > 0 ? out : [batchOf([])];
}

/** Reference de-duplication: per (user, movie) the latest timestamp, ties to the later in the list. */
export function dedupLatest(triples: Triple[]): { kept: Triple[]; duplicates: number } {
  const best = new Map<string, Triple>();
  for (const t of triples) {
    const key = `${t.user}:${t.movie}`;
    const prev = best.get(key);
    if (prev === undefined || t.timestamp >= prev.timestamp) best.set(key, t);
  }
  return { kept: [...best.values()], duplicates: triples.length - best.size };
}

/** Every stored entry as (row, col, value, timestamp?) in storage order. */
export function csrEntries(csr: ChunkedCsr): { row: number; col: number; value: number; timestamp?: number }[] {
  const out: { row: number; col: number; value: number; timestamp?: number }[] = [];
  for (const ch of csr.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) {
        out.push({ row: ch.firstRow + r, col: ch.indices[p], value: ch.values[p], timestamp: ch.timestamps?.[p] });
      }
    }
  }
  return out;
}

/** The matrix as dense rows; NaN where there is no entry. */
export function csrToDense(csr: ChunkedCsr): Float64Array[] {
  const rows = Array.from({ length: csr.rows }, () => new Float64Array(csr.cols).fill(NaN));
  for (const e of csrEntries(csr)) rows[e.row][e.col] = e.value;
  return rows;
}

export interface BruteNeighbour {
  index: number;
  similarity: number;
  coCount: number;
}

/**
 * Top-K neighbours of every movie from a dense users × movies matrix (NaN = not rated), in
 * Float64: cosine over raw columns, or adjusted cosine over columns centred by each user's mean
 * (full-column norms). Ordered by float32 similarity desc, then index asc; pairs with no
 * co-rater or a non-finite similarity are left out, as are movies with fewer than minRatings.
 */
export function bruteNeighbours(dense: Float64Array[], nMovies: number, kind: SimilarityKind, k: number, minRatings = 1): BruteNeighbour[][] {
  const nUsers = dense.length;
  const x: number[][] = Array.from({ length: nMovies }, () => new Array<number>(nUsers).fill(0));
  const has: boolean[][] = Array.from({ length: nMovies }, () => new Array<boolean>(nUsers).fill(false));
  const count = new Array<number>(nMovies).fill(0);
  for (let u = 0; u < nUsers; u++) {
    let sum = 0;
    let c = 0;
    for (let m = 0; m < nMovies; m++) {
      if (!Number.isNaN(dense[u][m])) {
        sum += dense[u][m];
        c++;
      }
    }
    const mu = kind === 'adjusted-cosine' && c > 0 ? sum / c : 0;
    for (let m = 0; m < nMovies; m++) {
      if (!Number.isNaN(dense[u][m])) {
        x[m][u] = dense[u][m] - mu;
        has[m][u] = true;
        count[m]++;
      }
    }
  }
  const norm = x.map((col) => Math.sqrt(col.reduce((s, v) => s + v * v, 0)));
  const ok = count.map((c) => c >= Math.max(1, minRatings));
  return x.map((xi, i) => {
    if (!ok[i]) return [];
    const list: BruteNeighbour[] = [];
    for (let j = 0; j < nMovies; j++) {
      if (j === i || !ok[j]) continue;
      let d = 0;
      let co = 0;
      for (let u = 0; u < nUsers; u++) {
        if (has[i][u] && has[j][u]) {
          d += xi[u] * x[j][u];
          co++;
        }
      }
      const s = Math.fround(d / (norm[i] * norm[j]));
      if (co > 0 && Number.isFinite(s)) list.push({ index: j, similarity: s, coCount: co });
    }
    list.sort((p, q) => q.similarity - p.similarity || p.index - q.index);
    return list.slice(0, k);
  });
}

/**
 * A tiny ratings.csv reader for tests (the real parser lives in src/lib/formats): header line,
 * then userId,movieId,rating,timestamp per line.
 */
export function parseRatingsCsvForTest(text: string): RatingsBatch {
  const lines = text.split('\n');
  const triples: Triple[] = [];
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l].trim();
    if (line === '') continue;
    const [u, m, r, t] = line.split(',');
    triples.push({ user: Number(u), movie: Number(m), rating: Number(r), timestamp: Number(t) });
  }
  return batchOf(triples);
}
