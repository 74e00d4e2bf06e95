/**
 * Exact top-K content neighbours of every movie: cosine similarity over the concatenation
 *
 *   v_i = [ f_i , w · g_i / ‖g_i‖ ]
 *
 * of the sparse feature row f_i (content-features.ts: genres, year, tags, already block-weighted)
 * and the movie's tag-genome row g_i scaled to length w = genomeWeight. The genome block exists
 * only for movies with a genome row; the others have v_i = [f_i, 0]. So
 *
 *   sim(i, j) = (f_i·f_j + w² · g_i·g_j / (‖g_i‖‖g_j‖)) / (‖v_i‖ ‖v_j‖),  ‖v_i‖² = ‖f_i‖² + w²·[i has a genome row].
 *
 * A pair is a candidate when the two movies share a sparse feature or both have genome rows;
 * other pairs have similarity 0 and are never neighbours (as unrated pairs in similarity.ts).
 *
 * Work. Each unordered pair is computed once, at its lower index i:
 * - the sparse part by the sparse accumulator of similarity.ts, run over the transposed feature
 *   matrix: for each feature of i, walk the movies after i that have it (Σ_f c_f²/2 updates);
 * - the genome part, g_i·g_j for every genome row j after i, by a blocked dense kernel. This
 *   dominates: ML-25M's genome is 13,816 movies × 1,128 tags, n(n−1)/2 · 1,128 ≈ 1.08e11
 *   multiply-adds. Rows are taken BLOCK_ROWS at a time (the block stays in L2 while every later
 *   row streams past it once), and inside the block a register-blocked micro-kernel computes
 *   4 × 3 dot products at once: twelve independent Float64 accumulators, seven loads per step
 *   instead of two per multiply-add. See genomeBlocks for the V8 details.
 *
 * Partitioning is exact, as in similarity.ts: `movieRange` restricts the lower index; every
 * pair's dot products are summed in an order that does not depend on the range or on where the
 * blocks fall (sparse: features of i ascending; genome: tags 0..dims−1 into one accumulator per
 * pair, whichever kernel computes it), the similarity is rounded to float32 before any
 * comparison, and the top-K under (similarity desc, index asc) is unique. mergeNeighbours of
 * any partition of [0, nMovies) is therefore bit-identical to one whole run.
 */
import { transposeCsr } from '../matrix/csr';
import { siftDown, siftUp } from '../model/top-k-heap';
import type { CheckCancelled, ChunkedCsr, Neighbours } from '../types';
import type { ContentFeatures } from './content-features';
import { genomeRowOf, type GenomeMatrix } from './genome-matrix';

export interface ContentNeighbourOptions {
  /** Neighbours kept per movie (default 50). */
  k?: number;
  /** Length w of the genome block, against the sparse blocks' weights (default 2, so w² = 4:
   * the genome, 1,128 curated relevances, outweighs genres + year + tags when a movie has it). */
  genomeWeight?: number;
  /** Only pairs whose LOWER movie index lies in [a, b); default every pair. */
  movieRange?: [number, number];
  /** Genome rows per block of the dense kernel (default BLOCK_ROWS); tests use small blocks. */
  blockRows?: number;
  check?: CheckCancelled;
  /** Movies of the range done, movies in the range, genome multiply-adds done so far. */
  onProgress?: (moviesDone: number, moviesTotal: number, multiplyAdds: number) => void;
}

/**
 * Genome rows per dense block: 64 rows × 1,128 tags × 8 bytes = 577 KB stays in a 1 MB L2
 * while the later rows stream past; every later row is read from memory once per block, so
 * the whole run reads n/64 · n/2 rows (13 GB on ML-25M, ~0.3 GB/s) instead of n²/2 (860 GB).
 */
export const BLOCK_ROWS = 64;

/** The micro-kernel's shape: R rows i against C rows j. */
const R = 4;
const C = 3;

/**
 * A movie takes the dense regime when its pending pair updates times this ratio reach the
 * number of movies after it (similarity.ts uses the same rule and ratio).
 */
