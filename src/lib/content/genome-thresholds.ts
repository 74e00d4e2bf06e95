/**
 * A bar per genome movie before the main loop starts: a LOWER bound τ on its K-th best final
 * similarity, so that the screen (genome-bound.ts) can skip pairs from the first rows on, when
 * the heaps are still empty (and the first rows hold the most pairs: row r pairs with nG − r − 1).
 *
 * How. A candidate pair's bar value is its similarity with its sparse part taken a hair low:
 * the sparse part S = f_i · f_j is non-negative, and the rounding of (S + X) · Y is monotone, so
 *   fround((s + X) · Y) <= fround((S + X) · Y)  for any 0 <= s <= S,
 *   X = w²·gInv_i · G · gInv_j, Y = invN_i · invN_j,
 * with s = featureDot · SPARSE_SLACK (or 0, the genome-only part, without features). The K-th
 * largest of these values over any K distinct partners of a movie is therefore at most its K-th
 * best final similarity. With genres and tags in the features, the genome-only part alone fell
 * well short of the K-th best, and the screen kept more pairs. Good partners are found cheaply: each movie keeps the 2K
 * best by projected similarity (genome-projection.ts), and those pairs get their exact genome
 * dot product. The projection only chooses WHICH pairs; every bar comes from exact values, so
 * a poor projection costs pruning power, never correctness.
 *
 * The exact dot products of candidates whose lower row lies in the range are kept and used by
 * the main loop in place of computing them again (they are offered there, once).
 */
import type { CheckCancelled } from '../types';
import type { ExactDots } from './genome-exact';
import { REPORT_EVERY_MACS } from './genome-kernel';
import { genomeCandidates } from './genome-projection';

/**
 * Directions of the projection. On the ML-25M-shaped benchmark, against every pair by
 * projection: bars 0.009 below the exact K-th best for 32 directions, 0.012 for 24, 0.018 for 16.
 */
const DIRECTIONS = 32;
/**
 * Candidates kept per movie, in multiples of K. 2K; 4K halved the bars' shortfall (0.0048) and
 * cut the pairs kept by the screen from 4.7% to 2.4%, but computing the extra candidates cost
 * more than those pairs did (one 13,816-row range: 2.4 s more for candidates, 1.0 s less for kept pairs).
 */
const CANDIDATES_PER_K = 2;

export interface GenomeThresholds {
  /** tau[r] for genome rows r >= firstRow: a lower bound of the row's movie's K-th best similarity, or -Infinity. */
  tau: Float64Array;
  /** Genome rows lo in [firstRow, endRow): partners knownRow[e] (> lo, ascending) for e in knownPtr[lo − firstRow]..knownPtr[lo − firstRow + 1], with g_lo · g_hi in knownDot[e]. */
  knownPtr: Int32Array;
  knownRow: Int32Array;
  knownDot: Float64Array;
}

/** What genomeThresholds needs of the run (arrays of content-neighbours.ts, by genome row or movie). */
export interface ThresholdInputs {
  relevance: Float32Array;
  dims: number;
  /** Movie of each genome row. */
  rows: Int32Array;
  /** 1/‖g_r‖, 0 for an all-zero row (no pairs). */
  gInv: Float64Array;
  /** 1/‖v_i‖ by movie. */
  invNorm: Float64Array;
  /** w². */
  w2: number;
  k: number;
  /**
   * f_a · f_b of two movies' sparse features, when they have any: the bars then include the
   * pairs' sparse parts (see the header), which lifts them to the movies' K-th best far more
   * closely when the features are not empty.
   */
  featureDot?: (a: number, b: number) => number;
}

/**
 * The sparse part in a bar is scaled down by this much: the main loop sums the same products
 * in another grouping (common and rare columns apart), so its Float64 sum may differ from
 * featureDot's in the last bits (relative 1e-14 for rows of tens of features). Below the main
 * loop's sum, the bar's rounded value stays at or below the pair's (rounding is monotone).
 */
const SPARSE_SLACK = 1 - 1e-12;

/**
 * Candidate pairs with their exact genome dot products and their genome-only similarities (the
 * bars' values, see the header), each unordered pair once, in (lo, hi) order.
 */
export interface BarPairs {
  lo: Int32Array;
  hi: Int32Array;
  dot: Float64Array;
  /** fround of the pair's genome-only similarity: at most its final similarity. */
  lb: Float64Array;
}

