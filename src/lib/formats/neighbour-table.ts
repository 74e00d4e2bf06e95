/**
 * An item-neighbour table computed elsewhere (e.g. Spark, from its ALS factors or from the
 * ratings): one row per (movie, neighbour) pair,
 *
 *   movieId,neighbourId,similarity[,coCount]
 *
 * as CSV with a header, or Parquet with those columns. Column names are matched without regard
 * to case, and "neighborId" is accepted too. Order does not matter: each movie's neighbours are
 * sorted when the table is turned into the model's Neighbours (pipeline/imported-model.ts).
 */
import Papa from 'papaparse';
import { InputError } from '../types';
import type { InputFile } from '../pipeline/input-files';
import { describeColumn, findColumn, hasParquetMagic, openParquet, readParquetColumns } from './parquet-blob';
import { truncate } from './problems';

export interface NeighbourRows {
  count: number;
  movieIds: Int32Array;
  neighbourIds: Int32Array;
  similarity: Float32Array;
  /** Raters in common, when the table has the column. */
  coCount?: Int32Array;
  file: string;
}

const COLUMNS = {
  movieId: ['movieId', 'movie', 'id', 'itemId'],
  neighbourId: ['neighbourId', 'neighborId', 'neighbour', 'neighbor', 'otherId'],
  similarity: ['similarity', 'sim', 'score', 'cosine'],
  coCount: ['coCount', 'co_count', 'corated', 'support'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['movieId', 'neighbourId', 'similarity'];

class RowsBuilder {
  movieIds: number[] = [];
  neighbourIds: number[] = [];
  similarity: number[] = [];
  coCount: number[] = [];
  constructor(
    readonly file: string,
    readonly withCoCount: boolean,
  ) {}

  add(values: Record<Column, unknown>, where: () => string, line?: number): void {
    const bad = (column: Column, expected: string) => {
      const found = truncate(String(values[column]));
      return new InputError({
        kind: 'parse',
        file: this.file,
        line,
        expected,
        found,
        message: `${this.file}, ${where()}, column ${column}: expected ${expected}, found "${found}".`,
      });
    };
    const id = (column: Column) => {
      const v = values[column];
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2147483647) throw bad(column, 'a whole-number movie id');
      return n;
    };
    this.movieIds.push(id('movieId'));
    this.neighbourIds.push(id('neighbourId'));
    const s = typeof values.similarity === 'string' && values.similarity.trim() !== '' ? Number(values.similarity) : values.similarity;
    if (typeof s !== 'number' || !Number.isFinite(s)) throw bad('similarity', 'a number');
    this.similarity.push(s);
    if (this.withCoCount) {
      const c = typeof values.coCount === 'bigint' ? Number(values.coCount) : typeof values.coCount === 'string' ? Number(values.coCount) : values.coCount;
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) throw bad('coCount', 'a whole number ≥ 0');
      this.coCount.push(c);
    }
  }

  finish(): NeighbourRows {
    if (this.movieIds.length === 0) throw new InputError({ kind: 'empty', file: this.file, message: `${this.file} holds no neighbour rows.` });
    return {
      count: this.movieIds.length,
      movieIds: Int32Array.from(this.movieIds),
      neighbourIds: Int32Array.from(this.neighbourIds),
      similarity: Float32Array.from(this.similarity),
      coCount: this.withCoCount ? Int32Array.from(this.coCount) : undefined,
      file: this.file,
    };
  }
}

function missingColumn(file: string, column: Column, found: string[]): InputError {
  return new InputError({
    kind: 'format',
    file,
    expected: `a column named ${column}`,
    found: truncate(found.join(', ')),
    message: `${file}: no column named "${column}" (columns: ${truncate(found.join(', ')) || 'none'}). A neighbour table has movieId,neighbourId,similarity and optionally coCount.`,
  });
}

/** Reads a neighbour table from CSV (with a header) or Parquet. */
export async function readNeighbourTable(file: InputFile): Promise<NeighbourRows> {
  const head = new Uint8Array(await file.blob.slice(0, 4).arrayBuffer());
  return hasParquetMagic(head) ? readParquetTable(file) : readCsvTable(file);
}

async function readCsvTable(file: InputFile): Promise<NeighbourRows> {
  const text = (await file.blob.text()).replace(/^\uFEFF/, '');
  let at: Record<Column, number> | undefined;
  let rows: RowsBuilder | undefined;
  let line = 0;
  // Row by row (a 25M table has millions of rows): no array of all rows is ever built.
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: ({ data: fields }) => {
      line++;
      if (!at) {
        const header = fields.map((h) => h.trim());
        at = {} as Record<Column, number>;
        for (const column of Object.keys(COLUMNS) as Column[]) {
          at[column] = header.findIndex((h) => (COLUMNS[column] as readonly string[]).some((c) => c.toLowerCase() === h.toLowerCase()));
          if (at[column] < 0 && REQUIRED.includes(column)) throw missingColumn(file.name, column, header);
        }
        rows = new RowsBuilder(file.name, at.coCount >= 0);
        return;
      }
      if (fields.length === 1 && fields[0].trim() === '') return;
      const values = { movieId: fields[at.movieId], neighbourId: fields[at.neighbourId], similarity: fields[at.similarity], coCount: fields[at.coCount] };
      const n = line;
      rows!.add(values, () => `line ${n}`, n);
    },
  });
  if (!rows) throw missingColumn(file.name, 'movieId', []);
  return rows.finish();
}

async function readParquetTable(file: InputFile): Promise<NeighbourRows> {
  const table = await openParquet(file);
  const names = {} as Record<Column, string | undefined>;
  for (const column of Object.keys(COLUMNS) as Column[]) {
    const found = findColumn(table, COLUMNS[column]);
    if (!found && REQUIRED.includes(column)) throw missingColumn(file.name, column, [...table.columns.keys()]);
    if (found && found.children.length > 0) {
      throw new InputError({
        kind: 'format',
        file: file.name,
        expected: `a column of numbers for ${column}`,
        found: describeColumn(found),
        message: `${file.name}: the column "${found.element.name}" should hold one number per row, found ${describeColumn(found)}.`,
      });
    }
    names[column] = found?.element.name;
  }
  const wanted = (Object.keys(names) as Column[]).filter((c) => names[c] !== undefined);
  const data: Partial<Record<Column, unknown[]>> = {};
  for (const c of wanted) data[c] = new Array(table.rows);
  await readParquetColumns(
    table,
    wanted.map((c) => names[c]!),
    (chunk) => {
      const c = wanted.find((w) => names[w] === chunk.columnName)!;
      for (let r = chunk.rowStart; r < chunk.rowEnd; r++) data[c]![r] = chunk.columnData[r - chunk.rowStart];
    },
  );
  const rows = new RowsBuilder(file.name, names.coCount !== undefined);
  for (let r = 0; r < table.rows; r++) {
    const values = { movieId: data.movieId![r], neighbourId: data.neighbourId![r], similarity: data.similarity![r], coCount: data.coCount?.[r] };
    rows.add(values, () => `row ${r + 1}`);
  }
  return rows.finish();
}
