/**
 * Exact item-item similarity, top-K neighbours per movie, by the sparse-accumulator method
 * (no dense movie x movie matrix, no dense movie x user matrix).
 *
 * For each movie i, for each rater u of i, walk u's row over the movies j > i and accumulate
 * dot[j] += x_ui·x_uj. After the last rater, dot[j] is the full dot product of columns i and j,
 * so each unordered pair is computed exactly once, at its lower index, and offered to both
 * movies' top-K heaps. The work is Σ_u c_u(c_u−1)/2 "pair updates" (estimatePairUpdates).
 *
 * Partitioning: `movieRange` restricts the lower index i. Each pair's dot product is summed in
 * the same order (raters of i ascending) whatever the range, the similarity is rounded to
 * float32 before any comparison, and a top-K under a total order (similarity desc, index asc)
 * is unique; so merging the results of any partition of [0, nMovies) with mergeNeighbours
 * gives bit-identical output to one whole run. That is what lets workers split the job.
 */
import type { CheckCancelled, ChunkedCsr, Neighbours, SimilarityKind } from '../types';
import { siftDown, siftUp } from './top-k-heap';

export interface NeighbourOptions {
  /** Neighbours kept per movie. */
  k?: number;
  kind?: SimilarityKind;
  /** Movies with fewer ratings neither get neighbours nor appear as neighbours. */
  minRatings?: number;
  /** Only pairs whose LOWER movie index lies in [a, b); default every pair. */
  movieRange?: [number, number];
  /**
   * 'auto' (default) packs dot product and co-count into one Float64 per movie when that is
   * exact (cosine over half-star ratings, see packedUnitFor); 'float64' forces the two-array
   * accumulator. Both give bit-identical results; the option exists so tests can compare them.
   */
  accumulator?: 'auto' | 'float64';
  /**
   * byUser's rows already packed by packedRowCodes (threads given one shared copy do not each
   * pack their own: 4 bytes per rating and a pass over the matrix per thread). Used only when
   * the packed accumulator applies; must come from the same byUser.
   */
  rowCodes?: Int32Array[];
  check?: CheckCancelled;
  /** Movies of the range done, movies in the range, pair updates so far. */
  onProgress?: (moviesDone: number, moviesTotal: number, pairUpdates: number) => void;
}

/**
 * Progress and check() at least this often, in pair updates: ~0.1 s of work at 300M/s.
 * Also at every 1% of the range's movies.
 */
const REPORT_EVERY_UPDATES = 1 << 25;

/**
 * A movie uses the dense accumulator when its pending pair updates times this ratio reach the
 * number of movies after it (see the main loop). Tuned on a synthetic power-law matrix.
 */
const DENSE_WORK_RATIO = 2;

/**
 * Top-K most similar movies of every movie with at least minRatings ratings.
 *
 * 'cosine': sim(i,j) = x_i·x_j / (‖x_i‖‖x_j‖) over the raw rating columns (missing = 0).
 *
 * 'adjusted-cosine' (Sarwar, Karypis, Konstan & Riedl, "Item-based collaborative filtering
 * recommendation algorithms", WWW 2001): every rating has its user's mean rating subtracted,
 * r_ui − r̄_u, which removes each person's own scale (generous vs strict raters). Sarwar et al.
 * sum the denominators over co-raters only; here the cosine is over the full centred columns
 * (norms over all of a movie's centred ratings, missing = 0), so a pair seen by few people is
 * not inflated to ±1 and the norms are computed once per movie, as in LensKit's item-item.
 * Negative similarities are kept when a movie has fewer than k positive ones.
 */
