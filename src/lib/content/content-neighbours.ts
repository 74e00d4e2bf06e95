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
 * The value is computed as fround(((C + R) + G) · (1/‖v_i‖ · 1/‖v_j‖)) with C the dot product
 * over the common columns, R over the rest, G the genome term, each summed in a fixed order.
 *
 * Work. The sparse columns are split in two (`commonColumns`, by default the genre and era
 * columns of ContentFeatures, which nearly every pair shares):
 * - pairs that share a RARE column (a tag) or both have genome rows are computed one by one,
 *   each unordered pair once, at its lower index i: the rare part by the sparse accumulator of
 *   similarity.ts over the transposed rare columns (Σ_f c_f²/2 updates), the common part C from
 *   the two movies' profiles (content-profiles.ts), the genome part by blocks of rows. The
 *   genome dominates: ML-25M's is 13,816 movies × 1,128 tags, n(n−1)/2 · 1,128 ≈ 1.08e11
 *   multiply-adds for every dot product. So the genome pairs are SCREENED (genome-screened.ts):
 *   an upper bound on each pair's similarity, at half the cost of its dot product
 *   (genome-bound.ts), against bars that are at most each movie's K-th best
 *   (genome-thresholds.ts), skips the pairs that cannot be anyone's neighbour, and the ~5% left
 *   are summed exactly (genome-exact.ts). On the ML-25M-shaped benchmark (bench/content-bench.ts,
 *   two threads) that is 0.70–0.81 of the dense kernel's CPU time, the same neighbours bit for
 *   bit. The dense kernel (genome-kernel.ts) computes every pair when the bound does not hold (a
 *   negative value), when the genome is too small for the screen to pay, or on request;
 * - the COMMON-ONLY pairs (the ~2e9 pairs of a 62k catalogue that share only genres or era) are
 *   never visited one by one: their similarity depends only on the two movies' classes, so each
 *   movie's best are found by walking classes (content-profiles.ts). On a synthetic 62,423-movie
 *   catalogue (genres and era only) the pair-by-pair accumulator took 91 s, the class walk ~4 s
 *   of CPU, with identical neighbours.
 *
 * Partitioning is exact, as in similarity.ts: `movieRange` restricts the lower index of the pairs
 * computed one by one, and the movies whose common-only candidates are walked; every pair's dot
 * products are summed in an order that does not depend on the range or on where the blocks fall
 * (rare: features of i ascending; common: shared columns ascending; genome: tags 0..dims−1 into
 * one accumulator per pair, whichever kernel computes it), the similarity is rounded to float32
 * before any comparison, and the top-K under (similarity desc, index asc) is unique.
 * mergeNeighbours of any partition of [0, nMovies) is therefore bit-identical to one whole run.
 */
import { transposeCsr } from '../matrix/csr';
import type { CheckCancelled, Neighbours } from '../types';
import { FEATURE_TAG, type ContentFeatures } from './content-features';
import { TopKHeaps } from './content-heaps';
import { CommonOnlyPairs, CommonProfiles } from './content-profiles';
import { BLOCK_ROWS, genomeBlocks, genomeWorkspace, REPORT_EVERY_MACS } from './genome-kernel';
import type { GenomeMatrix } from './genome-matrix';
import { featureDots } from './content-pair';
import { exactDots } from './genome-exact';
import { ScreenedGenome, type ScreenStats } from './genome-screened';
import { genomeBarPairs, type BarPairs, type GenomeThresholds, type ThresholdInputs } from './genome-thresholds';

export { BLOCK_ROWS } from './genome-kernel';

