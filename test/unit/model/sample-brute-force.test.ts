/**
 * The acceptance check of the foundation: on the bundled ml-latest-small, the stored top-50
 * cosine neighbours equal a dense brute-force cosine over the same movie-by-user matrix (ties
 * aside). Dense over all 9,742 movies would be 9,742² dot products of length 610; a seeded
 * sample of movies, each against every movie, keeps it to about a second.
 */
import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/lib/pipeline/build-model';
import { neighboursOf } from '../../../src/lib/model/similarity';
import { DEFAULT_PARAMS, type Model } from '../../../src/lib/types';
import { Sfc32 } from '../../../src/lib/synthetic/prng';

const DIR = new URL('../../../public/data/ml-latest-small/', import.meta.url);

async function sampleModel(kind: 'cosine' | 'adjusted-cosine'): Promise<Model> {
  const file = async (name: string) => ({ name, blob: await openAsBlob(new URL(name, DIR)) });
  const { model } = await buildModel(
    { format: 'csv', ratings: await file('ratings.csv'), movies: await file('movies.csv'), ignored: [] },
    { ...DEFAULT_PARAMS, kind },
  );
  return model;
}

/** Dense movie × user matrix from the model's user-major ratings, centred per user if asked. */
function denseColumns(model: Model, centred: boolean): Float64Array[] {
  const nUsers = model.users.ids.length;
  const columns = Array.from({ length: model.movies.ids.length }, () => new Float64Array(nUsers));
  for (const ch of model.byUser!.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      const s = ch.indptr[r];
      const e = ch.indptr[r + 1];
      let mean = 0;
      for (let p = s; p < e; p++) mean += ch.values[p];
      mean = centred && e > s ? mean / (e - s) : 0;
      for (let p = s; p < e; p++) columns[ch.indices[p]][ch.firstRow + r] = ch.values[p] - mean;
    }
  }
  return columns;
}

function bruteTopK(columns: Float64Array[], i: number, k: number): { index: number; sim: number }[] {
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const ni = norm(columns[i]);
  const all: { index: number; sim: number }[] = [];
  for (let j = 0; j < columns.length; j++) {
    if (j === i) continue;
    let dot = 0;
    let co = 0;
    const a = columns[i];
    const b = columns[j];
    for (let u = 0; u < a.length; u++) {
      if (a[u] !== 0 && b[u] !== 0) co++;
      dot += a[u] * b[u];
    }
    const nj = norm(b);
    if (co > 0 && ni > 0 && nj > 0) all.push({ index: j, sim: dot / (ni * nj) });
  }
  // The model stores float32 similarities and breaks ties between equal float32 values by the
  // lower movie index; order the reference the same way. k + 10 are kept so that a tie across
  // the k-th place is seen as one.
  return all.sort((x, y) => Math.fround(y.sim) - Math.fround(x.sim) || x.index - y.index).slice(0, k + 10);
}

function sampleMovies(model: Model, count: number): number[] {
  const rng = new Sfc32(2026);
  const rated: number[] = [];
  for (let i = 0; i < model.stats.count.length; i++) if (model.stats.count[i] > 0) rated.push(i);
  const picks = new Set<number>([model.movies.ids.indexOf(858)]);
  while (picks.size < count) picks.add(rated[rng.nextInt(rated.length)]);
  return [...picks];
}

describe('neighbours on ml-latest-small equal a dense brute-force cosine', () => {
  it.each(['cosine', 'adjusted-cosine'] as const)('%s', async (kind) => {
    const model = await sampleModel(kind);
    const columns = denseColumns(model, kind === 'adjusted-cosine');
    let compared = 0;
    for (const i of sampleMovies(model, kind === 'cosine' ? 80 : 40)) {
      const stored = neighboursOf(model.neighbours, i);
      const brute = bruteTopK(columns, i, 50);
      expect(stored.length).toBe(Math.min(50, brute.length));
      stored.forEach((n, p) => {
        expect(n.similarity).toBeCloseTo(brute[p].sim, 5);
        // Where the brute-force similarity is not tied with a neighbour, the movie must match.
        const tied = (q: number) => q >= 0 && q < brute.length && Math.abs(brute[q].sim - brute[p].sim) < 1e-6;
        if (!tied(p - 1) && !tied(p + 1)) {
          expect(n.index).toBe(brute[p].index);
          compared++;
        }
      });
    }
    expect(compared).toBeGreaterThan(kind === 'cosine' ? 1500 : 500);
  });
});
