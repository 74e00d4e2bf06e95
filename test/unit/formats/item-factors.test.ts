import { describe, expect, it } from 'vitest';
import { readItemFactors } from '../../../src/lib/formats/item-factors';
import { splitVector } from '../../../src/lib/formats/item-factors-csv';
import { InputError, type InputProblem } from '../../../src/lib/types';
import { fileOf, parquetOf, sparkFactorsParquet } from '../../support/spark-parquet';

async function problemOf(run: () => Promise<unknown>): Promise<InputProblem> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error.problem;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** Three movies, four factors each; values exactly representable in float32. */
const IDS = [1, 2, 318];
const FEATURES = [
  [0.5, -0.25, 1, 0],
  [0.125, 0.75, -1.5, 2],
  [-0.5, 0.5, 0.25, 0.0625],
];

describe('item factors as Spark writes them (Parquet: id int, features array<float>)', () => {
  it('reads ids and factors in file order, across row groups', async () => {
    const factors = await readItemFactors([fileOf('part-00000.snappy.parquet', sparkFactorsParquet(IDS, FEATURES, { rowGroupSize: 2 }))]);
    expect(Array.from(factors.ids)).toEqual(IDS);
    expect(factors.factors).toBe(4);
    expect(Array.from(factors.values)).toEqual(FEATURES.flat());
    expect(factors.files).toEqual(['part-00000.snappy.parquet']);
  });

  it("reads Spark's output folder: part files in order, _SUCCESS and .crc files skipped", async () => {
    const factors = await readItemFactors([
      fileOf('item-factors.parquet/part-00000.snappy.parquet', sparkFactorsParquet(IDS.slice(0, 2), FEATURES.slice(0, 2))),
      fileOf('item-factors.parquet/part-00001.snappy.parquet', sparkFactorsParquet(IDS.slice(2), FEATURES.slice(2))),
      fileOf('item-factors.parquet/_SUCCESS', ''),
      fileOf('item-factors.parquet/.part-00000.snappy.parquet.crc', 'crc'),
    ]);
    expect(Array.from(factors.ids)).toEqual(IDS);
    expect(Array.from(factors.values)).toEqual(FEATURES.flat());
  });

  it('accepts an INT64 id and DOUBLE factors (a cast on the way out of Spark)', async () => {
    const bytes = parquetOf([
      { name: 'id', data: IDS.map(BigInt), type: 'INT64' },
      { name: 'features', data: FEATURES, type: 'DOUBLE', list: true },
    ]);
    const factors = await readItemFactors([fileOf('f.parquet', bytes)]);
    expect(Array.from(factors.ids)).toEqual(IDS);
    expect(Array.from(factors.values)).toEqual(FEATURES.flat());
  });

  it('a missing id column: names it and lists the columns found', async () => {
    const bytes = parquetOf([
      { name: 'movie', data: Int32Array.from(IDS), type: 'INT32' },
      { name: 'features', data: FEATURES, type: 'FLOAT', list: true },
    ]);
    const p = await problemOf(() => readItemFactors([fileOf('f.parquet', bytes)]));
    expect(p.message).toBe(
      'f.parquet: the column "id" should be a whole-number movie id column, found no such column (columns: movie, features). Spark\'s itemFactors have "id" (int) and "features" (array<float>).',
    );
  });

  it('features that are not a list of numbers: names the column and what it holds', async () => {
    const flat = parquetOf([
      { name: 'id', data: Int32Array.from(IDS), type: 'INT32' },
      { name: 'features', data: [0.5, 1, 2], type: 'DOUBLE' },
    ]);
    expect((await problemOf(() => readItemFactors([fileOf('f.parquet', flat)]))).message).toMatch(
      /the column "features" should be a list of numbers \(array<float>\), found DOUBLE/,
    );
    const text = parquetOf([
      { name: 'id', data: Int32Array.from(IDS), type: 'INT32' },
      { name: 'features', data: ['a', 'b', 'c'], type: 'STRING' },
    ]);
    expect((await problemOf(() => readItemFactors([fileOf('f.parquet', text)]))).message).toMatch(
      /the column "features" should be a list of numbers \(array<float>\), found BYTE_ARRAY/,
    );
    const ids = parquetOf([
      { name: 'id', data: ['1', '2', '3'], type: 'STRING' },
      { name: 'features', data: FEATURES, type: 'FLOAT', list: true },
    ]);
    expect((await problemOf(() => readItemFactors([fileOf('f.parquet', ids)]))).message).toMatch(/the column "id" should be INT32 or INT64, found BYTE_ARRAY/);
  });

  it('a row with another number of factors: names the row and its id', async () => {
    const bytes = sparkFactorsParquet(IDS, [FEATURES[0], FEATURES[1], [1, 2, 3]], { rowGroupSize: 2 });
    const p = await problemOf(() => readItemFactors([fileOf('f.parquet', bytes)]));
    expect(p.message).toBe('f.parquet, row 3 (id 318) has 3 factors, but row 1 has 4: every movie needs the same number. Check that the file holds one model.');
  });

  it('a row without factors (null features): names the row', async () => {
    const bytes = sparkFactorsParquet(IDS, [FEATURES[0], null, FEATURES[2]]);
    expect((await problemOf(() => readItemFactors([fileOf('f.parquet', bytes)]))).message).toBe('f.parquet, row 2 (id 2) has no factors.');
  });

  it('a file that is not Parquet among part files: says which', async () => {
    const p = await problemOf(() => readItemFactors([fileOf('a.parquet', sparkFactorsParquet(IDS, FEATURES)), fileOf('b.csv', '1,2,3')]));
    expect(p.message).toMatch(/^b\.csv is not Parquet, but other factor files are/);
  });
});

