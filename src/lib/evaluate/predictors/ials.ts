import { DEFAULT_IALS, fitIals, type FactorModel, type IalsParams } from '../../recommend/ials';
import { toCsr, type Interactions } from '../interactions';
import { Baseline } from './baseline';
import type { FitHooks, Predictor } from './predictor';

/**
 * iALS as a top-N predictor: scores are x_u·y_j with the user factors learnt in training.
 * It models who rated what, not stars, so predict() answers with the bias baseline and RMSE is
 * not this model's measure.
 */
export class Ials implements Predictor {
  readonly name = 'ials';
  readonly params: IalsParams;
  model: FactorModel | undefined;
  private readonly baseline = new Baseline();

  constructor(params: Partial<IalsParams> = {}) {
    this.params = { ...DEFAULT_IALS, ...params };
  }

  fit(train: Interactions, hooks: FitHooks = {}): void {
    const csr = toCsr(train);
    this.model = fitIals(csr.byUser, csr.byMovie, this.params, { check: hooks.check });
    this.baseline.fit(train, hooks);
  }

  predict(user: number, movie: number): number {
    return this.baseline.predict(user, movie);
  }

  score(user: number, candidates: Int32Array, out: Float64Array): void {
    const { factors: f, userFactors: X, movieFactors: Y } = this.model!;
    const xo = user * f;
    for (let t = 0; t < candidates.length; t++) {
      const j = candidates[t];
      if (j < 0) {
        out[t] = -Infinity;
        continue;
      }
      const yo = j * f;
      let s = 0;
      for (let q = 0; q < f; q++) s += X[xo + q] * Y[yo + q];
      out[t] = s;
    }
  }
}
