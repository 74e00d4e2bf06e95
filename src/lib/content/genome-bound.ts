/**
 * An upper bound on every genome dot product g_r · g_j at about half the cost of computing them:
 * the screen that lets content-neighbours.ts skip the pairs that cannot be anyone's neighbour.
 *
 * The bound. Relevances are non-negative, so rounding every value UP keeps every product, and so
 * every dot product, at or above the true one. Row r is rounded up to integer levels
 *   level_r[t] = ceil(g_r[t] · V / max_r) in 0..V,   g_r[t] <= level_r[t] · scale_r,  scale_r = max_r / V,
 * so g_r · g_j <= scale_r · scale_j · Σ_t level_r[t] · level_j[t], the last sum an exact integer.
 * Its error is about Σ_t (g_r[t] + g_j[t]) · step / 2 with step = max / V: on a genome-shaped
 * matrix of 1,128 tags with V = 243, ~1.4% of ‖g_r‖‖g_j‖, i.e. 0.014 in cosine, where half the
 * pairs lie 0.066 or more below the smaller of their two movies' 50th best, and 90% 0.033 or more
 * (bench/content-bench.ts's matrix).
 *
 * Why it is cheaper. The levels are small integers, so ONE Float64 multiply-add does TWO of them:
 * the later rows are stored in pairs, level_{2p}[t] + level_{2p+1}[t] · 2^26, and
 *   Σ_t level_r[t] · (level_{2p}[t] + level_{2p+1}[t] · 2^26) = D(r, 2p) + D(r, 2p+1) · 2^26
 * exactly, as long as each sum D stays below 2^26 (then the whole stays below 2^52, where
 * Float64 holds every integer): V is the largest level with dims · V² < 2^26, 243 for 1,128
 * tags. The two sums come back out with a floor (every step exact). The kernel is the dense
 * kernel's 4 × 3 register tile over packed columns: the same instructions per step, two
 * products each, and half the bytes streamed from memory.
 */
import type { CheckCancelled } from '../types';
import { REPORT_EVERY_MACS } from './genome-kernel';

/** The weight of the upper level in a packed pair (see the header). */
const SLOT = 2 ** 26;
const INV_SLOT = 2 ** -26;

/** Rows of a tile: block rows go 4 at a time. */
const R = 4;
/** Packed column pairs per tile (6 genome rows). */
const P = 3;

/** The largest level V with dims · V² < 2^26 (0 when even V = 1 would not fit). */
export function screenLevels(dims: number): number {
  return Math.floor(Math.sqrt((SLOT - 1) / dims));
}

/** The screen's data for genome rows firstRow..nG−1 (see the header). */
export interface GenomeScreen {
  /** Levels used: every level is in 0..levels. */
  levels: number;
  /** scale[r] = max_r / levels for r >= firstRow: g_r[t] <= level_r[t] · scale[r]. */
  scale: Float64Array;
  /** levels / max_r (0 for an all-zero row): level_r[t] = min(levels, ceil(g_r[t] · inv[r])). */
  inv: Float64Array;
  /** Local rows in pairs: pair p (rows firstRow + 2p and + 2p + 1), tag t at p · dims + t. */
  packed: Float64Array;
  /** Packed pairs (an odd last row gets an all-zero partner). */
  pairs: number;
  /** blockCap × pairs: acc[(r − blockStart) · pairs + p] = D(r, 2p) + D(r, 2p + 1) · 2^26. */
  acc: Float64Array;
  /** The block's rows as levels, (r − blockStart) · dims + t. */
  blockLevels: Float64Array;
}

/**
 * The screen for rows [firstRow, nG) of `relevance`, or undefined when the bound does not hold:
 * a negative or non-finite relevance (rounding up would not bound the products), or too many
 * tags for a level of 1.
 */