export interface ContentNeighbourOptions {
  /** Neighbours kept per movie (default 50). */
  k?: number;
  /** Length w of the genome block, against the sparse blocks' weights (default 2, so w² = 4:
   * the genome, 1,128 curated relevances, outweighs genres + year + tags when a movie has it). */
  genomeWeight?: number;
  /**
   * The leading columns whose pairs are found by profile classes rather than one by one (see
   * the header). Default: the genre and year columns when `featureKinds` is given, else 0 (every
   * column is walked pair by pair). Any value gives the same neighbours; it changes the work.
   */
  commonColumns?: number;
  /** Only pairs whose LOWER movie index lies in [a, b); default every pair. */
  movieRange?: [number, number];
  /** Genome rows per block of the dense kernel (default BLOCK_ROWS); tests use small blocks. */
  blockRows?: number;
  /**
   * Skip the genome pairs that provably cannot be neighbours (genome-screened.ts), when every
   * feature and genome value is non-negative. Default: when the genome is large enough for it to
   * pay (see screenPays); true: whenever it can; false: never (every pair by the dense kernel).
   * Every choice gives the same neighbours, bit for bit.
   */
  genomeScreen?: boolean;
  /** Filled with the screen's counts, when it runs (for the benchmark). */
  screenStats?: ScreenStats;
  /**
   * The screen's bars, computed once for the whole catalogue (contentGenomeBarPairs on each
   * pool thread, then barsOf and knownIn over the merged pairs) instead of by this range: for
   * the range's genome rows [gA, gB), tau over every genome row and the known pairs of its rows.
   */
  genomeBars?: GenomeThresholds;
  check?: CheckCancelled;
  /** Movies of the range done, movies in the range, genome multiply-adds done so far. */
  onProgress?: (moviesDone: number, moviesTotal: number, multiplyAdds: number) => void;
}

/**
 * A movie takes the dense regime when its pending pair updates times this ratio reach the
 * number of movies after it (similarity.ts uses the same rule and ratio).
 */
const DENSE_WORK_RATIO = 2;

/**
 * A movie whose rare pairs are fewer than its profile's C-row cost over this ratio takes C pair
 * by pair (a merge of two short rows, ~5 steps) instead of filling the row.
 */
const MERGE_COST = 8;

/** The leading genre and year columns of a ContentFeatures (tags come after them). */
export function commonColumnsOf(featureKinds: Uint8Array | undefined): number {
  if (!featureKinds) return 0;
  let c = 0;
  while (c < featureKinds.length && featureKinds[c] !== FEATURE_TAG) c++;
  return c;
}

