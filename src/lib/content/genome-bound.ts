/**
 * An upper bound on every genome dot product g_r · g_j at about half the cost of computing them:
 * the screen that lets content-neighbours.ts skip the pairs that cannot be anyone's neighbour.
 *
 * The bound. Relevances are non-negative, so rounding every value UP keeps every product, and so
 * every dot product, at or above the true one. Row r is rounded up to integer levels
 *   level_r[t] = ceil(g_r[t] · inv_r),   g_r[t] <= level_r[t] · scale_r,  scale_r = 1 / inv_r,
 * so g_r · g_j <= scale_r · scale_j · Σ_t level_r[t] · level_j[t], the last sum an exact integer.
 * Each row gets as many levels as the packing below allows: inv_r is chosen so that the row's
 * levels have a norm of at most 8,191, and then, by Cauchy–Schwarz, every level sum of two rows
 * is at most 8,191² < 2^26. The bound's error is about Σ_t (g_r[t]·scale_j + g_j[t]·scale_r) / 2,
 * i.e. (‖g‖₁/‖g‖) / 8,157 in cosine: 0.3% on a genome-shaped matrix of 1,128 tags, where a
 * single level count for all rows (the largest V with dims · V² < 2^26, 243 for 1,128 tags, the
 * first version) gave 1.4%. Half the pairs lie 0.066 or more below the smaller of their two
 * movies' 50th best, and 90% 0.033 or more (bench/content-bench.ts's matrix).
 *
 * Why it is cheaper. The levels are small integers, so ONE Float64 multiply-add does TWO of them:
 * the later rows are stored in pairs, level_{2p}[t] + level_{2p+1}[t] · 2^26, and
 *   Σ_t level_r[t] · (level_{2p}[t] + level_{2p+1}[t] · 2^26) = D(r, 2p) + D(r, 2p+1) · 2^26
 * exactly, as long as each sum D stays below 2^26 (then the whole stays below 2^52, where
 * Float64 holds every integer), which the norm limit above guarantees. The two sums come back
 * out with a floor (every step exact). The kernel is a 2 × 3 register tile over packed
 * columns: the dense kernel's instructions per step, two products each, and half the bytes
 * streamed from memory.
 */
import type { CheckCancelled } from '../types';
import { REPORT_EVERY_MACS } from './genome-kernel';

/** The weight of the upper level in a packed pair (see the header). */
const SLOT = 2 ** 26;
const INV_SLOT = 2 ** -26;

/** Rows of a tile: block rows go 2 at a time. */
const R = 2;
/** Packed column pairs per tile (6 genome rows). */
const P = 3;

/** The largest norm a row's levels may have: two such rows' level sum stays below 2^26 (Cauchy–Schwarz). */
export const MAX_LEVEL_NORM = Math.floor(Math.sqrt(SLOT - 1));

/** The screen's data for genome rows firstRow..nG−1 (see the header). */
export interface GenomeScreen {
  /** scale[r] = 1 / inv[r] for r >= firstRow (0 for an all-zero row): g_r[t] <= level_r[t] · scale[r]. */
  scale: Float64Array;
  /** Levels per unit of relevance (0 for an all-zero row): level_r[t] = ceil(g_r[t] · inv[r]), ‖level_r‖ <= MAX_LEVEL_NORM. */
  inv: Float64Array;
  /**
   * Local rows in pairs, pair p holding rows firstRow + 2p and + 2p + 1, and the pairs of a tile
   * (P of them) interleaved: tag t of pair p at (p − p mod P) · dims + P·t + p mod P. The kernel
   * then reads a tile's three values of a tag side by side, one stream instead of three.
   */
  packed: Float64Array;
  /** Packed pairs, rounded up to whole tiles (an odd last row and the padding get all-zero partners). */
  pairs: number;
  /** Block rows (rounded up to R) × pairs: acc[(r − blockStart) · pairs + p] = D(r, 2p) + D(r, 2p + 1) · 2^26. */
  acc: Float64Array;
  /** The block's rows as levels, R rows interleaved as the pairs are: row lr, tag t at (lr − lr mod R) · dims + R·t + lr mod R. */
  blockLevels: Float64Array;
}

/**
 * The screen for rows [firstRow, nG) of `relevance`, or undefined when the bound does not hold:
 * a negative or non-finite relevance (rounding up would not bound the products), or too many
 * tags for even one level each.
 */
export function genomeScreen(relevance: Float32Array, dims: number, nG: number, firstRow: number, blockCap: number): GenomeScreen | undefined {
  // Rounding up adds less than 1 to each level, so less than √dims to the norm.
  const room = MAX_LEVEL_NORM - Math.sqrt(dims) - 1;
  if (!(room > 0)) return undefined;
  const localRows = nG - firstRow;
  const pairs = Math.ceil(localRows / 2 / P) * P;
  const scale = new Float64Array(nG);
  const inv = new Float64Array(nG);
  const packed = new Float64Array(pairs * dims);
  for (let r = firstRow; r < nG; r++) {
    let ss = 0;
    for (let t = r * dims, end = t + dims; t < end; t++) {
      const x = relevance[t];
      // `!(x >= 0)` also catches NaN.
      if (!(x >= 0) || x === Infinity) return undefined;
      ss += x * x;
    }
    if (ss === 0) continue;
    let k = room / Math.sqrt(ss);
    // The levels' norm, checked exactly (integers): the estimate above can only be off by rounding.
    while (levelNorm2(relevance, r * dims, dims, k) > MAX_LEVEL_NORM * MAX_LEVEL_NORM) k *= 0.99;
    inv[r] = k;
    scale[r] = 1 / k;
    const l = r - firstRow;
    const pair = l >> 1;
    const to = (pair - (pair % P)) * dims + (pair % P);
    const weight = (l & 1) === 0 ? 1 : SLOT;
    for (let t = 0; t < dims; t++) packed[to + P * t] += weight * levelOf(relevance[r * dims + t], k);
  }
  const blockRows = Math.ceil(blockCap / R) * R;
  return { scale, inv, packed, pairs, acc: new Float64Array(blockRows * pairs), blockLevels: new Float64Array(blockRows * dims) };
}

