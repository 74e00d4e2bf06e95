import type { Interactions } from '../interactions';
import { meanRating, type Predictor } from './predictor';

/**
 * Most-rated first, the same list for everyone: the top-N baseline that personalised methods
 * must beat (and often barely do). predict() gives the movie's mean training rating.
 */
export class Popular implements Predictor {
  readonly name = 'popular';
  count = new Int32Array(0);
  private mean = new Float64Array(0);
  private mu = 0;

  fit(train: Interactions): void {
    this.mu = meanRating(train);
    this.count = new Int32Array(train.nMovies);
    const sum = new Float64Array(train.nMovies);
    for (let e = 0; e < train.count; e++) {
      this.count[train.movies[e]]++;
      sum[train.movies[e]] += train.ratings[e];
    }
    this.mean = new Float64Array(train.nMovies);
    for (let i = 0; i < train.nMovies; i++) this.mean[i] = this.count[i] ? sum[i] / this.count[i] : this.mu;
  }

  predict(_user: number, movie: number): number {
    return this.mean[movie];
  }

  score(_user: number, candidates: Int32Array, out: Float64Array): void {
    // Ties (equal counts) are broken by the caller's stable order, i.e. by movie index.
    for (let t = 0; t < candidates.length; t++) out[t] = candidates[t] < 0 ? -Infinity : this.count[candidates[t]];
  }
}
