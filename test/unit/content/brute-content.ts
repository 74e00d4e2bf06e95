/**
 * Obviously-correct references for the content side, for small inputs only: the feature matrix
 * from plain row lists, and content neighbours as a dense cosine over explicitly concatenated
 * vectors [sparse features, w · genome row / ‖genome row‖].
 */
import type { GenomeMatrix } from '../../../src/lib/content/genome-matrix';
import type { ChunkedCsr, CsrChunk } from '../../../src/lib/types';

/** One sparse entry: column and value. */
export interface Entry {
  col: number;
  value: number;
}

/** A ChunkedCsr from rows of entries (columns ascending), cut into chunks of `rowsPerChunk` rows. */
export function csrOf(rows: Entry[][], cols: number, rowsPerChunk = rows.length || 1): ChunkedCsr {
  const chunks: CsrChunk[] = [];
  for (let first = 0; first < rows.length; first += rowsPerChunk) {
    const part = rows.slice(first, first + rowsPerChunk);
    const indptr = new Int32Array(part.length + 1);
    const indices: number[] = [];
    const values: number[] = [];
    part.forEach((row, r) => {
      for (const e of row) {
        indices.push(e.col);
        values.push(e.value);
      }
      indptr[r + 1] = indices.length;
    });
    chunks.push({ firstRow: first, rowCount: part.length, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) });
  }
  if (chunks.length === 0) chunks.push({ firstRow: 0, rowCount: 0, indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float32Array(0) });
  return { rows: rows.length, cols, nnz: rows.reduce((s, r) => s + r.length, 0), chunks };
}

export interface BruteContentNeighbour {
  index: number;
  similarity: number;
  coCount: number;
}

/**
 * Top-k by float32 similarity desc, then index asc, for every movie. Candidates: pairs that share
 * a stored sparse feature or whose genome blocks are both present (a genome row of length > 0
 * and weight > 0); movies with an all-zero vector have no neighbours.
 */
export function bruteContentNeighbours(
  rows: Entry[][],
  nFeatures: number,
  genome: GenomeMatrix | undefined,
  genomeWeight: number,
  k: number,
): BruteContentNeighbour[][] {
  const n = rows.length;
  const dims = genome?.dims ?? 0;
  const vectors = rows.map((row, i) => {
    const v = new Float64Array(nFeatures + dims);
    for (const e of row) v[e.col] = e.value;
    let hasGenome = false;
    const g = genome ? Array.from(genome.rows).indexOf(i) : -1;
    if (genome && g >= 0 && genomeWeight > 0) {
      const row = Array.from(genome.relevance.subarray(g * dims, (g + 1) * dims));
      const len = Math.sqrt(row.reduce((s, x) => s + x * x, 0));
      if (len > 0) {
        hasGenome = true;
        row.forEach((x, t) => (v[nFeatures + t] = (genomeWeight * x) / len));
      }
    }
    return { v, hasGenome, norm: Math.sqrt(v.reduce((s, x) => s + x * x, 0)) };
  });
  return vectors.map((a, i) => {
    if (a.norm === 0) return [];
    const list: BruteContentNeighbour[] = [];
    for (let j = 0; j < n; j++) {
      const b = vectors[j];
      if (j === i || b.norm === 0) continue;
      const shared = rows[i].filter((e) => rows[j].some((f) => f.col === e.col)).length;
      if (shared === 0 && !(a.hasGenome && b.hasGenome)) continue;
      let dot = 0;
      for (let t = 0; t < a.v.length; t++) dot += a.v[t] * b.v[t];
      list.push({ index: j, similarity: Math.fround(dot / (a.norm * b.norm)), coCount: shared });
    }
    list.sort((p, q) => q.similarity - p.similarity || p.index - q.index);
    return list.slice(0, k);
  });
}
