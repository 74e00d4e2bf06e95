/**
 * The pipeline's last stage: fit the recommender behind "Recommended for you", after the model
 * is already in use. One thread or the pool; the factors are identical either way.
 */
import type { ChunkedCsr, Model, ModelParams } from '../types';
import { buildContentModel, type ContentModel } from '../content/content-model';
import type { InputFile } from './input-files';
import type { ComputePool } from '../parallel/compute-pool';
import { fitIalsParallel } from '../parallel/parallel-stages';
import type { AppRecommender } from '../recommend/app-recommender';
import { fitAppRecommender, ialsParamsOf, recommenderFromFactors } from '../recommend/fit-recommender';
import { fitIals } from '../recommend/ials';
import { StageClock, type ProgressSink } from './stage-clock';

export interface RecommenderStageHooks {
  pool?: ComputePool;
  onProgress?: ProgressSink;
  check?: () => void;
}

/**
 * The content side (genres, era, users' tags), after the model is in use: comparing every
 * pair of movies by content touches nearly all pairs (they share a genre or an era), too slow
 * to hold up the first answers on a large catalogue.
 */
export async function contentStage(model: Pick<Model, 'movies' | 'catalog'>, tagsFile: InputFile | undefined, hooks: RecommenderStageHooks = {}): Promise<ContentModel> {
  const clock = new StageClock('content', 'movies', hooks.onProgress);
  const content = await buildContentModel(model.movies, model.catalog, tagsFile, { check: hooks.check, onProgress: (d, t) => clock.tick(d, t) });
  clock.finish(model.movies.ids.length, model.movies.ids.length, `${content.features.featureNames.length.toLocaleString('en')} features${tagsFile ? `, ${content.taggedMovies.toLocaleString('en')} movies tagged` : ''}`);
  return content;
}

export async function fitRecommenderStage(
  params: Pick<ModelParams, 'recommender' | 'factors' | 'k'>,
  byUser: ChunkedCsr,
  byMovie: ChunkedCsr,
  hooks: RecommenderStageHooks = {},
): Promise<AppRecommender> {
  const clock = new StageClock('recommender', 'epochs', hooks.onProgress);
  if (params.recommender !== 'ials') {
    const rec = fitAppRecommender(params.recommender, byUser, byMovie, {}, {}, params.k);
    clock.finish(1, 1, 'uses the similar-movies table');
    return rec;
  }
  const ials = ialsParamsOf({ factors: params.factors });
  const epochs = ials.iterations;
  clock.tick(0, epochs, `${ials.factors} factors × ${(byUser.rows + byMovie.rows).toLocaleString('en')} users and movies, ${epochs} epochs`);
  const onProgress = (p: { epoch: number; rowsDone: number; usersPlusMovies: number; loss?: number }) =>
    clock.tick(
      p.epoch + p.rowsDone / p.usersPlusMovies,
      epochs,
      `epoch ${Math.min(epochs, p.epoch + 1)} of ${epochs}${p.loss !== undefined ? ` · loss ${Math.round(p.loss).toLocaleString('en')}` : ''}`,
    );
  const pool = hooks.pool && hooks.pool.size > 1 ? hooks.pool : undefined;
  const began = performance.now();
  const model = pool
    ? await fitIalsParallel(pool, byUser, byMovie, ials, { onProgress, check: hooks.check, trackLoss: false })
    : fitIals(byUser, byMovie, ials, { onProgress, check: hooks.check });
  const rec = recommenderFromFactors(model, performance.now() - began);
  const last = model.lossByEpoch[model.lossByEpoch.length - 1];
  clock.finish(epochs, epochs, last !== undefined ? `loss ${Math.round(last).toLocaleString('en')}` : undefined);
  return rec;
}
