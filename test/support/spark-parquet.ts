/**
 * Parquet files as Spark MLlib writes them, made in the tests with hyparquet-writer: ALS item
 * factors (`model.itemFactors.write.parquet(...)`) and an item-neighbour table.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { InputFile } from '../../src/lib/pipeline/input-files';

/** Spark's itemFactors schema: `id` int (not null), `features` array<float> (3-level list). */
export const SPARK_ITEM_FACTORS_SCHEMA = [
  { name: 'spark_schema', num_children: 2 },
  { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
] as const;

/** Item factors in Spark's schema; `rowGroupSize` small splits them into several row groups. */
export function sparkFactorsParquet(ids: number[], features: (number[] | null)[], opts: { rowGroupSize?: number } = {}): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: [
      { name: 'id', data: Int32Array.from(ids) },
      { name: 'features', data: features },
    ],
    schema: SPARK_ITEM_FACTORS_SCHEMA.map((e) => ({ ...e })),
    rowGroupSize: opts.rowGroupSize,
  });
}

type Primitive = 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'STRING';

/** Any columns, types given (`list: true` for a 3-level list of that type), for tables with the wrong schema. */
export function parquetOf(columns: { name: string; data: unknown[] | Int32Array | Float32Array; type: Primitive; list?: boolean }[]): ArrayBuffer {
  const leaf = (name: string, type: Primitive, repetition: 'REQUIRED' | 'OPTIONAL') =>
    type === 'STRING'
      ? { name, type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: repetition }
      : { name, type, repetition_type: repetition };
  const schema: Record<string, unknown>[] = [{ name: 'schema', num_children: columns.length }];
  for (const c of columns) {
    if (c.list) {
      schema.push({ name: c.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 });
      schema.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      schema.push(leaf('element', c.type, 'REQUIRED'));
    } else schema.push(leaf(c.name, c.type, 'OPTIONAL'));
  }
  return parquetWriteBuffer({ columnData: columns.map((c) => ({ name: c.name, data: c.data as unknown[] })), schema: schema as never });
}

/** A neighbour table in Parquet: movieId, neighbourId (int), similarity (float), coCount (int). */
export function neighbourTableParquet(rows: [number, number, number, number?][]): ArrayBuffer {
  const withCo = rows.every((r) => r[3] !== undefined);
  return parquetOf([
    { name: 'movieId', data: Int32Array.from(rows.map((r) => r[0])), type: 'INT32' },
    { name: 'neighbourId', data: Int32Array.from(rows.map((r) => r[1])), type: 'INT32' },
    { name: 'similarity', data: Float32Array.from(rows.map((r) => r[2])), type: 'FLOAT' },
    ...(withCo ? [{ name: 'coCount', data: Int32Array.from(rows.map((r) => r[3]!)), type: 'INT32' as const }] : []),
  ]);
}

export function fileOf(name: string, data: ArrayBuffer | string): InputFile {
  return { name, blob: new Blob([data]) };
}