export function computeNeighbours(byMovie: ChunkedCsr, byUser: ChunkedCsr, opts: NeighbourOptions = {}): Neighbours {
  const k = opts.k ?? 50;
  const kind = opts.kind ?? 'cosine';
  const minRatings = opts.minRatings ?? 1;
  const nMovies = byMovie.rows;
  const nUsers = byUser.rows;
  if (!Number.isInteger(k) || k < 1) throw new Error(`computeNeighbours: k must be a positive integer, got ${k}.`);
  if (byUser.cols !== nMovies || byMovie.cols !== nUsers) {
    throw new Error(
      `computeNeighbours: byMovie is ${byMovie.rows}x${byMovie.cols} but byUser is ${byUser.rows}x${byUser.cols}; pass the two orientations of one matrix.`,
    );
  }
  const [a, b] = opts.movieRange ?? [0, nMovies];
  if (!(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a <= b && b <= nMovies)) {
    throw new Error(`computeNeighbours: movieRange [${a}, ${b}) is not inside [0, ${nMovies}).`);
  }
  const check = opts.check;
  const onProgress = opts.onProgress;

  // --- Values: raw ratings, or centred copies (the caller's matrices are never modified).
  let uValues = byUser.chunks.map((c) => c.values);
  let mValues = byMovie.chunks.map((c) => c.values);
  if (kind === 'adjusted-cosine') {
    const userMean = userMeans(byUser);
    uValues = byUser.chunks.map((ch) => {
      const out = new Float32Array(ch.values.length);
      for (let r = 0; r < ch.rowCount; r++) {
        const mu = userMean[ch.firstRow + r];
        for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) out[p] = ch.values[p] - mu;
      }
      return out;
    });
    mValues = byMovie.chunks.map((ch) => {
      const out = new Float32Array(ch.values.length);
      const end = ch.indptr[ch.rowCount];
      for (let p = 0; p < end; p++) out[p] = ch.values[p] - userMean[ch.indices[p]];
      return out;
    });
  } else if (kind !== 'cosine') {
    throw new Error(`computeNeighbours: unknown similarity kind '${String(kind)}'.`);
  }

  // --- Per movie: 1/‖x_i‖ in Float64, or NaN for a movie below minRatings or with a zero
  // column (adjusted cosine: every rating equal to its user's mean). NaN makes every similarity
  // of that movie NaN, so one `s !== s` test in the pair loop covers eligibility and 0/0.
  const invNorm = new Float64Array(nMovies);
  byMovie.chunks.forEach((ch, c) => {
    const val = mValues[c];
    for (let r = 0; r < ch.rowCount; r++) {
      const start = ch.indptr[r];
      const end = ch.indptr[r + 1];
      let ss = 0;
      for (let p = start; p < end; p++) ss += val[p] * val[p];
      const eligible = end - start >= minRatings && ss > 0;
      invNorm[ch.firstRow + r] = eligible ? 1 / Math.sqrt(ss) : NaN;
    }
  });

  // --- Per user: chunk, row end, and a cursor. Invariant: when movie i (in the range) is being
  // processed, cursor[u] of each rater u points at i's entry in u's row, because cursors start
  // at the first entry >= a and every movie of the range advances each of its raters' cursors
  // by one (eligible or not). That makes "where do j > i start" O(1) per rater.
  // The three live in one interleaved array, uState[3u..3u+2] = cursor, row end, chunk: each
  // rater visit is one cache miss instead of three.
  const uState = new Int32Array(3 * nUsers);
  const uIndices = byUser.chunks.map((c) => c.indices);
  // Pair updates each movie makes as the lower index: Σ over its raters of the entries after it.
  // Range-independent, and one sequential pass here saves a random-access pass per movie later.
  const pairWork = new Float64Array(nMovies);
  byUser.chunks.forEach((ch, c) => {
    const idx = ch.indices;
    for (let r = 0; r < ch.rowCount; r++) {
      const u = ch.firstRow + r;
      let lo = ch.indptr[r];
      let hi = ch.indptr[r + 1];
      const end = hi;
      for (let p = lo; p < end; p++) pairWork[idx[p]] += end - p - 1;
      uState[3 * u + 1] = end;
      uState[3 * u + 2] = c;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (idx[mid] < a) lo = mid + 1;
        else hi = mid;
      }
      uState[3 * u] = lo;
    }
  });

  // --- Sparse accumulator: dot/co are indexed by movie and reset through `touched`, so the
  // cost per movie is proportional to the pairs it has, not to nMovies.
  // Packed regime (cosine over half-star ratings): one Float64 per movie holds
  // 4·dot + unit·co (see packedUnitFor), so the hot loop does one read-modify-write instead of
  // two and the accumulator is 8 bytes per movie instead of 12.
  const packable = kind === 'cosine' && opts.accumulator !== 'float64';
  const given = packable ? opts.rowCodes : undefined;
  // Codes given were made by packedRowCodes, which checked the values: only the unit is needed.
  const unit = given ? packedUnit(byUser.rows) : packable ? packedUnitFor(byUser) : 0;
  const packed = unit > 0;
  const acc = packed ? new Float64Array(nMovies) : new Float64Array(0);
  const dot = packed ? new Float64Array(0) : new Float64Array(nMovies);
  const co = packed ? new Int32Array(0) : new Int32Array(nMovies);
  const touched = new Int32Array(nMovies);
  // Packed regime: each user-row entry as one Int32, j·16 + 2y, so the hot loop streams 4 bytes
  // per pair update instead of 8 (index and value); the rows of a popular movie's raters do not
  // fit in cache, so these bytes come from memory.
  const uCodes = packed ? (given ?? byUser.chunks.map((ch) => packRowCodes(ch.indices, ch.values, ch.indptr[ch.rowCount], false))) : [];

  // --- Top-K: per movie a buffer of `stride` slots (k plus a few spare). Candidates that beat
  // the movie's bar are appended; a full buffer is cut back to its best k, kept as a min-heap
  // in the first k slots (root = the WORST kept, and the new bar). A sift through a cold heap
  // is a chain of dependent cache misses (~0.4 us on ML-25M's 60k heaps); an append is one
  // miss, and the cut runs on a buffer already in cache, once per few admissions.
  const stride = k + spareSlots(k);
  const heapSize = new Int32Array(nMovies);
  const hIndex = new Int32Array(nMovies * stride);
  const hSim = new Float32Array(nMovies * stride);
  const hCo = new Int32Array(nMovies * stride);
  const hMin = new Float32Array(nMovies).fill(-Infinity);

  const total = b - a;
  const reportEveryMovies = Math.max(1, Math.ceil(total / 100));
  let nextReportMovie = a + reportEveryMovies;
  let nextReportUpdates = REPORT_EVERY_UPDATES;
  let updates = 0;

  let mc = 0;
  while (mc < byMovie.chunks.length && byMovie.chunks[mc].firstRow + byMovie.chunks[mc].rowCount <= a) mc++;
  for (let i = a; i < b; i++) {
    // Movies ascending: the chunk holding row i only moves forward.
    while (i >= byMovie.chunks[mc].firstRow + byMovie.chunks[mc].rowCount) mc++;
    const mch = byMovie.chunks[mc];
    const raters = mch.indices;
    const xs = mValues[mc];
    const rStart = mch.indptr[i - mch.firstRow];
    const rEnd = mch.indptr[i - mch.firstRow + 1];

    if (invNorm[i] !== invNorm[i]) {
      // Not a neighbour source: only keep the cursor invariant.
      for (let q = rStart; q < rEnd; q++) uState[3 * raters[q]]++;
    } else {
      // Two accumulators for two regimes. A movie whose raters' rows cover most of the movies
      // after it (the popular head) touches almost every j: there the first-touch branch is
      // unpredictable and the touched list is nearly dense, so skip both and find the touched
      // movies with one sequential, branch-free scan. The long tail uses the touched list, whose
      // cost follows its few pairs instead of nMovies.
      const work = pairWork[i];
      const dense = work * DENSE_WORK_RATIO >= nMovies - i - 1;
      let nt: number;
      if (packed) {
        if (dense) {
          accumulatePackedDense(raters, xs, rStart, rEnd, uState, uCodes, acc, unit);
          nt = collectTouchedPacked(acc, i + 1, nMovies, touched);
        } else {
          nt = accumulatePackedSparse(raters, xs, rStart, rEnd, uState, uCodes, acc, unit, touched);
        }
        offerPairsPacked(i, nt, touched, acc, unit, invNorm, k, stride, heapSize, hMin, hIndex, hSim, hCo);
      } else {
        if (dense) {
          accumulateDense(raters, xs, rStart, rEnd, uState, uIndices, uValues, co, dot);
          nt = collectTouched(co, i + 1, nMovies, touched);
        } else {
          nt = accumulateSparse(raters, xs, rStart, rEnd, uState, uIndices, uValues, co, dot, touched);
        }
        offerPairs(i, nt, touched, dot, co, invNorm, k, stride, heapSize, hMin, hIndex, hSim, hCo);
      }
      updates += work;
    }

    if (i + 1 >= nextReportMovie || updates >= nextReportUpdates || i + 1 === b) {
      nextReportMovie = i + 1 + reportEveryMovies;
      nextReportUpdates = updates + REPORT_EVERY_UPDATES;
      check?.();
      onProgress?.(i + 1 - a, total, updates);
    }
  }

  // Each movie's buffer down to its top K (a heap), heapsorted in place: popping the worst to
  // the back leaves best first; then the rows closed up from `stride` slots to k, and the slots
  // past a movie's count set to -1 / 0 as the output promises. Movie x's new slots end before
  // movie x + 1's buffer starts, so nothing is overwritten before it is read.
  for (let x = 0; x < nMovies; x++) {
    const h = x * stride;
    const size = keepBest(x, k, stride, heapSize, hMin, hIndex, hSim, hCo);
    for (let n = size; n > 1; n--) {
      const last = h + n - 1;
      const wi = hIndex[h];
      const ws = hSim[h];
      const wc = hCo[h];
      siftDown(hIndex, hSim, hCo, h, n - 1, hIndex[last], hSim[last], hCo[last]);
      hIndex[last] = wi;
      hSim[last] = ws;
      hCo[last] = wc;
    }
    const to = x * k;
    if (x > 0) {
      hIndex.copyWithin(to, h, h + size);
      hSim.copyWithin(to, h, h + size);
      hCo.copyWithin(to, h, h + size);
    }
    hIndex.fill(-1, to + size, to + k);
    hSim.fill(0, to + size, to + k);
    hCo.fill(0, to + size, to + k);
  }
  const n = nMovies * k;
  // Views, not copies: a copy here was 12 bytes per neighbour slot on top of the buffers, at the
  // stage's memory peak. The merge and the cache (standaloneChunk) copy what they keep.
  return {
    k,
    kind,
    minRatings,
    movies: nMovies,
    count: heapSize,
    index: hIndex.subarray(0, n),
    similarity: hSim.subarray(0, n),
    coCount: hCo.subarray(0, n),
  };
}

