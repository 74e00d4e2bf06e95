/**
 * One content similarity laid open for the Learn walkthrough: the two movies' content vectors
 * feature by feature (genres, era, users' tags and, when the release has one, the tag genome),
 * their products, the sum, the norms and the cosine, from the content model the app built.
 *
 * The sums follow contentNeighbours (see its header): the dot product of the common columns C
 * (genres and era) and of the rest R (users' tags), each over the shared columns ascending; the
 * genome term G over its tags ascending in Float64; then fround(((C + R) + G) · (1/‖v_i‖ ·
 * 1/‖v_j‖)). So `storedCosine` is bit for bit what the neighbour list holds for a listed pair;
 * `cosine` is the same quotient in plain Float64, the number a person checks by hand.
 *
 * The genome may be the whole matrix (exact) or only each movie's top tags with the full rows'
 * norms, as a content model keeps it for the page (genome-top-tags.ts): then only the tags both
 * movies keep can be summed, and the genome part is marked incomplete.
 */
import { FEATURE_GENRE, FEATURE_TAG, FEATURE_YEAR, type ContentFeatures } from '../content/content-features';
import { genomeRowOf, type GenomeMatrix } from '../content/genome-matrix';
import type { ChunkedCsr } from '../types';

/** What a content vector is made of; 'genome' only when the release has a tag genome. */
export type ContentBlock = 'genre' | 'era' | 'tag' | 'genome';

/**
 * The genome as a content model may keep it for the page: each genome movie's `perRow` most
 * relevant tags and the norm of its full row (the shape of genome-top-tags.ts's GenomeTopTags).
 */
export interface KeptGenomeTags {
  tagNames: string[];
  /** Dense movie index of each genome row, strictly ascending. */
  rows: Int32Array;
  perRow: number;
  /** rows.length × perRow tag columns. */
  tags: Uint16Array;
  relevance: Float32Array;
  /** ‖g‖ of each full genome row. */
  norms: Float32Array;
}

export interface ContentTerm {
  /** The feature's name: a genre, an era ("late 1970s"), a user tag or a genome tag. */
  name: string;
  block: ContentBlock;
  /** The values in each movie's vector (0 where the movie lacks the feature). */
  xi: number;
  xj: number;
  product: number;
}

export interface GenomePart {
  /** The `genomeTags` genome tags with the largest products, largest first (raw relevances 0..1). */
  top: ContentTerm[];
  /** Tags in the genome (1,128 in ML-25M). */
  dims: number;
  /**
   * true: `dot` sums all dims tags. false: only the `summed` tags both movies keep among their
   * top ones (the content model keeps no more for the page); the other products are missing.
   */
  complete: boolean;
  summed: number;
  /** Σ of relevance_i × relevance_j over the summed tags. */
  dot: number;
  /** ‖g‖ of each movie's full genome row. */
  normI: number;
  normJ: number;
  /** The block's length w in the vector: it adds w² · dot / (normI·normJ) to the dot product. */
  weight: number;
  /** w² · dot / (normI · normJ): the genome's part of the dot product of the two vectors. */
  contribution: number;
}

export interface WorkedContentCosine {
  i: number;
  j: number;
  /** Every feature either movie has in the sparse blocks, in feature order (genres, eras, tags). */
  terms: ContentTerm[];
  /** Σ x_i·x_j over the sparse blocks (only shared features add). */
  sparseDot: number;
  /** The squared length each block gives each movie's vector (a genre block = w_genre², …), in block order. */
  blockSquares: { block: ContentBlock; i: number; j: number }[];
  /** Present when both movies have a genome row. */
  genome?: GenomePart;
  /** 'both', 'one' (a genome row on one side only: it lengthens that vector, adds nothing to the dot) or 'none'. */
  genomeRows: 'both' | 'one' | 'none';
  /** sparseDot + the genome's contribution. */
  dot: number;
  /** ‖v_i‖ = √(Σ of its block squares). */
  normI: number;
  normJ: number;
  /** dot / (normI · normJ) in Float64; NaN when a vector is empty. A lower bound when the genome part is incomplete. */
  cosine: number;
  /** The similarity as contentNeighbours computes and stores it (float32); undefined when the genome part is incomplete. */
  storedCosine?: number;
}

/**
 * What the walkthrough reads of a content model (ContentModel fits it): the genome, and the
 * length w its block was given, only when the release has a tag genome.
 */
