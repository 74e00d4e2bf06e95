import { describe, expect, it } from 'vitest';
import { modelFileNameFor, sortTrainedFiles } from '../../../src/ui/model-files';

const dropped = (path: string) => ({ file: new File([''], path.split('/').pop()!), path });
const paths = (files: { path: string }[] | undefined) => (files ?? []).map((f) => f.path);

describe('the files of "Import trained factors"', () => {
  it('tells Spark part files, a neighbour table and the release apart, leaving Spark’s markers out', () => {
    const sorted = sortTrainedFiles([
      dropped('item-factors.parquet/part-00000.snappy.parquet'),
      dropped('item-factors.parquet/.part-00000.snappy.parquet.crc'),
      dropped('item-factors.parquet/_SUCCESS'),
      dropped('item-factors.parquet/part-00001.snappy.parquet'),
      dropped('item-neighbours.csv'),
      dropped('ml-25m/movies.csv'),
      dropped('ml-25m/links.csv'),
    ]);
    expect(paths(sorted.factors)).toEqual(['item-factors.parquet/part-00000.snappy.parquet', 'item-factors.parquet/part-00001.snappy.parquet']);
    expect(sorted.neighbours?.path).toBe('item-neighbours.csv');
    expect(paths(sorted.release)).toEqual(['ml-25m/movies.csv', 'ml-25m/links.csv']);
  });

  it('takes a zip as the release, and the last build’s release when none is picked', () => {
    expect(paths(sortTrainedFiles([dropped('factors.csv'), dropped('ml-latest.zip')], [dropped('movies.csv')]).release)).toEqual(['ml-latest.zip']);
    expect(paths(sortTrainedFiles([dropped('factors.csv')], [dropped('movies.csv')]).release)).toEqual(['movies.csv']);
    expect(sortTrainedFiles([dropped('item_neighbors.parquet')]).neighbours?.path).toBe('item_neighbors.parquet');
  });
});

describe('the name an exported model is offered under', () => {
  it('is the data set’s name, without notes in parentheses or file extensions', () => {
    expect(modelFileNameFor('ml-latest-small (bundled sample)')).toBe('ml-latest-small.latentlens');
    expect(modelFileNameFor('ml-25m.zip')).toBe('ml-25m.latentlens');
    expect(modelFileNameFor('ratings.csv + movies.csv')).toBe('ratings-movies.latentlens');
    expect(modelFileNameFor('')).toBeUndefined();
  });
});