/** Slots beyond k in each movie's buffer: a compaction every this many admissions. */
function spareSlots(k: number): number {
  return Math.max(4, k >> 2);
}

/**
 * Adds movie i's contribution to dot/co for every j > i co-rated with it and lists each j
 * touched for the first time in `touched`; returns how many. Small separate functions so that
 * V8 optimises each hot loop on its own instead of relying on on-stack replacement.
 */
function accumulateSparse(
  raters: Int32Array,
  xs: Float32Array,
  rStart: number,
  rEnd: number,
  uState: Int32Array,
  uIndices: Int32Array[],
  uValues: Float32Array[],
  co: Int32Array,
  dot: Float64Array,
  touched: Int32Array,
): number {
  let nt = 0;
  for (let q = rStart; q < rEnd; q++) {
    const u = raters[q];
    const x = xs[q];
    // cursor[u] is at movie i in u's row; the pairs to make are the entries after it.
    const p0 = uState[3 * u] + 1;
    uState[3 * u] = p0;
    const c = uState[3 * u + 2];
    const idx = uIndices[c];
    const val = uValues[c];
    const end = uState[3 * u + 1];
    // Typed arrays in locals, no calls; the co-count read doubles as the first-touch test.
    for (let p = p0; p < end; p++) {
      const j = idx[p];
      const cc = co[j];
      if (cc === 0) touched[nt++] = j;
      co[j] = cc + 1;
      dot[j] += x * val[p];
    }
  }
  return nt;
}