const DENSE_WORK_RATIO = 2;

/** Progress and check() at least this often, in genome multiply-adds (~0.1 s of work). */
const REPORT_EVERY_MACS = 2e8;

/** Top-K content neighbours of every movie; see the header for the similarity. */
export function contentNeighbours(
  features: Pick<ContentFeatures, 'matrix'>,
  genome: GenomeMatrix | undefined,
  opts: ContentNeighbourOptions = {},
): Neighbours {
  const matrix = features.matrix;
  const nMovies = matrix.rows;
  const k = opts.k ?? 50;
  const w = opts.genomeWeight ?? 2;
  const blockRows = Math.max(1, Math.floor(opts.blockRows ?? BLOCK_ROWS));
  if (!Number.isInteger(k) || k < 1) throw new Error(`contentNeighbours: k must be a positive integer, got ${k}.`);
  if (!(w >= 0 && Number.isFinite(w))) throw new Error(`contentNeighbours: genomeWeight must be a finite number >= 0, got ${w}.`);
  const [a, b] = opts.movieRange ?? [0, nMovies];
  if (!(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a <= b && b <= nMovies)) {
    throw new Error(`contentNeighbours: movieRange [${a}, ${b}) is not inside [0, ${nMovies}).`);
  }
  // A zero weight removes the genome block altogether (no candidates from it, no work).
  const g = genome && w > 0 && genome.rows.length > 0 ? genome : undefined;
  if (g) checkGenome(g, nMovies);
  const check = opts.check;
  const onProgress = opts.onProgress;

  // --- Norms. invNorm[i] = 1/‖v_i‖ in Float64, NaN for an empty vector: NaN makes every
  // similarity of that movie NaN, which fails both heap comparisons (as in similarity.ts).
  const sq = new Float64Array(nMovies);
  for (const ch of matrix.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      let ss = 0;
      for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) ss += ch.values[p] * ch.values[p];
      sq[ch.firstRow + r] = ss;
    }
  }
  const nG = g ? g.rows.length : 0;
  const dims = g ? g.dims : 0;
  const w2 = w * w;
  // 1/‖g_row‖, 0 for an all-zero row (which then counts as no genome row).
  const gInv = new Float64Array(nG);
  // genomeOf[i]: i's genome row, or -1.
  const genomeOf = new Int32Array(nMovies).fill(-1);
  if (g) {
    const rel = g.relevance;
    for (let r = 0; r < nG; r++) {
      let ss = 0;
      for (let t = r * dims, end = t + dims; t < end; t++) ss += rel[t] * rel[t];
      if (ss > 0) {
        gInv[r] = 1 / Math.sqrt(ss);
        genomeOf[g.rows[r]] = r;
        sq[g.rows[r]] += w2;
      }
    }
  }
  const invNorm = new Float64Array(nMovies);
  for (let i = 0; i < nMovies; i++) invNorm[i] = sq[i] > 0 ? 1 / Math.sqrt(sq[i]) : NaN;

  // --- Sparse part: features -> movies, with a cursor per feature. Invariant (as for users in
  // similarity.ts): when movie i of the range is processed, the cursor of each feature of i
  // points at i's entry in that feature's movie list, because cursors start at the first movie
  // >= a and each movie advances the cursors of its features by one.
  const byFeature = transposeCsr(matrix);
  const nFeatures = byFeature.rows;
  const fState = new Int32Array(3 * nFeatures); // cursor, end, chunk
  const fIndices = byFeature.chunks.map((ch) => ch.indices);
  const fValues = byFeature.chunks.map((ch) => ch.values);
  // Pair updates movie i makes as the lower index: Σ over its features of the movies after it.
  const pairWork = new Float64Array(nMovies);
  byFeature.chunks.forEach((ch, c) => {
    for (let r = 0; r < ch.rowCount; r++) {
      const f = ch.firstRow + r;
      let lo = ch.indptr[r];
      let hi = ch.indptr[r + 1];
      for (let p = lo; p < hi; p++) pairWork[ch.indices[p]] += hi - p - 1;
      fState[3 * f + 1] = hi;
      fState[3 * f + 2] = c;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ch.indices[mid] < a) lo = mid + 1;
        else hi = mid;
      }
      fState[3 * f] = lo;
    }
  });
  const dot = new Float64Array(nMovies);
  const co = new Int32Array(nMovies);
  const touched = new Int32Array(nMovies);
  // offerRange's buffers: similarities (float32, as compared) and the candidates that may win.
  const sims = new Float32Array(nMovies);
  const winners = new Int32Array(nMovies);

  // --- Top-K heaps, as in similarity.ts: a min-heap of k slots per movie, root = worst kept.
  const heaps = new TopKHeaps(nMovies, k);

  // --- Genome blocks: gdot[(r − blockStart)·nG + j] = g_r·g_j for rows r of the block, j > r.
  const blockCap = Math.min(blockRows, nG);
  const gdot = new Float64Array(blockCap * nG);
  // The rows the range reads (its first genome row onwards), widened to Float64 once: a Float32
  // load costs the kernel one more instruction (a conversion) on the busiest ports, measured
  // ~20% of its time. ML-25M: 125 MB for a range starting at 0, less for later ones.
  const gA = g ? lowerBound(g.rows, a) : 0;
  const wide = g ? Float64Array.from(g.relevance.subarray(gA * dims)) : new Float64Array(0);
  const genomeBlock = g ? genomeBlocks(wide, dims, gdot, nG, gA, check) : undefined;
  let blockStart = 0;
  let blockEnd = 0;
  // Genome rows of the range end before gB.
  const gB = g ? lowerBound(g.rows, b) : 0;

  const total = b - a;
  const reportEveryMovies = Math.max(1, Math.ceil(total / 100));
  let nextReportMovie = a + reportEveryMovies;
  let macs = 0;
  let nextReportMacs = REPORT_EVERY_MACS;
  const report = (moviesDone: number): void => {
    check?.();
    onProgress?.(moviesDone, total, macs);
  };

  let mc = 0;
  while (mc < matrix.chunks.length && matrix.chunks[mc].firstRow + matrix.chunks[mc].rowCount <= a) mc++;
  for (let i = a; i < b; i++) {
    while (mc < matrix.chunks.length && i >= matrix.chunks[mc].firstRow + matrix.chunks[mc].rowCount) mc++;
    const ch = matrix.chunks[mc];
    const fStart = ch ? ch.indptr[i - ch.firstRow] : 0;
    const fEnd = ch ? ch.indptr[i - ch.firstRow + 1] : 0;
    const invI = invNorm[i];
    if (invI !== invI) {
      // No content at all: only keep the cursor invariant.
      for (let q = fStart; q < fEnd; q++) fState[3 * ch.indices[q]]++;
      continue;
    }
    // Two regimes, as in similarity.ts. A movie whose features cover most of the movies after it
    // (a common genre, a busy year bucket: without tags nearly every pair of a large catalogue
    // shares something) accumulates without the first-touch branch and then scans j > i in
    // order; the rest keep a list of the movies they touched, so their cost follows their pairs.
    const dense = pairWork[i] * DENSE_WORK_RATIO >= nMovies - i - 1;
    let nt = 0;
    if (dense) accumulateDense(ch.indices, ch.values, fStart, fEnd, fState, fIndices, fValues, co, dot);
    else if (fEnd > fStart) nt = accumulateSparse(ch.indices, ch.values, fStart, fEnd, fState, fIndices, fValues, co, dot, touched);

    const gi = genomeOf[i];
    if (gi >= 0 && genomeBlock) {
      if (gi >= blockEnd) {
        // The next block starts at this row: rows before it in the range are all done.
        blockStart = gi;
        blockEnd = Math.min(gB, gi + blockCap);
        macs += genomeBlock(blockStart, blockEnd);
        if (macs >= nextReportMacs) {
          nextReportMacs = macs + REPORT_EVERY_MACS;
          report(i - a);
        }
      }
      // Every later genome row: sparse part (if any) + genome part, offered and reset here.
      const rowAt = (gi - blockStart) * nG;
      const gRows = g!.rows;
      const wI = w2 * gInv[gi];
      for (let gj = gi + 1; gj < nG; gj++) {
        const wJ = gInv[gj];
        if (wJ === 0) continue;
        const j = gRows[gj];
        const s = Math.fround((dot[j] + wI * gdot[rowAt + gj] * wJ) * invI * invNorm[j]);
        const cnt = co[j];
        dot[j] = 0;
        co[j] = 0;
        heaps.offerBoth(i, j, s, cnt);
      }
    }
    // The touched movies left (without genome rows, or all when i has none). co = 0 marks the
    // ones the genome loop already took.
    if (dense) offerRange(i, i + 1, nMovies, invNorm, co, dot, sims, winners, heaps);
    else offerTouched(i, nt, touched, invNorm, co, dot, heaps);

    if (i + 1 >= nextReportMovie || i + 1 === b) {
      nextReportMovie = i + 1 + reportEveryMovies;
      report(i + 1 - a);
    }
  }
  return { k, kind: 'cosine', minRatings: 0, movies: nMovies, ...heaps.sorted() };
}

