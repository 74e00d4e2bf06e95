import { describe, expect, it } from 'vitest';
import { knnGraph, mostRated, primaryGenres, tasteMap } from '../../../src/lib/explore/taste-map';
import { computeNeighbours } from '../../../src/lib/model/similarity';
import { computeMovieStats } from '../../../src/lib/model/movie-stats';
import { buildCsr } from '../../../src/lib/matrix/csr';
import { buildIdMap } from '../../../src/lib/matrix/id-map';
import { batchOf, type Triple } from '../../support/brute-force';
import type { MoviesTable, Neighbours } from '../../../src/lib/types';
import { catalog } from './fixture';

describe('mostRated', () => {
  it('takes the most rated first, ties to the lower index, never unrated movies', () => {
    expect(Array.from(mostRated(Int32Array.of(3, 0, 5, 3, 1), 10))).toEqual([2, 0, 3, 4]);
    expect(Array.from(mostRated(Int32Array.of(3, 0, 5, 3, 1), 2))).toEqual([2, 0]);
  });
});

describe('knnGraph', () => {
  const nb: Neighbours = {
    k: 3,
    kind: 'cosine',
    minRatings: 1,
    movies: 4,
    count: Int32Array.of(3, 1, 2, 0),
    index: Int32Array.of(3, 2, 1, 0, -1, -1, 0, 1, -1, -1, -1, -1),
    similarity: Float32Array.of(0.9, 0.5, 0.25, 0.25, 0, 0, 0.5, 0.125, 0, 0, 0, 0),
    coCount: new Int32Array(12),
  };

  it('keeps neighbours among the chosen movies as points, distance 1 - similarity, self first, padded with self', () => {
    // chosen movies (points): 2, 0, 1  — movie 3 is not on the map
    const g = knnGraph(nb, Int32Array.of(2, 0, 1), 3);
    expect(g.indices).toEqual([
      [0, 1, 2],
      [1, 0, 2],
      [2, 1, 2],
    ]);
    expect(g.distances).toEqual([
      [0, 0.5, 0.875],
      [0, 0.5, 0.75],
      [0, 0.75, 0],
    ]);
    expect(g.isolated).toBe(0);
  });

  it('counts points with no neighbour on the map', () => {
    expect(knnGraph(nb, Int32Array.of(3, 0), 2).isolated).toBe(1);
  });
});

describe('primaryGenres', () => {
  it('colours a movie by its rarest genre among the mapped movies', () => {
    // mapped: movies 0 (Drama|Comedy), 2 (Drama|War), 3 (Comedy), 4 (none). Drama 2, Comedy 2, War 1.
    expect(Array.from(primaryGenres(catalog, Int32Array.of(0, 2, 3, 4)))).toEqual([0, 2, 1, -1]);
  });
});

/** Two taste clusters: users 1-20 love movies 1-10 and dislike 11-20, users 21-40 the opposite. */
function clustered(): Triple[] {
  const out: Triple[] = [];
  for (let u = 1; u <= 40; u++) {
    for (let m = 1; m <= 20; m++) {
      if ((u * 7 + m * 3) % 5 === 0) continue;
      const likes = u <= 20 === m <= 10;
      out.push({ user: u, movie: m, rating: likes ? 4.5 + ((u + m) % 2) * 0.5 : 1 + ((u + m) % 3) * 0.5, timestamp: 1 });
    }
  }
  return out;
}

describe('tasteMap', () => {
  const batch = batchOf(clustered());
  const users = buildIdMap([batch.userIds]);
  const movies = buildIdMap([batch.movieIds]);
  const { byUser, byMovie } = buildCsr([batch], users, movies);
  const stats = computeMovieStats(byMovie);
  const nb = computeNeighbours(byMovie, byUser, { k: 8, kind: 'adjusted-cosine' });
  const cat: MoviesTable = {
    count: 20,
    movieIds: movies.ids,
    titles: Array.from({ length: 20 }, (_, i) => `M${i}`),
    years: new Int16Array(20),
    genreMasks: Uint32Array.from({ length: 20 }, (_, i) => (i < 10 ? 1 : 2)),
    genreNames: ['A', 'B'],
  };

  it('is reproducible for a seed and places every point inside the unit square', () => {
    const a = tasteMap(nb, stats.count, cat, { n: 20, seed: 7, nNeighbors: 5, nEpochs: 100 });
    const b = tasteMap(nb, stats.count, cat, { n: 20, seed: 7, nNeighbors: 5, nEpochs: 100 });
    expect(a).toEqual(b);
    expect(a.movies).toHaveLength(20);
    for (let p = 0; p < 20; p++) {
      expect(a.x[p]).toBeGreaterThanOrEqual(0);
      expect(a.x[p]).toBeLessThanOrEqual(1);
      expect(a.y[p]).toBeGreaterThanOrEqual(0);
      expect(a.y[p]).toBeLessThanOrEqual(1);
    }
  });

  it('puts movies of the same taste cluster closer to each other than to the other cluster', () => {
    const map = tasteMap(nb, stats.count, cat, { n: 20, seed: 1, nNeighbors: 5, nEpochs: 200 });
    let within = 0,
      across = 0,
      nw = 0,
      na = 0;
    for (let p = 0; p < 20; p++) {
      for (let q = p + 1; q < 20; q++) {
        const d = Math.hypot(map.x[p] - map.x[q], map.y[p] - map.y[q]);
        if (map.movies[p] < 10 === map.movies[q] < 10) {
          within += d;
          nw++;
        } else {
          across += d;
          na++;
        }
      }
    }
    expect(within / nw).toBeLessThan(across / na / 2);
    expect(Array.from(map.genre).filter((g, p) => g === (map.movies[p] < 10 ? 0 : 1))).toHaveLength(20);
  });

  it('reports progress and refuses a set too small to map', () => {
    const seen: number[] = [];
    tasteMap(nb, stats.count, cat, { n: 20, nNeighbors: 5, nEpochs: 40, onProgress: (d) => seen.push(d) });
    expect(seen.at(-1)).toBeGreaterThan(0);
    expect(() => tasteMap(nb, Int32Array.of(1, 1, 0), cat, { n: 3 })).toThrow(/at least 3 rated movies/);
  });
});