/** accumulateSparse without the touched list, for movies that touch most of the movies after them. */
function accumulateDense(
  raters: Int32Array,
  xs: Float32Array,
  rStart: number,
  rEnd: number,
  uState: Int32Array,
  uIndices: Int32Array[],
  uValues: Float32Array[],
  co: Int32Array,
  dot: Float64Array,
): void {
  for (let q = rStart; q < rEnd; q++) {
    const u = raters[q];
    const x = xs[q];
    const p0 = uState[3 * u] + 1;
    uState[3 * u] = p0;
    const c = uState[3 * u + 2];
    const idx = uIndices[c];
    const val = uValues[c];
    const end = uState[3 * u + 1];
    // The hottest loop of the app (most of the ~1e10 updates on ML-25M land here): two
    // read-modify-writes into L2-resident arrays, no branch.
    for (let p = p0; p < end; p++) {
      const j = idx[p];
      co[j]++;
      dot[j] += x * val[p];
    }
  }
}

/** Lists the j in [from, to) with co[j] > 0, ascending, without a data-dependent branch. */
function collectTouched(co: Int32Array, from: number, to: number, touched: Int32Array): number {
  let nt = 0;
  for (let j = from; j < to; j++) {
    touched[nt] = j;
    // co >= 0, so (c | -c) >>> 31 is 1 exactly when c > 0: always write, advance conditionally.
    const c = co[j];
    nt += (c | -c) >>> 31;
  }
  return nt;
}

