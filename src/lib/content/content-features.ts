/**
 * What a movie is about, as a sparse movie × feature matrix in the model's movie index space:
 * three blocks side by side, each row L2-normalised within its block and then scaled by the
 * block's weight w_b. The cosine of two such rows is therefore
 *
 *   Σ_b w_b² · cos_b(i, j) / (‖v_i‖ ‖v_j‖),   ‖v_i‖² = Σ over the blocks movie i has of w_b²,
 *
 * a weighted mean of the per-block cosines: a block a movie lacks (no year, no tags) neither
 * counts for nor against it. The tag genome, when there is one, is a fourth, dense block added
 * by content-neighbours.ts (it is too dense for a sparse matrix: 1,128 values per movie).
 *
 *   genres  one-hot of MoviesTable.genreMasks                       kind 0
 *   year    soft one-hot over 5-year buckets: own 1, neighbours 0.5   kind 1
 *   tags    TF-IDF of the tags people applied (tags.csv)             kind 2
 */
import { createIndexer } from '../matrix/id-map';
import type { ChunkedCsr, IdMap, MoviesTable } from '../types';

export const FEATURE_GENRE = 0;
export const FEATURE_YEAR = 1;
export const FEATURE_TAG = 2;

/**
 * Block weights. Defaults: tags 1.5 (w² = 2.25) because a shared specific tag ("mafia", "time
 * travel") says the most about two movies; genres 1 (w² = 1) because every movie has them but
 * they are coarse (a fifth of the catalogue is "Drama"); year 0.5 (w² = 0.25) so that being of
 * the same era nudges ties apart but never makes two unrelated movies look alike on its own
 * (same bucket and nothing else shared: cosine ≤ 0.25 / (1 + 0.25 + 2.25) ≈ 0.07).
 */
export interface ContentWeights {
  genre: number;
  year: number;
  tags: number;
}

export const DEFAULT_CONTENT_WEIGHTS: ContentWeights = { genre: 1, year: 0.5, tags: 1.5 };

/** Width of a release-year bucket. */
export const YEAR_BUCKET_YEARS = 5;

export interface ContentFeatures {
  /** movies.ids.length rows (row i = dense movie i) × featureNames.length columns; one chunk. */
  matrix: ChunkedCsr;
  /** Genres in genreNames order, then year buckets ascending ("late 1970s"), then tags A–Z. */
  featureNames: string[];
  /** FEATURE_GENRE, FEATURE_YEAR or FEATURE_TAG per column. */
  featureKinds: Uint8Array;
  weights: ContentWeights;
}

/** Tag applications, one entry per row of tags.csv (see tags-csv.ts's TagsTable). */
export interface TagApplications {
  /** Entries used; defaults to movieIds.length. */
  count?: number;
  movieIds: Int32Array;
  /** Normalised tags (normalizeTag); compared as exact strings here. */
  tags: string[];
  /** When given, tf counts distinct users per (movie, tag); otherwise rows. */
  userIds?: Int32Array;
}

export interface ContentFeaturesInput {
  movies: IdMap;
  /** Aligned to the dense index: catalog row i is the movie movies.ids[i] (as Model.catalog). */
  catalog: MoviesTable;
  tags?: TagApplications;
  weights?: Partial<ContentWeights>;
  /** Tags kept per movie, the highest TF-IDF first (default 50). */
  maxTagsPerMovie?: number;
  /** Tags applied to fewer movies than this are dropped as noise (default 2). */
  minTagMovies?: number;
}

