import type { Interactions } from '../interactions';
import { ratingRange, type Predictor } from './predictor';

/**
 * Scores every (user, movie) by a fixed hash: the floor any recommender must clear by a wide
 * margin (HR@10 among 100 candidates is 0.10 by chance). Deterministic, so two runs agree.
 */
export class RandomPredictor implements Predictor {
  readonly name = 'random';
  private lo = 0;
  private hi = 5;

  fit(train: Interactions): void {
    [this.lo, this.hi] = ratingRange(train);
  }

  predict(user: number, movie: number): number {
    return this.lo + (this.hi - this.lo) * unitHash(user, movie);
  }

  score(user: number, candidates: Int32Array, out: Float64Array): void {
    for (let t = 0; t < candidates.length; t++) out[t] = candidates[t] < 0 ? -Infinity : unitHash(user, candidates[t]);
  }
}

/** A uniform number in [0, 1) from two integers (a 32-bit integer mix, Math.imul keeps it exact). */
export function unitHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
