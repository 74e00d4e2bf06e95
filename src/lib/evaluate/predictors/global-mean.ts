import type { Interactions } from '../interactions';
import { meanRating, type Predictor } from './predictor';

/** Predicts the mean of all training ratings for everyone: the floor every predictor must beat. */
export class GlobalMean implements Predictor {
  readonly name = 'global-mean';
  mu = 0;

  fit(train: Interactions): void {
    this.mu = meanRating(train);
  }

  predict(): number {
    return this.mu;
  }

  score(_user: number, candidates: Int32Array, out: Float64Array): void {
    out.fill(this.mu, 0, candidates.length);
  }
}