/** Bars for genome rows [firstRow, nG) and the known dot products of pairs whose lower row lies in [firstRow, endRow). */
export function genomeThresholds(input: ThresholdInputs, firstRow: number, endRow: number, exact: ExactDots, check?: CheckCancelled): GenomeThresholds {
  const nG = input.gInv.length;
  const pairs = genomeBarPairs(input, firstRow, nG, exact, check);
  return { tau: barsOf(pairs, nG, input.k), ...knownIn(pairs, firstRow, endRow) };
}

/**
 * The candidate pairs of genome rows [rowStart, rowEnd): each row's CANDIDATES_PER_K · K best by
 * projection (compared with every row), with their exact dot products. Pairs listed by both of
 * their rows appear once. A pool thread computes one slice of rows; mergeBarPairs joins slices.
 */
export function genomeBarPairs(input: ThresholdInputs, rowStart: number, rowEnd: number, exact: ExactDots, check?: CheckCancelled): BarPairs {
  const { gInv, k } = input;
  const nG = gInv.length;
  const none: BarPairs = { lo: new Int32Array(0), hi: new Int32Array(0), dot: new Float64Array(0), lb: new Float64Array(0) };
  // Fewer than K partners: no bar can be proven.
  if (nG - 1 < k || rowEnd <= rowStart) return none;
  const slots = Math.min(nG - 1, CANDIDATES_PER_K * k);
  const { rows, invNorm, w2, featureDot } = input;
  const w = Math.sqrt(w2);
  const factor = Float64Array.from(gInv, (x, r) => w * x * invNorm[rows[r]]);
  const cand = genomeCandidates({ relevance: input.relevance, dims: input.dims, gInv, factor }, DIRECTIONS, rowStart, rowEnd, slots, check);

  // Candidate pairs by lower row (a pair listed by both its rows appears twice; the sort below
  // puts the copies side by side).
  const start = new Int32Array(nG + 1);
  for (let y = rowStart; y < rowEnd; y++) {
    const h = (y - rowStart) * slots;
    for (let s = 0; s < cand.size[y - rowStart]; s++) start[Math.min(y, cand.index[h + s]) + 1]++;
  }
  for (let r = 0; r < nG; r++) start[r + 1] += start[r];
  const higher = new Int32Array(start[nG]);
  const fill = start.slice(0, nG);
  for (let y = rowStart; y < rowEnd; y++) {
    const h = (y - rowStart) * slots;
    for (let s = 0; s < cand.size[y - rowStart]; s++) {
      const x = cand.index[h + s];
      if (x < y) higher[fill[x]++] = y;
      else higher[fill[y]++] = x;
    }
  }

  const out = { lo: new Int32Array(start[nG]), hi: new Int32Array(start[nG]), dot: new Float64Array(start[nG]), lb: new Float64Array(start[nG]) };
  let n = 0;
  const others = new Int32Array(nG);
  const dots = new Float64Array(nG);
  let done = 0;
  for (let lo = 0; lo < nG; lo++) {
    if (start[lo + 1] === start[lo]) continue;
    const list = higher.subarray(start[lo], start[lo + 1]).sort();
    let count = 0;
    for (let e = 0; e < list.length; e++) if (count === 0 || others[count - 1] !== list[e]) others[count++] = list[e];
    exact(lo, others, count, dots);
    const wI = w2 * gInv[lo];
    const invI = invNorm[rows[lo]];
    for (let c = 0; c < count; c++) {
      const hi = others[c];
      out.lo[n] = lo;
      out.hi[n] = hi;
      out.dot[n] = dots[c];
      // The similarity with its sparse part just below the main loop's, rounded as the main loop rounds the whole (see the header).
      const sparse = featureDot ? featureDot(rows[lo], rows[hi]) * SPARSE_SLACK : 0;
      out.lb[n] = Math.fround((sparse + wI * dots[c] * gInv[hi]) * (invI * invNorm[rows[hi]]));
      n++;
    }
    done += count * input.dims;
    if (done >= REPORT_EVERY_MACS) {
      done = 0;
      check?.();
    }
  }
  return { lo: out.lo.slice(0, n), hi: out.hi.slice(0, n), dot: out.dot.slice(0, n), lb: out.lb.slice(0, n) };
}

