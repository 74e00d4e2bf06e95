/**
 * The genome pairs of the main loop, screened: content-neighbours.ts hands each genome row over
 * here, and every later genome row is either skipped, because the pair provably cannot enter
 * either movie's top K, or gets its exact genome dot product and is offered as before.
 *
 * The test, for a pair (i, j) at the point the main loop reaches it (its sparse part f_i · f_j
 * is summed by then, exactly as it will be used):
 *   ub = (f_i·f_j + w²·gInv_i · U · gInv_j) · (invN_i · invN_j) · (1 + 1e-6),  U >= g_i · g_j (genome-bound.ts);
 *   skip when ub < bar_i and ub < bar_j,  bar_x = max(τ_x (genome-thresholds.ts), x's heap root).
 * Both bars are at most the movie's final K-th best similarity (τ_x by construction; the root is
 * the K-th best of pairs already offered, a subset, and is −Infinity until K are), and the
 * pair's float32 similarity is at most ub (U bounds the Float64 sum to within its rounding,
 * ~1e-13 relative, and fround adds at most 6e-8: the 1e-6 covers both). A skipped pair is
 * therefore strictly below both movies' K-th best and in neither top K, whatever the tie rule.
 * The pairs kept get the same value as without the screen (genome-exact.ts sums as the dense
 * kernel does, and the similarity is the same expression, its sparse part kept as it was
 * summed), and a top K under (similarity desc, index asc) does not depend on which losing pairs
 * were offered or in what order: the neighbours are bit-identical, in any movieRange partition
 * (each range skips only pairs below bars that hold for the whole catalogue).
 *
 * The pairs kept wait until the end of their block, and are then computed in the order of their
 * later rows, four pairs at a time (genome-exact.ts's pairDots): the genome is read forward, once
 * per block, against the block's rows (in cache). Computed row by row instead, every kept pair
 * read its later row from memory (the rows kept are scattered over the whole genome): three times
 * the reads, and the kernel waited on them.
 *
 * The screen needs non-negative values; content-neighbours.ts uses the dense kernel otherwise.
 */
import type { CheckCancelled } from '../types';
import type { TopKHeaps } from './content-heaps';
import { genomeScreen, levelDot, screenBlocks, type GenomeScreen, type ScreenBlock } from './genome-bound';
import { exactDots, pairDots, type PairDots } from './genome-exact';
import { genomeThresholds, type GenomeThresholds, type ThresholdInputs } from './genome-thresholds';

/** Relative slack of the skip test (see the header). */
const SCREEN_MARGIN = 1 + 1e-6;

/** Counts for the benchmark: genome pairs screened, and of those, the ones computed exactly here or known from the thresholds. */
export interface ScreenStats {
  screened: number;
  exact: number;
  known: number;
}

/** The pairs kept by the block's rows, waiting for their dot products (see the header). */
class PendingPairs {
  count = 0;
  /** Movie i of the lower row, the row's index in the block, the later genome row. */
  movie = new Int32Array(1024);
  local = new Int32Array(1024);
  later = new Int32Array(1024);
  /** The sparse part cDot + dot, as the offer adds it, and the coCount. */
  sparse = new Float64Array(1024);
  co = new Int32Array(1024);

  push(movie: number, local: number, later: number, sparse: number, co: number): void {
    if (this.count === this.movie.length) this.grow();
    const c = this.count++;
    this.movie[c] = movie;
    this.local[c] = local;
    this.later[c] = later;
    this.sparse[c] = sparse;
    this.co[c] = co;
  }

  private grow(): void {
    const n = 2 * this.movie.length;
    const more = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.movie = more(this.movie);
    this.local = more(this.local);
    this.later = more(this.later);
    this.sparse = more(this.sparse);
    this.co = more(this.co);
  }
}

export class ScreenedGenome {
  private readonly nG: number;
  /** Pairs the current row keeps. */
  private readonly kept: Int32Array;
  /** mark[gj] === gi + 1: the pair's dot product is known (a candidate of genome-thresholds.ts). */
  private readonly mark: Int32Array;
  /** The genome rows from firstRow on that are not all zero (the others pair with nothing), and each row's position in it (for an all-zero row, the last live row before it). */
  private readonly live: Int32Array;
  private readonly livePos: Int32Array;
  /** By genome row: scale · gInv (the bound's per-row factor), 1/‖v‖, and the bar as of the block's start (bars only rise, so a stale one is still a bar). */
  private readonly scaleInv: Float64Array;
  private readonly invNormG: Float64Array;
  private readonly bar: Float64Array;
  private readonly pending = new PendingPairs();
  /** The flush's buckets by later row, and its pairs in that order: later row, block row, dot product. */
  private readonly bucket: Int32Array;
  private order = new Int32Array(1024);
  private laters = new Int32Array(1024);
  private locals = new Int32Array(1024);
  private dots = new Float64Array(1024);
  private blockStart = 0;