/** Σ_t level[t]² of one row at `from` for levels per unit `inv`. */
function levelNorm2(relevance: Float32Array, from: number, dims: number, inv: number): number {
  let s = 0;
  for (let t = from, end = from + dims; t < end; t++) {
    const l = levelOf(relevance[t], inv);
    s += l * l;
  }
  return s;
}

/**
 * One relevance as a level. The product may round down, so the ceiling may be one level short of
 * the exact one by a relative 2^-52 of a level; the caller's margin (SCREEN_MARGIN) covers it.
 * scale = 1/inv may round too (a relative 2^-53): the same margin covers that.
 */
function levelOf(x: number, inv: number): number {
  return Math.ceil(x * inv);
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
 * Both sides are padded to whole tiles (all-zero rows and pairs, whose sums are never read), so
 * every call is the full 2 × 3 tile and no edge kernels are needed, and both are interleaved by
 * tile (see GenomeScreen): the kernel reads two sequential streams with one index each. The
 * kernel is bound by instructions, not memory (the same speed with every operand in L1). The
 * 2 × 3 tile ran 2.4–2.7e9 packed multiply-adds a second per thread (Node 20, Zen 4) against
 * 2.1–2.3e9 for the 4 × 3 tile before it, whose twelve accumulators V8 spilled to the stack
 * (fifteen double registers, every product computed before the adds); in Chromium 2.9–3.3e9
 * against 2.3–2.5e9 (scratch micro-benchmarks, alternating).
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
  const dims = dimsArg;
  const nG = nGArg;
  const stride = screen.pairs;
  const pairs = screen.pairs;
  const firstRow = firstRowArg;
  const colSpan = P * dims;

  /**
   * Block rows lr, lr+1 against pairs p..p+2 (lr a multiple of R, p of P): out[at + a·stride + c]
   * = acc of (lr + a, p + c). Six accumulators: with the three x and a y they fit V8's fifteen
   * double registers with room for the products, where the 4 × 3 tile's twelve spilled (V8 puts
   * all the products before the adds). The steps use `| 0` so that no overflow checks remain.
   */
  const k2x3 = (lr: number, p: number, at: number): void => {
    let a = lr * dims;
    let b = p * dims;
    const end = b + colSpan;
    let s00 = 0,
      s01 = 0,
      s02 = 0,
      s10 = 0,
      s11 = 0,
      s12 = 0;
    for (; b < end; b = (b + P) | 0, a = (a + R) | 0) {
      const x0 = cols[b];
      const x1 = cols[(b + 1) | 0];
      const x2 = cols[(b + 2) | 0];
      let y = rows[a];
      s00 += y * x0;
      s01 += y * x1;
      s02 += y * x2;
      y = rows[(a + 1) | 0];
      s10 += y * x0;
      s11 += y * x1;
      s12 += y * x2;
    }
    out[at] = s00;
    out[at + 1] = s01;
    out[at + 2] = s02;
    at += stride;
    out[at] = s10;
    out[at + 1] = s11;
    out[at + 2] = s12;
  };

  /** One tile of pairs p..p+2 against the block rows before its last row's (those with a later row in it); one short call per tile (see genome-kernel.ts). */
  const pairTile = (p: number, nRows: number, r0: number): void => {
    const end = Math.min(nRows, firstRow + 2 * (p + P) - 1 - r0);
    for (let lr = 0; lr < end; lr += R) k2x3(lr, p, lr * stride + p);
  };

  return (r0: number, r1: number): number => {
    const nRows = r1 - r0;
    for (let lr = 0; lr < nRows; lr++) {
      const from = (r0 + lr) * dims;
      const scale = inv[r0 + lr];
      const to = (lr - (lr % R)) * dims + (lr % R);
      for (let t = 0; t < dims; t++) rows[to + R * t] = levelOf(relevance[from + t], scale);
    }
    // A partial last group of rows: its other rows are zero (left over from an earlier block otherwise).
    for (let lr = nRows; lr % R !== 0; lr++) {
      const to = (lr - (lr % R)) * dims + (lr % R);
      for (let t = 0; t < dims; t++) rows[to + R * t] = 0;
    }
    // The first tile holding a row after r0.
    const first = (r0 + 1 - firstRow) >> 1;
    let sinceCheck = 0;
    for (let p = first - (first % P); p < pairs; p += P) {
      pairTile(p, nRows, r0);
      sinceCheck += nRows * 2 * P * dims;
      if (sinceCheck >= REPORT_EVERY_MACS) {
        sinceCheck = 0;
        check?.();
      }
    }
    // Σ over the block's rows of the rows after each.
    return ((nRows * (2 * nG - r0 - r1 - 1)) / 2) * dims;
  };
}
