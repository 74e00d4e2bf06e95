import { computeNeighbours } from '../../model/similarity';
import { addNeighbourVotes, binarised, DEFAULT_ITEM_KNN_TOPN, rowScales, type ItemKnnTopNParams } from '../../recommend/item-knn-topn';
import { ParameterError, type Neighbours } from '../../types';
import { toCsr, type Interactions } from '../interactions';
import { Baseline } from './baseline';
import type { FitHooks, Predictor } from './predictor';

/**
 * Item-based top-N CF as a predictor: the exact cosine neighbours of the training matrix
 * (binary or star-weighted), scores summed over the user's training movies. A ranking model:
 * predict() is the bias baseline.
 */
export class ItemKnnTopN implements Predictor {
  readonly name = 'item-knn-topn';
  readonly params: ItemKnnTopNParams;
  neighbours: Neighbours | undefined;
  private scale: Float32Array = new Float32Array(0);
  private readonly baseline = new Baseline();
  private userStart: Int32Array = new Int32Array(0);
  private userMovies: Int32Array = new Int32Array(0);
  private votes = new Float64Array(0);
  private votesFor = -1;

  constructor(params: Partial<ItemKnnTopNParams> = {}) {
    this.params = { ...DEFAULT_ITEM_KNN_TOPN, ...params };
    if (!Number.isInteger(this.params.k) || this.params.k < 1)
      throw new ParameterError(`item-knn-topn: k must be a positive whole number, got ${this.params.k}.`);
  }

  /** `neighbours` computed elsewhere on the same training ratings and settings are reused. */
  fit(train: Interactions, hooks: FitHooks = {}, neighbours?: Neighbours): void {
    const csr = toCsr(train);
    const byMovie = this.params.ratingWeighted ? csr.byMovie : binarised(csr.byMovie);
    const byUser = this.params.ratingWeighted ? csr.byUser : binarised(csr.byUser);
    this.neighbours = neighbours ?? computeNeighbours(byMovie, byUser, { k: this.params.k, kind: 'cosine', minRatings: 1, check: hooks.check });
    this.scale = rowScales(this.neighbours, this.params.normalizeRows);
    const ch = csr.byUser.chunks[0];
    this.userStart = ch.indptr;
    this.userMovies = ch.indices;
    this.votes = new Float64Array(train.nMovies);
    this.votesFor = -1;
    this.baseline.fit(train, hooks);
  }

  predict(user: number, movie: number): number {
    return this.baseline.predict(user, movie);
  }

  score(user: number, candidates: Int32Array, out: Float64Array): void {
    if (this.votesFor !== user) {
      this.votes.fill(0);
      addNeighbourVotes(this.neighbours!, this.scale, this.userMovies.subarray(this.userStart[user], this.userStart[user + 1]), this.votes);
      this.votesFor = user;
    }
    for (let t = 0; t < candidates.length; t++) out[t] = candidates[t] < 0 ? -Infinity : this.votes[candidates[t]];
  }
}
