import type { Interactions } from '../interactions';
import { clamp, meanRating, ratingRange, scoreByPrediction, type FitHooks, type Predictor } from './predictor';

export interface BaselineParams {
  /** Shrinks item biases towards 0: an item needs about regI ratings for its bias to count half. */
  regI: number;
  regU: number;
  epochs: number;
}

/** Surprise's BaselineOnly defaults for ALS. */
export const DEFAULT_BASELINE: BaselineParams = { regI: 10, regU: 15, epochs: 10 };

export interface Biases {
  mu: number;
  /** Per dense user / movie; 0 for those without training ratings. */
  bu: Float64Array;
  bi: Float64Array;
}

/**
 * Fits b_ui = μ + b_u + b_i by alternating least squares, exactly as Surprise's baseline_als:
 * each epoch first sets every b_i = Σ_u (r_ui − μ − b_u) / (regI + n_i), then every
 * b_u = Σ_i (r_ui − μ − b_i) / (regU + n_u). Each step is O(ratings).
 */
export function fitBiases(train: Interactions, params: BaselineParams = DEFAULT_BASELINE, hooks: FitHooks = {}): Biases {
  const mu = meanRating(train);
  const bu = new Float64Array(train.nUsers);
  const bi = new Float64Array(train.nMovies);
  const nU = new Int32Array(train.nUsers);
  const nI = new Int32Array(train.nMovies);
  const { users, movies, ratings, count } = train;
  for (let e = 0; e < count; e++) {
    nU[users[e]]++;
    nI[movies[e]]++;
  }
  const acc = new Float64Array(Math.max(train.nUsers, train.nMovies));
  for (let epoch = 0; epoch < params.epochs; epoch++) {
    acc.fill(0);
    for (let e = 0; e < count; e++) acc[movies[e]] += ratings[e] - mu - bu[users[e]];
    for (let i = 0; i < train.nMovies; i++) bi[i] = acc[i] / (params.regI + nI[i]);
    acc.fill(0);
    for (let e = 0; e < count; e++) acc[users[e]] += ratings[e] - mu - bi[movies[e]];
    for (let u = 0; u < train.nUsers; u++) bu[u] = acc[u] / (params.regU + nU[u]);
    hooks.check?.();
  }
  return { mu, bu, bi };
}

/** μ + b_u + b_i, clipped to the rating scale: Surprise's BaselineOnly. */
export class Baseline implements Predictor {
  readonly name = 'bias';
  biases: Biases = { mu: 0, bu: new Float64Array(0), bi: new Float64Array(0) };
  private lo = 0;
  private hi = 5;

  constructor(readonly params: BaselineParams = DEFAULT_BASELINE) {}

  fit(train: Interactions, hooks: FitHooks = {}): void {
    this.biases = fitBiases(train, this.params, hooks);
    [this.lo, this.hi] = ratingRange(train);
  }

  predict(user: number, movie: number): number {
    const { mu, bu, bi } = this.biases;
    return clamp(mu + bu[user] + bi[movie], this.lo, this.hi);
  }

  score(user: number, candidates: Int32Array, out: Float64Array): void {
    scoreByPrediction(this, user, candidates, out);
  }
}