/**
 * The unit of the packed accumulator, or 0 when packing would not be exact.
 *
 * Half-star ratings v have 2v in 1..10, so a product 4·x·y = (2x)(2y) is an integer in 1..100
 * and 4·dot, a sum of at most nUsers of them, an integer below 100·nUsers + 1 <= unit (a power
 * of two). Adding 4·x·y + unit per co-rater keeps acc = 4·dot + unit·co with both parts exact
 * integers as long as unit·(nUsers + 1) <= 2^53, and splits back exactly: co = floor(acc / unit),
 * 4·dot = acc − unit·co. The Float64 path also sums these exact multiples of 1/4 without
 * rounding, so both paths produce the same dot product, bit for bit.
 */
function packedUnitFor(byUser: ChunkedCsr): number {
  // Row codes are j·16 + 2y in an Int32 (packRowCodes).
  if (byUser.cols >= 2 ** 27) return 0;
  for (const ch of byUser.chunks) {
    const val = ch.values;
    const end = ch.indptr[ch.rowCount];
    for (let p = 0; p < end; p++) {
      const v2 = val[p] * 2;
      // Also rejects NaN: every comparison with it is false.
      if (!(v2 >= 1 && v2 <= 10 && v2 === Math.floor(v2))) return 0;
    }
  }
  return packedUnit(byUser.rows);
}

/** The packed accumulator's unit for a matrix of `users` rows whose values packedUnitFor accepted, or 0 when too many. */
function packedUnit(users: number): number {
  const unit = 2 ** Math.ceil(Math.log2(100 * users + 1));
  return unit * (users + 1) <= 2 ** 53 ? unit : 0;
}

/**
 * byUser's rows as the packed accumulator reads them (j·16 + 2y, one Int32Array per chunk), on
 * SharedArrayBuffers when `shared`, or undefined when the packed accumulator does not apply
 * (values other than half stars). For computeNeighbours' rowCodes: one copy for every thread.
 */
export function packedRowCodes(byUser: ChunkedCsr, shared: boolean): Int32Array[] | undefined {
  if (packedUnitFor(byUser) === 0) return undefined;
  return byUser.chunks.map((ch) => packRowCodes(ch.indices, ch.values, ch.indptr[ch.rowCount], shared));
}

/** j·16 + 2y for each entry: j < 2^27 and 2y in 1..10 (packedUnitFor checked the values). */
function packRowCodes(indices: Int32Array, values: Float32Array, n: number, shared: boolean): Int32Array {
  const codes = shared ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n);
  for (let p = 0; p < n; p++) codes[p] = (indices[p] << 4) | (values[p] * 2);
  return codes;
}

/** accumulateSparse over the packed accumulator: acc[j] += (2x)(2y) + unit. */
function accumulatePackedSparse(
  raters: Int32Array,
  xs: Float32Array,
  rStart: number,
  rEnd: number,
  uState: Int32Array,
  uCodes: Int32Array[],
  acc: Float64Array,
  unit: number,
  touched: Int32Array,
): number {
  let nt = 0;
  for (let q = rStart; q < rEnd; q++) {
    const u = raters[q];
    const x2 = xs[q] * 2;
    const p0 = uState[3 * u] + 1;
    uState[3 * u] = p0;
    const codes = uCodes[uState[3 * u + 2]];
    const end = uState[3 * u + 1];
    for (let p = p0; p < end; p++) {
      const code = codes[p];
      const j = code >> 4;
      const a = acc[j];
      // acc >= unit once touched, so 0 is the first-touch test.
      if (a === 0) touched[nt++] = j;
      acc[j] = a + (x2 * (code & 15) + unit);
    }
  }
  return nt;
}

/**
 * accumulateDense over the packed accumulator, four raters' rows at once: each row segment
 * starts at an unpredictable address (a cache miss), and one rater at a time left the core
 * waiting on each; four independent streams keep four such loads in flight. The sums are
 * exact integers (packedUnitFor), so the order of the additions does not change them. Measured
 * with the buffered top K below on the synthetic 25M set, one thread: the popular head (movies
 * 0-3,000) 6.0 -> 4.8 s, the middle (18,270-26,000) 9.2 -> 7.7 s.
 */
