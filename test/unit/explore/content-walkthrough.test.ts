import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildContentFeatures, FEATURE_GENRE, FEATURE_TAG } from '../../../src/lib/content/content-features';
import { buildContentModel } from '../../../src/lib/content/content-model';
import { contentNeighbours } from '../../../src/lib/content/content-neighbours';
import { genomeRowOf, type GenomeMatrix } from '../../../src/lib/content/genome-matrix';
import { genomeRemainder, workedContentCosine, type KeptGenomeTags } from '../../../src/lib/explore/content-walkthrough';
import { storedSimilarity } from '../../../src/lib/explore/walkthrough';
import { buildModel } from '../../../src/lib/pipeline/build-model';
import { neighboursOf } from '../../../src/lib/model/similarity';
import { createIndexer } from '../../../src/lib/matrix/id-map';
import { DEFAULT_PARAMS, type MoviesTable } from '../../../src/lib/types';
import { csrOf, type Entry } from '../content/brute-content';

/** Two genres (Crime, Drama), the 1970s and two tags, small enough to check by hand. */
function handMade() {
  const catalog: MoviesTable = {
    count: 3,
    movieIds: Int32Array.of(1, 2, 3),
    titles: ['A (1972)', 'B (1974)', 'C (1990)'],
    years: Int16Array.of(1972, 1974, 1990),
    genreMasks: Uint32Array.of(0b11, 0b01, 0b10),
    genreNames: ['Crime', 'Drama'],
  };
  // "mafia" on A and B, "family" on A and C: three tagged movies, each tag on two (idf ln 1.5).
  const tags = { movieIds: Int32Array.of(1, 1, 2, 3), tags: ['mafia', 'family', 'mafia', 'family'] };
  return { catalog, features: buildContentFeatures({ movies: { ids: catalog.movieIds }, catalog, tags }) };
}

