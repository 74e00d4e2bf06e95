/**
 * "Movies like this" from both halves of the hybrid: a movie's collaborative neighbours (cosine
 * of rating vectors) and its content neighbours (genres, era, tags, genome), blended by the
 * evidence behind the collaborative numbers,
 *
 *   blend(i, j) = α · collaborative(i, j) + (1 − α) · content(i, j),     α = n / (n + β),
 *
 * n the ratings of movie i, the page's movie: every co-rating count in i's list is at most n,
 * so n is all the behaviour the list can rest on. A movie with 3 ratings leans on content (its
 * cosines of 1.0 from one shared rater are noise), one with thousands on behaviour, and one
 * nobody rated (n = 0) gets a content-only list. The pair's own co-rating count is not the
 * evidence: two movies many people rated and nobody rated together are known to be unalike in
 * behaviour, yet a co-count of 0 would hand the pair to content. Measured on the sample
 * (bench/similar-beta.ts, β = 5), α from the co-count kept 10% of a well-rated movie's
 * behaviour top 10, α from the rarer movie's ratings 33% (rarely rated content matches pushed
 * in), α from the page's movie 81%.
 *
 * Candidates are the union of movie i's two neighbour lists. A pair's number is read from i's
 * list or, failing that, from j's (both similarities are symmetric). A pair in neither
 * collaborative list counts 0 there (no co-rater at all, or below both top-K lists); one in
 * neither content list gets its exact content cosine when `contentOf` is given, else 0.
 */
import type { Neighbours } from '../types';

export interface HybridSimilarityParams {
  /** β: a movie's ratings at which its list is half behaviour, half content. */
  beta: number;
}

/**
 * β = 5, by bench/similar-beta.ts on the sample (300 movies with ≥ 30 ratings, all but m of
 * their ratings hidden). Share of movies whose top 10 at least half shares a genre, at m = 1, 2,
 * 3, 5: β 1 → 0.947, 0.897, 0.883, 0.883; β 2 → 0.990, 0.970, 0.950, 0.933; β 3 → 0.997,
 * 0.990, 0.987, 0.970; β 5 → 0.997, 1.000, 1.000, 0.990; β 10 → 0.997 … 1.000. Share of the
 * all-data behaviour top 10 kept with all ratings: β 2 → 0.915, 3 → 0.876, 5 → 0.813,
 * 10 → 0.691. β = 5 is the smallest that meets the rare-movie target for 99% of movies and keeps
 * four fifths of a well-rated movie's list; it is also where the "sparse" bucket ends
 * (α = ½ at 5 ratings, 0.91 at 50, 0.99 at 500).
 */
export const DEFAULT_HYBRID_SIMILARITY: HybridSimilarityParams = { beta: 5 };

export interface HybridNeighbour {
  movie: number;
  /** α · collaborative + (1 − α) · content: the list's order. */
  blend: number;
  /** Cosine of the rating vectors (0 where no list links the pair). */
  collaborative: number;
  /** Content cosine (0 where no content list links the pair, or without content). */
  content: number;
  /** People who rated both (0 where no collaborative list links the pair). */
  coCount: number;
  /** The collaborative share of the blend (the same for every neighbour of one movie). */
  alpha: number;
  /** Which part gave more of the blend: 'ratings' (α · collaborative) or 'content' ((1 − α) · content). */
  led: 'ratings' | 'content';
}

export interface SimilarityInputs {
  /** Collaborative neighbours (top-K cosine, with co-rating counts). */
  neighbours: Neighbours;
  /** Content neighbours; absent until the content side is built (the list is then behaviour only). */
  content?: Neighbours;
  /** The content cosine of a pair neither content list holds (content-pair.ts). */
  contentOf?: (a: number, b: number) => number;
  /** Ratings of every movie (MovieStats.count). */
  ratings: ArrayLike<number>;
}

/** α = n / (n + β); 1 when β = 0 (behaviour only), 0 when n = 0. */
export function evidenceShare(n: number, params: HybridSimilarityParams): number {
  if (!(params.beta > 0)) return n > 0 ? 1 : 0;
  return n / (n + params.beta);
}

/** Every movie either list links to `movie`, with both similarities and the co-rating count. */
export function hybridCandidates(inputs: SimilarityInputs, movie: number): Pick<HybridNeighbour, 'movie' | 'collaborative' | 'content' | 'coCount'>[] {
  const { neighbours: cfNb, content: cNb, ratings } = inputs;
  if (!(movie >= 0 && movie < ratings.length)) return [];
  const seen = new Set<number>();
  for (const nb of [cfNb, cNb]) {
    if (!nb || movie >= nb.movies) continue;
    for (let t = 0; t < nb.count[movie]; t++) seen.add(nb.index[movie * nb.k + t]);
  }
  seen.delete(movie);
  return Array.from(seen, (j) => {
    const cf = pairOf(cfNb, movie, j);
    let content = 0;
    if (cNb) {
      const c = pairOf(cNb, movie, j);
      content = c.found ? c.similarity : (inputs.contentOf?.(movie, j) ?? 0);
    }
    return { movie: j, collaborative: cf.similarity, content, coCount: cf.coCount };
  });
}

/** The `limit` best blended neighbours of `movie`, best first (ties: lower index first). */
export function hybridNeighbours(
  inputs: SimilarityInputs,
  movie: number,
  params: HybridSimilarityParams = DEFAULT_HYBRID_SIMILARITY,
  limit = inputs.neighbours.k,
): HybridNeighbour[] {
  checkParams(params);
  // Without a content side there is nothing to lean on: the list is behaviour alone.
  const alpha = inputs.content ? evidenceShare(inputs.ratings[movie] ?? 0, params) : 1;
  const out: HybridNeighbour[] = [];
  for (const c of hybridCandidates(inputs, movie)) {
    const fromRatings = alpha * c.collaborative;
    const fromContent = (1 - alpha) * c.content;
    const blend = fromRatings + fromContent;
    if (!(blend > 0)) continue;
    out.push({ ...c, blend, alpha, led: fromRatings >= fromContent ? 'ratings' : 'content' });
  }
  out.sort((a, b) => b.blend - a.blend || a.movie - b.movie);
  return out.slice(0, Math.max(0, Math.floor(limit)));
}

/** sim(i, j) from i's list, else from j's, else 0 (both kinds of similarity are symmetric). */
function pairOf(nb: Neighbours, i: number, j: number): { similarity: number; coCount: number; found: boolean } {
  for (const [a, b] of [
    [i, j],
    [j, i],
  ]) {
    if (a >= nb.movies) continue;
    const h = a * nb.k;
    for (let t = 0; t < nb.count[a]; t++) {
      if (nb.index[h + t] === b) return { similarity: nb.similarity[h + t], coCount: nb.coCount[h + t], found: true };
    }
  }
  return { similarity: 0, coCount: 0, found: false };
}

function checkParams(params: HybridSimilarityParams): void {
  if (!(params.beta >= 0 && Number.isFinite(params.beta))) {
    throw new Error(`hybridNeighbours: beta must be a finite number >= 0, got ${params.beta}.`);
  }
}

/** How many neighbours of a list each part led: "7 by co-ratings, 3 by content". */
export function countLedBy(list: readonly Pick<HybridNeighbour, 'led'>[]): { ratings: number; content: number } {
  let ratings = 0;
  for (const n of list) if (n.led === 'ratings') ratings++;
  return { ratings, content: list.length - ratings };
}