/** Offers and resets the touched movies j that share features with i and are not offered yet. */
function offerTouched(i: number, nt: number, touched: Int32Array, invNorm: Float64Array, co: Int32Array, dot: Float64Array, heaps: TopKHeaps): void {
  const invI = invNorm[i];
  for (let t = 0; t < nt; t++) {
    const j = touched[t];
    const cnt = co[j];
    if (cnt === 0) continue;
    const s = Math.fround(dot[j] * invI * invNorm[j]);
    dot[j] = 0;
    co[j] = 0;
    heaps.offerBoth(i, j, s, cnt);
  }
}

/**
 * offerTouched over every j in [from, to), in order: for movies that touch most of them (a
 * 62k-movie catalogue without tags has ~2e9 such pairs). Three passes, so that the two long
 * ones make no calls and V8 keeps their arrays in registers: similarities into `sims`; then the
 * movies that beat i's root as it was at the start (a stale, lower bar: never too strict) or
 * their own root, into `winners`; then those few, offered for real with the exact tests.
 */
function offerRange(
  i: number,
  from: number,
  to: number,
  invNorm: Float64Array,
  co: Int32Array,
  dot: Float64Array,
  sims: Float32Array,
  winners: Int32Array,
  heaps: TopKHeaps,
): void {
  const invI = invNorm[i];
  for (let j = from; j < to; j++) {
    sims[j] = dot[j] * invI * invNorm[j];
    dot[j] = 0;
  }
  const min = heaps.min;
  const minIndex = heaps.minIndex;
  const mi = min[i];
  const ri = minIndex[i];
  let nw = 0;
  for (let j = from; j < to; j++) {
    const s = sims[j];
    const mj = min[j];
    winners[nw] = j;
    // Branch-free, every comparison evaluated: a `||` chain whose later terms are rarely
    // reached made V8 deoptimise this loop dozens of times for want of type feedback.
    nw += +(co[j] > 0) & (+(s > mi) | +(s > mj) | (+(s === mi) & +(j < ri)) | (+(s === mj) & +(i < minIndex[j])));
  }
  for (let w = 0; w < nw; w++) {
    const j = winners[w];
    heaps.offerBoth(i, j, sims[j], co[j]);
  }
  for (let j = from; j < to; j++) co[j] = 0;
}