export function genomeScreen(relevance: Float32Array, dims: number, nG: number, firstRow: number, blockCap: number): GenomeScreen | undefined {
  const levels = screenLevels(dims);
  if (levels < 1) return undefined;
  const localRows = nG - firstRow;
  const pairs = Math.ceil(localRows / 2);
  const scale = new Float64Array(nG);
  const inv = new Float64Array(nG);
  const packed = new Float64Array(pairs * dims);
  for (let r = firstRow; r < nG; r++) {
    let max = 0;
    for (let t = r * dims, end = t + dims; t < end; t++) {
      const x = relevance[t];
      // `!(x >= 0)` also catches NaN.
      if (!(x >= 0) || x === Infinity) return undefined;
      if (x > max) max = x;
    }
    scale[r] = max / levels;
    inv[r] = max > 0 ? levels / max : 0;
    const l = r - firstRow;
    const to = (l >> 1) * dims;
    const weight = (l & 1) === 0 ? 1 : SLOT;
    for (let t = 0; t < dims; t++) packed[to + t] += weight * levelOf(relevance[r * dims + t], inv[r], levels);
  }
  return { levels, scale, inv, packed, pairs, acc: new Float64Array(blockCap * pairs), blockLevels: new Float64Array(blockCap * dims) };
}

/**
 * One relevance as a level. The product may round down, so the ceiling may be one level short of
 * the exact one by a relative 2^-52 of a level; the caller's margin (SCREEN_MARGIN) covers it.
 */
function levelOf(x: number, inv: number, levels: number): number {
  return Math.min(levels, Math.ceil(x * inv));
}

/** The level sum Σ_t level_r[t] · level_j[t] of block row r (its acc row at `rowAt`) with local row l = j − firstRow. */
export function levelDot(acc: Float64Array, rowAt: number, l: number): number {
  const packed = acc[rowAt + (l >> 1)];
  const upper = Math.floor(packed * INV_SLOT);
  return (l & 1) === 0 ? packed - upper * SLOT : upper;
}

/** Fills the screen's acc for a block; see screenBlocks. Returns the genome multiply-adds the block covers. */
export type ScreenBlock = (r0: number, r1: number) => number;

/**
 * The packed kernel: a function that fills acc row (r − r0) with the level sums of every row r
 * in [r0, r1) and every packed pair holding a row after it. Loop order and the reasons for one
 * factory with const bindings are the dense kernel's (genome-kernel.ts): column tiles outermost,
 * the block's rows (in L2) in groups of R; this is a separate factory so that each of the two
 * closures stays the only one of its kind, and V8 specialises both.
 *
 * The count returned is of the pairs covered (Σ over the block's rows of the rows after it, times
 * dims), not of the instructions: progress reads against n(n−1)/2 · dims either way.
 */