function accumulatePackedDense(
  raters: Int32Array,
  xs: Float32Array,
  rStart: number,
  rEnd: number,
  uState: Int32Array,
  uCodes: Int32Array[],
  acc: Float64Array,
  unit: number,
): void {
  // Four streams: position, end, codes, 2x. Sixteen locals written out, not arrays of four:
  // V8 keeps locals in registers, and the inner loop below reads all of them every step.
  let p0 = 0,
    e0 = 0,
    x0 = 0,
    c0 = EMPTY;
  let p1 = 0,
    e1 = 0,
    x1 = 0,
    c1 = EMPTY;
  let p2 = 0,
    e2 = 0,
    x2 = 0,
    c2 = EMPTY;
  let p3 = 0,
    e3 = 0,
    x3 = 0,
    c3 = EMPTY;
  let q = rStart;
  for (;;) {
    // Refill every finished stream with the next rater (a rater with nothing after i still
    // advances its cursor, and the stream takes the next one). Four copies of one step, as above.
    while (p0 === e0 && q < rEnd) {
      const u = raters[q];
      x0 = xs[q++] * 2;
      p0 = uState[3 * u] + 1;
      uState[3 * u] = p0;
      c0 = uCodes[uState[3 * u + 2]];
      e0 = uState[3 * u + 1];
    }
    while (p1 === e1 && q < rEnd) {
      const u = raters[q];
      x1 = xs[q++] * 2;
      p1 = uState[3 * u] + 1;
      uState[3 * u] = p1;
      c1 = uCodes[uState[3 * u + 2]];
      e1 = uState[3 * u + 1];
    }
    while (p2 === e2 && q < rEnd) {
      const u = raters[q];
      x2 = xs[q++] * 2;
      p2 = uState[3 * u] + 1;
      uState[3 * u] = p2;
      c2 = uCodes[uState[3 * u + 2]];
      e2 = uState[3 * u + 1];
    }
    while (p3 === e3 && q < rEnd) {
      const u = raters[q];
      x3 = xs[q++] * 2;
      p3 = uState[3 * u] + 1;
      uState[3 * u] = p3;
      c3 = uCodes[uState[3 * u + 2]];
      e3 = uState[3 * u + 1];
    }
    const n = Math.min(e0 - p0, e1 - p1, e2 - p2, e3 - p3);
    if (n === 0) break;
    for (let t = 0; t < n; t++) {
      const a = c0[p0 + t];
      const b = c1[p1 + t];
      const c = c2[p2 + t];
      const d = c3[p3 + t];
      acc[a >> 4] += x0 * (a & 15) + unit;
      acc[b >> 4] += x1 * (b & 15) + unit;
      acc[c >> 4] += x2 * (c & 15) + unit;
      acc[d >> 4] += x3 * (d & 15) + unit;
    }
    p0 += n;
    p1 += n;
    p2 += n;
    p3 += n;
  }
  // Fewer than four raters left with entries: finish each alone.
  drain(c0, p0, e0, x0, acc, unit);
  drain(c1, p1, e1, x1, acc, unit);
  drain(c2, p2, e2, x2, acc, unit);
  drain(c3, p3, e3, x3, acc, unit);
}

/** A finished stream's codes before its first rater. */
const EMPTY: Int32Array = new Int32Array(0);

function drain(codes: Int32Array, p: number, end: number, x2: number, acc: Float64Array, unit: number): void {
  for (; p < end; p++) {
    const code = codes[p];
    acc[code >> 4] += x2 * (code & 15) + unit;
  }
}

/** collectTouched over the packed accumulator (acc is 0 or >= unit). */
function collectTouchedPacked(acc: Float64Array, from: number, to: number, touched: Int32Array): number {
  let nt = 0;
  for (let j = from; j < to; j++) {
    touched[nt] = j;
    nt += acc[j] > 0 ? 1 : 0;
  }
  return nt;
}

/** offerPairs over the packed accumulator: splits acc into co-count and dot product first. */
function offerPairsPacked(
  i: number,
  nt: number,
  touched: Int32Array,
  acc: Float64Array,
  unit: number,
  invNorm: Float64Array,
  k: number,
  stride: number,
  heapSize: Int32Array,
  hMin: Float32Array,
  hIndex: Int32Array,
  hSim: Float32Array,
  hCo: Int32Array,
): void {
  const invI = invNorm[i];
  const invUnit = 1 / unit;
  for (let t = 0; t < nt; t++) {
    const j = touched[t];
    const a = acc[j];
    acc[j] = 0;
    // Exact: unit is a power of two, and both parts are integers below 2^53.
    const cnt = Math.floor(a * invUnit);
    const d = (a - cnt * unit) * 0.25;
    const s = Math.fround(d * invI * invNorm[j]);
    offerBoth(i, j, s, cnt, k, stride, heapSize, hMin, hIndex, hSim, hCo);
  }
}

/**
 * Turns the accumulated dot products of movie i into similarities, resets the accumulator
 * (only the touched slots), and offers each pair to both movies' heaps.
 */
