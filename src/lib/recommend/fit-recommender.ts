import { DEFAULT_PARAMS, type CheckCancelled, type ChunkedCsr } from '../types';
import type { AppRecommender, RecommenderKind } from './app-recommender';
import { DEFAULT_IALS, fitIals, gramOf, type FactorModel, type IalsParams, type IalsProgress } from './ials';
import { DEFAULT_ITEM_KNN_TOPN } from './item-knn-topn';

export interface FitRecommenderHooks {
  check?: CheckCancelled;
  onProgress?: (p: IalsProgress) => void;
}

/** iALS parameters of a build: the defaults with the person's choices on top. */
export function ialsParamsOf(overrides: Partial<IalsParams> = {}): IalsParams {
  return { ...DEFAULT_IALS, ...overrides };
}

/** What the model stores of a fitted factor model: the movie side only (people are folded in). */
export function recommenderFromFactors(model: FactorModel, fitMs: number): AppRecommender {
  return {
    kind: 'ials',
    factors: model.factors,
    movies: model.movies,
    movieFactors: model.movieFactors,
    gram: gramOf(model.movieFactors, model.movies, model.factors),
    params: model.params,
    lossByEpoch: model.lossByEpoch,
    fitMs,
  };
}

/** Fits the app's recommender on one thread (the pipeline runs the same fit across threads). */
export function fitAppRecommender(
  kind: RecommenderKind,
  byUser: ChunkedCsr,
  byMovie: ChunkedCsr,
  ials: Partial<IalsParams> = {},
  hooks: FitRecommenderHooks = {},
  neighboursK = DEFAULT_PARAMS.k,
): AppRecommender {
  const began = performance.now();
  // Item-based top-N votes over the model's own neighbour table (cosine of the stars, K of the build).
  if (kind === 'item-knn-topn') return { kind, params: { ...DEFAULT_ITEM_KNN_TOPN, k: neighboursK, ratingWeighted: true }, fitMs: 0 };
  const model = fitIals(byUser, byMovie, ialsParamsOf(ials), hooks);
  return recommenderFromFactors(model, performance.now() - began);
}
