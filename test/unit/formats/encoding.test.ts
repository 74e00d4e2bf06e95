import { describe, expect, it } from 'vitest';
import { detectEncoding, isValidUtf8 } from '../../../src/lib/formats/encoding';
import { sniffContent } from '../../../src/lib/formats/sniff';
import { latin1, utf8 } from '../../support/fixtures';

describe('detectEncoding', () => {
  it('is UTF-8 for UTF-8 and ASCII, latin1 when the bytes are not valid UTF-8', async () => {
    expect(await detectEncoding(new Blob([utf8('4973::Amélie (2001)::Comedy\n')]))).toBe('utf-8');
    expect(await detectEncoding(new Blob(['1::Heat (1995)::Action\n']))).toBe('utf-8');
    const iso = latin1('4973::Amélie (2001)::Comedy\n');
    expect(iso[8]).toBe(0xe9);
    expect(await detectEncoding(new Blob([iso]))).toBe('latin1');
    expect(new TextDecoder('latin1').decode(iso)).toContain('Amélie');
  });

  it('finds an invalid byte past the first chunk, and forgives a character cut by the sample end', async () => {
    const late = new Uint8Array([...utf8('a'.repeat(5000)), 0xe9, 0x0a]);
    expect(await detectEncoding(new Blob([late]))).toBe('latin1');
    const cut = utf8('ab\u00e9');
    expect(await detectEncoding(new Blob([cut]), 3)).toBe('utf-8');
    expect(isValidUtf8(cut.subarray(0, 3), false)).toBe(true);
    expect(isValidUtf8(cut.subarray(0, 3), true)).toBe(false);
  });
});

describe('sniffContent', () => {
  it.each([
    ['196\t242\t3\t881250949\n186\t302\t3\t891717742\n', 'ratings-tab'],
    ['1::1193::5::978300760\n1::661::3::978302109\n', 'ratings-dat'],
    ["1::Toy Story (1995)::Animation|Children's|Comedy\n", 'movies-dat'],
    ['1::F::1::10::48067\n', 'users-dat'],
    ['15::4973::excellent!::1215184630\n', 'tags-dat'],
    ['1|24|M|technician|85711\n', 'users-pipe'],
    ['\uFEFFmovieId,title,genres\n1,Heat (1995),Action\n', 'movies-csv'],
    ['movieId,tagId,relevance\n', 'genome-scores-csv'],
    ['Dear diary\n', 'other-text'],
  ])('knows %j as %s', (text, kind) => {
    expect(sniffContent(utf8(text), true).kind).toBe(kind);
  });

  it('does not judge a line cut by the end of the sample', () => {
    expect(sniffContent(utf8('196\t242\t3\t881250949\n186\t30'), false).kind).toBe('ratings-tab');
    expect(sniffContent(utf8('196\t242\t3\t881250949\n186\t30'), true).kind).toBe('other-text');
    expect(sniffContent(utf8('196\t242\t3\t881250949\n1\n2\n'), true).kind).toBe('other-text');
  });
});
