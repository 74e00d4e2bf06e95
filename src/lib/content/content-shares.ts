/**
 * "shares: mafia, crime family, early 1970s": what two movies have in common, in the words a
 * person can check against the movie pages, for "Movies like this", "Similar in content" and
 * content-led recommendations.
 */
import type { ChunkedCsr } from '../types';
import type { ContentFeatures } from './content-features';
import { genomeRowOf, type GenomeMatrix } from './genome-matrix';

/**
 * The parts of a content model that explain a pair. The genome is optional so that a model
 * built without one (or before the content build carried it) still explains by genres, era and
 * users' tags.
 */
export interface ExplainableContent {
  features: Pick<ContentFeatures, 'matrix' | 'featureNames'>;
  genome?: GenomeMatrix;
  /** The genome block's length w in the content cosine (contentNeighbours' genomeWeight). */
  genomeWeight?: number;
}

/** Up to `limit` features (genres, era, tags, genome tags) that contribute most to sim(a, b), largest first. */
export function sharesOf(content: ExplainableContent, a: number, b: number, limit = 3): string[] {
  return sharedContent(content.features, content.genome, a, b, limit, content.genomeWeight);
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
  for (let p = 0, q = 0; p < ra.indices.length && q < rb.indices.length;) {
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
  if (genome && genomeWeight > 0) addGenome(genome, a, b, genomeWeight, add);
  return [...contribution]
    .filter(([, v]) => v > 0)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .slice(0, Math.max(0, limit))
    .map(([name]) => name);
}

/** The genome tags' parts of the dot product, from the whole matrix. */
function addGenome(genome: GenomeMatrix, a: number, b: number, genomeWeight: number, add: (name: string, v: number) => void): void {
  const ga = genomeRowOf(genome, a);
  const gb = genomeRowOf(genome, b);
  if (ga < 0 || gb < 0) return;
  const d = genome.dims;
  const rel = genome.relevance;
  let na = 0;
  let nb = 0;
  for (let t = 0; t < d; t++) {
    na += rel[ga * d + t] ** 2;
    nb += rel[gb * d + t] ** 2;
  }
  if (!(na > 0 && nb > 0)) return;
  const scale = (genomeWeight * genomeWeight) / Math.sqrt(na * nb);
  for (let t = 0; t < d; t++) {
    const v = rel[ga * d + t] * rel[gb * d + t] * scale;
    if (v > 0) add(genome.tagNames[t], v);
  }
}

/** One row's columns and values as views (for explanation, not hot loops). */
function rowOf(m: ChunkedCsr, row: number): { indices: Int32Array; values: Float32Array } {
  if (!(row >= 0 && row < m.rows)) throw new Error(`sharedContent: movie index ${row} is not in [0, ${m.rows}).`);
  const ch = m.chunks.find((c) => row >= c.firstRow && row < c.firstRow + c.rowCount)!;
  const r = row - ch.firstRow;
  return { indices: ch.indices.subarray(ch.indptr[r], ch.indptr[r + 1]), values: ch.values.subarray(ch.indptr[r], ch.indptr[r + 1]) };
}