export interface ContentSide {
  features: Pick<ContentFeatures, 'matrix' | 'featureNames' | 'featureKinds'>;
  genome?: GenomeMatrix | KeptGenomeTags;
  /** As given to contentNeighbours; default 2, its default. */
  genomeWeight?: number;
}

const BLOCK_OF_KIND: Record<number, ContentBlock> = { [FEATURE_GENRE]: 'genre', [FEATURE_YEAR]: 'era', [FEATURE_TAG]: 'tag' };
const BLOCK_ORDER: ContentBlock[] = ['genre', 'era', 'tag', 'genome'];

/** cos(v_i, v_j) over the content vectors of movies i and j, with every term shown. */
export function workedContentCosine(content: ContentSide, i: number, j: number, genomeTags = 10): WorkedContentCosine {
  const { features } = content;
  const w = content.genomeWeight ?? 2;
  const n = features.matrix.rows;
  for (const m of [i, j]) {
    if (!(Number.isInteger(m) && m >= 0 && m < n)) throw new Error(`Movie index ${m} is outside 0..${n - 1}; pick a movie from the list.`);
  }
  const a = rowOf(features.matrix, i);
  const b = rowOf(features.matrix, j);
  // Genres and era lead the columns, tags follow (content-features.ts); contentNeighbours sums
  // the two groups apart, so the walk does too.
  const firstTag = features.featureKinds.indexOf(FEATURE_TAG);
  const commonColumns = firstTag < 0 ? features.featureKinds.length : firstTag;

  const squares = new Map<ContentBlock, [number, number]>();
  const addSquare = (block: ContentBlock, side: 0 | 1, v: number) => {
    const sq = squares.get(block) ?? [0, 0];
    sq[side] += v * v;
    squares.set(block, sq);
  };
  // ‖f‖² as the kernel sums it: over each row's features in order.
  let sqI = 0;
  let sqJ = 0;
  for (let p = 0; p < a.indices.length; p++) sqI += a.values[p] * a.values[p];
  for (let q = 0; q < b.indices.length; q++) sqJ += b.values[q] * b.values[q];

  const terms: ContentTerm[] = [];
  let commonDot = 0;
  let restDot = 0;
  // Both rows have ascending columns: one merge walk lists the union and sums the shared ones.
  for (let p = 0, q = 0; p < a.indices.length || q < b.indices.length;) {
    const fa = p < a.indices.length ? a.indices[p] : Infinity;
    const fb = q < b.indices.length ? b.indices[q] : Infinity;
    const f = Math.min(fa, fb);
    const xi = fa === f ? a.values[p++] : 0;
    const xj = fb === f ? b.values[q++] : 0;
    const product = xi * xj;
    if (fa === fb) {
      if (f < commonColumns) commonDot += product;
      else restDot += product;
    }
    const block = BLOCK_OF_KIND[features.featureKinds[f]] ?? 'tag';
    addSquare(block, 0, xi);
    addSquare(block, 1, xj);
    terms.push({ name: features.featureNames[f], block, xi, xj, product });
  }
  const sparseDot = commonDot + restDot;

  const g = content.genome && w > 0 ? genomeRowsOf(content.genome, i, j, genomeTags) : undefined;
  const w2 = w * w;
  if (g?.normI) {
    sqI += w2;
    addSquare('genome', 0, w);
  }
  if (g?.normJ) {
    sqJ += w2;
    addSquare('genome', 1, w);
  }
  let genome: GenomePart | undefined;
  let storedCosine: number | undefined;
  const invProduct = (1 / Math.sqrt(sqI)) * (1 / Math.sqrt(sqJ));
  if (g?.normI && g.normJ) {
    // Evaluated as the kernel does at the lower index lo: ((w² · 1/‖g_lo‖) · Σ) · 1/‖g_hi‖.
    const [invLo, invHi] = i < j ? [1 / g.normI, 1 / g.normJ] : [1 / g.normJ, 1 / g.normI];
    const contribution = w2 * invLo * g.dot * invHi;
    genome = { top: g.top, dims: g.dims, complete: g.complete, summed: g.summed, dot: g.dot, normI: g.normI, normJ: g.normJ, weight: w, contribution };
    if (g.complete) storedCosine = Math.fround((sparseDot + contribution) * invProduct);
  } else {
    storedCosine = Math.fround(sparseDot * invProduct);
  }
  const dot = sparseDot + (genome?.contribution ?? 0);
  const normI = Math.sqrt(sqI);
  const normJ = Math.sqrt(sqJ);
  return {
    i,
    j,
    terms,
    sparseDot,
    blockSquares: [...squares]
      .map(([block, [si, sj]]) => ({ block, i: si, j: sj }))
      .sort((x, y) => BLOCK_ORDER.indexOf(x.block) - BLOCK_ORDER.indexOf(y.block)),
    genome,
    genomeRows: g?.normI && g.normJ ? 'both' : g?.normI || g?.normJ ? 'one' : 'none',
    dot,
    normI,
    normJ,
    cosine: normI > 0 && normJ > 0 ? dot / (normI * normJ) : NaN,
    storedCosine: normI > 0 && normJ > 0 ? storedCosine : undefined,
  };
}

