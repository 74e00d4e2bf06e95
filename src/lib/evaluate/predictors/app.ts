import { DEFAULT_PARAMS, type Neighbours } from '../../types';
import { computeMovieStats } from '../../model/movie-stats';
import { weightedPopularity } from '../../model/popularity';
import { computeNeighbours } from '../../model/similarity';
import { rankKeys, type RecommendInputs, type RecommenderKind } from '../../recommend/app-recommender';
import { fitAppRecommender } from '../../recommend/fit-recommender';
import type { IalsParams } from '../../recommend/ials';
import type { ContentSide, HybridParams } from '../../recommend/hybrid';
import { toCsr, type Interactions } from '../interactions';
import { Baseline } from './baseline';
import type { FitHooks, Predictor } from './predictor';

export interface AppParams extends Partial<IalsParams> {
  recommender: RecommenderKind;
}

/**
 * Exactly what "Recommended for you" shows, as a predictor: fit builds what the pipeline builds
 * from the training ratings (statistics, weighted popularity, neighbours, the default
 * recommender, with the app's default settings), and score ranks each user's candidates by the
 * page's own rankKeys, taking the user's training ratings as "my ratings" (folded in, as a
 * person in the page is). Whatever the page changes, this changes with it.
 */
export class AppPredictor implements Predictor {
  readonly name = 'app';
  private inputs: RecommendInputs | undefined;
  private readonly baseline = new Baseline();
  private userStart: Int32Array = new Int32Array(0);
  private userMovies: Int32Array = new Int32Array(0);
  private userStars: Float32Array = new Float32Array(0);
  private keys: Float64Array = new Float64Array(0);
  private keysFor = -1;

  /**
   * `content`: the data set's content side, as the page's model carries it (the app then ranks
   * as a hybrid, exactly like the page). `hybrid`: blend settings other than the page's.
   */
  constructor(
    readonly params: AppParams = { recommender: DEFAULT_PARAMS.recommender },
    private readonly content?: ContentSide,
    private readonly hybrid?: HybridParams,
  ) {}

  fit(train: Interactions, hooks: FitHooks = {}): void {
    const { byUser, byMovie } = toCsr(train);
    const stats = computeMovieStats(byMovie);
    const popularity = weightedPopularity(stats, DEFAULT_PARAMS.popularityPercentile);
    const { recommender: kind, ...ials } = this.params;
    // The page always has the neighbours ("Movies like this"); only item-knn-topn ranks with them.
    const neighbours: Neighbours =
      kind === 'item-knn-topn'
        ? computeNeighbours(byMovie, byUser, { k: DEFAULT_PARAMS.k, kind: DEFAULT_PARAMS.kind, minRatings: DEFAULT_PARAMS.minRatings, check: hooks.check })
        : emptyNeighbours(train.nMovies);
    const recommender = fitAppRecommender(kind, byUser, byMovie, { factors: DEFAULT_PARAMS.factors, ...ials }, { check: hooks.check });
    this.inputs = { neighbours, popularity, stats, recommender, content: this.content, hybrid: this.hybrid };
    const ch = byUser.chunks[0];
    this.userStart = ch.indptr;
    this.userMovies = ch.indices;
    this.userStars = ch.values;
    this.keysFor = -1;
    this.baseline.fit(train, hooks);
  }

  /** A ranking model: star predictions are the bias baseline's. */
  predict(user: number, movie: number): number {
    return this.baseline.predict(user, movie);
  }

  score(user: number, candidates: Int32Array, out: Float64Array): void {
    if (this.keysFor !== user) {
      const a = this.userStart[user];
      const b = this.userStart[user + 1];
      this.keys = rankKeys(this.inputs!, { movie: this.userMovies.subarray(a, b), rating: this.userStars.subarray(a, b) }).keys;
      this.keysFor = user;
    }
    for (let t = 0; t < candidates.length; t++) out[t] = candidates[t] < 0 ? -Infinity : this.keys[candidates[t]];
  }
}

function emptyNeighbours(movies: number): Neighbours {
  return {
    k: 1,
    kind: DEFAULT_PARAMS.kind,
    minRatings: DEFAULT_PARAMS.minRatings,
    movies,
    count: new Int32Array(movies),
    index: new Int32Array(movies).fill(-1),
    similarity: new Float32Array(movies),
    coCount: new Int32Array(movies),
  };
}