/** Top-K content neighbours of every movie; see the header for the similarity. */
export function contentNeighbours(
  features: Pick<ContentFeatures, 'matrix'> & Partial<Pick<ContentFeatures, 'featureKinds'>>,
  genome: Pick<GenomeMatrix, 'rows' | 'dims' | 'relevance'> | undefined,
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
  const nC = opts.commonColumns ?? commonColumnsOf(features.featureKinds);
  // A zero weight removes the genome block altogether (no candidates from it, no work).
  const g = genome && w > 0 && genome.rows.length > 0 ? genome : undefined;
  if (g) checkGenome(g, nMovies);
  const check = opts.check;
  const onProgress = opts.onProgress;

  const { invNorm, gInv, genomeOf, hasRare } = contentNorms(matrix, g, w, nC);
  const nG = g ? g.rows.length : 0;
  const dims = g ? g.dims : 0;
  const w2 = w * w;

  // --- Common part: profiles (C of any two movies) and the class walk of common-only pairs.
  const profiles = new CommonProfiles(matrix, nC);
  const profileOf = profiles.profileOf;
  const cDot = profiles.dot;
  const cCo = profiles.co;

  // --- Rare part: rare features -> movies, with a cursor per feature. Invariant (as for users in
  // similarity.ts): when movie i of the range is processed, the cursor of each rare feature of i
  // points at i's entry in that feature's movie list, because cursors start at the first movie
  // >= a and each movie advances the cursors of its rare features by one.
  const byFeature = transposeCsr(matrix);
  const nFeatures = byFeature.rows;
  const fState = new Int32Array(4 * nFeatures); // cursor, end, chunk, start
  const fIndices = byFeature.chunks.map((ch) => ch.indices);
  const fValues = byFeature.chunks.map((ch) => ch.values);
  // Pair updates movie i makes as the lower index: Σ over its rare features of the movies after it.
  const pairWork = new Float64Array(nMovies);
  byFeature.chunks.forEach((ch, c) => {
    for (let r = 0; r < ch.rowCount; r++) {
      const f = ch.firstRow + r;
      let lo = ch.indptr[r];
      let hi = ch.indptr[r + 1];
      if (f >= nC) for (let p = lo; p < hi; p++) pairWork[ch.indices[p]] += hi - p - 1;
      fState[4 * f + 1] = hi;
      fState[4 * f + 2] = c;
      fState[4 * f + 3] = lo;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ch.indices[mid] < a) lo = mid + 1;
        else hi = mid;
      }
      fState[4 * f] = lo;
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

  // --- Genome pairs, by blocks of rows. Screened (genome-screened.ts) when the values allow it:
  // a bound at half the cost of the dot products rules out most pairs, and the rest are summed
  // exactly. Otherwise the dense kernel: gdot[(r − blockStart)·nG + j] = g_r·g_j for rows r of
  // the block, j > r, from a workspace holding the rows the range reads (its first genome row
  // onwards) as Float64 (genome-kernel.ts: ML-25M, 125 MB for a range starting at 0).
  const blockCap = Math.min(blockRows, nG);
  const gA = g ? lowerBound(g.rows, a) : 0;
  // Genome rows of the range end before gB.
  const gB = g ? lowerBound(g.rows, b) : 0;
  const screened =
    g && gB > gA && usesGenomeScreen(matrix, g, k, w, opts.genomeScreen)
      ? ScreenedGenome.create(
          thresholdInputs(matrix, g, gInv, invNorm, w, k, !opts.genomeBars),
          gA,
          gB,
          blockCap,
          heaps,
          check,
          opts.screenStats,
          opts.genomeBars,
        )
      : undefined;
  const workspace = g && !screened ? genomeWorkspace(g.relevance, dims, nG, gA, blockCap) : undefined;
  const gdot = workspace ? workspace.gdot : new Float64Array(0);
  const genomeBlock = workspace ? genomeBlocks(workspace, dims, nG, gA, check) : undefined;
  let blockStart = 0;
  let blockEnd = 0;

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
    const fEnd = ch ? ch.indptr[i - ch.firstRow + 1] : 0;
    // The row's rare columns start after its common ones (columns ascend).
    let fStart = ch ? ch.indptr[i - ch.firstRow] : 0;
    while (fStart < fEnd && ch.indices[fStart] < nC) fStart++;
    const invI = invNorm[i];
    if (invI !== invI) {
      // No content at all: only keep the cursor invariant.
      for (let q = fStart; q < fEnd; q++) fState[4 * ch.indices[q]]++;
      continue;
    }
    // Two regimes, as in similarity.ts. A movie whose rare features cover most of the movies
    // after it accumulates without the first-touch branch and then scans j > i in order; the
    // rest keep a list of the movies they touched, so their cost follows their pairs.
    const dense = pairWork[i] * DENSE_WORK_RATIO >= nMovies - i - 1;
    let nt = 0;
    if (dense) accumulateDense(ch.indices, ch.values, fStart, fEnd, fState, fIndices, fValues, co, dot);
    else if (fEnd > fStart) nt = accumulateSparse(ch.indices, ch.values, fStart, fEnd, fState, fIndices, fValues, co, dot, touched);

    const gi = genomeOf[i];
    // C of i with each candidate: one row of C when there are many candidates, else pair by pair.
    const pI = profileOf[i];
    const rowFilled = pI < profiles.count && (gi >= 0 || dense || nt * MERGE_COST >= profiles.rowCost[pI]);
    if (rowFilled) profiles.fillRow(pI);
    if (gi >= 0 && screened) {
      if (gi >= blockEnd) {
        blockStart = gi;
        blockEnd = Math.min(gB, gi + blockCap);
        macs += screened.block(blockStart, blockEnd);
        if (macs >= nextReportMacs) {
          nextReportMacs = macs + REPORT_EVERY_MACS;
          report(i - a);
        }
      }
      // Every later genome row: skipped or offered, and reset.
      screened.offerRow(i, gi, invI, dot, co, profileOf, cDot, cCo, heaps);
    } else if (gi >= 0 && genomeBlock) {
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
      // Every later genome row: common + rare part + genome part, offered and reset here.
      const rowAt = (gi - blockStart) * nG;
      const gRows = g!.rows;
      const wI = w2 * gInv[gi];
      for (let gj = gi + 1; gj < nG; gj++) {
        const wJ = gInv[gj];
        if (wJ === 0) continue;
        const j = gRows[gj];
        const pj = profileOf[j];
        const s = Math.fround((cDot[pj] + dot[j] + wI * gdot[rowAt + gj] * wJ) * (invI * invNorm[j]));
        const cnt = co[j] + cCo[pj];
        dot[j] = 0;
        co[j] = 0;
        heaps.offerBoth(i, j, s, cnt);
      }
    }
    // The touched movies left (without genome rows, or all when i has none). co = 0 marks the
    // ones the genome loop already took.
    if (dense) offerRange(i, i + 1, nMovies, invNorm, co, dot, profileOf, cDot, cCo, sims, winners, heaps);
    else if (rowFilled || pI === profiles.count) offerTouched(i, nt, touched, invNorm, co, dot, profileOf, cDot, cCo, heaps);
    else offerTouchedMerged(i, nt, touched, invNorm, co, dot, profiles, heaps);
    if (rowFilled) profiles.clearRow();

    if (i + 1 >= nextReportMovie || i + 1 === b) {
      nextReportMovie = i + 1 + reportEveryMovies;
      report(i + 1 - a);
    }
  }

  // The screen's last kept pairs.
  screened?.finish();

  // --- Common-only pairs of the range's movies, after the rest: the heaps are fuller then, so
  // the walks stop sooner. excluded[j] === i + 1 marks the movies sharing a rare column with i.
  const common = new CommonOnlyPairs(profiles, invNorm, hasRare, genomeOf, k);
  const excluded = new Int32Array(nMovies);
  let looked = 0;
  mc = 0;
  for (let i = a; i < b; i++) {
    if (hasRare[i]) {
      while (i >= matrix.chunks[mc].firstRow + matrix.chunks[mc].rowCount) mc++;
      const ch = matrix.chunks[mc];
      const r = i - ch.firstRow;
      for (let q = ch.indptr[r]; q < ch.indptr[r + 1]; q++) {
        const f = ch.indices[q];
        if (f < nC) continue;
        const idx = fIndices[fState[4 * f + 2]];
        for (let p = fState[4 * f + 3], end = fState[4 * f + 1]; p < end; p++) excluded[idx[p]] = i + 1;
      }
    }
    looked += common.offer(i, excluded, i + 1, heaps);
    if (looked >= REPORT_EVERY_MACS / 100) {
      looked = 0;
      check?.();
    }
  }
  report(total);
  return { k, kind: 'cosine', minRatings: 0, movies: nMovies, ...heaps.sorted() };
}