  /**
   * The screen for the pairs whose lower genome row lies in [firstRow, endRow), or undefined
   * when the bound does not hold for this genome (see genomeScreen).
   */
  static create(
    input: ThresholdInputs,
    firstRow: number,
    endRow: number,
    blockCap: number,
    heaps: TopKHeaps,
    check: CheckCancelled | undefined,
    stats?: ScreenStats,
    given?: GenomeThresholds,
  ): ScreenedGenome | undefined {
    const { relevance, dims, rows, gInv, invNorm, w2 } = input;
    const nG = rows.length;
    const screen = genomeScreen(relevance, dims, nG, firstRow, blockCap);
    if (!screen) return undefined;
    // The bars: computed once for every range by the caller, or here for this range.
    const bars = given ?? genomeThresholds(input, firstRow, endRow, exactDots(relevance, dims), check);
    const wide = new Float64Array(blockCap * dims);
    return new ScreenedGenome(
      screen,
      screenBlocks(screen, relevance, dims, nG, firstRow, check),
      pairDots(relevance, dims, wide),
      wide,
      bars,
      { relevance, dims, rows, gInv, invNorm, w2, firstRow },
      heaps,
      stats,
    );
  }

  private constructor(
    private readonly screen: GenomeScreen,
    private readonly screenBlock: ScreenBlock,
    private readonly exact: PairDots,
    private readonly wide: Float64Array,
    private readonly bars: GenomeThresholds,
    private readonly run: Omit<ThresholdInputs, 'k' | 'featureDot'> & { firstRow: number },
    private readonly heaps: TopKHeaps,
    private readonly stats: ScreenStats | undefined,
  ) {
    const { rows, gInv, invNorm, firstRow } = run;
    const nG = rows.length;
    this.nG = nG;
    this.kept = new Int32Array(nG);
    this.mark = new Int32Array(nG);
    const live: number[] = [];
    this.livePos = new Int32Array(nG - firstRow);
    for (let r = firstRow; r < nG; r++) {
      if (gInv[r] !== 0) live.push(r);
      this.livePos[r - firstRow] = live.length - 1;
    }
    this.live = Int32Array.from(live);
    this.scaleInv = Float64Array.from(screen.scale, (x, r) => x * gInv[r]);
    this.invNormG = Float64Array.from(rows, (i) => invNorm[i]);
    this.bar = new Float64Array(nG);
    this.bucket = new Int32Array(nG + 1);
  }

  /**
   * Finishes the previous block (its kept pairs), then screens the block of genome rows
   * [r0, r1) against every later row. Returns the multiply-adds the block stands for.
   */
  block(r0: number, r1: number): number {
    this.flush();
    this.blockStart = r0;
    const { bar, nG } = this;
    const { rows, relevance, dims } = this.run;
    const tau = this.bars.tau;
    const min = this.heaps.min;
    for (let r = r0; r < nG; r++) bar[r] = Math.max(tau[r], min[rows[r]]);
    const wide = this.wide;
    for (let t = r0 * dims, end = r1 * dims, at = 0; t < end; t++, at++) wide[at] = relevance[t];
    return this.screenBlock(r0, r1);
  }

  /** Computes and offers the pairs still waiting: call once after the last row. */
  finish(): void {
    this.flush();
  }

