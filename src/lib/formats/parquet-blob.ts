/**
 * Parquet files read with hyparquet from a Blob (a dropped File, or Node's openAsBlob): the
 * footer is read first, then only the columns asked for, by slicing the Blob, so a worker never
 * holds the whole file. What a caller needs to check a schema and name the culprit lives here.
 */
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type ColumnData, type FileMetaData, type SchemaTree } from 'hyparquet';
import { InputError } from '../types';
import type { InputFile } from '../pipeline/input-files';

/** "PAR1": the first (and last) four bytes of every Parquet file. */
export function hasParquetMagic(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}

/** hyparquet's random-access file: each slice is one Blob read. */
export function blobAsyncBuffer(blob: Blob): AsyncBuffer {
  return { byteLength: blob.size, slice: (start, end) => blob.slice(start, end).arrayBuffer() };
}

export interface ParquetTable {
  file: InputFile;
  buffer: AsyncBuffer;
  metadata: FileMetaData;
  rows: number;
  /** Top-level columns by name. */
  columns: Map<string, SchemaTree>;
}

/** Opens a Parquet file's footer; a file that is not Parquet gets a 'format' error naming it. */
export async function openParquet(file: InputFile): Promise<ParquetTable> {
  const buffer = blobAsyncBuffer(file.blob);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new InputError({
      kind: 'format',
      file: file.name,
      expected: 'a Parquet file',
      found: 'an unreadable footer',
      message: `${file.name} is not a readable Parquet file (${(error as Error).message}). Choose a part file Spark wrote (part-*.parquet), or the whole folder.`,
    });
  }
  const columns = new Map(parquetSchema(metadata).children.map((c) => [c.element.name, c]));
  return { file, buffer, metadata, rows: Number(metadata.num_rows), columns };
}

/** The first of `names` the table has (compared case-insensitively), as the file spells it. */
export function findColumn(table: ParquetTable, names: readonly string[]): SchemaTree | undefined {
  for (const want of names) {
    for (const [name, column] of table.columns) if (name.toLowerCase() === want.toLowerCase()) return column;
  }
  return undefined;
}

/** The leaf of a column: itself for a primitive, the element of a list (2- or 3-level) otherwise. */
export function leafOf(column: SchemaTree): SchemaTree {
  let node = column;
  while (node.children.length === 1) node = node.children[0];
  return node;
}

/** True for a list column: LIST-annotated group, or a repeated field (Spark's legacy layout). */
export function isListColumn(column: SchemaTree): boolean {
  const e = column.element;
  return (
    e.converted_type === 'LIST' ||
    e.logical_type?.type === 'LIST' ||
    e.repetition_type === 'REPEATED' ||
    (column.children.length === 1 && column.children[0].element.repetition_type === 'REPEATED')
  );
}

/** A column's type in words, for messages: "INT32", "list of FLOAT", "a group of 3 fields". */
export function describeColumn(column: SchemaTree): string {
  if (isListColumn(column)) return `a list of ${leafOf(column).element.type ?? 'groups'}`;
  if (column.children.length > 0) return `a group of ${column.children.length} fields`;
  return column.element.type ?? 'an unknown type';
}

/** Reads the named columns, handing each column chunk (one per row group) to `onChunk`. */
export async function readParquetColumns(table: ParquetTable, names: string[], onChunk: (chunk: ColumnData) => void): Promise<void> {
  try {
    await parquetRead({ file: table.buffer, metadata: table.metadata, columns: names, onChunk });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({
      kind: 'format',
      file: table.file.name,
      expected: 'a readable Parquet file',
      found: (error as Error).message,
      message: `${table.file.name} could not be read as Parquet (${(error as Error).message}). Write it again, or export it as CSV.`,
    });
  }
}
