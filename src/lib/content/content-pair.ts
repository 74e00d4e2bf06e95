/**
 * The content cosine of one pair of movies, the same number contentNeighbours computes
 * (see its header):
 *
 *   sim(a, b) = (f_a·f_b + w² · g_a·g_b / (‖g_a‖‖g_b‖)) / (‖v_a‖ ‖v_b‖),
 *   ‖v_i‖² = ‖f_i‖² + w² · [i has a non-zero genome row],
 *
 * for a pair that is in neither movie's top-K content list: "Movies like this" then shows the
 * content part of a collaborative neighbour as it is, not as 0. Cost: one merge walk over the
 * two feature rows and, with a genome, three dot products of `dims` (1,128 on ML-25M).
 */
import { genomeRowOf } from './genome-matrix';
import type { ExplainableContent } from './content-shares';
import type { ChunkedCsr } from '../types';

/** sim(a, b) rounded to float32 as the neighbour lists store it; 0 when either movie has no content. */
export function contentCosine(content: ExplainableContent, a: number, b: number): number {
  const m = content.features.matrix;
  const ra = rowOf(m, a);
  const rb = rowOf(m, b);
  let dot = 0;
  let sqA = 0;
  let sqB = 0;
  for (let p = 0; p < ra.indices.length; p++) sqA += ra.values[p] * ra.values[p];
  for (let q = 0; q < rb.indices.length; q++) sqB += rb.values[q] * rb.values[q];
  dot += mergeDot(ra.indices, ra.values, 0, ra.indices.length, rb.indices, rb.values, 0, rb.indices.length);
  const w = content.genomeWeight ?? 2;
  const g = content.genome;
  if (g && w > 0) {
    const ga = genomeRowOf(g, a);
    const gb = genomeRowOf(g, b);
    const d = g.dims;
    const rel = g.relevance;
    let na = 0;
    let nb = 0;
    let gg = 0;
    for (let t = 0; t < d; t++) {
      const x = ga >= 0 ? rel[ga * d + t] : 0;
      const y = gb >= 0 ? rel[gb * d + t] : 0;
      na += x * x;
      nb += y * y;
      gg += x * y;
    }
    // An all-zero genome row counts as no genome row, as in contentNeighbours.
    if (na > 0) sqA += w * w;
    if (nb > 0) sqB += w * w;
    if (na > 0 && nb > 0) dot += (w * w * gg) / Math.sqrt(na * nb);
  }
  if (!(sqA > 0 && sqB > 0)) return 0;
  return Math.fround(dot / Math.sqrt(sqA * sqB));
}

/** One row's columns and values as views; an empty row outside the matrix. */
function rowOf(m: ChunkedCsr, row: number): { indices: Int32Array; values: Float32Array } {
  const ch = m.chunks.find((c) => row >= c.firstRow && row < c.firstRow + c.rowCount);
  if (!ch) return { indices: new Int32Array(0), values: new Float32Array(0) };
  const r = row - ch.firstRow;
  return { indices: ch.indices.subarray(ch.indptr[r], ch.indptr[r + 1]), values: ch.values.subarray(ch.indptr[r], ch.indptr[r + 1]) };
}

/**
 * f_a · f_b of any two rows of `m`, by a merge walk over their ascending columns, summed in
 * Float64 (contentNeighbours sums the same products in another grouping, so the two may differ
 * in the last bits).
 */
export function featureDots(m: ChunkedCsr): (a: number, b: number) => number {
  const chunkOf = new Int32Array(m.rows).fill(-1);
  m.chunks.forEach((ch, c) => chunkOf.fill(c, ch.firstRow, ch.firstRow + ch.rowCount));
  return (a: number, b: number): number => {
    const ca = chunkOf[a];
    const cb = chunkOf[b];
    if (ca < 0 || cb < 0) return 0;
    const A = m.chunks[ca];
    const B = m.chunks[cb];
    const ra = a - A.firstRow;
    const rb = b - B.firstRow;
    return mergeDot(A.indices, A.values, A.indptr[ra], A.indptr[ra + 1], B.indices, B.values, B.indptr[rb], B.indptr[rb + 1]);
  };
}

/** Σ of the products of the entries two sparse rows share: both rows' columns ascend, so a merge walk finds them. */
function mergeDot(ai: Int32Array, av: Float32Array, p: number, pEnd: number, bi: Int32Array, bv: Float32Array, q: number, qEnd: number): number {
  let dot = 0;
  while (p < pEnd && q < qEnd) {
    if (ai[p] < bi[q]) p++;
    else if (bi[q] < ai[p]) q++;
    else dot += av[p++] * bv[q++];
  }
  return dot;
}