/** accumulateSparse without the touched list (see the two regimes in the main loop). */
function accumulateDense(
  fOfI: Int32Array,
  xOfI: Float32Array,
  start: number,
  end: number,
  fState: Int32Array,
  fIndices: Int32Array[],
  fValues: Float32Array[],
  co: Int32Array,
  dot: Float64Array,
): void {
  for (let q = start; q < end; q++) {
    const f = fOfI[q];
    const x = xOfI[q];
    const p0 = fState[3 * f] + 1;
    fState[3 * f] = p0;
    const c = fState[3 * f + 2];
    const idx = fIndices[c];
    const val = fValues[c];
    const pEnd = fState[3 * f + 1];
    for (let p = p0; p < pEnd; p++) {
      const j = idx[p];
      co[j]++;
      dot[j] += x * val[p];
    }
  }
}

/**
 * The movies j > i that share features with movie i: dot[j] += x_if·x_jf and co[j]++ for each
 * shared feature f, features of i ascending; each j touched for the first time is listed in
 * `touched`. Returns how many. A separate small function so V8 optimises the loop on its own.
 */
function accumulateSparse(
  fOfI: Int32Array,
  xOfI: Float32Array,
  start: number,
  end: number,
  fState: Int32Array,
  fIndices: Int32Array[],
  fValues: Float32Array[],
  co: Int32Array,
  dot: Float64Array,
  touched: Int32Array,
): number {
  let nt = 0;
  for (let q = start; q < end; q++) {
    const f = fOfI[q];
    const x = xOfI[q];
    const p0 = fState[3 * f] + 1;
    fState[3 * f] = p0;
    const c = fState[3 * f + 2];
    const idx = fIndices[c];
    const val = fValues[c];
    const pEnd = fState[3 * f + 1];
    for (let p = p0; p < pEnd; p++) {
      const j = idx[p];
      const cc = co[j];
      if (cc === 0) touched[nt++] = j;
      co[j] = cc + 1;
      dot[j] += x * val[p];
    }
  }
  return nt;
}

