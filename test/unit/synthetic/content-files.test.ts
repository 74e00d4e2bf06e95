import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseGenomeScores, parseGenomeTags } from '../../../src/lib/formats/genome';
import { parseTagsCsv } from '../../../src/lib/content/tags-csv';
import { genomeMatrix } from '../../../src/lib/content/genome-matrix';
import { GENRES } from '../../../src/lib/synthetic/catalogue';
import { contentSizesFor, contentToMemory, generateContentFiles, genomeTagNames } from '../../../src/lib/synthetic/content-files';
import { generateToMemory } from '../../../src/lib/synthetic/generate';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('synthetic content files', () => {
  const ratings = 30_000;
  const seed = 5;
  const content = contentToMemory({ ratings, seed });
  const data = generateToMemory({ ratings, seed });

  it('has ML-25M’s genome and tag counts at 25M ratings, and proportionally fewer below', () => {
    expect(contentSizesFor(25_000_095)).toEqual({ genomeMovies: 13_816, genomeTags: 1_128, tagApplications: 1_093_360 });
    const small = contentSizesFor(ratings);
    expect(small.genomeMovies).toBeLessThan(2_000);
    expect(small.genomeTags).toBeLessThan(200);
    expect(content.sizes).toEqual(small);
  });

  it('gives identical bytes for the same seed whatever the chunk size, and other bytes for another seed', () => {
    const parts: Uint8Array[] = [];
    generateContentFiles({ ratings, seed, chunkBytes: 100 }, { genomeScores: { write: (c) => void parts.push(c.slice()) } });
    expect(sha256(Buffer.concat(parts))).toBe(sha256(content.genomeScoresCsv));
    expect(sha256(contentToMemory({ ratings, seed: seed + 1 }).genomeScoresCsv)).not.toBe(sha256(content.genomeScoresCsv));
  });

  it('writes files the app reads without a problem: a complete genome and tags.csv', async () => {
    const tags = await parseGenomeTags(new Blob([content.genomeTagsCsv]), { fileName: 'genome-tags.csv' });
    const scores = await parseGenomeScores(new Blob([content.genomeScoresCsv]), { fileName: 'genome-scores.csv' });
    expect(tags.problems).toEqual([]);
    expect(scores.problems).toEqual([]);
    expect(new Set(tags.value.tags).size).toBe(content.sizes.genomeTags);
    const genome = genomeMatrix(scores.value, tags.value, { ids: data.catalogue.movieIds });
    expect(genome.rows.length).toBe(content.sizes.genomeMovies);
    expect(Array.from(genome.rows, (m) => data.catalogue.movieIds[m])).toEqual(Array.from(content.genomeMovieIds));
    const applied = await parseTagsCsv(new Blob([content.tagsCsv]), { fileName: 'tags.csv' });
    expect(applied.problems).toEqual([]);
    expect(applied.tags.count).toBe(content.sizes.tagApplications);
  });

  it('gives the genome to the most rated movies', () => {
    const isGenome = new Set(content.genomeMovieIds);
    let inGenome = 0;
    let others = 0;
    data.catalogue.movieIds.forEach((id, m) => (isGenome.has(id) ? (inGenome += data.movieCounts[m]) : (others += data.movieCounts[m])));
    const meanIn = inGenome / isGenome.size;
    const meanOut = others / (data.catalogue.count - isGenome.size);
    expect(meanIn).toBeGreaterThan(4 * meanOut);
  });

  it('makes a tag more relevant to movies of its genre', async () => {
    const tags = await parseGenomeTags(new Blob([content.genomeTagsCsv]), { fileName: 'genome-tags.csv' });
    const scores = await parseGenomeScores(new Blob([content.genomeScoresCsv]), { fileName: 'genome-scores.csv' });
    const genome = genomeMatrix(scores.value, tags.value, { ids: data.catalogue.movieIds });
    const { themeOf } = genomeTagNames(genome.dims);
    let own = 0;
    let ownN = 0;
    let other = 0;
    let otherN = 0;
    genome.rows.forEach((m, r) => {
      const mask = data.catalogue.genreMasks[m];
      for (let t = 0; t < genome.dims; t++) {
        if (themeOf[t] >= GENRES.length) continue;
        const v = genome.relevance[r * genome.dims + t];
        if ((mask >>> themeOf[t]) & 1) {
          own += v;
          ownN++;
        } else {
          other += v;
          otherN++;
        }
      }
    });
    expect(own / ownN).toBeGreaterThan(0.35);
    expect(other / otherN).toBeLessThan(0.15);
  });

  it('names every genome tag once', () => {
    const { names } = genomeTagNames(1_128);
    expect(new Set(names).size).toBe(1_128);
    expect(names.every((n) => /^[a-z0-9 '-]+$/.test(n))).toBe(true);
  });
});
