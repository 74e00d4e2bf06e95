/**
 * One shape for every predictor, as in Surprise (`algo.fit(trainset)`, `algo.predict(uid, iid)`)
 * and LensKit: fit on the training ratings, then predict a rating or score candidates for
 * ranking. Splits and metrics only ever see this interface.
 */
import type { CheckCancelled } from '../../types';
import type { Interactions } from '../interactions';

export interface FitHooks {
  check?: CheckCancelled;
}

export interface Predictor {
  readonly name: string;
  fit(train: Interactions, hooks?: FitHooks): void;
  /** Predicted stars for (dense user, dense movie), within the training ratings' range. */
  predict(user: number, movie: number): number;
  /** Ranking scores for candidate movies, higher is better: out[t] scores candidates[t]. */
  score(user: number, candidates: Int32Array, out: Float64Array): void;
}

/** The lowest and highest rating seen in training; predictions are clipped to it, as Surprise does. */
export function ratingRange(train: Interactions): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let e = 0; e < train.count; e++) {
    const r = train.ratings[e];
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  return train.count ? [lo, hi] : [0, 5];
}

export function meanRating(train: Interactions): number {
  let sum = 0;
  for (let e = 0; e < train.count; e++) sum += train.ratings[e];
  return train.count ? sum / train.count : 0;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** score() through predict(): for predictors whose ranking is their rating prediction. */
export function scoreByPrediction(p: Predictor, user: number, candidates: Int32Array, out: Float64Array): void {
  for (let t = 0; t < candidates.length; t++) out[t] = candidates[t] < 0 ? -Infinity : p.predict(user, candidates[t]);
}
