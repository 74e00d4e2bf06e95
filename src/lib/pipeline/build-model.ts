import {
  DEFAULT_PARAMS,
  InputError,
  MODEL_FORMAT_VERSION,
  type CheckCancelled,
  type ChunkedCsr,
  type DatasetSummary,
  type Model,
  type ModelParams,
  type MoviesTable,
  type RatingsBatch,
} from '../types';
import { parseDatasetMovies, parseDatasetRatings } from '../formats/dataset';
import { canStreamBlobs } from '../formats/read-chunks';
import { buildIdMap, createIndexer, idsOf } from '../matrix/id-map';
import { buildCsr } from '../matrix/csr';
import { computeMovieStats } from '../model/movie-stats';
import { weightedPopularity } from '../model/popularity';
import { computeNeighbours, estimatePairUpdates } from '../model/similarity';
import { alignCatalog } from './align-catalog';
import { keepTopUsersAndMovies } from './subset';
import { fingerprintOf } from './fingerprint';
import type { DatasetFiles } from './input-files';
import { StageClock, type ProgressSink } from './stage-clock';
import type { ComputePool } from '../parallel/compute-pool';
import { neighboursParallel, parseRatingsParallel } from '../parallel/parallel-stages';

export interface BuildHooks {
  onProgress?: ProgressSink;
  check?: CheckCancelled;
  skipBadLines?: boolean;
  /**
   * Threads for the two heavy stages (parsing ratings.csv, neighbours). Without one, or with
   * one of size 1, everything runs on the calling thread. Results are identical either way.
   */
  pool?: ComputePool;
}

/** Wall time of each stage, for the summary and the benchmark. */
export type StageTimings = Partial<Record<string, number>>;

export interface BuildResult {
  model: Model;
  timings: StageTimings;
  /** The movie-major matrix (the model keeps only byUser), for the recommender's fit. */
  byMovie: ChunkedCsr;
}

const noCheck: CheckCancelled = () => {};

/**
 * The whole pipeline on one thread: parse, index ids, build both CSR orientations, compute
 * statistics and popularity, then the top-K neighbours of every movie. Workers call this; so do
 * the tests and the benchmark, which is why it takes Blobs and callbacks and nothing from the DOM.
 */
