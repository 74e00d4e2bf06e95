/**
 * A 2-D "taste map" of the most rated movies: UMAP (McInnes, Healy & Melville 2018, via umap-js)
 * over the model's own neighbour lists, so two movies land close when the same people rated them
 * alike, or over the recommender's latent factors (the same layout method, the other view of
 * similarity). The kNN graph is precomputed from Neighbours (distance = 1 − similarity), so UMAP never
 * needs the rating vectors, and a seeded generator makes the layout reproducible.
 */
import { UMAP } from 'umap-js';
import type { MoviesTable, Neighbours } from '../types';
import { Sfc32 } from '../synthetic/prng';
import type { MovieFactors } from '../recommend/fold-in';

/** The n most rated movies, most rated first; ties to the lower index. Unrated movies never. */
export function mostRated(count: Int32Array, n: number): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < count.length; i++) if (count[i] > 0) idx.push(i);
  idx.sort((a, b) => count[b] - count[a] || a - b);
  return Int32Array.from(idx.slice(0, Math.max(0, n)));
}

export interface KnnGraph {
  /** Row p: point p itself first (distance 0), then its neighbours among the points, best first. */
  indices: number[][];
  distances: number[][];
  /** Points with no neighbour among the chosen movies: they float free on the map. */
  isolated: number;
}

/**
 * The kNN graph UMAP wants (points 0..movies.length-1), read from the model's top-K lists
 * restricted to the chosen movies. Rows are padded to `size` with the point itself at distance 0,
 * which umap-js treats as "no edge" (it gives self-entries zero weight and skips zero distances).
 */
export function knnGraph(neighbours: Neighbours, movies: Int32Array, size: number): KnnGraph {
  const point = new Map<number, number>();
  movies.forEach((m, p) => point.set(m, p));
  const indices: number[][] = [];
  const distances: number[][] = [];
  let isolated = 0;
  for (let p = 0; p < movies.length; p++) {
    const row = [p];
    const dist = [0];
    const h = movies[p] * neighbours.k;
    for (let t = 0; t < neighbours.count[movies[p]] && row.length < size; t++) {
      const q = point.get(neighbours.index[h + t]);
      if (q === undefined) continue;
      row.push(q);
      dist.push(Math.max(0, 1 - neighbours.similarity[h + t]));
    }
    if (row.length === 1) isolated++;
    while (row.length < size) {
      row.push(p);
      dist.push(0);
    }
    indices.push(row);
    distances.push(dist);
  }
  return { indices, distances, isolated };
}

/**
 * The same graph from latent factors: each chosen movie's `size − 1` nearest chosen movies by
 * the cosine of their iALS factor vectors (exact, O(points²·f): a few million steps for 500).
 */
export function factorGraph(mf: MovieFactors, movies: Int32Array, size: number): KnnGraph {
  const f = mf.factors;
  const n = movies.length;
  const unit = new Float64Array(n * f);
  movies.forEach((m, p) => {
    let ss = 0;
    for (let t = 0; t < f; t++) ss += mf.movieFactors[m * f + t] ** 2;
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let t = 0; t < f; t++) unit[p * f + t] = mf.movieFactors[m * f + t] * inv;
  });
  const indices: number[][] = [];
  const distances: number[][] = [];
  const sims = new Float64Array(n);
  const order = Array.from({ length: n }, (_, q) => q);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let d = 0;
      for (let t = 0; t < f; t++) d += unit[p * f + t] * unit[q * f + t];
      sims[q] = d;
    }
    const best = order
      .filter((q) => q !== p)
      .sort((a, b) => sims[b] - sims[a] || a - b)
      .slice(0, size - 1);
    indices.push([p, ...best]);
    distances.push([0, ...best.map((q) => Math.max(0, 1 - sims[q]))]);
  }
  return { indices, distances, isolated: 0 };
}

/**
 * The genre that colours a movie: among its genres, the one fewest of the mapped movies have,
 * so "Drama|War" shows as War. -1 for a movie without genres.
 */
export function primaryGenres(catalog: MoviesTable, movies: Int32Array): Int8Array {
  const g = catalog.genreNames.length;
  const freq = new Int32Array(g);
  for (const m of movies) for (let b = 0; b < g; b++) if ((catalog.genreMasks[m] >>> b) & 1) freq[b]++;
  const out = new Int8Array(movies.length).fill(-1);
  movies.forEach((m, p) => {
    let best = -1;
    for (let b = 0; b < g; b++) {
      if (((catalog.genreMasks[m] >>> b) & 1) === 0) continue;
      if (best < 0 || freq[b] < freq[best]) best = b;
    }
    out[p] = best;
  });
  return out;
}

export interface TasteMapOptions {
  /** How many of the most rated movies to place. */
  n: number;
  seed?: number;
  /** UMAP's n_neighbors: a wider neighbourhood gives a more global layout. */
  nNeighbors?: number;
  nEpochs?: number;
  /** Called every few epochs with epochs done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Lay out by latent factors instead of the neighbour lists. */
  factors?: MovieFactors;
}

export interface TasteMap {
  movies: Int32Array;
  /** Coordinates scaled into [0, 1], each axis on its own (UMAP's global aspect carries no meaning). */
  x: Float32Array;
  y: Float32Array;
  /** Primary genre index into catalog.genreNames, -1 for none. */
  genre: Int8Array;
  isolated: number;
}

export function tasteMap(neighbours: Neighbours, count: Int32Array, catalog: MoviesTable, opts: TasteMapOptions): TasteMap {
  const movies = mostRated(count, opts.n);
  const nNeighbors = Math.min(opts.nNeighbors ?? 15, movies.length - 1);
  if (nNeighbors < 2) throw new Error(`The taste map needs at least 3 rated movies; this set has ${movies.length}.`);
  const graph = opts.factors ? factorGraph(opts.factors, movies, nNeighbors) : knnGraph(neighbours, movies, nNeighbors);
  const rng = new Sfc32(opts.seed ?? 42);
  const umap = new UMAP({ nComponents: 2, nNeighbors, nEpochs: opts.nEpochs ?? 200, random: () => rng.nextFloat() });
  umap.setPrecomputedKNN(graph.indices, graph.distances);
  // umap-js only reads X's length once the kNN graph is given: one dummy coordinate per point.
  const placeholder = Array.from({ length: movies.length }, () => [0]);
  const epochs = umap.initializeFit(placeholder);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if (e % 20 === 19 || e === epochs - 1) opts.onProgress?.(e + 1, epochs);
  }
  const embedding = umap.getEmbedding();
  const { x, y } = normalise(embedding);
  return { movies, x, y, genre: primaryGenres(catalog, movies), isolated: graph.isolated };
}

/** Scales each axis into [0, 1], so the map fills whatever box it is drawn in. */
function normalise(points: number[][]): { x: Float32Array; y: Float32Array } {
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (const [a, b] of points) {
    minX = Math.min(minX, a);
    maxX = Math.max(maxX, a);
    minY = Math.min(minY, b);
    maxY = Math.max(maxY, b);
  }
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const x = new Float32Array(points.length);
  const y = new Float32Array(points.length);
  points.forEach(([a, b], p) => {
    x[p] = (a - minX) / spanX;
    y[p] = (b - minY) / spanY;
  });
  return { x, y };
}
