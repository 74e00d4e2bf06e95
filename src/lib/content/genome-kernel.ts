/**
 * The dense part of the content neighbours: g_r · g_j for every pair of tag-genome rows, by a
 * blocked kernel. Kept apart from content-neighbours.ts so that file reads as the algorithm and
 * this one as the arithmetic.
 *
 * Layout. The rows a range reads (its first genome row onwards) are widened to Float64 once (a
 * Float32 load costs the kernel a conversion on the busiest ports, ~20% of its time) and stored
 * as interleaved PAIRS: local rows 2p and 2p+1 side by side, element t of row l at
 *   (l >> 1) · 2·dims + 2t + (l & 1).
 * The kernels read it with a stride of 2; a tile of columns is three whole pairs.
 *
 * Sums. Every pair is summed as s = 0; s += a[t]·b[t] for t = 0..dims−1 in Float64 (a product
 * of two float32 values is exact in Float64), whichever kernel computes it, so a pair's value does not depend on which kernel, block or range computed it:
 * that is what keeps range partitions bit-identical.
 */
import type { CheckCancelled } from '../types';

/**
 * Genome rows per dense block: 64 rows × 1,128 tags × 8 bytes = 577 KB stays in a 1 MB L2
 * while the later rows stream past; every later row is read from memory once per block, so
 * the whole run reads n/64 · n/2 rows (13 GB on ML-25M, ~0.3 GB/s) instead of n²/2 (860 GB).
 */
export const BLOCK_ROWS = 64;

/** Rows of a tile: the block's rows go 4 at a time. */
const R = 4;
/** Columns of a tile: 6, three interleaved pairs (two 4 × 3 kernels). */
const C = 6;

/** check() at least this often, in genome multiply-adds (~0.1 s of work). */
export const REPORT_EVERY_MACS = 2e8;

/** Computes one block of genome dot products; see genomeBlocks. Returns the multiply-adds done. */
export type GenomeBlock = (r0: number, r1: number) => number;

/** Where the kernel works: the wide rows and one block of output. */
export interface GenomeWorkspace {
  /** Rows firstRow.. of the genome as Float64 interleaved pairs (see the header). */
  wide: Float64Array;
  /** blockCap × nG: gdot[(r − blockStart)·nG + j] = g_r · g_j. */
  gdot: Float64Array;
}

/**
 * The workspace for genome rows [firstRow, nG) of `relevance` (dims per row) and blocks of up
 * to blockCap rows.
 */
export function genomeWorkspace(relevance: Float32Array, dims: number, nG: number, firstRow: number, blockCap: number): GenomeWorkspace {
  const localRows = nG - firstRow;
  // An odd last row gets a zero partner, so every pair is whole.
  const wideLength = Math.ceil(localRows / 2) * 2 * dims;
  const gdotLength = blockCap * nG;
  const wide = new Float64Array(wideLength);
  const gdot = new Float64Array(gdotLength);
  for (let l = 0; l < localRows; l++) {
    const from = (firstRow + l) * dims;
    const to = (l >> 1) * 2 * dims + (l & 1);
    for (let t = 0; t < dims; t++) wide[to + 2 * t] = relevance[from + t];
  }
  return { wide, gdot };
}

/**
 * The dense part: a function that fills gdot row (r − r0) with g_r · g_j for every genome row
 * r in [r0, r1) and j in (r, nG), reading the workspace's wide rows (genome rows firstRow..).
 *
 * Loop order: columns in tiles of C = 6 (three interleaved pairs, so a tile starts at an even
 * local row) outermost, so those rows stay in cache while the block's rows (in L2) pass by in
 * groups of R = 4. Pairs with j <= r inside the block's own triangle are computed where that is
 * simpler, and never read.
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
 * Why 4 × 3 for the JavaScript kernel: twelve accumulators and seven loaded values are about
 * what x64's sixteen vector registers hold; larger tiles spill more, smaller ones load more per
 * multiply-add (measured 3×3, 3×4, 4×2, 4×4, 5×2, with and without unrolling: 4×3 was fastest
 * or tied).
 */
