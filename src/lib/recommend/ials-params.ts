/**
 * iALS's settings and per-row regularisation, apart from the solver (ials.ts): the page folds a
 * person in (fold-in.ts) and fills its settings forms on the main thread, and should not load
 * the whole trainer to do so.
 */

export interface IalsParams {
  /** Latent factors per user and per movie. */
  factors: number;
  /** Epochs: each solves every user, then every movie. */
  iterations: number;
  /** λ, scaled per row by (n + N)^ν. */
  regularization: number;
  /** ν: 0 keeps λ constant; 1 scales it with the row's weight (Rendle et al.). */
  regExponent: number;
  /** α: a rated cell counts 1 + α times as much as an unrated one. */
  alpha: number;
  /** Confidence from the stars (1 + α·r/5) instead of 1 + α for every rating. */
  ratingWeighted: boolean;
  /** Conjugate-gradient steps per solve. */
  cgSteps: number;
  /** Standard deviation of the initial movie factors, divided by √factors. */
  initStd: number;
  seed: number;
}

export const DEFAULT_IALS: IalsParams = {
  factors: 64,
  iterations: 10,
  regularization: 0.015,
  regExponent: 1,
  alpha: 4,
  ratingWeighted: false,
  cgSteps: 3,
  initStd: 0.1,
  seed: 42,
};

/** λ for a row with n ratings: λ·(n + N)^ν, N the other side's count (Rendle et al.'s frequency scaling). */
export function rowLambda(params: IalsParams, n: number, nOther: number): number {
  return params.regularization * (params.regExponent === 0 ? 1 : Math.pow(n + nOther, params.regExponent));
}
