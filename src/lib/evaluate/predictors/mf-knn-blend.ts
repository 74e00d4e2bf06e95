import { ParameterError } from '../../types';
import type { Interactions } from '../interactions';
import { randomSplit } from '../splits';
import { ItemKnn } from './item-knn';
import { Mf, type MfParams } from './mf';
import { scoreByPrediction, type FitHooks, type Predictor } from './predictor';

export interface MfKnnBlendParams {
  /**
   * MF's share w in w·MF + (1 − w)·item-knn. NaN (the default) learns it in fit() on a held-out
   * part of the training ratings, so no test rating ever chooses it.
   */
  blendWeight: number;
  /** Fraction of the training ratings held out to learn the weight. */
  blendHoldout: number;
}

export const DEFAULT_MF_KNN_BLEND: MfKnnBlendParams = { blendWeight: Number.NaN, blendHoldout: 0.1 };

/**
 * A fixed linear blend of biased MF and item-knn (defaults), the simplest form of the blending
 * that won the Netflix Prize: the two make different errors (global factors against local
 * neighbourhoods), so their average beats both.
 *
 * Learning the weight: both models are fitted on 90% of the training ratings, w minimises the
 * squared error on the other 10% in closed form (w = Σ d·(r − k) / Σ d², d = m − k, clipped to
 * [0, 1]), and then both are refitted on all the training ratings. That doubles the fitting time.
 */
export class MfKnnBlend implements Predictor {
  readonly name = 'mf-knn';
  readonly params: MfKnnBlendParams;
  /** MF's weight in use: the fixed one, or the one learnt by the last fit(). */
  weight = 0.5;
  private mf: Mf;
  private knn = new ItemKnn();

  constructor(params: Partial<MfKnnBlendParams & MfParams> = {}) {
    this.params = { ...DEFAULT_MF_KNN_BLEND, ...params };
    this.mf = new Mf(params);
  }

  fit(train: Interactions, hooks: FitHooks = {}): void {
    const { blendWeight, blendHoldout } = this.params;
    if (blendWeight === blendWeight) {
      if (!(blendWeight >= 0 && blendWeight <= 1)) throw new ParameterError(`mf-knn: blendWeight must be between 0 and 1, got ${blendWeight}.`);
      this.weight = blendWeight;
    } else {
      this.weight = this.learnWeight(train, blendHoldout, hooks);
    }
    this.mf.fit(train, hooks);
    this.knn.fit(train, hooks);
  }

  private learnWeight(train: Interactions, holdout: number, hooks: FitHooks): number {
    const { train: part, test: held } = randomSplit(train, holdout, this.mf.params.seed);
    this.mf.fit(part, hooks);
    this.knn.fit(part, hooks);
    let num = 0;
    let den = 0;
    for (let t = 0; t < held.count; t++) {
      const m = this.mf.predict(held.users[t], held.movies[t]);
      const k = this.knn.predict(held.users[t], held.movies[t]);
      num += (m - k) * (held.ratings[t] - k);
      den += (m - k) * (m - k);
    }
    const w = den > 0 ? num / den : 0.5;
    return w < 0 ? 0 : w > 1 ? 1 : w;
  }

  predict(user: number, movie: number): number {
    const w = this.weight;
    // Both predictions are clipped to the rating range, so their convex combination is too.
    return w * this.mf.predict(user, movie) + (1 - w) * this.knn.predict(user, movie);
  }

  score(user: number, candidates: Int32Array, out: Float64Array): void {
    scoreByPrediction(this, user, candidates, out);
  }
}