function offerPairs(
  i: number,
  nt: number,
  touched: Int32Array,
  dot: Float64Array,
  co: Int32Array,
  invNorm: Float64Array,
  k: number,
  stride: number,
  heapSize: Int32Array,
  hMin: Float32Array,
  hIndex: Int32Array,
  hSim: Float32Array,
  hCo: Int32Array,
): void {
  const invI = invNorm[i];
  for (let t = 0; t < nt; t++) {
    const j = touched[t];
    const d = dot[j];
    const cnt = co[j];
    dot[j] = 0;
    co[j] = 0;
    // fround first: every partition compares and stores exactly the same float32 value.
    // NaN (ineligible j, see invNorm) fails both comparisons below: no separate test needed.
    const s = Math.fround(d * invI * invNorm[j]);
    offerBoth(i, j, s, cnt, k, stride, heapSize, hMin, hIndex, hSim, hCo);
  }
}

/**
 * Offers j to i's buffer, then i to j's buffer. hMin[x] is the similarity a candidate must beat
 * (-Infinity until x's first compaction; then the K-th best as of the last one, with ties going
 * to the lower index than the heap root's).
 */
function offerBoth(
  i: number,
  j: number,
  s: number,
  cnt: number,
  k: number,
  stride: number,
  heapSize: Int32Array,
  hMin: Float32Array,
  hIndex: Int32Array,
  hSim: Float32Array,
  hCo: Int32Array,
): void {
  let m = hMin[i];
  if (s > m || (s === m && j < hIndex[i * stride])) admit(i, j, s, cnt, k, stride, heapSize, hMin, hIndex, hSim, hCo);
  m = hMin[j];
  if (s > m || (s === m && i < hIndex[j * stride])) admit(j, i, s, cnt, k, stride, heapSize, hMin, hIndex, hSim, hCo);
}

/**
 * Appends candidate (j, s, c) to x's buffer (the caller checked that it beats hMin[x]); a full
 * buffer is cut back to its best k, a heap in the first k slots.
 */
function admit(
  x: number,
  j: number,
  s: number,
  c: number,
  k: number,
  stride: number,
  heapSize: Int32Array,
  hMin: Float32Array,
  hIndex: Int32Array,
  hSim: Float32Array,
  hCo: Int32Array,
): void {
  const size = heapSize[x];
  const at = x * stride + size;
  hIndex[at] = j;
  hSim[at] = s;
  hCo[at] = c;
  heapSize[x] = size + 1;
  if (size + 1 === stride) keepBest(x, k, stride, heapSize, hMin, hIndex, hSim, hCo);
}

/**
 * Cuts x's buffer to its best min(k, size) entries, as a heap (worst at the root) in the first
 * slots, and sets hMin[x] to the root once there are k. Returns the size. The first k slots are
 * already a heap after an earlier cut (hMin[x] finite); otherwise they are made one.
 */
function keepBest(
  x: number,
  k: number,
  stride: number,
  heapSize: Int32Array,
  hMin: Float32Array,
  hIndex: Int32Array,
  hSim: Float32Array,
  hCo: Int32Array,
): number {
  const h = x * stride;
  const size = heapSize[x];
  let heap = hMin[x] === -Infinity ? 0 : k;
  for (; heap < k && heap < size; heap++) siftUp(hIndex, hSim, hCo, h, heap, hIndex[h + heap], hSim[h + heap], hCo[h + heap]);
  for (let e = heap; e < size; e++) {
    const s = hSim[h + e];
    const j = hIndex[h + e];
    const rs = hSim[h];
    if (s > rs || (s === rs && j < hIndex[h])) siftDown(hIndex, hSim, hCo, h, k, j, s, hCo[h + e]);
  }
  heapSize[x] = heap;
  if (heap === k) hMin[x] = hSim[h];
  return heap;
}

/** Mean rating of every user row (0 for a user without ratings). */
export function userMeans(byUser: ChunkedCsr): Float64Array {
  const mean = new Float64Array(byUser.rows);
  for (const ch of byUser.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      const start = ch.indptr[r];
      const end = ch.indptr[r + 1];
      let sum = 0;
      for (let p = start; p < end; p++) sum += ch.values[p];
      if (end > start) mean[ch.firstRow + r] = sum / (end - start);
    }
  }
  return mean;
}

/**
 * Merges the results of disjoint movie ranges (that together cover the movies) into the result
 * of one whole run, exactly: each pair lives in exactly one part, so per movie the top-K of the
 * union is the top-K of the parts' top-Ks. An index seen twice (overlapping ranges) is kept once.
 */