  /**
   * The genome pairs of movie i (genome row gi, in the current block) with every later genome
   * row: skipped, offered (a known pair), or kept for the end of the block; dot/co reset for
   * each, as the dense loop of content-neighbours.ts does. dot[j] and co[j] hold the rare part of
   * (i, j); cDot/cCo the common part by profile.
   */
  offerRow(
    i: number,
    gi: number,
    invI: number,
    dot: Float64Array,
    co: Int32Array,
    profileOf: Int32Array,
    cDot: Float64Array,
    cCo: Int32Array,
    heaps: TopKHeaps,
  ): void {
    const { mark, kept, live, livePos, pending } = this;
    const { rows, gInv, invNorm, firstRow, w2 } = this.run;
    const { knownPtr, knownRow, knownDot } = this.bars;
    const stamp = gi + 1;
    const known0 = knownPtr[gi - firstRow];
    const known1 = knownPtr[gi - firstRow + 1];
    for (let e = known0; e < known1; e++) mark[knownRow[e]] = stamp;
    const wI = w2 * gInv[gi];
    const from = livePos[gi - firstRow] + 1;
    const nKept = screenRow(
      from,
      live.length,
      live,
      rows,
      profileOf,
      cDot,
      dot,
      this.screen.acc,
      (gi - this.blockStart) * this.screen.pairs,
      firstRow,
      wI * this.screen.scale[gi],
      this.scaleInv,
      invI * SCREEN_MARGIN,
      this.invNormG,
      Math.max(this.bar[gi], heaps.min[i]),
      this.bar,
      mark,
      stamp,
      kept,
    );
    if (this.stats) {
      this.stats.screened += live.length - from;
      this.stats.exact += nKept;
      this.stats.known += known1 - known0;
    }
    // Known pairs now, with the same expression as the dense loop; kept ones at the block's end.
    for (let e = known0; e < known1; e++) {
      const gj = knownRow[e];
      const j = rows[gj];
      const pj = profileOf[j];
      const s = Math.fround((cDot[pj] + dot[j] + wI * knownDot[e] * gInv[gj]) * (invI * invNorm[j]));
      heaps.offerBoth(i, j, s, co[j] + cCo[pj]);
    }
    const local = gi - this.blockStart;
    for (let c = 0; c < nKept; c++) {
      const gj = kept[c];
      const j = rows[gj];
      const pj = profileOf[j];
      pending.push(i, local, gj, cDot[pj] + dot[j], co[j] + cCo[pj]);
    }
    // Every later genome row is taken: reset, so the sparse passes of the main loop skip it.
    for (let q = from; q < live.length; q++) {
      const j = rows[live[q]];
      dot[j] = 0;
      co[j] = 0;
    }
  }

  /** The pending pairs by later row (a counting sort, so the genome is read forward), their dot products, offered. */
  private flush(): void {
    const p = this.pending;
    const n = p.count;
    if (n === 0) return;
    const { bucket, heaps, blockStart, nG } = this;
    const { rows, gInv, invNorm, w2 } = this.run;
    if (this.order.length < n) {
      this.order = new Int32Array(2 * n);
      this.laters = new Int32Array(2 * n);
      this.locals = new Int32Array(2 * n);
      this.dots = new Float64Array(2 * n);
    }
    const { order, laters, locals, dots } = this;
    bucket.fill(0, blockStart, nG + 1);
    for (let c = 0; c < n; c++) bucket[p.later[c] + 1]++;
    for (let r = blockStart; r < nG; r++) bucket[r + 1] += bucket[r];
    for (let c = 0; c < n; c++) order[bucket[p.later[c]]++] = c;
    for (let e = 0; e < n; e++) {
      const c = order[e];
      laters[e] = p.later[c];
      locals[e] = p.local[c];
    }
    this.exact(laters, locals, n, dots);
    for (let e = 0; e < n; e++) {
      const c = order[e];
      const r = laters[e];
      const i = p.movie[c];
      const j = rows[r];
      const wI = w2 * gInv[blockStart + locals[e]];
      heaps.offerBoth(i, j, Math.fround((p.sparse[c] + wI * dots[e] * gInv[r]) * (invNorm[i] * invNorm[j])), p.co[c]);
    }
    p.count = 0;
  }
}

/**
 * The screen's test for row gi against the live rows live[from..to): appends to `kept` the rows
 * whose bound reaches either bar (or is NaN) and that are not known pairs (mark === stamp), and
 * returns how many. No branches, no calls: the skip is the common case, and a branch on it was
 * a misprediction in every row whose survivors cluster.
 */
function screenRow(
  from: number,
  to: number,
  live: Int32Array,
  rows: Int32Array,
  profileOf: Int32Array,
  cDot: Float64Array,
  dot: Float64Array,
  acc: Float64Array,
  rowAt: number,
  firstRow: number,
  upperI: number,
  scaleInv: Float64Array,
  normI: number,
  invNormG: Float64Array,
  barI: number,
  bar: Float64Array,
  mark: Int32Array,
  stamp: number,
  kept: Int32Array,
): number {
  let n = 0;
  for (let q = from; q < to; q++) {
    const gj = live[q];
    const j = rows[gj];
    const ub = (cDot[profileOf[j]] + dot[j] + upperI * levelDot(acc, rowAt, gj - firstRow) * scaleInv[gj]) * (normI * invNormG[gj]);
    kept[n] = gj;
    n += (+!(ub < barI) | +!(ub < bar[gj])) & +(mark[gj] !== stamp);
  }
  return n;
}