export function genomeBlocks(workspace: GenomeWorkspace, dimsArg: number, nGArg: number, firstRowArg: number, check: CheckCancelled | undefined): GenomeBlock {
  const rel = workspace.wide;
  const dims = dimsArg;
  const dims2 = 2 * dimsArg;
  const out = workspace.gdot;
  const nG = nGArg;
  const stride = nGArg;
  const firstRow = firstRowArg;

  /** Index of element 0 of genome row `row` in `rel`; element t is at base + 2t. */
  const base = (row: number): number => {
    const l = row - firstRow;
    return (l >> 1) * dims2 + (l & 1);
  };

  /** Rows r..r+3 against rows j..j+2: out[at + a·stride + c] = g_(r+a) · g_(j+c). */
  const k4x3 = (r: number, j: number, at: number): void => {
    const a0 = base(r);
    const a1 = base(r + 1);
    const a2 = base(r + 2);
    const a3 = base(r + 3);
    const b0 = base(j);
    const b1 = base(j + 1);
    const b2 = base(j + 2);
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
    // `| 0` makes each index a plain 32-bit add (no overflow check); the bounds check stays.
    for (let t = 0; t < dims2; t += 2) {
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
    const a0 = base(r);
    const b0 = base(j);
    const b1 = base(j + 1);
    const b2 = base(j + 2);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let t = 0; t < dims2; t += 2) {
      const y = rel[(a0 + t) | 0];
      s0 += y * rel[(b0 + t) | 0];
      s1 += y * rel[(b1 + t) | 0];
      s2 += y * rel[(b2 + t) | 0];
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
  };

  /** Rows r..r+3 against one row j (the last columns, fewer than a tile). */
  const k4x1 = (r: number, j: number, at: number): void => {
    const a0 = base(r);
    const a1 = base(r + 1);
    const a2 = base(r + 2);
    const a3 = base(r + 3);
    const b0 = base(j);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < dims2; t += 2) {
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
    const a0 = base(r);
    const b0 = base(j);
    let s = 0;
    for (let t = 0; t < dims2; t += 2) s += rel[(a0 + t) | 0] * rel[(b0 + t) | 0];
    out[at] = s;
  };

  /** Rows r..r+3 against the tile j..j+5 (j at an even local row): two 4 × 3. */
  const k4x6 = (r: number, j: number, at: number): void => {
    k4x3(r, j, at);
    k4x3(r, j + 3, at + 3);
  };

  /**
   * One column tile j..j+5 against the block's rows [r0, r1). Kept to one short call per tile,
   * so that V8 optimises it as a normal call (context-specialised, kernels inlined with the
   * constants) rather than on-stack-replacing a long-running loop, which it compiles without
   * context specialisation (seen in --print-opt-code: the OSR'd loop re-checked the array's map
   * and reloaded its data pointer and length on every iteration).
   */
  const columnTile = (j: number, r0: number, r1: number, fullR: number): number => {
    // Row groups whose every row is >= the tile's last column have nothing to compute.
    const lastJ = j + C - 1;
    let r = r0;
    for (; r < fullR && r < lastJ; r += R) k4x6(r, j, (r - r0) * stride + j);
    for (; r < r1 && r < lastJ; r++) {
      k1x3(r, j, (r - r0) * stride + j);
      k1x3(r, j + 3, (r - r0) * stride + j + 3);
    }
    return (r - r0) * C * dims;
  };

  /** One column j against the rows of the block before it. */
  const column = (j: number, r0: number, r1: number, fullR: number): number => {
    let r = r0;
    for (; r < fullR && r + R - 1 < j; r += R) k4x1(r, j, (r - r0) * stride + j);
    for (; r < r1 && r < j; r++) k1x1(r, j, (r - r0) * stride + j);
    return (r - r0) * dims;
  };

  return (r0: number, r1: number): number => {
    const fullR = r1 - ((r1 - r0) % R);
    let macs = 0;
    let sinceCheck = 0;
    let j = r0 + 1;
    // Tiles start at an even local row (a whole interleaved pair).
    if (j < nG && ((j - firstRow) & 1) !== 0) macs += column(j++, r0, r1, fullR);
    for (; j + C <= nG; j += C) {
      const done = columnTile(j, r0, r1, fullR);
      macs += done;
      sinceCheck += done;
      if (sinceCheck >= REPORT_EVERY_MACS) {
        sinceCheck = 0;
        check?.();
      }
    }
    // The last columns, fewer than a tile: one at a time.
    for (; j < nG; j++) macs += column(j, r0, r1, fullR);
    return macs;
  };
}
