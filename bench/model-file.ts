/**
 * Times the portable model file at a release's scale, as the page and the CLI use it:
 *   npx tsx bench/model-file.ts DIR [--no-recommender] [--json]
 * builds the model of the release in DIR (ratings.csv + movies.csv, e.g. from `npm run gen`),
 * with its content side and recommender as the page learns them, then measures
 *   - export from the cache (a memory store standing in for IndexedDB) to a file, stored and deflated,
 *   - reading the file back whole (the CLI's --model) and importing it into a fresh cache,
 * and checks that the neighbours come back bit for bit.
 */
import { openAsBlob, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel } from '../src/lib/pipeline/build-model';
import { detectDataset } from '../src/lib/pipeline/input-files';
import { contentStage, fitRecommenderStage } from '../src/lib/pipeline/recommender-stage';
import { loadModel, saveModel } from '../src/lib/cache/model-cache';
import { saveRecommender } from '../src/lib/cache/recommender-cache';
import { memoryStore } from '../src/lib/cache/store';
import { modelFileBlob, storedModelFileSource } from '../src/lib/cache/write-model-file';
import { importModelFile, readModelFile } from '../src/lib/cache/read-model-file';
import { neighboursDigest } from '../src/lib/pipeline/neighbours-digest';
import { DEFAULT_PARAMS, type Model } from '../src/lib/types';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx bench/model-file.ts DIR [--no-recommender] [--json]');
  process.exit(2);
}
const withRecommender = !process.argv.includes('--no-recommender');
const files = await Promise.all(
  readdirSync(dir)
    .filter((n) => /\.(csv|dat|data|item)$/.test(n))
    .map(async (n) => ({ name: n, blob: await openAsBlob(join(dir, n)) })),
);
const ds = await detectDataset(files);

const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const began = performance.now();
  const value = await fn();
  return [value, performance.now() - began];
};
const mb = (bytes: number) => +(bytes / 1e6).toFixed(1);

const [{ model, byMovie }, buildMs] = await time(() => buildModel(ds, DEFAULT_PARAMS));
const [extras, extrasMs] = await time(async () => {
  if (!withRecommender) return {};
  const content = ds.movies ? await contentStage(model, ds.tags) : undefined;
  const recommender = await fitRecommenderStage(model.params, model.byUser!, byMovie);
  return { content, recommender };
});

// The page's cache: the model saved, its recommender beside it.
const cache = memoryStore();
const [, saveMs] = await time(() => saveModel(cache, model));
if (extras.recommender) await saveRecommender(cache, model.fingerprint, extras.recommender, extras.content);

const report: Record<string, unknown> = {
  release: dir,
  ratings: model.summary.ratings,
  movies: model.summary.movies,
  buildMs: Math.round(buildMs),
  recommenderAndContentMs: Math.round(extrasMs),
  cacheSaveMs: Math.round(saveMs),
};
let blob: Blob | undefined;
for (const compression of ['store', 'deflate'] as const) {
  const [written, exportMs] = await time(async () => modelFileBlob(await storedModelFileSource(cache), { compression }));
  report[compression] = { fileMB: mb(written.fileBytes), chunkMB: mb(written.chunkBytes), exportMs: Math.round(exportMs) };
  if (compression === 'store') blob = written.blob;
  else {
    const [, readMs] = await time(() => readModelFile(written.blob, 'model.latentlens'));
    (report[compression] as Record<string, number>).readMs = Math.round(readMs);
  }
}
const [{ model: read }, readMs] = await time(() => readModelFile(blob!, 'model.latentlens'));
const fresh = memoryStore();
const [, importMs] = await time(() => importModelFile(fresh, blob!, 'model.latentlens'));
const loaded = await loadModel(fresh);
const digest = neighboursDigest(model.neighbours);
Object.assign(report.store as object, { readMs: Math.round(readMs), importMs: Math.round(importMs) });
report.sameNeighbours =
  neighboursDigest(read.neighbours) === digest && loaded.status === 'ok' && neighboursDigest((loaded as { model: Model }).model.neighbours) === digest;

if (process.argv.includes('--json')) console.log(JSON.stringify(report));
else console.log(report);