/** The slices' pairs as one list in (lo, hi) order, each pair once (two slices may both list a pair). */
export function mergeBarPairs(parts: BarPairs[]): BarPairs {
  let merged = parts[0] ?? { lo: new Int32Array(0), hi: new Int32Array(0), dot: new Float64Array(0), lb: new Float64Array(0) };
  for (let q = 1; q < parts.length; q++) merged = mergeTwo(merged, parts[q]);
  return merged;
}

function mergeTwo(a: BarPairs, b: BarPairs): BarPairs {
  const n = a.lo.length + b.lo.length;
  const out = { lo: new Int32Array(n), hi: new Int32Array(n), dot: new Float64Array(n), lb: new Float64Array(n) };
  let i = 0;
  let j = 0;
  let m = 0;
  const take = (from: BarPairs, e: number) => {
    out.lo[m] = from.lo[e];
    out.hi[m] = from.hi[e];
    out.dot[m] = from.dot[e];
    out.lb[m] = from.lb[e];
    m++;
  };
  while (i < a.lo.length || j < b.lo.length) {
    if (j === b.lo.length) take(a, i++);
    else if (i === a.lo.length) take(b, j++);
    else {
      const order = a.lo[i] - b.lo[j] || a.hi[i] - b.hi[j];
      if (order < 0) take(a, i++);
      else if (order > 0) take(b, j++);
      else {
        take(a, i++);
        j++;
      }
    }
  }
  return { lo: out.lo.slice(0, m), hi: out.hi.slice(0, m), dot: out.dot.slice(0, m), lb: out.lb.slice(0, m) };
}

/**
 * tau[r] for every genome row: the K-th largest lb over r's pairs (distinct partners, as the
 * pairs are unique), −Infinity with fewer than K. A lower bound of r's K-th best similarity.
 */
export function barsOf(pairs: BarPairs, nG: number, k: number): Float64Array {
  const bars = new KthLargest(nG, k);
  for (let e = 0; e < pairs.lo.length; e++) {
    const lb = pairs.lb[e];
    bars.push(pairs.lo[e], lb);
    bars.push(pairs.hi[e], lb);
  }
  return bars.kth;
}

/** The known dot products of the pairs whose lower row lies in [firstRow, endRow), by lower row (GenomeThresholds' layout). */
export function knownIn(pairs: BarPairs, firstRow: number, endRow: number): Pick<GenomeThresholds, 'knownPtr' | 'knownRow' | 'knownDot'> {
  const inRange = Math.max(0, endRow - firstRow);
  const knownPtr = new Int32Array(inRange + 1);
  let e0 = 0;
  while (e0 < pairs.lo.length && pairs.lo[e0] < firstRow) e0++;
  let e = e0;
  for (let l = 0; l < inRange; l++) {
    knownPtr[l] = e - e0;
    while (e < pairs.lo.length && pairs.lo[e] === firstRow + l) e++;
  }
  knownPtr[inRange] = e - e0;
  return { knownPtr, knownRow: pairs.hi.slice(e0, e), knownDot: pairs.dot.slice(e0, e) };
}

/**
 * The K-th largest of the values pushed for each of `rows` rows (a K-slot min-heap each): with
 * one lower bound per distinct partner pushed, kth[l] is a lower bound of the K-th best.
 */
export class KthLargest {
  readonly heap: Float64Array;
  readonly size: Int32Array;
  /** The K-th largest so far, −Infinity until K values. */
  readonly kth: Float64Array;

  constructor(
    rows: number,
    readonly k: number,
  ) {
    this.heap = new Float64Array(rows * k);
    this.size = new Int32Array(rows);
    this.kth = new Float64Array(rows).fill(-Infinity);
  }

  /** Adds a value to row l (the caller may test value > kth[l] first: a full heap ignores the rest). */
  push(l: number, value: number): void {
    const { heap, k } = this;
    const h = l * k;
    const n = this.size[l];
    if (n < k) {
      let pos = n;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (heap[h + parent] <= value) break;
        heap[h + pos] = heap[h + parent];
        pos = parent;
      }
      heap[h + pos] = value;
      this.size[l] = n + 1;
      if (n + 1 === k) this.kth[l] = heap[h];
      return;
    }
    if (!(value > heap[h])) return;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= k) break;
      if (child + 1 < k && heap[h + child + 1] < heap[h + child]) child++;
      if (value <= heap[h + child]) break;
      heap[h + pos] = heap[h + child];
      pos = child;
    }
    heap[h + pos] = value;
    this.kth[l] = heap[h];
  }
}
