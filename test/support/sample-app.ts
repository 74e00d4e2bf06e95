/**
 * The bundled sample's model and recommender built in Node by the same core the page runs, so
 * a test can ask what "Recommended for you" must show for given ratings.
 */
import { openAsBlob } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildModel } from '../../src/lib/pipeline/build-model';
import { detectDataset } from '../../src/lib/pipeline/input-files';
import { contentStage, fitRecommenderStage } from '../../src/lib/pipeline/recommender-stage';
import { ModelQueries } from '../../src/lib/model/model-queries';
import { DEFAULT_PARAMS } from '../../src/lib/types';

const SAMPLE_DIR = fileURLToPath(new URL('../../public/data/ml-latest-small/', import.meta.url));

let queries: Promise<ModelQueries> | undefined;

/** ModelQueries over the sample with its default recommender (built once per test file). */
export function sampleQueries(): Promise<ModelQueries> {
  queries ??= (async () => {
    const file = async (name: string) => ({ name, blob: await openAsBlob(SAMPLE_DIR + name) });
    const files = await detectDataset([await file('ratings.csv'), await file('movies.csv'), await file('tags.csv')]);
    const { model, byMovie } = await buildModel(files, DEFAULT_PARAMS);
    model.content = await contentStage(model, files.tags);
    model.recommender = await fitRecommenderStage(model.params, model.byUser!, byMovie);
    return new ModelQueries(model);
  })();
  return queries;
}
