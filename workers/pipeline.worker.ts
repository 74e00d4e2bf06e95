/**
 * The pipeline worker: a thin Comlink adapter over the core. It parses, builds and caches the
 * model off the main thread, and sends the page what it needs to answer questions, moving the
 * buffers rather than copying them. Cancellation is the page terminating this worker: a
 * synchronous similarity loop cannot read messages, and terminate() stops it at once.
 *
 * The heavy stages run on a compute pool whose threads the page starts for each call and hands
 * over as MessagePorts (`pool`); this worker never starts a worker itself (web-worker-pool.ts
 * says why), and with no ports it does the work alone.
 */
import { expose, transfer } from 'comlink';
import type { Model, ModelParams, Progress } from '../src/lib/types';
import { buildModel, type StageTimings } from '../src/lib/pipeline/build-model';
import { detectDataset, expandInputs, type InputFile } from '../src/lib/pipeline/input-files';
import { collectTransferables } from '../src/lib/pipeline/transferables';
import { problemFrom, type Outcome } from '../src/lib/pipeline/outcome';
import { StageClock } from '../src/lib/pipeline/stage-clock';
import { loadModel, saveModel } from '../src/lib/cache/model-cache';
import { faultyStore, type KeyValueStore } from '../src/lib/cache/store';
import { benchmarkStore, idbStore, withCacheLock } from '../src/platform/idb-store';
import { WebWorkerPool, type PoolPorts } from '../src/platform/web-worker-pool';
import { generateToMemory } from '../src/lib/synthetic/generate';
import { contentToMemory } from '../src/lib/synthetic/content-files';
import { CONTENT_K, GENOME_WEIGHT, readGenome, type ContentPhase } from '../src/lib/content/content-model';
import { genomeOnlyNeighbours } from '../src/lib/parallel/content-parallel';
import { neighboursDigest } from '../src/lib/pipeline/neighbours-digest';
import { contentStage, fitRecommenderStage } from '../src/lib/pipeline/recommender-stage';
import type { ContentModel, ContentSources } from '../src/lib/content/content-model';
import { contentSourcesOf } from '../src/lib/pipeline/content-sources';
import { loadRecommender, saveRecommender } from '../src/lib/cache/recommender-cache';
import { transposeCsr } from '../src/lib/matrix/csr';
import type { AppRecommender } from '../src/lib/recommend/app-recommender';
import type { ChunkedCsr } from '../src/lib/types';
import { modelFileBlob, storedModelFileSource } from '../src/lib/cache/write-model-file';
import { importModelFile } from '../src/lib/cache/read-model-file';
import { MODEL_FILE_EXTENSION } from '../src/lib/cache/model-file';
import { importTrainedModel } from '../src/lib/pipeline/import-trained-model';
import type { ImportSettings } from '../src/lib/pipeline/imported-model';

/** What the page keeps: the model without the ratings matrix, which stays here. */
export type ServingModel = Omit<Model, 'byUser'>;

export type CacheState = 'saved' | 'not-saved' | 'restored';

export interface BuildReport {
  model: ServingModel;
  timings: StageTimings;
  threads: number;
  sharedMemory: boolean;
  /**
   * The release's links.csv when it had one: the page keeps it to match a person's IMDb and
   * Letterboxd ratings by id. A Blob crosses to the page as a reference, not a copy.
   */
  links?: InputFile;
}

export type RestoreReport = { found: true; model: ServingModel; restoreMs: number } | { found: false; reason?: string };

/** A dropped file and where it was in a dropped folder ("ml-1m/ratings.dat"), or just its name. */
export interface DroppedFile {
  file: File;
  path: string;
}

export interface BuildOptions {
  params: ModelParams;
  skipBadLines: boolean;
  /**
   * Fault injection for the end-to-end tests, which must prove each failure is handled:
   * 'crash' throws outside any promise (the worker's error event), 'hang' stops answering,
   * 'quota' makes every cache write fail as a full disk does. Never set by the app itself.
   */
  testFault?: 'crash' | 'hang' | 'quota';
  /**
   * Hides an API from this worker, as an engine without it would, for the cross-engine tests to
   * prove the fallback in each engine. Only this worker's realm: pool workers keep it.
   */
  testWithout?: 'blob-stream';
}

type OnProgress = (p: Progress) => void;

export interface BenchmarkRequest {
  ratings: number;
  seed: number;
  params: ModelParams;
  /** Also save the model to IndexedDB and restore it, timing both (a separate database). */
  cache: boolean;
  /**
   * Give the content stage a synthetic tag genome and tags.csv (as ML-25M has), not genres and
   * years alone; 'genome-alone' instead times the content neighbours of the genome by itself
   * (the hybrid issue's target) on this build's fresh threads, and skips the content stage.
   */
  content?: boolean | 'genome-alone';
}