/** Computes one block of genome dot products; see genomeBlocks. Returns the multiply-adds done. */
type GenomeBlock = (r0: number, r1: number) => number;

/**
 * The dense part: a function that fills gdot row (r − r0) with g_r · g_j for every genome row
 * r in [r0, r1) and j in (r, nG), reading `wide` (genome rows firstRow.. as Float64, `dims` per
 * row).
 *
 * Every pair is summed as s = 0; s += a[t]·b[t] for t = 0..dims−1 in Float64 (a product of two
 * float32 values is exact in Float64), so a pair's value does not depend on which micro-kernel
 * or block computed it: that is what keeps range partitions bit-identical.
 *
 * Loop order: columns of C rows outermost, so those C rows stay in cache while the block's rows
 * (in L2) pass by in groups of R. Pairs with j <= r inside the block's own triangle are computed
 * where that is simpler, and never read.
 *
 * Why one factory with const bindings: it is called once per contentNeighbours call, so the
 * returned function is the only closure of its kind and V8's optimising compiler specialises it
 * to its context (function context specialisation). The captured `const`s — the array, dims,
 * the output — become constants, also inside the micro-kernels it inlines, and a load costs an
 * add, a compare with a constant, a branch and the load itself, instead of also re-reading the
 * array's map, base pointer and length on every iteration (the loop's interrupt check makes V8
 * forget them). Measured on Node 20 / Zen 4: ~25% fewer ns per multiply-add. When a later call
 * makes it one of "many closures", it is still correct, only slower.
 *
 * Why 4 × 3: twelve accumulators and seven loaded values are about what x64's sixteen vector
 * registers hold; larger tiles spill more, smaller ones load more per multiply-add (measured
 * 3×3, 3×4, 4×2, 4×4, 5×2, with and without unrolling: 4×3 was fastest or tied).
 */
