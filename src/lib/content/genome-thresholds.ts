/**
 * A bar per genome movie before the main loop starts: a LOWER bound τ on its K-th best final
 * similarity, so that the screen (genome-bound.ts) can skip pairs from the first rows on, when
 * the heaps are still empty (and the first rows hold the most pairs: row r pairs with nG − r − 1).
 *
 * How. Every final similarity is at least the pair's genome-only part: the sparse part
 * f_i · f_j is non-negative, and the rounding of (sparse + X) · Y is monotone, so
 *   fround((sparse + X) · Y) >= fround(X · Y),   X = w²·gInv_i · G · gInv_j, Y = invN_i · invN_j.
 * The K-th largest of these genome-only values over any K partners of a movie is therefore at
 * most its K-th best final similarity. Good partners are found cheaply: each movie keeps the 2K
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
}

/** Bars for genome rows [firstRow, nG) and the known dot products of pairs whose lower row lies in [firstRow, endRow). */
export function genomeThresholds(input: ThresholdInputs, firstRow: number, endRow: number, exact: ExactDots, check?: CheckCancelled): GenomeThresholds {
  const { gInv, k } = input;
  const nG = gInv.length;
  const local = nG - firstRow;
  const tau = new Float64Array(nG).fill(-Infinity);
  const none = { tau, knownPtr: new Int32Array(Math.max(0, endRow - firstRow) + 1), knownRow: new Int32Array(0), knownDot: new Float64Array(0) };
  // Fewer than K partners: no bar can be proven.
  if (nG - 1 < k || local <= 0) return none;
  const slots = Math.min(nG - 1, CANDIDATES_PER_K * k);
  const { rows, invNorm, w2 } = input;
  const w = Math.sqrt(w2);
  const factor = Float64Array.from(gInv, (x, r) => w * x * invNorm[rows[r]]);
  const cand = genomeCandidates({ relevance: input.relevance, dims: input.dims, gInv, factor }, DIRECTIONS, firstRow, slots, check);

  // Candidate pairs by lower row (a pair listed by both its rows appears twice; the sort below
  // puts the copies side by side).
  const start = new Int32Array(nG + 1);
  for (let y = firstRow; y < nG; y++) {
    const h = (y - firstRow) * slots;
    for (let s = 0; s < cand.size[y - firstRow]; s++) start[Math.min(y, cand.index[h + s]) + 1]++;
  }
  for (let r = 0; r < nG; r++) start[r + 1] += start[r];
  const higher = new Int32Array(start[nG]);
  const fill = start.slice(0, nG);
  for (let y = firstRow; y < nG; y++) {
    const h = (y - firstRow) * slots;
    for (let s = 0; s < cand.size[y - firstRow]; s++) {
      const x = cand.index[h + s];
      if (x < y) higher[fill[x]++] = y;
      else higher[fill[y]++] = x;
    }
  }

  const bars = new KthLargest(local, k);
  const inRange = Math.max(0, endRow - firstRow);
  const knownPtr = new Int32Array(inRange + 1);
  const knownRow = new Int32Array(start[nG]);
  const knownDot = new Float64Array(start[nG]);
  let nKnown = 0;
  const others = new Int32Array(nG);
  const dots = new Float64Array(nG);
  let done = 0;
  for (let lo = 0; lo < nG; lo++) {
    if (lo >= firstRow && lo - firstRow < inRange) knownPtr[lo - firstRow] = nKnown;
    if (start[lo + 1] === start[lo]) continue;
    const list = higher.subarray(start[lo], start[lo + 1]).sort();
    let count = 0;
    for (let e = 0; e < list.length; e++) if (count === 0 || others[count - 1] !== list[e]) others[count++] = list[e];
    exact(lo, others, count, dots);
    const wI = w2 * gInv[lo];
    const invI = invNorm[rows[lo]];
    for (let c = 0; c < count; c++) {
      const hi = others[c];
      // The genome-only similarity, rounded as the main loop rounds the whole (see the header).
      const lb = Math.fround(wI * dots[c] * gInv[hi] * (invI * invNorm[rows[hi]]));
      if (lo >= firstRow) bars.push(lo - firstRow, lb);
      bars.push(hi - firstRow, lb);
    }
    if (lo >= firstRow && lo < endRow) {
      knownRow.set(others.subarray(0, count), nKnown);
      knownDot.set(dots.subarray(0, count), nKnown);
      nKnown += count;
    }
    done += count * input.dims;
    if (done >= REPORT_EVERY_MACS) {
      done = 0;
      check?.();
    }
  }
  knownPtr[inRange] = nKnown;
  tau.set(bars.kth, firstRow);
  return { tau, knownPtr, knownRow: knownRow.slice(0, nKnown), knownDot: knownDot.slice(0, nKnown) };
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
