/**
 * The pipeline's last stage: fit the recommender behind "Recommended for you", after the model
 * is already in use. One thread or the pool; the factors are identical either way.
 */
import type { ChunkedCsr, Model, ModelParams } from '../types';
import { buildContentModel, type ContentBuildOptions, type ContentModel, type ContentSources } from '../content/content-model';
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
  /** The content stage's phases as they end (ContentBuildOptions.onPhase). */
  onContentPhase?: ContentBuildOptions['onPhase'];
}

/**
 * The content side (genres, era, users' tags, the tag genome), after the model is in use: the
 * genome alone is 1e11 multiply-adds on ML-25M, too slow to hold up the first answers. Runs on
 * the pool's threads when there is a pool. `sources` is tags.csv alone when an InputFile.
 */
export async function contentStage(
  model: Pick<Model, 'movies' | 'catalog'>,
  sources: ContentSources | InputFile | undefined,
  hooks: RecommenderStageHooks = {},
): Promise<ContentModel> {
  const clock = new StageClock('content', 'movies', hooks.onProgress);
  const n = model.movies.ids.length;
  const content = await buildContentModel(model.movies, model.catalog, sources, {
    check: hooks.check,
    pool: hooks.pool,
    onProgress: (d, t, detail) => clock.tick(d, t, detail),
    onPhase: hooks.onContentPhase,
  });
  clock.finish(n, n, contentSummary(content));
  return content;
}

/** "46 features, 1,554 movies tagged, genome 13,816 movies × 1,128 tags". */
export function contentSummary(content: ContentModel): string {
  const int = (x: number) => x.toLocaleString('en');
  const parts = [`${int(content.features.featureNames.length)} features`];
  if (content.taggedMovies > 0) parts.push(`${int(content.taggedMovies)} movies tagged`);
  if (content.genome) parts.push(`genome ${int(content.genome.rows.length)} movies × ${int(content.genome.dims)} tags`);
  return parts.join(', ');
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