export async function buildModel(files: DatasetFiles, params: ModelParams = DEFAULT_PARAMS, hooks: BuildHooks = {}): Promise<BuildResult> {
  const check = hooks.check ?? noCheck;
  const sink = hooks.onProgress;
  const timings: StageTimings = {};
  const started = performance.now();

  let movies: MoviesTable | undefined;
  let skippedLines = 0;
  if (files.movies) {
    const clock = new StageClock('read-movies', 'bytes', sink);
    const size = files.movies.blob.size;
    const parsed = (await parseDatasetMovies(files, {
      check,
      skipBadLines: hooks.skipBadLines,
      onProgress: (done, total) => clock.tick(done, total),
    }))!;
    movies = parsed.movies;
    skippedLines += parsed.skipped;
    timings['read-movies'] = clock.finish(size, size, `${movies.count.toLocaleString('en')} movies`);
  }

  const pool = hooks.pool && hooks.pool.size > 1 ? hooks.pool : undefined;
  const parseClock = new StageClock('parse-ratings', 'bytes', sink);
  const parseOptions = {
    check,
    skipBadLines: hooks.skipBadLines,
    onProgress: (done: number, total: number, rows: number) => parseClock.tick(done, total, rows ? `${rows.toLocaleString('en')} ratings` : undefined),
  };
  // Only ratings.csv splits by byte ranges today; the older releases are small enough for one thread.
  const parsedRatings =
    pool && files.format === 'csv' ? await parseRatingsParallel(pool, files.ratings, parseOptions) : await parseDatasetRatings(files, parseOptions);
  let batches: RatingsBatch[] = parsedRatings.batches;
  skippedLines += parsedRatings.skipped;
  // Said where it happened: an engine without Blob.stream() reads files in slices (read-chunks.ts).
  const howRead = canStreamBlobs(files.ratings.blob) ? '' : ', read in slices (no Blob.stream() here)';
  timings['parse-ratings'] = parseClock.finish(parsedRatings.bytes, parsedRatings.bytes, `${parsedRatings.rows.toLocaleString('en')} ratings${howRead}`);
  if (parsedRatings.rows === 0) {
    throw new InputError({
      kind: 'empty',
      file: files.ratings.name,
      expected: 'at least one rating line',
      found: 'no ratings',
      message: `${files.ratings.name} has no ratings in it. Choose the ratings file of a MovieLens release.`,
    });
  }

  let subsetDropped = 0;
  if (params.subset && (params.subset.users > 0 || params.subset.movies > 0)) {
    const cut = keepTopUsersAndMovies(batches, params.subset);
    batches = cut.batches;
    subsetDropped = cut.dropped;
  }

  const idClock = new StageClock('index-ids', 'rows', sink);
  const users = buildIdMap(idsOf(batches, 'userIds'));
  const movieIdColumns = idsOf(batches, 'movieIds');
  if (movies) movieIdColumns.push(movies.movieIds.subarray(0, movies.count));
  const movieIds = buildIdMap(movieIdColumns);
  timings['index-ids'] = idClock.finish(
    parsedRatings.rows,
    parsedRatings.rows,
    `${users.ids.length.toLocaleString('en')} users, ${movieIds.ids.length.toLocaleString('en')} movies`,
  );
  check();

  const csrClock = new StageClock('build-csr', 'rows', sink);
  // With a pool that shares memory, the matrices are born on SharedArrayBuffers, so the
  // neighbours stage hands them to the threads without a copy (that copy was the build's peak).
  const { byUser, byMovie, duplicates } = buildCsr(batches, users, movieIds, {
    shared: pool?.sharedMemory ?? false,
    check,
    onProgress: (done, total) => csrClock.tick(done, total),
  });
  // The parsed batches are now copied into the CSR; drop them so peak memory falls before the
  // similarity stage allocates its accumulators.
  batches.length = 0;
  timings['build-csr'] = csrClock.finish(byMovie.nnz, byMovie.nnz, `${byMovie.chunks.length + byUser.chunks.length} chunks`);

  const popClock = new StageClock('popularity', 'movies', sink);
  const stats = computeMovieStats(byMovie);
  const popularity = weightedPopularity(stats, params.popularityPercentile);
  const catalog = alignCatalog(movieIds, movies);
  timings['popularity'] = popClock.finish(movieIds.ids.length, movieIds.ids.length);
  check();

  const pairUpdates = estimatePairUpdates(byUser);
  // Progress and ETA of this stage are in pair updates, the real unit of its work.
  const simClock = new StageClock('neighbours', 'pairs', sink);
  // Say what is coming before the heavy step: the work (from which the ETA follows) and the
  // memory it adds: per thread, k-slot heaps (index, similarity, co-count) for every movie.
  const heapBytes = movieIds.ids.length * params.k * 12 * (pool ? pool.size + 1 : 1);
  simClock.tick(0, pairUpdates, `${formatCount(pairUpdates)} pair updates to do; about ${Math.ceil(heapBytes / (1 << 20))} MB more memory`);
  const neighbourOptions = {
    check,
    onProgress: (done: number, total: number, pairs: number) =>
      simClock.tick(pairs, pairUpdates, `${done.toLocaleString('en')} of ${total.toLocaleString('en')} movies`),
  };
  const similarityParams = { k: params.k, kind: params.kind, minRatings: params.minRatings };
  const neighbours = pool
    ? await neighboursParallel(pool, byMovie, byUser, similarityParams, neighbourOptions)
    : computeNeighbours(byMovie, byUser, { ...similarityParams, ...neighbourOptions });
  timings['neighbours'] = simClock.finish(pairUpdates, pairUpdates, `${movieIds.ids.length.toLocaleString('en')} movies`);

  let ratedMovies = 0;
  for (let i = 0; i < stats.count.length; i++) if (stats.count[i] > 0) ratedMovies++;
  const indexOfMovie = createIndexer(movieIds);
  let unknownMovieRatings = 0;
  if (movies) {
    const listed = new Uint8Array(movieIds.ids.length);
    for (let r = 0; r < movies.count; r++) listed[indexOfMovie(movies.movieIds[r])] = 1;
    for (let i = 0; i < listed.length; i++) if (!listed[i]) unknownMovieRatings += stats.count[i];
  }
  const summary: DatasetSummary = {
    ratings: byMovie.nnz,
    users: users.ids.length,
    movies: movieIds.ids.length,
    ratedMovies,
    sparsity: 1 - byMovie.nnz / (users.ids.length * Math.max(1, ratedMovies)),
    unknownMovieRatings,
    duplicateRatings: duplicates,
    skippedLines,
    subsetDropped,
    pairUpdates,
    files: [files.ratings.name, ...(files.movies ? [files.movies.name] : [])],
  };

  const model: Model = {
    formatVersion: MODEL_FORMAT_VERSION,
    fingerprint: await fingerprintOf(files, params),
    params,
    builtAt: new Date().toISOString(),
    buildMs: performance.now() - started,
    summary,
    users,
    movies: movieIds,
    catalog,
    stats,
    popularity,
    neighbours,
    byUser,
  };
  return { model, timings, byMovie };
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}
