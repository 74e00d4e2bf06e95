import { beforeAll, describe, expect, it } from 'vitest';
import { buildContentModel, CONTENT_K, type ContentSources } from '../../../src/lib/content/content-model';
import { contentCosine } from '../../../src/lib/content/content-pair';
import { sharedGenomeTags } from '../../../src/lib/content/genome-shared-tags';
import { neighboursOf } from '../../../src/lib/model/similarity';
import type { ComputePool, RangeContentRequest } from '../../../src/lib/parallel/compute-pool';
import { runContentNeighbours } from '../../../src/lib/parallel/compute-tasks';
import { buildModel } from '../../../src/lib/pipeline/build-model';
import { detectDataset } from '../../../src/lib/pipeline/input-files';
import { neighboursDigest } from '../../../src/lib/pipeline/neighbours-digest';
import { contentSummary } from '../../../src/lib/pipeline/recommender-stage';
import { contentToMemory } from '../../../src/lib/synthetic/content-files';
import { generateToMemory } from '../../../src/lib/synthetic/generate';
import { DEFAULT_PARAMS, type Model } from '../../../src/lib/types';

/** Runs each range on this thread through the pool interface, cloning as a thread boundary does. */
function inThreadPool(size: number): ComputePool & { calls: number } {
  const unused = () => Promise.reject(new Error('not used here'));
  const pool = {
    size,
    sharedMemory: false,
    calls: 0,
    parseRatingsRange: unused,
    neighbours: unused,
    ialsRows: unused,
    contentBars: () => Promise.reject(new Error('not used here')),
    async contentNeighbours(request: RangeContentRequest, onProgress: (movies: number, macs: number) => void) {
      pool.calls++;
      await Promise.resolve();
      return structuredClone(runContentNeighbours(structuredClone(request), onProgress));
    },
    dispose() {},
  };
  return pool;
}

let model: Model;
let sources: ContentSources;

beforeAll(async () => {
  const data = generateToMemory({ ratings: 20_000, seed: 3 });
  const content = contentToMemory({ ratings: 20_000, seed: 3 });
  const ds = await detectDataset([
    { name: 'ratings.csv', blob: new Blob([data.ratingsCsv]) },
    { name: 'movies.csv', blob: new Blob([data.moviesCsv]) },
  ]);
  model = (await buildModel(ds, DEFAULT_PARAMS, {})).model;
  sources = {
    tags: { name: 'tags.csv', blob: new Blob([content.tagsCsv]) },
    genomeScores: { name: 'genome-scores.csv', blob: new Blob([content.genomeScoresCsv]) },
    genomeTags: { name: 'genome-tags.csv', blob: new Blob([content.genomeTagsCsv]) },
  };
});

describe('buildContentModel with the tag genome', () => {
  it('compares the genome movies by genome, keeps the genome to explain pairs, and says so', async () => {
    const details: string[] = [];
    const content = await buildContentModel(model.movies, model.catalog, sources, { onProgress: (_d, _t, detail) => details.push(detail ?? '') });
    const genome = content.genome!;
    expect(genome.rows.length).toBeGreaterThan(100);
    expect(content.genomeWeight).toBe(2);
    expect(content.neighbours.k).toBe(CONTENT_K);
    expect(details).toContain(`genome ${genome.rows.length.toLocaleString('en')} movies × ${genome.dims} tags`);
    expect(details.some((d) => d.includes('G multiply-adds'))).toBe(true);
    expect(contentSummary(content)).toMatch(/features, [\d,]+ movies tagged, genome [\d,]+ movies × \d+ tags$/);
    // A genome movie's best neighbour is, as listed, the content cosine with the genome in it,
    // and the two share genome tags.
    const i = genome.rows[0];
    const best = neighboursOf(content.neighbours, i)[0];
    expect(best.similarity).toBeCloseTo(contentCosine(content, i, best.index), 6);
    if (genome.rows.includes(best.index)) expect(sharedGenomeTags(content, i, best.index).length).toBeGreaterThan(0);
  });

  it('gives the same neighbours on the pool as on one thread', async () => {
    const one = await buildContentModel(model.movies, model.catalog, sources);
    const pool = inThreadPool(3);
    const many = await buildContentModel(model.movies, model.catalog, sources, { pool });
    expect(pool.calls).toBe(3);
    // A digest of every slot: toEqual over 360k-entry typed arrays takes seconds.
    expect(neighboursDigest(many.neighbours)).toBe(neighboursDigest(one.neighbours));
  });

  it('still takes tags.csv alone, with no genome', async () => {
    const content = await buildContentModel(model.movies, model.catalog, sources.tags);
    expect(content.genome).toBeUndefined();
    expect(content.taggedMovies).toBeGreaterThan(0);
    expect(contentSummary(content)).not.toMatch(/genome/);
  });
});