/** Offers and resets the touched movies j that share rare features with i and are not offered yet; C from the filled row. */
function offerTouched(
  i: number,
  nt: number,
  touched: Int32Array,
  invNorm: Float64Array,
  co: Int32Array,
  dot: Float64Array,
  profileOf: Int32Array,
  cDot: Float64Array,
  cCo: Int32Array,
  heaps: TopKHeaps,
): void {
  const invI = invNorm[i];
  for (let t = 0; t < nt; t++) {
    const j = touched[t];
    const cnt = co[j];
    if (cnt === 0) continue;
    const pj = profileOf[j];
    const s = Math.fround((cDot[pj] + dot[j]) * (invI * invNorm[j]));
    dot[j] = 0;
    co[j] = 0;
    heaps.offerBoth(i, j, s, cnt + cCo[pj]);
  }
}

/** offerTouched with C merged pair by pair, for a movie with few rare pairs. */
function offerTouchedMerged(
  i: number,
  nt: number,
  touched: Int32Array,
  invNorm: Float64Array,
  co: Int32Array,
  dot: Float64Array,
  profiles: CommonProfiles,
  heaps: TopKHeaps,
): void {
  const invI = invNorm[i];
  const pI = profiles.profileOf[i];
  for (let t = 0; t < nt; t++) {
    const j = touched[t];
    const cnt = co[j];
    if (cnt === 0) continue;
    const c = profiles.pairDot(pI, profiles.profileOf[j]);
    const s = Math.fround((c + dot[j]) * (invI * invNorm[j]));
    dot[j] = 0;
    co[j] = 0;
    heaps.offerBoth(i, j, s, cnt + profiles.pairCo);
  }
}