function genomeBlocks(
  wideRows: Float64Array,
  dimsArg: number,
  gdotArg: Float64Array,
  nGArg: number,
  firstRowArg: number,
  check: CheckCancelled | undefined,
): GenomeBlock {
  const rel = wideRows;
  const dims = dimsArg;
  const out = gdotArg;
  const nG = nGArg;
  const stride = nGArg;
  const firstRow = firstRowArg;

  /** Rows r..r+3 against rows j..j+2: out[at + a·stride + c] = g_(r+a) · g_(j+c). */
  const k4x3 = (r: number, j: number, at: number): void => {
    const a0 = (r - firstRow) * dims;
    const a1 = a0 + dims;
    const a2 = a1 + dims;
    const a3 = a2 + dims;
    const b0 = (j - firstRow) * dims;
    const b1 = b0 + dims;
    const b2 = b1 + dims;
    let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0;
    let s20 = 0, s21 = 0, s22 = 0, s30 = 0, s31 = 0, s32 = 0;
    // `| 0` makes each index a plain 32-bit add (no overflow check); the bounds check stays.
    for (let t = 0; t < dims; t++) {
      const x0 = rel[(b0 + t) | 0];
      const x1 = rel[(b1 + t) | 0];
      const x2 = rel[(b2 + t) | 0];
      let y = rel[(a0 + t) | 0];
      s00 += y * x0;
      s01 += y * x1;
      s02 += y * x2;
      y = rel[(a1 + t) | 0];
      s10 += y * x0;
      s11 += y * x1;
      s12 += y * x2;
      y = rel[(a2 + t) | 0];
      s20 += y * x0;
      s21 += y * x1;
      s22 += y * x2;
      y = rel[(a3 + t) | 0];
      s30 += y * x0;
      s31 += y * x1;
      s32 += y * x2;
    }
    out[at] = s00;
    out[at + 1] = s01;
    out[at + 2] = s02;
    at += stride;
    out[at] = s10;
    out[at + 1] = s11;
    out[at + 2] = s12;
    at += stride;
    out[at] = s20;
    out[at + 1] = s21;
    out[at + 2] = s22;
    at += stride;
    out[at] = s30;
    out[at + 1] = s31;
    out[at + 2] = s32;
  };

  /** One row r against rows j..j+2 (the block's last rows when it is not a multiple of R). */
  const k1x3 = (r: number, j: number, at: number): void => {
    const a0 = (r - firstRow) * dims;
    const b0 = (j - firstRow) * dims;
    const b1 = b0 + dims;
    const b2 = b1 + dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let t = 0; t < dims; t++) {
      const y = rel[(a0 + t) | 0];
      s0 += y * rel[(b0 + t) | 0];
      s1 += y * rel[(b1 + t) | 0];
      s2 += y * rel[(b2 + t) | 0];
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
  };

  /** Rows r..r+3 against one row j (the last columns, fewer than C). */
  const k4x1 = (r: number, j: number, at: number): void => {
    const a0 = (r - firstRow) * dims;
    const a1 = a0 + dims;
    const a2 = a1 + dims;
    const a3 = a2 + dims;
    const b0 = (j - firstRow) * dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < dims; t++) {
      const x = rel[(b0 + t) | 0];
      s0 += rel[(a0 + t) | 0] * x;
      s1 += rel[(a1 + t) | 0] * x;
      s2 += rel[(a2 + t) | 0] * x;
      s3 += rel[(a3 + t) | 0] * x;
    }
    out[at] = s0;
    out[at + stride] = s1;
    out[at + 2 * stride] = s2;
    out[at + 3 * stride] = s3;
  };

  const k1x1 = (r: number, j: number, at: number): void => {
    const a0 = (r - firstRow) * dims;
    const b0 = (j - firstRow) * dims;
    let s = 0;
    for (let t = 0; t < dims; t++) s += rel[(a0 + t) | 0] * rel[(b0 + t) | 0];
    out[at] = s;
  };

  /**
   * One column group j..j+C−1 against the block's rows [r0, r1). Kept to one short call per
   * group, so that V8 optimises it as a normal call (context-specialised, kernels inlined with
   * the constants) rather than on-stack-replacing a long-running loop, which it compiles without
   * context specialisation (seen in --print-opt-code: the OSR'd loop re-checked the array's map
   * and reloaded its data pointer and length on every iteration).
   */
  const columnGroup = (j: number, r0: number, r1: number, fullR: number): number => {
    // Row groups whose every row is >= the group's last column have nothing to compute.
    const lastJ = j + C - 1;
    let r = r0;
    for (; r < fullR && r < lastJ; r += R) k4x3(r, j, (r - r0) * stride + j);
    for (; r < r1 && r < lastJ; r++) k1x3(r, j, (r - r0) * stride + j);
    return (r - r0) * C * dims;
  };

  return (r0: number, r1: number): number => {
    const fullR = r1 - ((r1 - r0) % R);
    let macs = 0;
    let sinceCheck = 0;
    let j = r0 + 1;
    for (; j + C <= nG; j += C) {
      const done = columnGroup(j, r0, r1, fullR);
      macs += done;
      sinceCheck += done;
      if (sinceCheck >= REPORT_EVERY_MACS) {
        sinceCheck = 0;
        check?.();
      }
    }
    // The last columns, fewer than C: one at a time.
    for (; j < nG; j++) {
      let r = r0;
      for (; r < fullR && r + R - 1 < j; r += R) k4x1(r, j, (r - r0) * stride + j);
      for (; r < r1 && r < j; r++) k1x1(r, j, (r - r0) * stride + j);
      macs += (r - r0) * dims;
    }
    return macs;
  };
}

