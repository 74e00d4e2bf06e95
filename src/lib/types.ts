/**
 * The data that flows through the LatentLens pipeline, named once so that every stage, worker,
 * test and benchmark speaks the same language:
 *
 *   File/Blob chunks ─► RatingsBatch[] + MoviesTable ─► IdMaps ─► ChunkedCsr (by movie, by user)
 *     ─► MovieStats, Popularity, Neighbours ─► recommendations ─► UI
 *                               └─► model cache (IndexedDB: chunks, manifest written last)
 *
 * Everything here is plain data (typed arrays, numbers, strings, arrays of those) so it survives
 * structured cloning and can cross worker boundaries and IndexedDB untouched.
 */

import type { AppRecommender, RecommenderKind } from './recommend/app-recommender';
import type { ContentModel } from './content/content-model';

/** Rows parsed from a ratings file, in file order. Arrays may be longer than `count`. */
export interface RatingsBatch {
  count: number;
  /** Raw MovieLens userId of each rating. */
  userIds: Int32Array;
  /** Raw MovieLens movieId of each rating. */
  movieIds: Int32Array;
  /** Stars, 0.5..5 for the CSV releases (ML-100k/1M use whole stars 1..5). */
  ratings: Float32Array;
  /** Seconds since the Unix epoch; Int32 holds every MovieLens timestamp (all before 2038). */
  timestamps: Int32Array;
}

/** The movies file, one entry per listed movie, in file order. */
export interface MoviesTable {
  count: number;
  movieIds: Int32Array;
  /** Title as in the file, including the "(1995)" year suffix when present. */
  titles: string[];
  /** Release year parsed from the title, 0 when absent. */
  years: Int16Array;
  /** Bit g set when the movie has genre genreNames[g]. */
  genreMasks: Uint32Array;
  /** Distinct genre names in order of first appearance (at most 32; "(no genres listed)" is not a genre). */
  genreNames: string[];
}

/** A problem in an input file that a person can act on. Plain data: it crosses workers. */
export interface InputProblem {
  kind: 'parse' | 'format' | 'empty' | 'io' | 'cancelled' | 'worker' | 'internal';
  /** The file's name as the user gave it. */
  file: string;
  /** 1-based line number, when the problem is on a line. */
  line?: number;
  /** The column's name as the file's header spells it, when the problem is in one column. */
  column?: string;
  /** What was expected, in plain words ("a rating between 0.5 and 5"). */
  expected?: string;
  /** What was found, truncated to a readable length. */
  found?: string;
  message: string;
}

/**
 * Dense index <-> raw id. `ids` is sorted ascending, so dense order equals raw-id order and
 * "ties broken by movie id" is the same as "ties broken by index".
 */
export interface IdMap {
  /** ids[i] is the raw id of dense index i; strictly ascending. */
  ids: Int32Array;
}

/**
 * A contiguous block of rows of a CSR matrix. Rows never straddle chunks.
 * indptr has rowCount+1 entries; row (firstRow + r) spans indptr[r]..indptr[r+1] of
 * indices/values (offsets local to this chunk). Column indices within a row are ascending.
 */
export interface CsrChunk {
  firstRow: number;
  rowCount: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  /** Seconds since epoch per entry; kept for the user-major orientation (temporal splits). */
  timestamps?: Int32Array;
}

/**
 * A sparse matrix stored as chunks so that no single ArrayBuffer exceeds a bounded size
 * (the browser caps one ArrayBuffer near 2 GiB, and each chunk is one IndexedDB value).
 */
export interface ChunkedCsr {
  rows: number;
  cols: number;
  nnz: number;
  chunks: CsrChunk[];
}

/** Per-movie rating counts and means, indexed by dense movie index. */
export interface MovieStats {
  count: Int32Array;
  /** Mean rating; 0 for movies nobody rated. */
  mean: Float32Array;
  /** Mean of all ratings. */
  globalMean: number;
}

/** Weighted popularity (IMDb formula) for every movie. */
export interface Popularity {
  /** Minimum votes: the chosen percentile of the vote counts of rated movies. */
  m: number;
  /** The mean of the per-movie mean ratings (over rated movies). */
  c: number;
  percentile: number;
  /** WR = v/(v+m)*R + m/(v+m)*C per dense movie index; NaN for unrated movies. */
  score: Float32Array;
}

export type SimilarityKind = 'cosine' | 'adjusted-cosine';

/**
 * The top-K neighbours of every movie, fixed stride k. For movie i, slots i*k .. i*k+count[i]-1
 * are filled, best first (higher similarity first; ties by lower movie index); unused slots
 * hold index -1.
 */
export interface Neighbours {
  k: number;
  kind: SimilarityKind;
  minRatings: number;
  movies: number;
  count: Int32Array;
  index: Int32Array;
  similarity: Float32Array;
  /** Number of users who rated both movies. */
  coCount: Int32Array;
}

