import { describe, expect, it } from 'vitest';
import { normalizeTag, parseTagsCsv, type TagsParseOptions } from '../../../src/lib/content/tags-csv';
import { InputError, type InputProblem } from '../../../src/lib/types';

function parse(text: string, opts: Partial<TagsParseOptions> = {}) {
  return parseTagsCsv(new Blob([text]), { fileName: 'tags.csv', ...opts });
}

async function problemOf(text: string, opts: Partial<TagsParseOptions> = {}): Promise<InputProblem> {
  try {
    await parse(text, opts);
  } catch (e) {
    if (e instanceof InputError) return e.problem;
    throw e;
  }
  throw new Error('expected an InputError');
}

const TINY = [
  'userId,movieId,tag,timestamp',
  '2,60756,funny,1445714994',
  '2,60756,Highly quotable,1445714996',
  '3,260,"Oh, the humanity",1439472355',
  '3,260,"He said ""classic""",1439472256',
  '4,1,  Sci-Fi   Classic ,1439472257',
  '5,1,ＳＣＩ-ＦＩ,1439472258',
  '',
].join('\r\n');

describe('normalizeTag', () => {
  it('folds compatibility forms, case and whitespace', () => {
    expect(normalizeTag('  Sci-Fi \t Classic ')).toBe('sci-fi classic');
    expect(normalizeTag('ＳＣＩ-ＦＩ')).toBe('sci-fi');
    expect(normalizeTag('ﬁlm noir')).toBe('film noir');
    expect(normalizeTag('   ')).toBe('');
  });
});

describe('parseTagsCsv', () => {
  it('reads quoted tags with commas and quotes, normalised, whatever the chunking', async () => {
    for (const chunkBytes of [1, 7, 1 << 20]) {
      const { tags, skipped } = await parse(TINY, { chunkBytes });
      expect(skipped).toBe(0);
      expect(tags.count).toBe(6);
      expect(tags.userIds).toEqual(Int32Array.of(2, 2, 3, 3, 4, 5));
      expect(tags.movieIds).toEqual(Int32Array.of(60756, 60756, 260, 260, 1, 1));
      expect(tags.tags).toEqual(['funny', 'highly quotable', 'oh, the humanity', 'he said "classic"', 'sci-fi classic', 'sci-fi']);
    }
  });

  it('keeps one string per distinct tag', async () => {
    const { tags } = await parse('userId,movieId,tag,timestamp\n1,1,Dark,1\n2,2,dark ,2\n');
    expect(tags.tags[0]).toBe('dark');
    expect(tags.tags[1]).toBe(tags.tags[0]);
  });

  it('names the file and line of a malformed row, what was expected and what was found', async () => {
    const text = 'userId,movieId,tag,timestamp\n1,1,ok,1\n1,x,bad,2\n';
    expect(await problemOf(text)).toEqual({
      kind: 'parse',
      file: 'tags.csv',
      line: 3,
      expected: 'a movieId that is a whole number',
      found: '1,x,bad,2',
      message: 'tags.csv, line 3: expected a movieId that is a whole number, found "x"',
    });
    const fields = await problemOf('userId,movieId,tag,timestamp\n1,2,a,b,3\n');
    expect(fields).toMatchObject({ line: 2, found: '1,2,a,b,3' });
    expect(fields.expected).toMatch(/^4 comma-separated fields/);
    expect(await problemOf('userId,movieId,tag,timestamp\n1,2,  ,3\n')).toMatchObject({ line: 2, expected: 'a tag with some text' });
    expect(await problemOf('userId,movieId,tag,timestamp\n1,2,x,soon\n')).toMatchObject({ line: 2, expected: 'a timestamp in whole seconds' });
  });

  it('counts lines inside quoted tags that hold a newline', async () => {
    const p = await problemOf('userId,movieId,tag,timestamp\n1,1,"two\nlines",1\n1,1,ok,x\n');
    expect(p.line).toBe(4);
  });

  it('skips bad rows when asked, counting them and keeping the first problems', async () => {
    const text = 'userId,movieId,tag,timestamp\n1,1,ok,1\n-1,1,neg,1\n2,2,fine,2\n1,1\n';
    const { tags, skipped, problems } = await parse(text, { skipBadLines: true });
    expect(tags.tags).toEqual(['ok', 'fine']);
    expect(skipped).toBe(2);
    expect(problems.map((p) => p.line)).toEqual([3, 5]);
  });

  it('requires the header, and says so for an empty file', async () => {
    expect(await problemOf('1,1,funny,1\n')).toMatchObject({ line: 1, expected: 'the header "userId,movieId,tag,timestamp"' });
    expect(await problemOf('')).toMatchObject({ kind: 'empty', file: 'tags.csv' });
  });
});