/**
 * The features and genome tags that contribute most to sim(a, b), largest first, for a line
 * such as "shares: mafia, crime family, late 1970s". A user tag and a genome tag of the same
 * name count as one, their contributions added.
 */
export function sharedContent(
  features: Pick<ContentFeatures, 'matrix' | 'featureNames'>,
  genome: GenomeMatrix | undefined,
  a: number,
  b: number,
  limit = 5,
  genomeWeight = 2,
): string[] {
  const contribution = new Map<string, number>();
  const add = (name: string, v: number) => contribution.set(name, (contribution.get(name) ?? 0) + v);
  const ra = rowOf(features.matrix, a);
  const rb = rowOf(features.matrix, b);
  // Both rows have ascending columns: a merge walk finds the shared ones.
  for (let p = 0, q = 0; p < ra.indices.length && q < rb.indices.length; ) {
    const fa = ra.indices[p];
    const fb = rb.indices[q];
    if (fa < fb) p++;
    else if (fb < fa) q++;
    else {
      add(features.featureNames[fa], ra.values[p] * rb.values[q]);
      p++;
      q++;
    }
  }
  if (genome && genomeWeight > 0) {
    const ga = genomeRowOf(genome, a);
    const gb = genomeRowOf(genome, b);
    if (ga >= 0 && gb >= 0) {
      const d = genome.dims;
      const rel = genome.relevance;
      let na = 0;
      let nb = 0;
      for (let t = 0; t < d; t++) {
        na += rel[ga * d + t] ** 2;
        nb += rel[gb * d + t] ** 2;
      }
      if (na > 0 && nb > 0) {
        const scale = (genomeWeight * genomeWeight) / Math.sqrt(na * nb);
        for (let t = 0; t < d; t++) {
          const v = rel[ga * d + t] * rel[gb * d + t] * scale;
          if (v > 0) add(genome.tagNames[t], v);
        }
      }
    }
  }
  return [...contribution]
    .filter(([, v]) => v > 0)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, Math.max(0, limit))
    .map(([name]) => name);
}

/** One row's columns and values as views (for explanation, not hot loops). */
function rowOf(m: ChunkedCsr, row: number): { indices: Int32Array; values: Float32Array } {
  if (!(row >= 0 && row < m.rows)) throw new Error(`sharedContent: movie index ${row} is not in [0, ${m.rows}).`);
  const ch = m.chunks.find((c) => row >= c.firstRow && row < c.firstRow + c.rowCount)!;
  const r = row - ch.firstRow;
  return { indices: ch.indices.subarray(ch.indptr[r], ch.indptr[r + 1]), values: ch.values.subarray(ch.indptr[r], ch.indptr[r + 1]) };
}