describe('workedContentCosine', () => {
  it('lists both vectors feature by feature and sums the shared ones, by hand', () => {
    const { features } = handMade();
    const w = workedContentCosine({ features }, 0, 1);
    // A: Crime, Drama at 1/√2 each; early 1970s 1/√1.5 · 0.5 (and 0.5 of that either side); mafia and family
    // at 1.5/√2. B: Crime 1; the same era entries; mafia 1.5.
    const byName = Object.fromEntries(w.terms.map((t) => [t.name, t]));
    expect(w.terms.map((t) => t.block)).toEqual(['genre', 'genre', 'era', 'era', 'era', 'tag', 'tag']);
    expect(byName.Crime.xi).toBeCloseTo(Math.SQRT1_2, 6);
    expect(byName.Crime.xj).toBe(1);
    expect(byName.Drama.xj).toBe(0);
    expect(byName.Drama.product).toBe(0);
    expect(byName.mafia.xj).toBeCloseTo(1.5, 6);
    expect(byName.family.xj).toBe(0);
    // Shared: Crime (1/√2 · 1), the era block (same bucket: 0.25 · 1.5 / 1.5 = 0.25), mafia (1.5/√2 · 1.5).
    const expectedDot = Math.SQRT1_2 + 0.25 + (1.5 * 1.5) / Math.SQRT2;
    expect(w.sparseDot).toBeCloseTo(expectedDot, 6);
    // Each block has length w_b: squares genre 1, era 0.25, tags 2.25 for both movies.
    expect(w.blockSquares.map((b) => [b.block, +b.i.toFixed(6), +b.j.toFixed(6)])).toEqual([
      ['genre', 1, 1],
      ['era', 0.25, 0.25],
      ['tag', 2.25, 2.25],
    ]);
    expect(w.normI).toBeCloseTo(Math.sqrt(3.5), 6);
    expect(w.genomeRows).toBe('none');
    expect(w.genome).toBeUndefined();
    expect(w.cosine).toBeCloseTo(expectedDot / 3.5, 6);
  });

  it('gives the stored similarity of every pair in the content neighbour lists, exactly', () => {
    const { features } = handMade();
    const nb = contentNeighbours(features, undefined, { k: 2 });
    for (let i = 0; i < 3; i++) {
      for (const n of neighboursOf(nb, i)) {
        const w = workedContentCosine({ features }, i, n.index);
        expect(w.storedCosine).toBe(n.similarity);
        expect(w.cosine).toBeCloseTo(n.similarity, 6);
        // The same pair the other way round: the same numbers, sides swapped.
        const back = workedContentCosine({ features }, n.index, i);
        expect(back.storedCosine).toBe(n.similarity);
        expect(back.terms.map((t) => t.xi)).toEqual(w.terms.map((t) => t.xj));
      }
    }
  });

  it('adds the genome block: w² · g_i·g_j / (‖g_i‖‖g_j‖) to the dot product and w² to each squared norm', () => {
    const { features, genome, nb } = withGenome();
    let pairs = 0;
    for (let i = 0; i < features.matrix.rows; i++) {
      for (const e of neighboursOf(nb, i)) {
        const w = workedContentCosine({ features, genome, genomeWeight: 1.5 }, i, e.index, 3);
        expect(w.storedCosine).toBe(e.similarity);
        expect(w.cosine).toBeCloseTo(e.similarity, 6);
        if (!w.genome) continue;
        pairs++;
        const g = w.genome;
        expect(g.complete).toBe(true);
        expect(g.top).toHaveLength(3);
        expect(g.top[0].product).toBeGreaterThanOrEqual(g.top[1].product);
        expect(g.contribution).toBeCloseTo((1.5 ** 2 * g.dot) / (g.normI * g.normJ), 12);
        expect(w.dot).toBeCloseTo(w.sparseDot + g.contribution, 12);
        expect(w.blockSquares.at(-1)).toEqual({ block: 'genome', i: 2.25, j: 2.25 });
      }
    }
    expect(pairs).toBeGreaterThan(20);
  });

  it('with only each movie’s kept top genome tags, sums the tags both keep and recovers the rest from the stored similarity', () => {
    const { features, genome, nb } = withGenome();
    const kept = keepTop(genome, 3);
    let pairs = 0;
    for (let i = 0; i < features.matrix.rows; i++) {
      for (const e of neighboursOf(nb, i)) {
        const full = workedContentCosine({ features, genome, genomeWeight: 1.5 }, i, e.index);
        const part = workedContentCosine({ features, genome: kept, genomeWeight: 1.5 }, i, e.index);
        expect(part.genomeRows).toBe(full.genomeRows);
        expect(part.normI).toBeCloseTo(full.normI, 6);
        if (!part.genome) continue;
        pairs++;
        expect(part.genome.complete).toBe(false);
        expect(part.storedCosine).toBeUndefined();
        // By brute force: the products of the tags in both movies' top three.
        const topOf = (m: number) => new Set(topTags(genome, m, 3));
        const both = [...topOf(i)].filter((t) => topOf(e.index).has(t));
        expect(part.genome.summed).toBe(both.length);
        const rel = (m: number, t: number) => genome.relevance[genomeRowOf(genome, m) * genome.dims + t];
        expect(part.genome.dot).toBeCloseTo(
          both.reduce((s, t) => s + rel(i, t) * rel(e.index, t), 0),
          6,
        );
        expect(part.dot + genomeRemainder(part, e.similarity)).toBeCloseTo(full.dot, 5);
      }
    }
    expect(pairs).toBeGreaterThan(20);
  });

  it('says which movie index is out of range', () => {
    const { features } = handMade();
    expect(() => workedContentCosine({ features }, 0, 3)).toThrow(/Movie index 3 is outside 0..2/);
  });
});

