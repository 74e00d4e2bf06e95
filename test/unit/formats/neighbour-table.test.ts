import { describe, expect, it } from 'vitest';
import { readNeighbourTable } from '../../../src/lib/formats/neighbour-table';
import { InputError, type InputProblem } from '../../../src/lib/types';
import { fileOf, neighbourTableParquet, parquetOf } from '../../support/spark-parquet';

async function problemOf(run: () => Promise<unknown>): Promise<InputProblem> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error.problem;
    throw error;
  }
  throw new Error('expected an InputError');
}

const ROWS: [number, number, number, number][] = [
  [1, 2, 0.5, 10],
  [1, 318, 0.25, 4],
  [2, 1, 0.5, 10],
];

describe('an item-neighbour table (movieId,neighbourId,similarity[,coCount])', () => {
  it('reads CSV with a header in any case and spelling, coCount optional', async () => {
    const table = await readNeighbourTable(fileOf('nb.csv', 'MovieId,neighborId,Similarity,coCount\r\n' + ROWS.map((r) => r.join(',')).join('\r\n') + '\r\n'));
    expect(Array.from(table.movieIds)).toEqual([1, 1, 2]);
    expect(Array.from(table.neighbourIds)).toEqual([2, 318, 1]);
    expect(Array.from(table.similarity)).toEqual([0.5, 0.25, 0.5]);
    expect(Array.from(table.coCount!)).toEqual([10, 4, 10]);
    const without = await readNeighbourTable(fileOf('nb.csv', 'movieId,neighbourId,similarity\n1,2,0.5\n'));
    expect(without.coCount).toBeUndefined();
  });

  it('reads Parquet with the same columns', async () => {
    const table = await readNeighbourTable(fileOf('nb.parquet', neighbourTableParquet(ROWS)));
    expect(Array.from(table.movieIds)).toEqual([1, 1, 2]);
    expect(Array.from(table.similarity)).toEqual([0.5, 0.25, 0.5]);
    expect(Array.from(table.coCount!)).toEqual([10, 4, 10]);
  });

  it('a missing column: named, with the columns found', async () => {
    const p = await problemOf(() => readNeighbourTable(fileOf('nb.csv', 'movieId,neighbourId,weight\n1,2,0.5\n')));
    expect(p.message).toBe(
      'nb.csv: no column named "similarity" (columns: movieId, neighbourId, weight). A neighbour table has movieId,neighbourId,similarity and optionally coCount.',
    );
    const pq = await problemOf(() =>
      readNeighbourTable(
        fileOf(
          'nb.parquet',
          parquetOf([
            { name: 'movieId', data: Int32Array.of(1), type: 'INT32' },
            { name: 'similarity', data: Float32Array.of(0.5), type: 'FLOAT' },
          ]),
        ),
      ),
    );
    expect(pq.message).toMatch(/^nb\.parquet: no column named "neighbourId" \(columns: movieId, similarity\)/);
  });

  it('a bad value: names the line and the column', async () => {
    const p = await problemOf(() => readNeighbourTable(fileOf('nb.csv', 'movieId,neighbourId,similarity\n1,2,0.5\n1,x,0.5\n')));
    expect(p).toMatchObject({ file: 'nb.csv', line: 3 });
    expect(p.message).toBe('nb.csv, line 3, column neighbourId: expected a whole-number movie id, found "x".');
    const sim = await problemOf(() => readNeighbourTable(fileOf('nb.csv', 'movieId,neighbourId,similarity\n1,2,\n')));
    expect(sim.message).toBe('nb.csv, line 2, column similarity: expected a number, found "".');
  });
});