function checkGenome(g: GenomeMatrix, nMovies: number): void {
  if (g.relevance.length !== g.rows.length * g.dims) {
    throw new Error(`contentNeighbours: the genome has ${g.rows.length} rows × ${g.dims} tags but ${g.relevance.length} relevances.`);
  }
  for (let r = 0; r < g.rows.length; r++) {
    if (!(g.rows[r] >= 0 && g.rows[r] < nMovies) || (r > 0 && g.rows[r] <= g.rows[r - 1])) {
      throw new Error(`contentNeighbours: genome rows must be ascending movie indices below ${nMovies}; row ${r} is ${g.rows[r]}.`);
    }
  }
}

function lowerBound(sorted: Int32Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One min-heap of k slots per movie, flat, as in similarity.ts (kept in step with it: same order
 * and tie rule, so results merge with mergeNeighbours). The root is the WORST kept neighbour;
 * hMin[x] is the similarity a candidate must beat once x's heap is full (-Infinity before).
 */
class TopKHeaps {
  readonly size: Int32Array;
  readonly index: Int32Array;
  readonly sim: Float32Array;
  readonly co: Int32Array;
  readonly min: Float32Array;
  /** The root's index once x's heap is full, next to min[x]: the tie test reads no heap slot. */
  readonly minIndex: Int32Array;

  constructor(
    n: number,
    readonly k: number,
  ) {
    this.size = new Int32Array(n);
    this.index = new Int32Array(n * k).fill(-1);
    this.sim = new Float32Array(n * k);
    this.co = new Int32Array(n * k);
    this.min = new Float32Array(n).fill(-Infinity);
    this.minIndex = new Int32Array(n).fill(-1);
  }

  /**
   * Offers j to i's heap and i to j's. Equal similarity goes to the lower index. NaN never enters.
   * One call site for `s`, inside the branch: with two, V8 boxes s into a heap number before
   * the tests, on every pair (measured: half the time of the offer loops).
   */
  offerBoth(i: number, j: number, s: number, cnt: number): void {
    const mi = this.min[i];
    const mj = this.min[j];
    // Every comparison evaluated (see offerRange): cold `||` terms cost deoptimisations.
    const toI = +(s > mi) | (+(s === mi) & +(j < this.minIndex[i]));
    const toJ = +(s > mj) | (+(s === mj) & +(i < this.minIndex[j]));
    if ((toI | toJ) !== 0) this.admit(i, j, s, cnt, toI, toJ);
  }

  /** The rare path of offerBoth: puts the pair into the heaps that it beats. */
  admit(i: number, j: number, s: number, cnt: number, toI: number, toJ: number): void {
    if (toI !== 0) this.offer(i, j, s, cnt);
    if (toJ !== 0) this.offer(j, i, s, cnt);
  }

  /** Puts (j, s, c) into x's heap; the caller checked that it beats min[x] (or ties it with a lower index). */
  private offer(x: number, j: number, s: number, c: number): void {
    const k = this.k;
    const h = x * k;
    const size = this.size[x];
    if (size < k) {
      siftUp(this.index, this.sim, this.co, h, size, j, s, c);
      this.size[x] = size + 1;
      if (size + 1 === k) {
        this.min[x] = this.sim[h];
        this.minIndex[x] = this.index[h];
      }
    } else {
      siftDown(this.index, this.sim, this.co, h, k, j, s, c);
      this.min[x] = this.sim[h];
      this.minIndex[x] = this.index[h];
    }
  }

  /** Heapsorts every heap in place (best first) and hands the arrays over. */
  sorted(): Pick<Neighbours, 'count' | 'index' | 'similarity' | 'coCount'> {
    const { k, index, sim, co } = this;
    for (let x = 0; x < this.size.length; x++) {
      const h = x * k;
      for (let size = this.size[x]; size > 1; size--) {
        const last = h + size - 1;
        const wi = index[h];
        const ws = sim[h];
        const wc = co[h];
        siftDown(index, sim, co, h, size - 1, index[last], sim[last], co[last]);
        index[last] = wi;
        sim[last] = ws;
        co[last] = wc;
      }
    }
    return { count: this.size, index, similarity: sim, coCount: co };
  }
}