export function screenBlocks(
  screen: GenomeScreen,
  relevanceArg: Float32Array,
  dimsArg: number,
  nGArg: number,
  firstRowArg: number,
  check: CheckCancelled | undefined,
): ScreenBlock {
  const cols = screen.packed;
  const rows = screen.blockLevels;
  const out = screen.acc;
  const relevance = relevanceArg;
  const inv = screen.inv;
  const levels = screen.levels;
  const dims = dimsArg;
  const nG = nGArg;
  const stride = screen.pairs;
  const pairs = screen.pairs;
  const firstRow = firstRowArg;

  /** Block rows lr..lr+3 against pairs p..p+2: out[at + a·stride + c] = acc of (lr + a, p + c). */
  const k4x3 = (lr: number, p: number, at: number): void => {
    const a0 = lr * dims;
    const a1 = a0 + dims;
    const a2 = a1 + dims;
    const a3 = a2 + dims;
    const b0 = p * dims;
    const b1 = b0 + dims;
    const b2 = b1 + dims;
    let s00 = 0,
      s01 = 0,
      s02 = 0,
      s10 = 0,
      s11 = 0,
      s12 = 0;
    let s20 = 0,
      s21 = 0,
      s22 = 0,
      s30 = 0,
      s31 = 0,
      s32 = 0;
    for (let t = 0; t < dims; t++) {
      const x0 = cols[(b0 + t) | 0];
      const x1 = cols[(b1 + t) | 0];
      const x2 = cols[(b2 + t) | 0];
      let y = rows[(a0 + t) | 0];
      s00 += y * x0;
      s01 += y * x1;
      s02 += y * x2;
      y = rows[(a1 + t) | 0];
      s10 += y * x0;
      s11 += y * x1;
      s12 += y * x2;
      y = rows[(a2 + t) | 0];
      s20 += y * x0;
      s21 += y * x1;
      s22 += y * x2;
      y = rows[(a3 + t) | 0];
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

  /** One block row against pairs p..p+2. */
  const k1x3 = (lr: number, p: number, at: number): void => {
    const a0 = lr * dims;
    const b0 = p * dims;
    const b1 = b0 + dims;
    const b2 = b1 + dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let t = 0; t < dims; t++) {
      const y = rows[(a0 + t) | 0];
      s0 += y * cols[(b0 + t) | 0];
      s1 += y * cols[(b1 + t) | 0];
      s2 += y * cols[(b2 + t) | 0];
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
  };

  /** Block rows lr..lr+3 against one pair (the last pairs, fewer than a tile). */
  const k4x1 = (lr: number, p: number, at: number): void => {
    const a0 = lr * dims;
    const a1 = a0 + dims;
    const a2 = a1 + dims;
    const a3 = a2 + dims;
    const b0 = p * dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < dims; t++) {
      const x = cols[(b0 + t) | 0];
      s0 += rows[(a0 + t) | 0] * x;
      s1 += rows[(a1 + t) | 0] * x;
      s2 += rows[(a2 + t) | 0] * x;
      s3 += rows[(a3 + t) | 0] * x;
    }
    out[at] = s0;
    out[at + stride] = s1;
    out[at + 2 * stride] = s2;
    out[at + 3 * stride] = s3;
  };

  const k1x1 = (lr: number, p: number, at: number): void => {
    const a0 = lr * dims;
    const b0 = p * dims;
    let s = 0;
    for (let t = 0; t < dims; t++) s += rows[(a0 + t) | 0] * cols[(b0 + t) | 0];
    out[at] = s;
  };

  /** Rows of the block that have a later row in pairs up to `lastPair`: those before its second row. */
  const rowsBefore = (lastPair: number, nRows: number, r0: number): number => Math.min(nRows, firstRow + 2 * lastPair + 1 - r0);

  /** One tile of pairs p..p+2 against the block's rows; one short call per tile (see genome-kernel.ts). */
  const pairTile = (p: number, nRows: number, fullRows: number, r0: number): void => {
    const end = rowsBefore(p + P - 1, nRows, r0);
    let lr = 0;
    for (; lr < fullRows && lr < end; lr += R) k4x3(lr, p, lr * stride + p);
    for (; lr < end; lr++) k1x3(lr, p, lr * stride + p);
  };

  const pairColumn = (p: number, nRows: number, fullRows: number, r0: number): void => {
    const end = rowsBefore(p, nRows, r0);
    let lr = 0;
    for (; lr < fullRows && lr < end; lr += R) k4x1(lr, p, lr * stride + p);
    for (; lr < end; lr++) k1x1(lr, p, lr * stride + p);
  };

  return (r0: number, r1: number): number => {
    const nRows = r1 - r0;
    for (let lr = 0; lr < nRows; lr++) {
      const from = (r0 + lr) * dims;
      const scale = inv[r0 + lr];
      for (let t = 0; t < dims; t++) rows[lr * dims + t] = levelOf(relevance[from + t], scale, levels);
    }
    const fullRows = nRows - (nRows % R);
    // The first pair holding a row after r0.
    let p = (r0 + 1 - firstRow) >> 1;
    let sinceCheck = 0;
    for (; p + P <= pairs; p += P) {
      pairTile(p, nRows, fullRows, r0);
      sinceCheck += nRows * 2 * P * dims;
      if (sinceCheck >= REPORT_EVERY_MACS) {
        sinceCheck = 0;
        check?.();
      }
    }
    for (; p < pairs; p++) pairColumn(p, nRows, fullRows, r0);
    // Σ over the block's rows of the rows after each.
    return ((nRows * (2 * nG - r0 - r1 - 1)) / 2) * dims;
  };
}