/** Progress of one pipeline stage, as reported to the UI and the benchmark. */
export interface Progress {
  stage: StageName;
  /** Units done so far (bytes, rows, movies, pair updates: see `unit`). */
  done: number;
  total: number;
  unit: 'bytes' | 'rows' | 'movies' | 'pairs' | 'chunks' | 'epochs';
  elapsedMs: number;
  /** Optional plain-words detail for the status line. */
  detail?: string;
}

export type StageName =
  'unzip' | 'read-movies' | 'parse-ratings' | 'index-ids' | 'build-csr' | 'popularity' | 'neighbours' | 'content' | 'recommender' | 'save-cache' | 'load-cache';

/** A callback the long loops call between units of work; it throws CancelledError to stop. */
export type CheckCancelled = () => void;

/** Thrown by long loops when the caller cancelled. Crosses workers as InputProblem kind 'cancelled'. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * A model setting a person can fix (a factor count of 0, a catalogue above EASE's limit): the
 * message says what is wrong and what to do; the CLI prints it without a stack trace.
 */
export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

/** Thrown by parsers and validators; carries a plain InputProblem. */
export class InputError extends Error {
  readonly problem: InputProblem;
  constructor(problem: InputProblem) {
    super(problem.message);
    this.name = 'InputError';
    this.problem = problem;
  }
}

/** What the person chose for a build; part of the cache key. */
export interface ModelParams {
  k: number;
  kind: SimilarityKind;
  minRatings: number;
  /** Weighted-popularity percentile for m, 0..1 (0.9 as in the original). */
  popularityPercentile: number;
  /**
   * Optional cut to the most active users and most rated movies (the Python original's
   * 40k × 20k), for comparison only; 0 or absent means everything.
   */
  subset?: { users: number; movies: number };
  /** What ranks "Recommended for you"; built in the background after the neighbours. */
  recommender: RecommenderKind;
  /** Latent factors of the iALS recommender. */
  factors: number;
}

export const DEFAULT_PARAMS: ModelParams = {
  k: 50,
  kind: 'cosine',
  minRatings: 1,
  popularityPercentile: 0.9,
  recommender: 'ials',
  factors: 64,
};

/** Numbers about the loaded data a person sees in the summary. */
export interface DatasetSummary {
  ratings: number;
  users: number;
  /** Movies in the id space: listed in the movies file or rated. */
  movies: number;
  ratedMovies: number;
  /** 1 - ratings / (users * ratedMovies). */
  sparsity: number;
  /** Ratings whose movie is missing from the movies file (kept, with a placeholder title). */
  unknownMovieRatings: number;
  /** Repeated (user, movie) pairs dropped, keeping the latest by timestamp. */
  duplicateRatings: number;
  /** Bad lines skipped when the person chose "skip bad lines". */
  skippedLines: number;
  /** Ratings left out by the optional top-users × top-movies cut. */
  subsetDropped?: number;
  /** Σ over users of c·(c−1)/2: the pair updates the similarity stage performs. */
  pairUpdates: number;
  files: string[];
}

/**
 * A built model. Dense movie index i is the same everywhere: movies.ids[i] is its raw id,
 * catalog.titles[i] its title, stats.count[i] its votes, neighbours row i its neighbours.
 */
export interface Model {
  formatVersion: number;
  /** Identifies the input files and parameters; equal fingerprints mean the same build. */
  fingerprint: string;
  params: ModelParams;
  /** ISO date-time the build finished. */
  builtAt: string;
  buildMs: number;
  summary: DatasetSummary;
  users: IdMap;
  movies: IdMap;
  /** Aligned to dense movie index: catalog.count === movies.ids.length. */
  catalog: MoviesTable;
  stats: MovieStats;
  popularity: Popularity;
  neighbours: Neighbours;
  /** The recommender behind "Recommended for you"; absent until its background build finishes. */
  recommender?: AppRecommender;
  /**
   * Content neighbours from genres, year and users' tags (the hybrid's content side), with the
   * feature names that explain them; absent without a movies file.
   */
  content?: ContentModel;
  /**
   * The user-by-movie ratings with timestamps: the whole data set, kept for explanation,
   * exploration and evaluation (temporal splits need the timestamps). The movie-major
   * orientation is one transpose away (transposeCsr), so it is not stored twice.
   */
  byUser?: ChunkedCsr;
  /**
   * Set when the model was trained elsewhere and imported (item factors, a neighbour table)
   * rather than built from ratings here: users, votes and popularity are then unknown.
   */
  imported?: ImportedFrom;
}

/** Where an imported model came from (see Model.imported). */
export interface ImportedFrom {
  /** The files read: item factors, neighbour table, movies file. */
  files: string[];
  /** Latent factors per movie; 0 when only a neighbour table was given. */
  factors: number;
  /** "Movies like this" came from a neighbour table (true) or the factors' cosine (false). */
  neighbourTable: boolean;
  /** The ALS settings the fold-in of a person's ratings uses (Spark's regParam and alpha). */
  regularization?: number;
  alpha?: number;
}

/** Bumped whenever the cached layout changes; an older cache is rebuilt, never used. */
export const MODEL_FORMAT_VERSION = 2;
