/**
 * A model trained elsewhere, made into the same Model the page and the command line use, so
 * every view works unchanged on it:
 *
 * - item factors (Spark's ALS) → the recommender: a person's ratings are folded in by one
 *   least-squares solve (recommend/fold-in.ts) with Spark's confidence 1 + α·stars and
 *   regularisation λ·n; the taste map reads the same factors;
 * - "Movies like this" → a neighbour table when one is given, else the factors' cosine
 *   (recommend/factor-neighbours.ts); with a table and no factors, recommendations sum the
 *   table's similarities (item-based top-N);
 * - titles, years and genres → the movies file of the release the model was trained on.
 *
 * Nothing here saw a rating, so users, votes and popularity are unknown: stats.count is 1 for
 * every movie the model knows (it may be recommended), means are 0 and popularity is NaN (no
 * popular list: with fewer than three ratings a person is asked for more). Model.imported says
 * so to the views.
 */
import { InputError, MODEL_FORMAT_VERSION, type Model, type MoviesTable, type Neighbours, type ModelParams, type ImportedFrom } from '../types';
import type { ItemFactors } from '../formats/item-factors';
import type { NeighbourRows } from '../formats/neighbour-table';
import { alignCatalog } from './align-catalog';
import { createIndexer } from '../matrix/id-map';
import { factorNeighbours } from '../recommend/factor-neighbours';
import { gramOf, type IalsParams } from '../recommend/ials';
import type { AppRecommender } from '../recommend/app-recommender';
import { DEFAULT_ITEM_KNN_TOPN } from '../recommend/item-knn-topn';
import type { CheckCancelled } from '../types';
import { StageClock, type ProgressSink } from './stage-clock';
import { SPARK_DEFAULTS } from './spark-defaults';

export interface ImportSettings {
  /** Neighbours per movie from the factors' cosine (default 50); a table keeps at most this many too when given. */
  k?: number;
  /** Spark's ALS `alpha` the factors were trained with (Spark's default 1.0). */
  alpha?: number;
  /** Spark's ALS `regParam` (Spark's default 0.1). */
  regularization?: number;
}

export { SPARK_DEFAULTS };
const DEFAULT_K = 50;
/** A table keeps at most this many neighbours per movie unless `k` says otherwise. */
const MAX_TABLE_K = 500;

export interface ImportedParts {
  factors?: ItemFactors;
  table?: NeighbourRows;
  /** The release's movies file, parsed; its name for messages. */
  movies?: MoviesTable;
  moviesFile?: string;
  fingerprint: string;
}

export interface ImportHooks {
  onProgress?: ProgressSink;
  check?: CheckCancelled;
}

/** How many unknown ids a message lists. */
const LISTED_IDS = 5;

function unknownIdsError(file: string, against: string, unknown: number[], advice: string): InputError {
  const first = unknown.slice(0, LISTED_IDS).join(', ');
  const many = unknown.length === 1 ? `1 movie id in ${file} is` : `${unknown.length.toLocaleString('en')} movie ids in ${file} are`;
  return new InputError({
    kind: 'format',
    file,
    expected: `movie ids listed in ${against}`,
    found: `${unknown.length} unknown ids (first: ${first})`,
    message: `${many} not in ${against} (${unknown.length > LISTED_IDS ? 'first: ' : ''}${first}). ${advice}`,
  });
}