export interface BenchmarkReport {
  ratings: number;
  ratingsBytes: number;
  users: number;
  movies: number;
  pairUpdates: number;
  threads: number;
  sharedMemory: boolean;
  crossOriginIsolated: boolean;
  generateMs: number;
  timings: StageTimings;
  /** Equal digests mean bit-identical neighbour tables. */
  digest: string;
  /** With `cache`: the IndexedDB round trip, and the digest of what came back. */
  saveMs?: number;
  /** Restoring what the page needs on reload (no ratings matrix). */
  restoreMs?: number;
  /** Restoring everything, as the explore and evaluate workers do. */
  fullRestoreMs?: number;
  cachedBytes?: number;
  restoredDigest?: string;
  /** The content stage's phases (tags + features, genome read, content neighbours), in ms. */
  contentPhases?: Partial<Record<ContentPhase, number>>;
  /** With `content`: the genome's rows and tags, and the content neighbours kept per movie. */
  genome?: { movies: number; dims: number; k: number };
  /** With content 'genome-alone': the genome's content neighbours by themselves, in ms. */
  genomeAloneMs?: number;
}

function forPage(model: Model): ServingModel {
  // The ratings matrix is not sent: the page never reads it, and the explore and evaluate
  // workers load it from the cache. Dropping it here lets this worker free it too.
  const { byUser: _dropped, ...serving } = model;
  return serving;
}

function injectFault(fault: BuildOptions['testFault']): void {
  if (fault === 'crash') {
    setTimeout(() => {
      throw new Error('injected crash');
    });
  } else if (fault === 'hang') {
    // Busy forever: no message in or out, as a worker stuck in a loop or swapping would be.
    const start = Date.now();
    while (Date.now() - start < 10 * 60_000) {
      /* spin */
    }
  }
}

/** The outcome of saving a built model to IndexedDB. */
export interface SaveReport {
  cache: CacheState;
  /** Why the model was not saved (quota, private mode), in plain words. */
  cacheProblem?: string;
  saveMs: number;
}

async function saveQuietly(model: Model, store: KeyValueStore, onProgress: OnProgress): Promise<SaveReport> {
  const clock = new StageClock('save-cache', 'bytes', onProgress);
  try {
    const { bytes } = await saveModel(store, model, { withLock: withCacheLock, onProgress: (done, total) => clock.tick(done, total) });
    return { cache: 'saved', saveMs: clock.finish(bytes, bytes) };
  } catch (error) {
    const name = (error as { name?: string }).name;
    return {
      saveMs: clock.finish(0, 1, 'not saved'),
      cache: 'not-saved' as CacheState,
      cacheProblem:
        name === 'QuotaExceededError'
          ? 'The browser has no room left to store the model, so it works now but will not survive a reload. Free some disk space or delete other sites’ data to keep it.'
          : `The browser refused to store the model (${(error as Error).message}; private windows often do), so it works now but will not survive a reload.`,
    };
  }
}

/** Saves and restores `model` in the benchmark's own database, as a reload would. */
async function cacheRoundTrip(model: Model) {
  const store = benchmarkStore();
  try {
    let began = performance.now();
    const { bytes } = await saveModel(store, model, { withLock: withCacheLock });
    const saveMs = performance.now() - began;
    // What a reload waits for: the model without its ratings matrix, as restore() reads it.
    began = performance.now();
    const serving = await loadModel(store, { withLock: withCacheLock, omit: ['byUser'] });
    const restoreMs = performance.now() - began;
    // What the explore and evaluate workers read when they are first opened.
    began = performance.now();
    const loaded = await loadModel(store, { withLock: withCacheLock });
    const fullRestoreMs = performance.now() - began;
    if (loaded.status !== 'ok' || serving.status !== 'ok') throw new Error(`the saved model did not load back (${loaded.status})`);
    return { saveMs, restoreMs, fullRestoreMs, cachedBytes: bytes, restoredDigest: neighboursDigest(loaded.model.neighbours) };
  } finally {
    await store.clear();
  }
}

/** The last build, waiting for the page to ask for it to be saved (see `save`). */
let unsaved: { model: Model; store: KeyValueStore } | undefined;

/** The last build's matrices, kept for the recommender's fit that follows it. */
let forRecommender: { model: Model; byMovie: ChunkedCsr; store: KeyValueStore; content?: ContentSources } | undefined;

