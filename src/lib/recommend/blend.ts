/**
 * The hybrid's blend weights as one setting: how "Movies like this" and "Recommended for you"
 * weigh behaviour against content. They act when a list is ranked, not when the model is built,
 * so changing them re-ranks at once and never rebuilds (the model's fingerprint ignores them).
 */
import { DEFAULT_HYBRID, type HybridParams } from './hybrid';
import { DEFAULT_HYBRID_SIMILARITY, type HybridSimilarityParams } from './hybrid-similarity';

export interface Blend {
  /** "Movies like this": a movie's ratings at which its list is half behaviour, half content. */
  similarBeta: number;
  /** "Recommended for you": β, γ and γ₀ of hybrid.ts. */
  beta: number;
  gamma: number;
  gammaNew: number;
}

export const DEFAULT_BLEND: Blend = {
  similarBeta: DEFAULT_HYBRID_SIMILARITY.beta,
  beta: DEFAULT_HYBRID.beta,
  gamma: DEFAULT_HYBRID.gamma,
  gammaNew: DEFAULT_HYBRID.gammaNew,
};

/**
 * A number field a person is typing in may be empty (null), negative or not a number yet: such a
 * value ranks with the default instead of breaking the list.
 */
function orDefault(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function hybridParamsOf(b: Partial<Blend> | undefined): HybridParams {
  return {
    beta: orDefault(b?.beta, DEFAULT_BLEND.beta),
    gamma: orDefault(b?.gamma, DEFAULT_BLEND.gamma),
    gammaNew: orDefault(b?.gammaNew, DEFAULT_BLEND.gammaNew),
  };
}

export function similarParamsOf(b: Partial<Blend> | undefined): HybridSimilarityParams {
  return { beta: orDefault(b?.similarBeta, DEFAULT_BLEND.similarBeta) };
}