describe('workedContentCosine on the bundled ml-latest-small (movies.csv and tags.csv)', () => {
  it('equals the stored content similarity of The Godfather and each of its content neighbours', async () => {
    const DIR = new URL('../../../public/data/ml-latest-small/', import.meta.url);
    const file = async (name: string) => ({ name, blob: await openAsBlob(new URL(name, DIR)) });
    const { model } = await buildModel({ format: 'csv', ratings: await file('ratings.csv'), movies: await file('movies.csv'), ignored: [] }, DEFAULT_PARAMS);
    const content = await buildContentModel(model.movies, model.catalog, await file('tags.csv'));
    const godfather = createIndexer(model.movies)(858);
    const list = neighboursOf(content.neighbours, godfather);
    expect(list.length).toBeGreaterThan(10);
    for (const n of list) {
      const w = workedContentCosine(content, godfather, n.index);
      expect(w.storedCosine).toBe(n.similarity);
      expect(w.cosine).toBeCloseTo(n.similarity, 6);
      expect(storedSimilarity(content.neighbours, godfather, n.index)).toBe(n.similarity);
    }
    // The top neighbour shares users' tags with it, not only genres and era.
    const top = workedContentCosine(content, godfather, list[0].index);
    expect(top.terms.some((t) => t.block === 'tag' && t.product > 0)).toBe(true);
  }, 60_000);
});

/** Forty movies with two genre and four tag columns, 60% of them with a 9-tag genome row, and their top 6. */
function withGenome() {
  const next = lcg(3);
  const n = 40;
  const dims = 9;
  const rows: Entry[][] = Array.from({ length: n }, () => {
    const row: Entry[] = [];
    for (let f = 0; f < 6; f++) if (next() < 0.3) row.push({ col: f, value: Math.fround(0.1 + next()) });
    return row;
  });
  const genomeRows = Array.from({ length: n }, (_, i) => i).filter(() => next() < 0.6);
  const genome: GenomeMatrix = {
    tagNames: Array.from({ length: dims }, (_, t) => `tag${t}`),
    rows: Int32Array.from(genomeRows),
    dims,
    relevance: Float32Array.from({ length: genomeRows.length * dims }, () => Math.round(next() * 1000) / 1000),
  };
  const features = {
    matrix: csrOf(rows, 6, 7),
    featureNames: ['g0', 'g1', 't0', 't1', 't2', 't3'],
    featureKinds: Uint8Array.of(FEATURE_GENRE, FEATURE_GENRE, FEATURE_TAG, FEATURE_TAG, FEATURE_TAG, FEATURE_TAG),
  };
  return { features, genome, nb: contentNeighbours(features, genome, { k: 6, genomeWeight: 1.5 }) };
}

/** Movie m's `k` most relevant genome tag columns (ties: lower column). */
function topTags(genome: GenomeMatrix, m: number, k: number): number[] {
  const r = genomeRowOf(genome, m);
  if (r < 0) return [];
  const row = Array.from(genome.relevance.subarray(r * genome.dims, (r + 1) * genome.dims));
  return row
    .map((v, t) => t)
    .sort((x, y) => row[y] - row[x] || x - y)
    .slice(0, k);
}

/** The genome as a content model keeps it for the page: top k tags per row and the full rows' norms. */
function keepTop(genome: GenomeMatrix, k: number): KeptGenomeTags {
  const tags = new Uint16Array(genome.rows.length * k);
  const relevance = new Float32Array(genome.rows.length * k);
  const norms = new Float32Array(genome.rows.length);
  genome.rows.forEach((m, r) => {
    topTags(genome, m, k).forEach((t, p) => {
      tags[r * k + p] = t;
      relevance[r * k + p] = genome.relevance[r * genome.dims + t];
    });
    let ss = 0;
    for (let t = 0; t < genome.dims; t++) ss += genome.relevance[r * genome.dims + t] ** 2;
    norms[r] = Math.sqrt(ss);
  });
  return { tagNames: genome.tagNames, rows: genome.rows, perRow: k, tags, relevance, norms };
}

/** A deterministic pseudo-random source for fixed examples. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}