/** The saved model as a `.latentlens` file, ready for a download link. */
export interface ModelExport {
  file: Blob;
  /** A file name to offer: the model's fingerprint keeps two exports apart. */
  name: string;
  fileBytes: number;
  exportMs: number;
}

/** A model trained elsewhere: item factors (Spark's part files, or a CSV), a neighbour table, the release. */
export interface TrainedFiles {
  factors: DroppedFile[];
  neighbours?: DroppedFile;
  /** The release it was trained on (zip, folder or movies file), for the titles. */
  release: DroppedFile[];
}

/** The pool over the page's threads, or none (one thread: this worker alone). */
function poolOver(ports: PoolPorts | undefined): WebWorkerPool | undefined {
  return ports && ports.threads.length > 1 ? new WebWorkerPool(ports) : undefined;
}

function inputOf({ file, path }: DroppedFile): InputFile {
  return { name: path || file.name, blob: file, lastModified: file.lastModified };
}

export interface RecommenderReport {
  recommender: AppRecommender;
  content?: ContentModel;
  /** Why it was not stored (it still works for this visit). */
  cacheProblem?: string;
}

const api = {
  /**
   * Builds the model and hands the page a copy of what it needs at once; the model is saved to
   * IndexedDB afterwards, by `save`, so a person does not wait seconds for the disk before using
   * it (10 s for a 25M model). The copy (neighbours, catalogue, statistics: ~40 MB at 25M) is
   * cloned rather than transferred because the save still needs the originals.
   */
  async build(dropped: DroppedFile[], options: BuildOptions, onProgress: OnProgress, ports?: PoolPorts): Promise<Outcome<BuildReport>> {
    const inputs: InputFile[] = dropped.map(({ file, path }) => ({ name: path || file.name, blob: file, lastModified: file.lastModified }));
    let ratingsName = inputs.map((f) => f.name).join(', ');
    const pool = poolOver(ports);
    const threads = pool?.size ?? 1;
    try {
      // File inherits from Blob: one delete covers dropped files, zip entries and the fetched sample.
      if (options.testWithout === 'blob-stream') delete (Blob.prototype as { stream?: unknown }).stream;
      const unzipClock = new StageClock('unzip', 'bytes', onProgress);
      const zipped = inputs.some((f) => /\.zip$/i.test(f.name));
      const expanded = await expandInputs(inputs, { onProgress: zipped ? (done, total) => unzipClock.tick(done, total) : undefined });
      const dataset = await detectDataset(expanded);
      ratingsName = dataset.ratings.name;
      injectFault(options.testFault);
      const { model, timings, byMovie } = await buildModel(dataset, options.params, { onProgress, skipBadLines: options.skipBadLines, pool });
      if (zipped) timings.unzip = unzipClock.elapsedMs;
      pool?.dispose();
      const store = options.testFault === 'quota' ? faultyStore(idbStore(), { failSetsFrom: 1 }) : idbStore();
      unsaved = { model, store };
      // The content stage reads tags.csv and the genome (taken out of the zip only then).
      forRecommender = { model, byMovie, store, content: contentSourcesOf(dataset, inputs) };
      const links = dataset.links && { name: dataset.links.name, blob: dataset.links.blob };
      const report: BuildReport = { model: forPage(model), timings, threads, sharedMemory: pool?.sharedMemory ?? false, links };
      return { ok: true, value: report };
    } catch (error) {
      return { ok: false, problem: problemFrom(error, ratingsName) };
    } finally {
      pool?.dispose();
    }
  },

  /** Saves the last built model (chunks, then the manifest); the cache changes only when it is complete. */
  async save(onProgress: OnProgress): Promise<Outcome<SaveReport>> {
    const pending = unsaved;
    unsaved = undefined;
    if (!pending) return { ok: false, problem: { kind: 'internal', file: '', message: 'There is no built model to save.' } };
    return { ok: true, value: await saveQuietly(pending.model, pending.store, onProgress) };
  },

  async restore(onProgress: OnProgress): Promise<Outcome<RestoreReport>> {
    try {
      const clock = new StageClock('load-cache', 'bytes', onProgress);
      // The page needs the serving model only; the ratings matrix (most of the bytes) is read by
      // the explore and evaluate workers themselves when a person opens those views.
      const loaded = await loadModel(idbStore(), { withLock: withCacheLock, omit: ['byUser'], onProgress: (done, total) => clock.tick(done, total) });
      const restoreMs = clock.finish(1, 1);
      if (loaded.status !== 'ok') {
        return { ok: true, value: { found: false, reason: loaded.status === 'invalid' ? loaded.reason : undefined } };
      }
      const stored = await loadRecommender(idbStore(), loaded.model.fingerprint).catch(() => undefined);
      if (stored) {
        loaded.model.recommender = stored.recommender;
        loaded.model.content = stored.content;
      }
      const value: RestoreReport = { found: true, model: forPage(loaded.model), restoreMs };
      return transfer({ ok: true, value }, collectTransferables(value.model));
    } catch (error) {
      return { ok: false, problem: problemFrom(error, 'the saved model') };
    }
  },

  /**
   * Fits the recommender of the model the page shows (`fingerprint`) and stores it beside the
   * model. After a build it reuses that build's matrices; after a reload it reads the ratings
   * from the cache. Runs on the pool's threads when the page sends some.
   */
  async fitRecommender(fingerprint: string, params: ModelParams, onProgress: OnProgress, ports?: PoolPorts): Promise<Outcome<RecommenderReport>> {
    const pool = poolOver(ports);
    try {
      let source = forRecommender?.model.fingerprint === fingerprint ? forRecommender : undefined;
      if (!source) {
        const clock = new StageClock('load-cache', 'bytes', onProgress);
        const loaded = await loadModel(idbStore(), { withLock: withCacheLock, expectFingerprint: fingerprint, onProgress: (d, t) => clock.tick(d, t) });
        clock.finish(1, 1);
        if (loaded.status !== 'ok' || !loaded.model.byUser) {
          return {
            ok: false,
            problem: {
              kind: 'internal',
              file: '',
              message:
                'The ratings of the model shown are not saved in this browser, so its recommender cannot be learnt now. Rebuild the model from the Data panel.',
            },
          };
        }
        source = { model: loaded.model, byMovie: transposeCsr(loaded.model.byUser), store: idbStore() };
      }
      // Content first: it is quick on small catalogues and makes one or two ratings useful.
      // summary.files lists the ratings file, then the movies file when there was one.
      const hasMovies = source.model.summary.files.length > 1;
      const content = hasMovies ? await contentStage(source.model, source.content, { onProgress, pool }) : undefined;
      const recommender = await fitRecommenderStage(params, source.model.byUser!, source.byMovie, { pool, onProgress });
      forRecommender = undefined;
      let cacheProblem: string | undefined;
      try {
        await withCacheLock(() => saveRecommender(source.store, fingerprint, recommender, content));
      } catch (error) {
        cacheProblem = `The recommender was not saved (${(error as Error).message}), so it will be learnt again after a reload.`;
      }
      return { ok: true, value: { recommender, content, cacheProblem } };
    } catch (error) {
      return { ok: false, problem: problemFrom(error, 'the recommender') };
    } finally {
      pool?.dispose();
    }
  },

  /**
   * The model saved in this browser as a `.latentlens` file (chunks, recommender, manifest),
   * streamed out of IndexedDB a chunk at a time under the cache lock.
   */
  async exportModel(onProgress: OnProgress): Promise<Outcome<ModelExport>> {
    try {
      const clock = new StageClock('load-cache', 'bytes', onProgress);
      const store = idbStore();
      const { blob, fileBytes, source } = await withCacheLock(async () => {
        const source = await storedModelFileSource(store);
        const written = await modelFileBlob(source, { onProgress: (d, t) => clock.tick(d, t, 'Exporting the model file') });
        return { ...written, source };
      });
      const exportMs = clock.finish(1, 1, 'Exported the model file');
      return { ok: true, value: { file: blob, name: `latentlens-${source.fingerprint}${MODEL_FILE_EXTENSION}`, fileBytes, exportMs } };
    } catch (error) {
      return { ok: false, problem: problemFrom(error, 'the saved model') };
    }
  },

  /**
   * Imports a `.latentlens` file as the saved model, then restores it as after a reload (no
   * rebuild). Every checksum and the versions are checked; the saved model is replaced only when
   * the whole file has been read, so a bad file leaves the previous model in place.
   */
  async importModel(file: File, onProgress: OnProgress): Promise<Outcome<RestoreReport>> {
    try {
      const clock = new StageClock('save-cache', 'bytes', onProgress);
      await importModelFile(idbStore(), file, file.name, { withLock: withCacheLock, onProgress: (d, t) => clock.tick(d, t, `Importing ${file.name}`) });
      clock.finish(1, 1, `Imported ${file.name}`);
    } catch (error) {
      return { ok: false, problem: problemFrom(error, file.name) };
    }
    return api.restore(onProgress);
  },

  /**
   * A model trained elsewhere (Spark ALS item factors, a neighbour table) made into a model the
   * page uses as it is: "Movies like this", the taste map and recommendations. Like a build, it
   * is saved when the page calls `save`.
   */
  async importTrained(files: TrainedFiles, settings: ImportSettings, onProgress: OnProgress): Promise<Outcome<BuildReport>> {
    const named = files.factors[0]?.path || files.factors[0]?.file.name || files.neighbours?.file.name || 'the model';
    try {
      const model = await importTrainedModel(
        { factors: files.factors.map(inputOf), neighbours: files.neighbours && inputOf(files.neighbours), release: files.release.map(inputOf) },
        settings,
        { onProgress },
      );
      unsaved = { model, store: idbStore() };
      forRecommender = undefined;
      return { ok: true, value: { model: forPage(model), timings: { neighbours: model.buildMs }, threads: 1, sharedMemory: false } };
    } catch (error) {
      return { ok: false, problem: problemFrom(error, named) };
    }
  },

  /**
   * The browser benchmark: generates a synthetic MovieLens set in this worker (no download),
   * then runs the same build as a person's files get, on the threads the page sends. Nothing is cached.
   */
  async benchmark(request: BenchmarkRequest, onProgress: OnProgress, ports?: PoolPorts): Promise<Outcome<BenchmarkReport>> {
    const pool = poolOver(ports);
    const threads = pool?.size ?? 1;
    try {
      const began = performance.now();
      const data = generateToMemory({ ratings: request.ratings, seed: request.seed });
      const generateMs = performance.now() - began;
      const ratings = new File([data.ratingsCsv], 'ratings.csv');
      const movies = new File([data.moviesCsv], 'movies.csv');
      const dataset = await detectDataset([
        { name: 'ratings.csv', blob: ratings },
        { name: 'movies.csv', blob: movies },
      ]);
      const { model, timings, byMovie } = await buildModel(dataset, request.params, { onProgress, pool });
      // The stages the app runs next, in the background: content, then the recommender.
      const files = request.content ? contentToMemory({ ratings: request.ratings, seed: request.seed }) : undefined;
      const sources = files && {
        tags: { name: 'tags.csv', blob: new File([files.tagsCsv], 'tags.csv') },
        genomeScores: { name: 'genome-scores.csv', blob: new File([files.genomeScoresCsv], 'genome-scores.csv') },
        genomeTags: { name: 'genome-tags.csv', blob: new File([files.genomeTagsCsv], 'genome-tags.csv') },
      };
      const contentPhases: Partial<Record<ContentPhase, number>> = {};
      let genomeInfo: BenchmarkReport['genome'];
      let genomeAloneMs: number | undefined;
      if (request.content === 'genome-alone' && sources) {
        // First on these threads: V8 specialises the genome kernels to their first run in a thread.
        const genome = await readGenome(sources.genomeScores, sources.genomeTags, model.movies);
        const t0 = performance.now();
        await genomeOnlyNeighbours(pool, genome, model.movies.ids.length, { k: CONTENT_K, genomeWeight: GENOME_WEIGHT });
        genomeAloneMs = performance.now() - t0;
        genomeInfo = { movies: genome.rows.length, dims: genome.dims, k: CONTENT_K };
      } else {
        const contentStarted = performance.now();
        const content = await contentStage(model, sources, { onProgress, pool, onContentPhase: (phase, ms) => (contentPhases[phase] = ms) });
        timings.content = performance.now() - contentStarted;
        genomeInfo = content.genome && { movies: content.genome.rows.length, dims: content.genome.dims, k: content.neighbours.k };
      }
      const recStarted = performance.now();
      await fitRecommenderStage(request.params, model.byUser!, byMovie, { pool, onProgress });
      timings.recommender = performance.now() - recStarted;
      const s = model.summary;
      const roundTrip = request.cache ? await cacheRoundTrip(model) : {};
      return {
        ok: true,
        value: {
          ratings: s.ratings,
          ratingsBytes: ratings.size,
          users: s.users,
          movies: s.ratedMovies,
          pairUpdates: s.pairUpdates,
          threads,
          sharedMemory: pool?.sharedMemory ?? false,
          crossOriginIsolated: globalThis.crossOriginIsolated === true,
          generateMs,
          timings,
          digest: neighboursDigest(model.neighbours),
          contentPhases,
          genome: genomeInfo,
          genomeAloneMs,
          ...roundTrip,
        },
      };
    } catch (error) {
      return { ok: false, problem: problemFrom(error, 'synthetic ratings.csv') };
    } finally {
      pool?.dispose();
    }
  },
};

export type PipelineApi = typeof api;

expose(api);
