/**
 * The explore worker: a thin Comlink adapter that reads the full model (with the ratings
 * matrix) from the IndexedDB cache and answers the Explore and Learn views from the core in
 * src/lib/explore. The page never holds the matrix; cancelling is terminating this worker.
 */
import { expose } from 'comlink';
import type { Model, Progress, SimilarityKind } from '../src/lib/types';
import { cachedModel } from './cached-model';
import { problemFrom, type Outcome } from '../src/lib/pipeline/outcome';
import { movieColumnsOf, type MovieColumns } from '../src/lib/explore/movie-columns';
import { exploreOverview } from '../src/lib/explore/overview';
import {
  columnValues,
  idMapSample,
  memoryFootprint,
  movieColumn,
  neighboursOfOne,
  ratingsFileLines,
  ratingsFormatOf,
  userRowValues,
  workedCosine,
  type IdMapSample,
  type MemoryFootprint,
  type RatingsFileFormat,
} from '../src/lib/explore/walkthrough';
import { tasteMap } from '../src/lib/explore/taste-map';
import { loadRecommender } from '../src/lib/cache/recommender-cache';
import { idbStore } from '../src/platform/idb-store';
import type { MovieFactors } from '../src/lib/recommend/fold-in';
import { userMeans } from '../src/lib/model/similarity';

type OnProgress = (p: Progress) => void;

/** Per model: the movie-major columns and the similarity's values, built once and reused. */
interface Derived {
  fingerprint: string;
  cols: MovieColumns;
  values: Map<SimilarityKind, { cols: Float32Array; rows: Float32Array[] }>;
  userMean?: Float64Array;
}
let derived: Derived | undefined;

async function load(fingerprint: string, onProgress?: OnProgress): Promise<{ model: Model; d: Derived }> {
  const began = performance.now();
  const model = await cachedModel(fingerprint, (done, total) =>
    onProgress?.({ stage: 'load-cache', done, total, unit: 'chunks', elapsedMs: performance.now() - began, detail: 'Reading the saved ratings' }),
  );
  if (derived?.fingerprint !== fingerprint) {
    derived = { fingerprint, cols: movieColumnsOf(model.byUser!), values: new Map() };
  }
  return { model, d: derived };
}

function valuesFor(model: Model, d: Derived, kind: SimilarityKind): { cols: Float32Array; rows: Float32Array[] } {
  let v = d.values.get(kind);
  if (!v) {
    if (kind === 'adjusted-cosine') d.userMean ??= userMeans(model.byUser!);
    v = { cols: columnValues(d.cols, kind, d.userMean), rows: userRowValues(model.byUser!, kind, d.userMean) };
    d.values.set(kind, v);
  }
  return v;
}

async function attempt<T>(what: string, run: () => Promise<T> | T): Promise<Outcome<T & { elapsedMs: number }>> {
  const began = performance.now();
  try {
    const value = await run();
    return { ok: true, value: { ...value, elapsedMs: performance.now() - began } };
  } catch (error) {
    return { ok: false, problem: problemFrom(error, what) };
  }
}

export interface FirstSteps {
  format: RatingsFileFormat;
  lines: string[];
  users: IdMapSample;
  movies: IdMapSample;
  memory: MemoryFootprint;
}

const api = {
  /** The numbers behind every Explore chart. */
  overview(fingerprint: string, onProgress: OnProgress) {
    return attempt('the saved model', async () => {
      const { model } = await load(fingerprint, onProgress);
      return { overview: exploreOverview(model.byUser!, model.stats, model.catalog) };
    });
  },

  /** Steps 1, 2 and 4: file lines, id maps and memory. */
  firstSteps(fingerprint: string, lineCount: number, onProgress: OnProgress) {
    return attempt('the saved model', async () => {
      const { model, d } = await load(fingerprint, onProgress);
      const format = ratingsFormatOf(model.summary.files);
      return {
        format,
        lines: ratingsFileLines(model.byUser!, model.users, model.movies, lineCount, format),
        users: idMapSample(model.users, 8),
        movies: idMapSample(model.movies, 8),
        memory: memoryFootprint(d.cols),
      };
    });
  },

  /** Step 3: one movie's CSR row. */
  column(fingerprint: string, movie: number, limit: number) {
    return attempt('the saved model', async () => {
      const { d } = await load(fingerprint);
      return { column: movieColumn(d.cols, movie, limit) };
    });
  },

  /** Step 5: sim(i, j) worked out with the model's similarity kind. */
  cosine(fingerprint: string, i: number, j: number, limit: number) {
    return attempt('the saved model', async () => {
      const { model, d } = await load(fingerprint);
      const kind = model.params.kind;
      return { worked: workedCosine(d.cols, valuesFor(model, d, kind).cols, i, j, kind, limit) };
    });
  },

  /** Step 6: one movie's neighbours recomputed for another k and minRatings. */
  neighbours(fingerprint: string, movie: number, k: number, minRatings: number) {
    return attempt('the saved model', async () => {
      const { model, d } = await load(fingerprint);
      const v = valuesFor(model, d, model.params.kind);
      return { list: neighboursOfOne(d.cols, model.byUser!, v.cols, v.rows, movie, { k, minRatings }) };
    });
  },

  /** The taste map of the n most rated movies. */
  tasteMap(fingerprint: string, n: number, seed: number, source: 'neighbours' | 'factors', onProgress: OnProgress) {
    return attempt('the saved model', async () => {
      const { model } = await load(fingerprint, onProgress);
      const began = performance.now();
      let factors: MovieFactors | undefined;
      if (source === 'factors') {
        const rec = (await loadRecommender(idbStore(), fingerprint))?.recommender;
        if (rec?.kind !== 'ials')
          throw new Error('This model has no latent factors yet: they are learnt after the build (or choose “Latent factors” in Build settings and rebuild).');
        factors = rec;
      }
      const map = tasteMap(model.neighbours, model.stats.count, model.catalog, {
        n,
        seed,
        factors,
        onProgress: (done, total) =>
          onProgress({
            stage: 'neighbours',
            done,
            total,
            unit: 'rows',
            elapsedMs: performance.now() - began,
            detail: `Laying out the map: epoch ${done} of ${total}`,
          }),
      });
      return { map };
    });
  },
};

export type ExploreApi = typeof api;

expose(api);
