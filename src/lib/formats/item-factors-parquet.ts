/**
 * Item factors as Spark MLlib's ALS writes them (`model.itemFactors.write.parquet(...)`):
 *
 *   message spark_schema {
 *     required int32 id;
 *     optional group features (LIST) { repeated group list { required float element; } }
 *   }
 *
 * read with hyparquet, column chunk by column chunk. An id of INT64 and factors of DOUBLE are
 * accepted too (a cast on the way out of Spark), as are Spark's legacy two-level lists.
 */
import { InputError } from '../types';
import type { InputFile } from '../pipeline/input-files';
import { describeColumn, findColumn, isListColumn, leafOf, openParquet, readParquetColumns, type ParquetTable } from './parquet-blob';
import { FactorRows, FEATURES_COLUMN, ID_COLUMNS, type ItemFactors } from './item-factors';

const ID_TYPES = new Set(['INT32', 'INT64']);
const FACTOR_TYPES = new Set(['FLOAT', 'DOUBLE']);

function schemaError(table: ParquetTable, column: string, expected: string, found: string): InputError {
  const columns = [...table.columns.keys()].join(', ') || 'none';
  return new InputError({
    kind: 'format',
    file: table.file.name,
    column,
    expected,
    found,
    message: `${table.file.name}: the column "${column}" should be ${expected}, found ${found} (columns: ${columns}). Spark's itemFactors have "id" (int) and "features" (array<float>).`,
  });
}

/** The id and features columns of one part file, checked against Spark's schema. */
function factorColumns(table: ParquetTable): { id: string; features: string } {
  const id = findColumn(table, ID_COLUMNS);
  if (!id) throw schemaError(table, 'id', 'a whole-number movie id column', 'no such column');
  if (id.children.length > 0 || !ID_TYPES.has(id.element.type ?? '')) throw schemaError(table, id.element.name, 'INT32 or INT64', describeColumn(id));
  const features = findColumn(table, [FEATURES_COLUMN]);
  if (!features) throw schemaError(table, FEATURES_COLUMN, 'a list of numbers (array<float>)', 'no such column');
  if (!isListColumn(features) || !FACTOR_TYPES.has(leafOf(features).element.type ?? '')) {
    throw schemaError(table, features.element.name, 'a list of numbers (array<float>)', describeColumn(features));
  }
  return { id: id.element.name, features: features.element.name };
}

/** Reads Spark's item factors from one or more Parquet part files, in the order given. */
export async function readFactorsParquet(files: InputFile[]): Promise<ItemFactors> {
  const name = files.length === 1 ? files[0].name : `${files[0].name} (and ${files.length - 1} more)`;
  const rows = new FactorRows(name);
  for (const file of files) {
    const table = await openParquet(file);
    const columns = factorColumns(table);
    // Column chunks arrive one row group at a time, the two columns separately: ids wait here
    // until their factors arrive, and rows are added in file order.
    const ids: unknown[] = new Array(table.rows);
    const vectors: unknown[] = new Array(table.rows);
    let added = 0;
    // hyparquet does not pass on what onChunk throws; the first problem waits here instead.
    let failure: unknown;
    const where = (r: number) => () => `${files.length > 1 ? `${file.name}, ` : ''}row ${r + 1}`;
    await readParquetColumns(table, [columns.id, columns.features], (chunk) => {
      if (failure) return;
      const target = chunk.columnName === columns.id ? ids : vectors;
      for (let r = chunk.rowStart; r < chunk.rowEnd; r++) target[r] = chunk.columnData[r - chunk.rowStart];
      try {
        while (added < table.rows && ids[added] !== undefined && vectors[added] !== undefined) {
          rows.add(ids[added], vectors[added] as ArrayLike<unknown> | null, where(added));
          ids[added] = vectors[added] = undefined;
          added++;
        }
      } catch (error) {
        failure = error;
      }
    });
    if (failure) throw failure;
    // A null features cell never arrives as defined: report the first row left over.
    if (added < table.rows) rows.add(ids[added], null, where(added));
  }
  return rows.finish(files.map((f) => f.name));
}