describe('item factors as CSV', () => {
  const expectFactors = async (text: string) => {
    const factors = await readItemFactors([fileOf('factors.csv', text)]);
    expect(Array.from(factors.ids)).toEqual(IDS);
    expect(Array.from(factors.values)).toEqual(FEATURES.flat());
  };

  it('id,f1,...,fk with a header, with a BOM and CRLF', async () => {
    await expectFactors('\uFEFFid,f1,f2,f3,f4\r\n' + IDS.map((id, r) => `${id},${FEATURES[r].join(',')}`).join('\r\n') + '\r\n');
  });

  it('movieId,features with a bracketed, quoted vector', async () => {
    await expectFactors('movieId,features\n' + IDS.map((id, r) => `${id},"[${FEATURES[r].join(', ')}]"`).join('\n'));
  });

  it('no header: id then numbers, or id then a space-separated vector', async () => {
    await expectFactors(IDS.map((id, r) => `${id},${FEATURES[r].join(',')}`).join('\n'));
    await expectFactors(IDS.map((id, r) => `${id},${FEATURES[r].join(' ')}`).join('\n') + '\n\n');
  });

  it('splits vectors written by Spark, numpy or by hand', () => {
    expect(splitVector('[0.1, -2e-3,3]')).toEqual(['0.1', '-2e-3', '3']);
    expect(splitVector(' 0.1 0.2 ')).toEqual(['0.1', '0.2']);
    expect(splitVector('0.1;0.2')).toEqual(['0.1', '0.2']);
  });

  it('errors name the file, line and what was found', async () => {
    const mismatch = await problemOf(() => readItemFactors([fileOf('factors.csv', 'id,a,b\n1,0.5,0.25\n2,0.5\n')]));
    expect(mismatch).toMatchObject({ file: 'factors.csv', line: 3 });
    expect(mismatch.message).toBe(
      'factors.csv, line 3 (id 2) has 1 factors, but line 2 has 2: every movie needs the same number. Check that the file holds one model.',
    );
    const notNumber = await problemOf(() => readItemFactors([fileOf('factors.csv', 'id,a,b\n1,0.5,x\n')]));
    expect(notNumber.message).toBe('factors.csv, line 2 (id 1): factor 2 is "x", not a number.');
    const empty = await problemOf(() => readItemFactors([fileOf('factors.csv', 'id,a,b\n1,0.5,\n')]));
    expect(empty.message).toBe('factors.csv, line 2 (id 1): factor 2 is empty, not a number.');
    const badId = await problemOf(() => readItemFactors([fileOf('factors.csv', 'id,a\n1.5,0.5\n')]));
    expect(badId.message).toBe('factors.csv, line 2: the id "1.5" is not a whole-number movie id.');
    const noId = await problemOf(() => readItemFactors([fileOf('factors.csv', 'name,a,b\nx,1,2\n')]));
    expect(noId).toMatchObject({ file: 'factors.csv', line: 1 });
    expect(noId.message).toMatch(/no column named "id" \(or movieId\) among name, a, b/);
    expect((await problemOf(() => readItemFactors([fileOf('factors.csv', '')]))).message).toBe('factors.csv is empty.');
  });
});
