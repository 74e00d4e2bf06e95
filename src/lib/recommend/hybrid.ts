/**
 * The content half of the hybrid: what a person's movies say about every other movie through
 * their content (genome, tags, genres, year), and how much of a movie's score may come from it.
 *
 *   content(j) = Σ_{i rated} c(i, j) / |rated|       over the content neighbour lists (top-K),
 *   score(j)   = α_j · cf(j) + (1 − α_j) · γ · content(j) · max cf / max content,
 *   α_j = n_j / (n_j + β),
 *
 * n_j the movie's ratings in the data: a movie with 3 ratings leans on content, one with 30,000
 * on behaviour, and one nobody rated is ranked by content alone, so it can be recommended.
 */
import type { Neighbours } from '../types';

export interface HybridParams {
  /** β: ratings at which a movie's score is half collaborative, half content. */
  beta: number;
  /** γ: the best content match's score as a share of the person's best collaborative score. */
  gamma: number;
  /**
   * γ₀: the same share for movies nobody rated, where they are ranked by content votes (the
   * item-based recommender, or no rated content neighbour to borrow factors from; with iALS
   * they are scored by borrowed factors, borrowed-factors.ts). They have no collaborative score
   * to compete with, so the scale γ keeps for rated movies (small, lest rare movies bury the
   * list) would keep a new movie out of every list however well its content fits.
   */
  gammaNew: number;
}

/**
 * β = 1 and γ = 0.3, by ml-latest-small LOO-99 (HR@10): β 0.5 → 0.775, 1 → 0.777, 2 → 0.775,
 * 4 → 0.761 (raw content scale); then, with content scaled to the person's best collaborative
 * score, γ 0.2 → 0.777, 0.3 → 0.780, 0.4 → 0.777, 0.5 → 0.771, 1 → 0.741 (iALS alone 0.767).
 * A small γ also keeps a three-rating person's list from filling with movies nobody saw.
 *
 * γ₀ = 1 for movies nobody rated (content-vote ranking only, see gammaNew): a new movie whose
 * content fits as well as anything can rank with the person's best collaborative picks. LOO-99
 * rose with γ₀ (0.3 → 0.777, 1 → 0.784, 2 → 0.787, 8 → 0.797), but that is partly the protocol:
 * a held-out movie with no other rater is far more often the answer than a sampled negative is.
 * Weighting each rated movie's content vote by its stars (contentWeights) took the cold-items
 * split from 0.177 to 0.212 HR@10. Borrowed factors (iALS) then took it to 0.324, with LOO-99
 * at 0.777: they put new movies on iALS's own scale, without γ₀'s lift; scaling them by 2
 * would give LOO-99 0.787 again, for the same protocol reason, so they are not scaled.
 */
export const DEFAULT_HYBRID: HybridParams = { beta: 1, gamma: 0.3, gammaNew: 1 };

/** The content side a model carries: content neighbours of every movie. */
export interface ContentSide {
  neighbours: Neighbours;
}

/**
 * Weighted mean content similarity of every movie to the rated ones (0 where no list links
 * them): out[j] = Σ_i w_i · c(i, j) / Σ_i w_i. Without weights every rated movie counts alike.
 */
export function contentVotes(content: Neighbours, rated: ArrayLike<number>, out: Float64Array, weights?: ArrayLike<number>): void {
  out.fill(0);
  if (rated.length === 0) return;
  const k = content.k;
  let total = 0;
  for (let r = 0; r < rated.length; r++) {
    const w = weights ? weights[r] : 1;
    total += w;
    const i = rated[r];
    if (i < 0 || i >= content.movies || w === 0) continue;
    for (let t = 0; t < content.count[i]; t++) {
      const s = content.similarity[i * k + t];
      if (s > 0) out[content.index[i * k + t]] += w * s;
    }
  }
  const inv = total > 0 ? 1 / total : 0;
  for (let j = 0; j < out.length; j++) out[j] *= inv;
}

/**
 * How much each rated movie speaks for its content neighbours: stars above the person's own
 * mean count more, and a movie they disliked counts little (w = max(ε, r − r̄ + 1)), so content
 * like what they loved outranks content like what they sat through.
 */
export function contentWeights(stars: ArrayLike<number>): Float64Array {
  const w = new Float64Array(stars.length);
  if (stars.length === 0) return w;
  let mean = 0;
  for (let q = 0; q < stars.length; q++) mean += stars[q];
  mean /= stars.length;
  for (let q = 0; q < stars.length; q++) w[q] = Math.max(CONTENT_WEIGHT_FLOOR, stars[q] - mean + 1);
  return w;
}

const CONTENT_WEIGHT_FLOOR = 0.1;

/** α_j = n_j / (n_j + β): the collaborative share of movie j's score. */
export function collaborativeShare(ratings: number, params: HybridParams): number {
  return params.beta > 0 ? ratings / (ratings + params.beta) : 1;
}

/** The (up to) `limit` rated movies whose content similarity to j is largest, with the similarity. */
export function contentReasons(content: Neighbours, rated: ArrayLike<number>, j: number, limit = 3): { movie: number; similarity: number }[] {
  const out: { movie: number; similarity: number }[] = [];
  const k = content.k;
  for (let r = 0; r < rated.length; r++) {
    const i = rated[r];
    for (let t = 0; t < content.count[i]; t++) {
      if (content.index[i * k + t] === j) {
        out.push({ movie: i, similarity: content.similarity[i * k + t] });
        break;
      }
    }
  }
  out.sort((a, b) => b.similarity - a.similarity || a.movie - b.movie);
  return out.slice(0, limit);
}