/**
 * For a genome part that is not complete: what the tags the page does not keep add to the dot
 * product, recovered from the stored similarity (stored · ‖v_i‖ · ‖v_j‖ − what was summed).
 */
export function genomeRemainder(worked: WorkedContentCosine, stored: number): number {
  return stored * worked.normI * worked.normJ - worked.dot;
}

interface GenomeRows {
  top: ContentTerm[];
  dims: number;
  complete: boolean;
  summed: number;
  dot: number;
  /** ‖g‖ of each movie's row; 0 for no row (or an all-zero one, which counts as none). */
  normI: number;
  normJ: number;
}

/** The genome side of the pair, from the whole matrix or from the kept top tags. */
function genomeRowsOf(genome: GenomeMatrix | KeptGenomeTags, i: number, j: number, limit: number): GenomeRows {
  const byProduct = (x: ContentTerm, y: ContentTerm) => y.product - x.product || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  if ('perRow' in genome) {
    const gi = rowIndex(genome.rows, i);
    const gj = rowIndex(genome.rows, j);
    const normI = gi >= 0 ? genome.norms[gi] : 0;
    const normJ = gj >= 0 ? genome.norms[gj] : 0;
    const shared: ContentTerm[] = [];
    if (gi >= 0 && gj >= 0) {
      const k = genome.perRow;
      const inJ = new Map<number, number>();
      for (let t = 0; t < k; t++) inJ.set(genome.tags[gj * k + t], genome.relevance[gj * k + t]);
      for (let t = 0; t < k; t++) {
        const tag = genome.tags[gi * k + t];
        const xj = inJ.get(tag);
        if (xj === undefined) continue;
        const xi = genome.relevance[gi * k + t];
        shared.push({ name: genome.tagNames[tag], block: 'genome', xi, xj, product: xi * xj });
      }
    }
    shared.sort(byProduct);
    const dot = shared.reduce((sum, e) => sum + e.product, 0);
    return { top: shared.slice(0, Math.max(0, limit)), dims: genome.tagNames.length, complete: false, summed: shared.length, dot, normI, normJ };
  }
  const d = genome.dims;
  const rel = genome.relevance;
  const gi = genomeRowOf(genome, i);
  const gj = genomeRowOf(genome, j);
  const norm = (row: number) => {
    if (row < 0) return 0;
    let ss = 0;
    for (let t = row * d, end = t + d; t < end; t++) ss += rel[t] * rel[t];
    return Math.sqrt(ss);
  };
  let dot = 0;
  const all: ContentTerm[] = [];
  if (gi >= 0 && gj >= 0) {
    for (let t = 0; t < d; t++) {
      const xi = rel[gi * d + t];
      const xj = rel[gj * d + t];
      dot += xi * xj;
      all.push({ name: genome.tagNames[t], block: 'genome', xi, xj, product: xi * xj });
    }
  }
  return { top: all.sort(byProduct).slice(0, Math.max(0, limit)), dims: d, complete: true, summed: d, dot, normI: norm(gi), normJ: norm(gj) };
}

function rowIndex(rows: Int32Array, movie: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] < movie) lo = mid + 1;
    else hi = mid;
  }
  return lo < rows.length && rows[lo] === movie ? lo : -1;
}

/** One row's columns and values as views; an empty row outside the matrix. */
function rowOf(m: ChunkedCsr, row: number): { indices: Int32Array; values: Float32Array } {
  const ch = m.chunks.find((c) => row >= c.firstRow && row < c.firstRow + c.rowCount);
  if (!ch) return { indices: new Int32Array(0), values: new Float32Array(0) };
  const r = row - ch.firstRow;
  return { indices: ch.indices.subarray(ch.indptr[r], ch.indptr[r + 1]), values: ch.values.subarray(ch.indptr[r], ch.indptr[r + 1]) };
}
