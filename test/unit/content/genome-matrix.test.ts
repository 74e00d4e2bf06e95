import { describe, expect, it } from 'vitest';
import { genomeMatrix, genomeRowOf } from '../../../src/lib/content/genome-matrix';
import type { GenomeScores, GenomeTags } from '../../../src/lib/formats/genome';
import { InputError, type InputProblem } from '../../../src/lib/types';

function scoresOf(rows: [number, number, number][]): GenomeScores {
  return {
    count: rows.length,
    movieIds: Int32Array.from(rows.map((r) => r[0])),
    tagIds: Int32Array.from(rows.map((r) => r[1])),
    relevance: Float32Array.from(rows.map((r) => r[2])),
  };
}

// Listed out of id order on purpose: columns follow tagId.
const TAGS: GenomeTags = { count: 3, tagIds: Int32Array.of(20, 5, 9), tags: ['mafia', '007', 'dark'] };
const MOVIES = { ids: Int32Array.of(1, 2, 10, 50) };

function problemOf(run: () => unknown): InputProblem {
  try {
    run();
  } catch (e) {
    if (e instanceof InputError) return e.problem;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('genomeMatrix', () => {
  it('lays scores out as one row per movie of the map, columns in tagId order', () => {
    const scores = scoresOf([
      [50, 20, 0.5],
      [10, 5, 0.25],
      [10, 9, 0.125],
      [10, 20, 1],
      [50, 5, 0],
      [50, 9, 0.75],
      // Not in the id map (e.g. cut by a subset): ignored, even incomplete.
      [999, 5, 0.5],
    ]);
    const g = genomeMatrix(scores, TAGS, MOVIES);
    expect(g.tagNames).toEqual(['007', 'dark', 'mafia']);
    expect(g.dims).toBe(3);
    expect(g.rows).toEqual(Int32Array.of(2, 3));
    expect(g.relevance).toEqual(Float32Array.of(0.25, 0.125, 1, 0, 0.75, 0.5));
    expect(genomeRowOf(g, 3)).toBe(1);
    expect(genomeRowOf(g, 0)).toBe(-1);
  });

  it('names the movie and tag of a missing score, and the file', () => {
    const scores = scoresOf([
      [10, 5, 0.25],
      [10, 9, 0.125],
      [10, 20, 1],
      [50, 5, 0],
      [50, 20, 0.5],
    ]);
    const p = problemOf(() => genomeMatrix(scores, TAGS, MOVIES));
    expect(p).toMatchObject({ kind: 'format', file: 'genome-scores.csv', found: 'no score for movie 50, tagId 9' });
    expect(p.message).toMatch(/^genome-scores\.csv: movie 50 has no score for tagId 9 \(1 \(movie, tag\) scores missing in all\)/);
  });

  it('rejects a repeated cell and a tag that genome-tags.csv does not list', () => {
    const repeated = scoresOf([
      [10, 5, 0.25],
      [10, 9, 0.125],
      [10, 5, 0.3],
      [10, 20, 1],
    ]);
    expect(problemOf(() => genomeMatrix(repeated, TAGS, MOVIES))).toMatchObject({
      file: 'genome-scores.csv',
      found: 'a repeated (10, 5)',
      message: 'genome-scores.csv: movie 10, tagId 5 has more than one score.',
    });
    const unknown = scoresOf([[10, 77, 0.5]]);
    expect(problemOf(() => genomeMatrix(unknown, TAGS, MOVIES)).message).toBe(
      'genome-scores.csv: movie 10 has a score for tagId 77, which genome-tags.csv does not list.',
    );
    const twice: GenomeTags = { count: 2, tagIds: Int32Array.of(5, 5), tags: ['a', 'b'] };
    expect(problemOf(() => genomeMatrix(scoresOf([]), twice, MOVIES))).toMatchObject({ file: 'genome-tags.csv' });
  });

  it('is empty when no scored movie is in the map', () => {
    const g = genomeMatrix(scoresOf([[999, 5, 0.5]]), TAGS, MOVIES);
    expect(g.rows.length).toBe(0);
    expect(g.relevance.length).toBe(0);
  });
});