/** Assembles the Model (see the module comment). Throws an InputError a person can act on. */
export function assembleImportedModel(parts: ImportedParts, settings: ImportSettings = {}, hooks: ImportHooks = {}): Model {
  const { factors, table } = parts;
  if (!factors && !table) throw new InputError({ kind: 'empty', file: '', message: 'Give item factors, a neighbour table, or both.' });
  const began = performance.now();
  const k = Math.max(1, Math.floor(settings.k ?? DEFAULT_K));

  // --- The movies the model knows: the factors' ids, else the table's.
  let ids: Int32Array;
  if (factors) {
    ids = factors.ids.slice().sort();
    for (let r = 1; r < ids.length; r++) {
      if (ids[r] === ids[r - 1]) {
        throw new InputError({
          kind: 'format',
          file: factors.files[0],
          expected: 'one row per movie',
          found: `movie id ${ids[r]} twice`,
          message: `${factors.files.join(', ')}: movie id ${ids[r]} has two rows of factors. Give the factors of one model.`,
        });
      }
    }
  } else {
    const all = new Int32Array(table!.count * 2);
    all.set(table!.movieIds);
    all.set(table!.neighbourIds, table!.count);
    ids = Int32Array.from(new Set(all.sort()));
  }
  const movies = { ids };
  const indexOf = createIndexer(movies);
  const n = ids.length;

  if (parts.movies) {
    const listed = new Set(parts.movies.movieIds);
    const unknown = Array.from(ids).filter((id) => !listed.has(id));
    if (unknown.length > 0) {
      const file = factors ? factors.files.join(', ') : table!.file;
      throw unknownIdsError(
        file,
        parts.moviesFile ?? 'the movies file',
        unknown,
        'The model was trained on another release: give the movies file (or zip) of the release it was trained on.',
      );
    }
  }

  // --- The recommender.
  let recommender: AppRecommender;
  let factorsPerMovie = 0;
  const alpha = settings.alpha ?? SPARK_DEFAULTS.alpha;
  const regularization = settings.regularization ?? SPARK_DEFAULTS.regularization;
  if (factors) {
    const f = factors.factors;
    factorsPerMovie = f;
    const y = new Float32Array(n * f);
    for (let r = 0; r < factors.ids.length; r++) y.set(factors.values.subarray(r * f, (r + 1) * f), indexOf(factors.ids[r]) * f);
    const params: IalsParams = {
      factors: f,
      // Spark's confidence is 1 + α·stars; fold-in's is 1 + alpha·stars/5 when rating-weighted.
      alpha: 5 * alpha,
      ratingWeighted: true,
      regularization,
      regExponent: 1,
      // Not fitted here: the settings of a fit do not apply.
      iterations: 0,
      cgSteps: 0,
      initStd: 0,
      seed: 0,
    };
    recommender = { kind: 'ials', fitMs: 0, lossByEpoch: [], factors: f, movies: n, movieFactors: y, gram: gramOf(y, n, f), params, regularizationOffset: 0 };
  } else {
    recommender = { kind: 'item-knn-topn', params: { ...DEFAULT_ITEM_KNN_TOPN, k }, fitMs: 0 };
  }

  // --- "Movies like this".
  let neighbours: Neighbours;
  const clock = new StageClock('neighbours', 'movies', hooks.onProgress);
  if (table) {
    neighbours = tableNeighbours(table, indexOf, n, settings.k ?? MAX_TABLE_K, factors ? factors.files.join(', ') : undefined);
  } else {
    const rec = recommender as Extract<AppRecommender, { kind: 'ials' }>;
    neighbours = factorNeighbours(rec, { k, check: hooks.check, onProgress: (done, total) => clock.tick(done, total, `cosine of ${factorsPerMovie} factors`) });
  }
  clock.finish(n, n);

  const catalog = alignCatalog(movies, parts.movies);
  const files = [...(factors?.files ?? []), ...(table ? [table.file] : []), ...(parts.moviesFile ? [parts.moviesFile] : [])];
  const imported: ImportedFrom = { files, factors: factorsPerMovie, neighbourTable: table !== undefined, ...(factors ? { alpha, regularization } : {}) };
  const params: ModelParams = {
    k: neighbours.k,
    kind: 'cosine',
    minRatings: 0,
    popularityPercentile: 0.9,
    recommender: recommender.kind,
    factors: factorsPerMovie,
  };
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    fingerprint: parts.fingerprint,
    params,
    builtAt: new Date().toISOString(),
    buildMs: performance.now() - began,
    summary: {
      ratings: 0,
      users: 0,
      movies: n,
      ratedMovies: n,
      sparsity: 0,
      unknownMovieRatings: 0,
      duplicateRatings: 0,
      skippedLines: 0,
      pairUpdates: 0,
      files,
    },
    users: { ids: new Int32Array(0) },
    movies,
    catalog,
    stats: { count: new Int32Array(n).fill(1), mean: new Float32Array(n), globalMean: 0 },
    popularity: { m: 0, c: 0, percentile: 0.9, score: new Float32Array(n).fill(NaN) },
    neighbours,
    recommender,
    imported,
  };
}

/**
 * The table's rows as a Neighbours table over the model's movies: each movie's neighbours best
 * first (ties to the lower index), a pair given twice kept once (its best row), self-pairs
 * dropped, at most `cap` per movie.
 */
function tableNeighbours(table: NeighbourRows, indexOf: (id: number) => number, n: number, cap: number, factorsFile: string | undefined): Neighbours {
  const from = new Int32Array(table.count);
  const to = new Int32Array(table.count);
  const unknown = new Set<number>();
  for (let r = 0; r < table.count; r++) {
    from[r] = indexOf(table.movieIds[r]);
    to[r] = indexOf(table.neighbourIds[r]);
    if (from[r] < 0) unknown.add(table.movieIds[r]);
    if (to[r] < 0) unknown.add(table.neighbourIds[r]);
  }
  if (unknown.size > 0) {
    // Only possible with factors: without them the table's own ids are the model's movies.
    throw unknownIdsError(
      table.file,
      factorsFile ?? 'the factors',
      [...unknown].sort((a, b) => a - b),
      'Give the neighbour table computed with the same model as the factors.',
    );
  }
  // Rows grouped by movie (counting sort), then each group sorted best first.
  const start = new Int32Array(n + 1);
  for (let r = 0; r < table.count; r++) start[from[r] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const order = new Int32Array(table.count);
  const fill = start.slice(0, n);
  for (let r = 0; r < table.count; r++) order[fill[from[r]]++] = r;
  let k = 1;
  for (let i = 0; i < n; i++) k = Math.max(k, start[i + 1] - start[i]);
  k = Math.min(k, Math.max(1, Math.floor(cap)));

  const count = new Int32Array(n);
  const index = new Int32Array(n * k).fill(-1);
  const similarity = new Float32Array(n * k);
  const coCount = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    const rows = Array.from(order.subarray(start[i], start[i + 1])).filter((r) => to[r] !== i);
    rows.sort((a, b) => table.similarity[b] - table.similarity[a] || to[a] - to[b]);
    const seen = new Set<number>();
    let c = 0;
    for (const r of rows) {
      if (c === k) break;
      if (seen.has(to[r])) continue;
      seen.add(to[r]);
      index[i * k + c] = to[r];
      similarity[i * k + c] = table.similarity[r];
      coCount[i * k + c] = table.coCount?.[r] ?? 0;
      c++;
    }
    count[i] = c;
  }
  return { k, kind: 'cosine', minRatings: 0, movies: n, count, index, similarity, coCount };
}
