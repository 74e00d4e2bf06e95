import { describe, expect, it } from 'vitest';
import { parseGenomeScores, parseGenomeTags } from '../../../src/lib/formats/genome';
import { InputError, type InputProblem } from '../../../src/lib/types';

async function problemOf(run: () => Promise<unknown>): Promise<InputProblem> {
  try {
    await run();
  } catch (e) {
    if (e instanceof InputError) return e.problem;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('parseGenomeScores', () => {
  it('reads movieId, tagId and relevance into typed arrays, long decimals included', async () => {
    const text = 'movieId,tagId,relevance\n1,1,0.028749999999999998\n1,2,0.02375\r\n206499,1128,1\n';
    for (const chunkBytes of [3, 1 << 20]) {
      const { value, skipped } = await parseGenomeScores(new Blob([text]), { fileName: 'genome-scores.csv', chunkBytes });
      expect(skipped).toBe(0);
      expect(value.movieIds).toEqual(Int32Array.of(1, 1, 206499));
      expect(value.tagIds).toEqual(Int32Array.of(1, 2, 1128));
      expect(value.relevance).toEqual(Float32Array.of(0.028749999999999998, 0.02375, 1));
    }
  });

  it('grows past its first guess of the row count', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},${i % 7},0.5`);
    const { value } = await parseGenomeScores(new Blob([`movieId,tagId,relevance\n${rows.join('\n')}`]), { fileName: 'g.csv' });
    expect(value.count).toBe(5000);
    expect(value.movieIds[4999]).toBe(4999);
  });

  it('names a relevance outside 0..1 and a wrong header', async () => {
    const p = await problemOf(() => parseGenomeScores(new Blob(['movieId,tagId,relevance\n1,1,1.5\n']), { fileName: 'genome-scores.csv' }));
    expect(p).toMatchObject({ line: 2, expected: 'a relevance between 0 and 1', found: '1,1,1.5' });
    const h = await problemOf(() => parseGenomeScores(new Blob(['1,1,0.5\n']), { fileName: 'genome-scores.csv' }));
    expect(h).toMatchObject({ line: 1, expected: 'the header "movieId,tagId,relevance"' });
    const r = await parseGenomeScores(new Blob(['movieId,tagId,relevance\n1,x,0.5\n2,2,0.25\n']), { fileName: 'g.csv', skipBadLines: true });
    expect(r).toMatchObject({ skipped: 1, value: { count: 1 } });
  });
});

describe('parseGenomeTags', () => {
  it('reads tag ids and texts, quoted ones included', async () => {
    const { value } = await parseGenomeTags(new Blob(['tagId,tag\n1,007\n2,"dark, gritty"\n']), { fileName: 'genome-tags.csv' });
    expect(value).toEqual({ count: 2, tagIds: Int32Array.of(1, 2), tags: ['007', 'dark, gritty'] });
  });
});
