import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { contentSourcesOf, unpackGenome } from '../../../src/lib/pipeline/content-sources';
import { detectDataset, expandInputs, type InputFile } from '../../../src/lib/pipeline/input-files';

const file = (name: string, text: string): InputFile => ({ name, blob: new Blob([text]) });
const RATINGS = 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n';
const MOVIES = 'movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n';
const SCORES = 'movieId,tagId,relevance\n1,1,0.9\n1,2,0.1\n';
const TAGS = 'tagId,tag\n1,pixar\n2,gore\n';

function zipOf(entries: Record<string, string>): InputFile {
  const bytes = zipSync(Object.fromEntries(Object.entries(entries).map(([name, text]) => [name, strToU8(text)])));
  return { name: 'ml-tiny.zip', blob: new Blob([bytes]) };
}

describe('content sources of a release', () => {
  it('uses the genome files given unpacked', async () => {
    const given = [
      file('ratings.csv', RATINGS),
      file('movies.csv', MOVIES),
      file('genome-scores.csv', SCORES),
      file('genome-tags.csv', TAGS),
      file('tags.csv', 'userId,movieId,tag,timestamp\n'),
    ];
    const ds = await detectDataset(await expandInputs(given));
    const sources = contentSourcesOf(ds, given);
    expect(sources.genomeScores?.name).toBe('genome-scores.csv');
    expect(sources.genomeTags?.name).toBe('genome-tags.csv');
    expect(sources.tags?.name).toBe('tags.csv');
    expect(sources.archives).toBeUndefined();
  });

  it('leaves a zip’s genome packed in the build and takes it out for the content stage', async () => {
    const zip = zipOf({ 'ml-tiny/ratings.csv': RATINGS, 'ml-tiny/movies.csv': MOVIES, 'ml-tiny/genome-scores.csv': SCORES, 'ml-tiny/genome-tags.csv': TAGS });
    const ds = await detectDataset(await expandInputs([zip]));
    expect(ds.genomeScores).toBeUndefined();
    const sources = contentSourcesOf(ds, [zip]);
    expect(sources.archives).toEqual([zip]);
    const genome = await unpackGenome(sources.archives!);
    expect(genome?.genomeScores?.name).toBe('ml-tiny/genome-scores.csv');
    expect(await genome?.genomeScores?.blob.text()).toBe(SCORES);
    expect(await genome?.genomeTags?.blob.text()).toBe(TAGS);
  });

  it('finds no genome in a zip without one, nor among files that are not zips', async () => {
    expect(await unpackGenome([zipOf({ 'ml-tiny/ratings.csv': RATINGS })])).toBeUndefined();
    expect(await unpackGenome([zipOf({ 'ml-tiny/genome-scores.csv': SCORES })])).toBeUndefined();
    expect(await unpackGenome([file('ratings.csv', RATINGS)])).toBeUndefined();
  });

  it('does not look for a genome in releases that never had one', async () => {
    const given = [
      file('u.data', '196\t242\t3\t881250949\n'),
      file('u.item', '242|Kolya (1996)|24-Jan-1997||http://x|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n'),
    ];
    const ds = await detectDataset(given);
    expect(contentSourcesOf(ds, given)).toEqual({ tags: undefined });
  });
});
