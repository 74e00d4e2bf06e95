/**
 * Item factors trained elsewhere (Spark MLlib's ALS `model.itemFactors`, or any matrix
 * factorisation): one row per movie, its id and its f latent factors. Read from Parquet with
 * Spark's schema (item-factors-parquet.ts) or from CSV (item-factors-csv.ts); both hand their
 * rows to FactorRows, which checks them the same way and names the row that is wrong.
 */
import { InputError } from '../types';
import type { InputFile } from '../pipeline/input-files';
import { hasParquetMagic } from './parquet-blob';
import { truncate } from './problems';

export interface ItemFactors {
  /** Raw movie id of each row, in file order (files in the order given). */
  ids: Int32Array;
  factors: number;
  /** rows × factors, row-major, aligned with `ids`. */
  values: Float32Array;
  /** The files read, for messages and the fingerprint. */
  files: string[];
}

/** Names an id column may have: Spark's `id`, or MovieLens's own. */
export const ID_COLUMNS = ['id', 'movieId', 'itemId', 'item'] as const;
/** Spark's name for the factor vector. */
export const FEATURES_COLUMN = 'features';

/** Most factors accepted per movie: beyond this a file is something else (or the page would stall). */
export const MAX_FACTORS = 1024;

/**
 * Collects checked factor rows. `where` names a row for a person ("line 12", "row 12") and is
 * only built when something is wrong.
 */
export class FactorRows {
  private ids: number[] = [];
  private values = new Float32Array(0);
  private rows = 0;
  private f = 0;
  private firstWhere = '';

  constructor(private readonly file: string) {}

  get count(): number {
    return this.rows;
  }

  /** Adds one row; `vector` is any array-like of numbers (a parsed list, or CSV fields). */
  add(id: unknown, vector: ArrayLike<unknown> | null | undefined, where: () => string): void {
    const movieId = this.checkId(id, where);
    if (vector === null || vector === undefined || vector.length === 0) {
      throw this.error(where, 'a list of factors', 'no factors', `${where()} (id ${movieId}) has no factors.`);
    }
    if (this.rows === 0) {
      if (vector.length > MAX_FACTORS) {
        throw this.error(
          where,
          `at most ${MAX_FACTORS} factors`,
          `${vector.length}`,
          `${where()} (id ${movieId}) has ${vector.length} factors; at most ${MAX_FACTORS} are supported.`,
        );
      }
      this.f = vector.length;
      this.firstWhere = where();
    } else if (vector.length !== this.f) {
      throw this.error(
        where,
        `${this.f} factors, as on ${this.firstWhere}`,
        `${vector.length} factors`,
        `${where()} (id ${movieId}) has ${vector.length} factors, but ${this.firstWhere} has ${this.f}: every movie needs the same number. Check that the file holds one model.`,
      );
    }
    if ((this.rows + 1) * this.f > this.values.length) {
      const grown = new Float32Array(Math.max(1024 * this.f, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    const o = this.rows * this.f;
    for (let t = 0; t < this.f; t++) {
      const v = vector[t];
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(x)) {
        throw this.error(
          where,
          'a finite number',
          truncate(String(v)),
          `${where()} (id ${movieId}): factor ${t + 1} is ${v === null || v === undefined || v === '' ? 'empty' : `"${truncate(String(v))}"`}, not a number.`,
        );
      }
      this.values[o + t] = x;
    }
    this.ids.push(movieId);
    this.rows++;
  }

  private checkId(id: unknown, where: () => string): number {
    const n = typeof id === 'bigint' ? Number(id) : typeof id === 'string' && /^\s*-?\d+\s*$/.test(id) ? Number(id) : id;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2147483647) {
      throw this.error(where, 'a whole-number movie id', truncate(String(id)), `${where()}: the id "${truncate(String(id))}" is not a whole-number movie id.`);
    }
    return n;
  }

  private error(where: () => string, expected: string, found: string, message: string): InputError {
    const at = where();
    const line = /^line (\d+)/.exec(at);
    return new InputError({ kind: 'parse', file: this.file, line: line ? Number(line[1]) : undefined, expected, found, message: `${this.file}, ${message}` });
  }

  /** The rows so far as ItemFactors; throws when there were none. */
  finish(files: string[]): ItemFactors {
    if (this.rows === 0) {
      throw new InputError({ kind: 'empty', file: this.file, expected: 'one row per movie', found: 'no rows', message: `${this.file} holds no factor rows.` });
    }
    return { ids: Int32Array.from(this.ids), factors: this.f, values: this.values.slice(0, this.rows * this.f), files };
  }
}

/**
 * Reads item factors from the files given: Parquet (by its "PAR1" magic; Spark's output folder
 * holds several part files, read in the order given) or CSV. Loaded lazily, so the page loads
 * the Parquet reader only when someone imports factors.
 */
export async function readItemFactors(files: InputFile[]): Promise<ItemFactors> {
  const parts = files.filter((f) => !/(^|[\\/])(_SUCCESS|\.[^\\/]*\.crc|_committed_[^\\/]*|_started_[^\\/]*)$/.test(f.name));
  if (parts.length === 0) throw new InputError({ kind: 'empty', file: files.map((f) => f.name).join(', '), message: 'No item factor files were given.' });
  const heads = await Promise.all(parts.map(async (f) => new Uint8Array(await f.blob.slice(0, 4).arrayBuffer())));
  if (heads.every(hasParquetMagic)) {
    const { readFactorsParquet } = await import('./item-factors-parquet');
    return readFactorsParquet(parts);
  }
  if (parts.length === 1) {
    const { readFactorsCsv } = await import('./item-factors-csv');
    return readFactorsCsv(parts[0]);
  }
  const odd = parts.find((_, i) => !hasParquetMagic(heads[i]))!;
  throw new InputError({
    kind: 'format',
    file: odd.name,
    expected: 'Parquet part files, or one CSV file',
    found: 'a mix',
    message: `${odd.name} is not Parquet, but other factor files are: give Spark's Parquet part files together, or one CSV file.`,
  });
}
