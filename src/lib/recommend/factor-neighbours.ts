/**
 * "Movies like this" from latent factors alone (a model trained elsewhere, such as Spark's ALS,
 * brings no ratings): the top-K movies by the cosine of their factor vectors, as a Neighbours
 * table, so every view that reads the model's neighbours works unchanged.
 *
 * Exact: every unordered pair (i, j), i < j, is compared once, at its lower index, and offered
 * to both movies' top-K heaps, as model/similarity.ts does; the cost is movies²/2 · f
 * multiply-adds (ML-latest-small, 9.7k movies at f = 64: 3·10⁹; ML-25M's 59k: 1.1·10¹¹, where a
 * neighbour table computed with the factors is the faster road). `movieRange` restricts the
 * lower index, and similarities are rounded to float32 before any comparison, so the parts of
 * any partition merge (mergeNeighbours) into exactly the result of one run.
 *
 * Only positive cosines are kept: a movie pointing the opposite way in taste space is not
 * "like" it. A movie whose factors are all zero has no neighbours and is nobody's neighbour.
 */
import type { CheckCancelled, Neighbours } from '../types';
import { siftDown, siftUp } from '../model/top-k-heap';

export interface FactorTable {
  movies: number;
  factors: number;
  /** movies × factors, row-major. */
  movieFactors: Float32Array;
}

export interface FactorNeighbourOptions {
  k?: number;
  /** Only pairs whose LOWER movie index lies in [a, b); default every pair. */
  movieRange?: [number, number];
  check?: CheckCancelled;
  /** Movies of the range done, of the range. */
  onProgress?: (moviesDone: number, moviesTotal: number) => void;
}

/** Rows compared against each other movie at once: each movie's vector is read once per block. */
const BLOCK = 4;

export function factorNeighbours(table: FactorTable, opts: FactorNeighbourOptions = {}): Neighbours {
  const n = table.movies;
  const f = table.factors;
  const k = Math.max(1, Math.floor(opts.k ?? 50));
  const [a, b] = opts.movieRange ?? [0, n];
  const unit = unitRows(table);

  const count = new Int32Array(n);
  const index = new Int32Array(n * k).fill(-1);
  const similarity = new Float32Array(n * k);
  const coCount = new Int32Array(n * k);
  // The similarity a candidate must beat to enter x's heap (-Infinity until it is full).
  const hMin = new Float32Array(n).fill(-Infinity);
  const s32 = new Float32Array(1);

  const offer = (x: number, j: number, s: number) => {
    const m = hMin[x];
    if (!(s > m || (s === m && j < index[x * k]))) return;
    const h = x * k;
    const size = count[x];
    if (size < k) {
      siftUp(index, similarity, coCount, h, size, j, s, 0);
      count[x] = size + 1;
      if (size + 1 === k) hMin[x] = similarity[h];
    } else {
      siftDown(index, similarity, coCount, h, k, j, s, 0);
      hMin[x] = similarity[h];
    }
  };
  const offerPair = (i: number, j: number, dot: number) => {
    // Round once, so both heaps and every partition compare the same float32 value.
    s32[0] = dot;
    const s = s32[0];
    if (!(s > 0)) return;
    offer(i, j, s);
    offer(j, i, s);
  };

  const reportEvery = Math.max(BLOCK, Math.ceil((b - a) / 100));
  let nextReport = a + reportEvery;
  for (let i0 = a; i0 < b; i0 += BLOCK) {
    const rows = Math.min(BLOCK, b - i0);
    const o0 = i0 * f;
    if (rows === BLOCK) {
      const o1 = o0 + f;
      const o2 = o1 + f;
      const o3 = o2 + f;
      // Pairs inside the block first (j ≤ i0 + 3), then every later movie against all four rows.
      for (let r = 0; r < BLOCK; r++) for (let q = r + 1; q < BLOCK; q++) offerPair(i0 + r, i0 + q, dot(unit, (i0 + r) * f, (i0 + q) * f, f));
      for (let j = i0 + BLOCK; j < n; j++) {
        const oj = j * f;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let t = 0; t < f; t++) {
          const y = unit[oj + t];
          s0 += unit[o0 + t] * y;
          s1 += unit[o1 + t] * y;
          s2 += unit[o2 + t] * y;
          s3 += unit[o3 + t] * y;
        }
        // Most pairs are not among either movie's best: one comparison each rejects them.
        if (s0 > 0) offerPair(i0, j, s0);
        if (s1 > 0) offerPair(i0 + 1, j, s1);
        if (s2 > 0) offerPair(i0 + 2, j, s2);
        if (s3 > 0) offerPair(i0 + 3, j, s3);
      }
    } else {
      for (let i = i0; i < i0 + rows; i++) for (let j = i + 1; j < n; j++) offerPair(i, j, dot(unit, i * f, j * f, f));
    }
    if (i0 + rows >= nextReport || i0 + rows === b) {
      nextReport = i0 + rows + reportEvery;
      opts.check?.();
      opts.onProgress?.(i0 + rows - a, b - a);
    }
  }

  // Heapsort each movie's heap in place: popping the worst to the back leaves best first.
  for (let x = 0; x < n; x++) {
    const h = x * k;
    for (let size = count[x]; size > 1; size--) {
      const last = h + size - 1;
      const wi = index[h];
      const ws = similarity[h];
      siftDown(index, similarity, coCount, h, size - 1, index[last], similarity[last], 0);
      index[last] = wi;
      similarity[last] = ws;
    }
  }
  return { k, kind: 'cosine', minRatings: 0, movies: n, count, index, similarity, coCount };
}

/** Each row scaled to unit length (zero rows stay zero), in float64 for the sums' sake. */
function unitRows(table: FactorTable): Float64Array {
  const { movies: n, factors: f, movieFactors: y } = table;
  const unit = new Float64Array(n * f);
  for (let i = 0; i < n; i++) {
    const o = i * f;
    let ss = 0;
    for (let t = 0; t < f; t++) ss += y[o + t] * y[o + t];
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let t = 0; t < f; t++) unit[o + t] = y[o + t] * inv;
  }
  return unit;
}

function dot(v: Float64Array, a: number, b: number, f: number): number {
  let s = 0;
  for (let t = 0; t < f; t++) s += v[a + t] * v[b + t];
  return s;
}