export function mergeNeighbours(parts: Neighbours[]): Neighbours {
  if (parts.length === 0) throw new Error('mergeNeighbours: no parts to merge.');
  const first = parts[0];
  const { k, kind, minRatings, movies } = first;
  for (const p of parts) {
    if (p.k !== k || p.kind !== kind || p.minRatings !== minRatings || p.movies !== movies) {
      throw new Error('mergeNeighbours: the parts were computed with different k, kind, minRatings or movie counts.');
    }
  }
  const cur: Neighbours = {
    k,
    kind,
    minRatings,
    movies,
    count: first.count.slice(),
    index: first.index.slice(),
    similarity: first.similarity.slice(),
    coCount: first.coCount.slice(),
  };
  const tIndex = new Int32Array(k);
  const tSim = new Float32Array(k);
  const tCo = new Int32Array(k);
  for (let pi = 1; pi < parts.length; pi++) {
    const o = parts[pi];
    for (let x = 0; x < movies; x++) {
      const h = x * k;
      const na = cur.count[x];
      const nb = o.count[x];
      if (nb === 0) continue;
      // Two-way merge of best-first lists under (similarity desc, index asc).
      let ia = 0;
      let ib = 0;
      let n = 0;
      while (n < k && (ia < na || ib < nb)) {
        let takeA: boolean;
        if (ia >= na) takeA = false;
        else if (ib >= nb) takeA = true;
        else {
          const sa = cur.similarity[h + ia];
          const sb = o.similarity[h + ib];
          takeA = sa > sb || (sa === sb && cur.index[h + ia] <= o.index[h + ib]);
        }
        const src = takeA ? cur : o;
        const at = h + (takeA ? ia++ : ib++);
        const j = src.index[at];
        if (n > 0 && tIndex[n - 1] === j) continue;
        tIndex[n] = j;
        tSim[n] = src.similarity[at];
        tCo[n] = src.coCount[at];
        n++;
      }
      cur.index.set(tIndex.subarray(0, n), h);
      cur.similarity.set(tSim.subarray(0, n), h);
      cur.coCount.set(tCo.subarray(0, n), h);
      cur.count[x] = n;
    }
  }
  return cur;
}

/** Σ_u c_u(c_u−1)/2: the pair updates of a whole computeNeighbours run (minRatings = 1). */
export function estimatePairUpdates(byUser: ChunkedCsr): number {
  let total = 0;
  for (const ch of byUser.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      const c = ch.indptr[r + 1] - ch.indptr[r];
      total += (c * (c - 1)) / 2;
    }
  }
  return total;
}

/**
 * The cost of visiting one rater of a movie (finding its row, a cache miss; advancing its
 * cursor; the pairs the tail then offers at random places), in pair updates. On the synthetic
 * 25M set, two threads: split by pair updates alone (cost 1), the head's range (2.87e9 updates,
 * 7.7M rater visits) took 15.8 s and the tail's (2.68e9, 17.3M) 17.4 s; fitting those two gave
 * 55, which overshot (head 17.7 s, tail 16.9 s, the threads slowing each other unevenly); 25
 * lies between.
 */
const RATER_COST = 25;

/**
 * Splits [0, nMovies) into `parts` consecutive ranges of about equal time, for running
 * computeNeighbours on several workers. Time of movie i = its pair updates (each rater's
 * entries after i) plus RATER_COST per rater. O(nnz).
 */
export function balancedMovieRanges(byUser: ChunkedCsr, parts: number): [number, number][] {
  const nMovies = byUser.cols;
  const work = new Float64Array(nMovies);
  let total = 0;
  for (const ch of byUser.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      const end = ch.indptr[r + 1];
      for (let p = ch.indptr[r]; p < end; p++) {
        const w = end - p - 1 + RATER_COST;
        work[ch.indices[p]] += w;
        total += w;
      }
    }
  }
  const n = Math.max(1, Math.floor(parts));
  const ranges: [number, number][] = [];
  let start = 0;
  let acc = 0;
  for (let i = 0; i < nMovies && ranges.length < n - 1; i++) {
    acc += work[i];
    if (acc >= (total * (ranges.length + 1)) / n) {
      ranges.push([start, i + 1]);
      start = i + 1;
    }
  }
  ranges.push([start, nMovies]);
  return ranges;
}

/** Kept where tests and the core have always found it; the page imports neighbour-list.ts directly. */
export { neighboursOf } from './neighbour-list';