/**
 * offerTouched over every j in [from, to), in order: for movies whose rare features touch most
 * of them. Three passes, so that the two long ones make no calls and V8 keeps their arrays in
 * registers: similarities into `sims`; then the movies that beat i's root as it was at the start
 * (a stale, lower bar: never too strict) or their own root, into `winners`; then those few,
 * offered for real with the exact tests.
 */
function offerRange(
  i: number,
  from: number,
  to: number,
  invNorm: Float64Array,
  co: Int32Array,
  dot: Float64Array,
  profileOf: Int32Array,
  cDot: Float64Array,
  cCo: Int32Array,
  sims: Float32Array,
  winners: Int32Array,
  heaps: TopKHeaps,
): void {
  const invI = invNorm[i];
  for (let j = from; j < to; j++) {
    sims[j] = (cDot[profileOf[j]] + dot[j]) * (invI * invNorm[j]);
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
    heaps.offerBoth(i, j, sims[j], co[j] + cCo[profileOf[j]]);
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
    const p0 = fState[4 * f] + 1;
    fState[4 * f] = p0;
    const c = fState[4 * f + 2];
    const idx = fIndices[c];
    const val = fValues[c];
    const pEnd = fState[4 * f + 1];
    for (let p = p0; p < pEnd; p++) {
      const j = idx[p];
      co[j]++;
      dot[j] += x * val[p];
    }
  }
}

/**
 * The movies j > i that share rare features with movie i: dot[j] += x_if·x_jf and co[j]++ for
 * each shared feature f, features of i ascending; each j touched for the first time is listed in
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
    const p0 = fState[4 * f] + 1;
    fState[4 * f] = p0;
    const c = fState[4 * f + 2];
    const idx = fIndices[c];
    const val = fValues[c];
    const pEnd = fState[4 * f + 1];
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

/**
 * Whether the screen is worth its fixed costs: the bars' candidates (2K exact dot products per
 * movie) and projections. Measured on genome-shaped matrices of 1,128 tags, one thread: 2,000
 * rows with K = 100, 1.95 s dense against 2.85 s screened; 3,000 with K = 50, 3.4 s against
 * 3.1 s; 13,816 with K = 50, 53 s against 36 s. So: at least 100·K rows, and enough work
 * (2e9 multiply-adds, about a second) for the savings to show.
 */
export function screenPays(nG: number, dims: number, k: number): boolean {
  return nG >= 100 * k && ((nG * (nG - 1)) / 2) * dims >= 2e9;
}

/** Every stored feature value is finite and >= 0 (NaN fails): the screen's bounds need a non-negative sparse part. */
function nonNegative(matrix: ContentFeatures['matrix']): boolean {
  for (const ch of matrix.chunks) {
    const values = ch.values;
    for (let p = ch.indptr[0], end = ch.indptr[ch.rowCount]; p < end; p++) if (!(values[p] >= 0 && values[p] < Infinity)) return false;
  }
  return true;
}

function checkGenome(g: Pick<GenomeMatrix, 'rows' | 'dims' | 'relevance'>, nMovies: number): void {
  if (g.relevance.length !== g.rows.length * g.dims) {
    throw new Error(`contentNeighbours: the genome has ${g.rows.length} rows × ${g.dims} tags but ${g.relevance.length} relevances.`);
  }
  for (let r = 0; r < g.rows.length; r++) {
    if (!(g.rows[r] >= 0 && g.rows[r] < nMovies) || (r > 0 && g.rows[r] <= g.rows[r - 1])) {
      throw new Error(`contentNeighbours: genome rows must be ascending movie indices below ${nMovies}; row ${r} is ${g.rows[r]}.`);
    }
  }
}