/** Builds the genre, year and tag blocks for every movie of the id map. */
export function buildContentFeatures(input: ContentFeaturesInput): ContentFeatures {
  const { movies, catalog } = input;
  const nMovies = movies.ids.length;
  if (catalog.count !== nMovies) {
    throw new Error(
      `buildContentFeatures: the catalog has ${catalog.count} movies but the id map ${nMovies}; pass the catalog aligned to the dense index (Model.catalog).`,
    );
  }
  const weights: ContentWeights = { ...DEFAULT_CONTENT_WEIGHTS, ...input.weights };
  for (const [name, w] of Object.entries(weights)) {
    if (!(w >= 0 && Number.isFinite(w))) throw new Error(`buildContentFeatures: the ${name} weight must be a finite number >= 0, got ${w}.`);
  }
  const maxTags = input.maxTagsPerMovie ?? 50;
  const minTagMovies = input.minTagMovies ?? 2;

  const featureNames: string[] = [];
  const kinds: number[] = [];

  // --- Genres: columns 0..G-1, one per genre name.
  const nGenres = weights.genre > 0 ? catalog.genreNames.length : 0;
  for (let g = 0; g < nGenres; g++) {
    featureNames.push(catalog.genreNames[g]);
    kinds.push(FEATURE_GENRE);
  }

  // --- Years: one column per bucket from one below the earliest to one above the latest, so
  // every dated movie has all three of its entries and the same block norm.
  let minBucket = Infinity;
  let maxBucket = -Infinity;
  if (weights.year > 0) {
    for (let i = 0; i < nMovies; i++) {
      const y = catalog.years[i];
      if (y <= 0) continue;
      const b = Math.floor(y / YEAR_BUCKET_YEARS);
      if (b < minBucket) minBucket = b;
      if (b > maxBucket) maxBucket = b;
    }
  }
  const yearBase = featureNames.length;
  const firstBucket = minBucket - 1;
  if (minBucket <= maxBucket) {
    for (let b = firstBucket; b <= maxBucket + 1; b++) {
      featureNames.push(yearBucketName(b * YEAR_BUCKET_YEARS));
      kinds.push(FEATURE_YEAR);
    }
  }

  // --- Tags: TF-IDF per movie, capped.
  const tagBase = featureNames.length;
  const tagRows = weights.tags > 0 && input.tags ? tagTfIdf(input.tags, movies, maxTags, minTagMovies) : undefined;
  if (tagRows) {
    for (const name of tagRows.names) {
      featureNames.push(name);
      kinds.push(FEATURE_TAG);
    }
  }

  // --- Rows, columns ascending within each: genres, then years, then tags.
  const indptr = new Int32Array(nMovies + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  const genreScaleOf = (count: number) => weights.genre / Math.sqrt(count);
  // Own bucket 1, neighbours 0.5: block norm √1.5.
  const yearUnit = weights.year / Math.sqrt(1.5);
  for (let i = 0; i < nMovies; i++) {
    if (nGenres > 0) {
      const mask = catalog.genreMasks[i];
      const count = popcount(mask);
      if (count > 0) {
        const v = genreScaleOf(count);
        for (let g = 0; g < nGenres; g++) {
          if ((mask >>> g) & 1) {
            cols.push(g);
            vals.push(v);
          }
        }
      }
    }
    const y = catalog.years[i];
    if (y > 0 && minBucket <= maxBucket) {
      const col = yearBase + Math.floor(y / YEAR_BUCKET_YEARS) - firstBucket;
      cols.push(col - 1, col, col + 1);
      vals.push(0.5 * yearUnit, yearUnit, 0.5 * yearUnit);
    }
    if (tagRows) {
      const start = tagRows.indptr[i];
      const end = tagRows.indptr[i + 1];
      let ss = 0;
      for (let p = start; p < end; p++) ss += tagRows.values[p] * tagRows.values[p];
      const scale = ss > 0 ? weights.tags / Math.sqrt(ss) : 0;
      for (let p = start; p < end; p++) {
        cols.push(tagBase + tagRows.columns[p]);
        vals.push(tagRows.values[p] * scale);
      }
    }
    indptr[i + 1] = cols.length;
  }
  const nnz = cols.length;
  const matrix: ChunkedCsr = {
    rows: nMovies,
    cols: featureNames.length,
    nnz,
    chunks: [{ firstRow: 0, rowCount: nMovies, indptr, indices: Int32Array.from(cols), values: Float32Array.from(vals) }],
  };
  return { matrix, featureNames, featureKinds: Uint8Array.from(kinds), weights };
}

/** "late 1970s" for 1975–1979, "early 1970s" for 1970–1974. */
export function yearBucketName(firstYear: number): string {
  const decade = Math.floor(firstYear / 10) * 10;
  return `${firstYear - decade >= 5 ? 'late' : 'early'} ${decade}s`;
}

/**
 * Tags that describe a person's own list or copy, not the movie: "in netflix queue" is
 * ml-latest-small's most applied tag (131 times, 3× the next), and as content it made films
 * "alike" because somebody queued both, and showed up as "shares: in netflix queue". Only tags
 * with no meaning about the film itself are here; "classic" or "overrated" are opinions, kept.
 * Dropping them moved the sample's cold-items HR@10 from 0.324 to 0.318 (4 of 589 cases, well
 * inside its standard error of ~0.019): a queue is a weak signal of behaviour, not of content,
 * and a reason that reads "shares: in netflix queue" explains nothing.
 */
export const BOOKKEEPING_TAGS: ReadonlySet<string> = new Set([
  'in netflix queue',
  'netflix queue',
  'to see',
  'want to see',
  'to watch',
  'watchlist',
  'seen',
  'watched',
  'seen more than once',
  'seen at the cinema',
  'owned',
  'own it',
  'my dvds',
  'dvd',
  'dvd-r',
  'dvd-video',
  'bd-r',
  'bd-video',
  'betamax',
  'clv',
  'vhs',
  'tivo',
  'library',
]);

/** Per-movie TF-IDF tag weights, before block normalisation; columns index `names` (A–Z). */
export interface TagTfIdf {
  names: string[];
  /** nMovies + 1 entries; movie i spans indptr[i]..indptr[i+1], columns ascending. */
  indptr: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/**
 * TF-IDF of the tags of every movie of the id map (rows for other movies and BOOKKEEPING_TAGS are ignored):
 * tf = the distinct users who applied the tag to the movie (rows, without userIds),
 * idf = ln(N / df) with N the movies that have any tag and df those that have this one.
 * Tags on fewer than minTagMovies movies are dropped; each movie keeps its maxTags highest
 * weights (ties to the tag first in A–Z order). A tag every tagged movie has weighs 0 and is
 * dropped with the rest of the zeros. Exported for tests and for explaining a weight.
 */
export function tagTfIdf(input: TagApplications, movies: IdMap, maxTags: number, minTagMovies: number): TagTfIdf {
  const nMovies = movies.ids.length;
  const n = input.count ?? input.movieIds.length;
  const denseOf = createIndexer(movies);

  // Tag strings -> provisional ids (first appearance), and the rows that concern the model.
  const tagIdOf = new Map<string, number>();
  const tagNames: string[] = [];
  const rowMovie = new Int32Array(n);
  const rowTag = new Int32Array(n);
  const rowUser = new Int32Array(n);
  let kept = 0;
  for (let e = 0; e < n; e++) {
    const m = denseOf(input.movieIds[e]);
    if (m < 0) continue;
    const tag = input.tags[e];
    if (BOOKKEEPING_TAGS.has(tag)) continue;
    let t = tagIdOf.get(tag);
    if (t === undefined) {
      t = tagNames.length;
      tagIdOf.set(tag, t);
      tagNames.push(tag);
    }
    rowMovie[kept] = m;
    rowTag[kept] = t;
    rowUser[kept] = input.userIds ? input.userIds[e] : e;
    kept++;
  }

  // Group rows by (movie, tag, user): sort row numbers, then count distinct users per group.
  const order = new Int32Array(kept);
  for (let r = 0; r < kept; r++) order[r] = r;
  order.sort((x, y) => rowMovie[x] - rowMovie[y] || rowTag[x] - rowTag[y] || rowUser[x] - rowUser[y]);
  const gMovie: number[] = [];
  const gTag: number[] = [];
  const gTf: number[] = [];
  for (let q = 0; q < kept; q++) {
    const r = order[q];
    const g = gMovie.length - 1;
    if (g >= 0 && gMovie[g] === rowMovie[r] && gTag[g] === rowTag[r]) {
      if (rowUser[order[q - 1]] !== rowUser[r]) gTf[g]++;
    } else {
      gMovie.push(rowMovie[r]);
      gTag.push(rowTag[r]);
      gTf.push(1);
    }
  }

  // df per tag, N = movies with any tag.
  const df = new Int32Array(tagNames.length);
  let tagged = 0;
  for (let g = 0; g < gMovie.length; g++) {
    df[gTag[g]]++;
    if (g === 0 || gMovie[g] !== gMovie[g - 1]) tagged++;
  }

  // Columns: the surviving tags in A–Z order (code-unit order, locale-free and stable).
  const alive = tagNames.map((_, t) => t).filter((t) => df[t] >= minTagMovies && df[t] < tagged);
  alive.sort((x, y) => (tagNames[x] < tagNames[y] ? -1 : tagNames[x] > tagNames[y] ? 1 : 0));
  const columnOf = new Int32Array(tagNames.length).fill(-1);
  alive.forEach((t, c) => (columnOf[t] = c));

  // Per movie: weights of surviving tags, top maxTags, columns ascending.
  const perMovie: { col: number; w: number }[][] = Array.from({ length: nMovies }, () => []);
  for (let g = 0; g < gMovie.length; g++) {
    const col = columnOf[gTag[g]];
    if (col < 0) continue;
    perMovie[gMovie[g]].push({ col, w: gTf[g] * Math.log(tagged / df[gTag[g]]) });
  }
  const usedColumn = new Uint8Array(alive.length);
  const picked: { col: number; w: number }[][] = perMovie.map((list) => {
    const top = list.sort((p, q) => q.w - p.w || p.col - q.col).slice(0, Math.max(0, maxTags));
    for (const e of top) usedColumn[e.col] = 1;
    return top.sort((p, q) => p.col - q.col);
  });

  // Drop columns no movie kept, so the feature space has no empty columns.
  const renumber = new Int32Array(alive.length).fill(-1);
  const names: string[] = [];
  for (let c = 0; c < alive.length; c++) {
    if (usedColumn[c]) {
      renumber[c] = names.length;
      names.push(tagNames[alive[c]]);
    }
  }
  const indptr = new Int32Array(nMovies + 1);
  for (let i = 0; i < nMovies; i++) indptr[i + 1] = indptr[i] + picked[i].length;
  const columns = new Int32Array(indptr[nMovies]);
  const values = new Float64Array(indptr[nMovies]);
  for (let i = 0; i < nMovies; i++) {
    picked[i].forEach((e, t) => {
      columns[indptr[i] + t] = renumber[e.col];
      values[indptr[i] + t] = e.w;
    });
  }
  return { names, indptr, columns, values };
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) c++;
  return c;
}