/** The first index of an ascending array whose value is >= x (the genome row of a range's first movie, for one). */
export function lowerBound(sorted: Int32Array, x: number): number {
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
 * The norms every part of the similarity uses (see the header): invNorm[i] = 1/‖v_i‖ in Float64,
 * NaN for an empty vector (NaN makes every similarity of that movie NaN, which fails both heap
 * comparisons, as in similarity.ts); gInv[r] = 1/‖g_r‖, 0 for an all-zero genome row (which then
 * counts as no genome row); genomeOf[i], i's genome row or −1; hasRare[i], the row has columns >= nC.
 */
function contentNorms(
  matrix: ContentFeatures['matrix'],
  g: Pick<GenomeMatrix, 'rows' | 'dims' | 'relevance'> | undefined,
  w: number,
  nC: number,
): { invNorm: Float64Array; gInv: Float64Array; genomeOf: Int32Array; hasRare: Uint8Array } {
  const nMovies = matrix.rows;
  const sq = new Float64Array(nMovies);
  const hasRare = new Uint8Array(nMovies);
  for (const ch of matrix.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      let ss = 0;
      for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) ss += ch.values[p] * ch.values[p];
      sq[ch.firstRow + r] = ss;
      const end = ch.indptr[r + 1];
      hasRare[ch.firstRow + r] = end > ch.indptr[r] && ch.indices[end - 1] >= nC ? 1 : 0;
    }
  }
  const nG = g ? g.rows.length : 0;
  const dims = g ? g.dims : 0;
  const w2 = w * w;
  const gInv = new Float64Array(nG);
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
  return { invNorm, gInv, genomeOf, hasRare };
}

/**
 * Whether contentNeighbours will screen this genome (and so wants bars): the test it makes, for
 * its genomeScreen option `force` (undefined: when it pays).
 */
export function usesGenomeScreen(
  matrix: ContentFeatures['matrix'],
  genome: Pick<GenomeMatrix, 'rows' | 'dims'> | undefined,
  k: number,
  genomeWeight: number,
  force?: boolean,
): boolean {
  return !!genome && genomeWeight > 0 && genome.rows.length > 0 && (force ?? screenPays(genome.rows.length, genome.dims, k)) && nonNegative(matrix);
}

/**
 * The screen's candidate pairs for genome rows [rowStart, rowEnd), with the norms contentNeighbours
 * uses (genome-thresholds.ts's genomeBarPairs): one slice per pool thread, merged by the caller.
 */
export function contentGenomeBarPairs(
  features: Pick<ContentFeatures, 'matrix'>,
  genome: Pick<GenomeMatrix, 'rows' | 'dims' | 'relevance'>,
  opts: { k: number; genomeWeight: number; rowRange: [number, number]; check?: CheckCancelled },
): BarPairs {
  checkGenome(genome, features.matrix.rows);
  const { invNorm, gInv } = contentNorms(features.matrix, genome, opts.genomeWeight, 0);
  const input = thresholdInputs(features.matrix, genome, gInv, invNorm, opts.genomeWeight, opts.k, true);
  return genomeBarPairs(input, opts.rowRange[0], opts.rowRange[1], exactDots(genome.relevance, genome.dims), opts.check);
}

/**
 * What the bars are computed from (genome-thresholds.ts), the same for a range's own bars and
 * for a pool thread's slice. `forBars` false: the bars are given, and the features' row lookup
 * for the pairs' sparse parts is not built.
 */
function thresholdInputs(
  matrix: ContentFeatures['matrix'],
  g: Pick<GenomeMatrix, 'rows' | 'dims' | 'relevance'>,
  gInv: Float64Array,
  invNorm: Float64Array,
  w: number,
  k: number,
  forBars: boolean,
): ThresholdInputs {
  return {
    relevance: g.relevance,
    dims: g.dims,
    rows: g.rows,
    gInv,
    invNorm,
    w2: w * w,
    k,
    featureDot: forBars && matrix.nnz > 0 ? featureDots(matrix) : undefined,
  };
}
