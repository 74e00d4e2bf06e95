/**
 * Item factors as CSV, in either of the two shapes a person gets out of Spark or numpy:
 *
 *   id,f1,f2,...,fk             one column per factor (any names; a header is optional)
 *   id,features                 the vector in one field: "[0.1, 0.2]", "0.1 0.2" or "0.1;0.2"
 *
 * The id column may be called id, movieId, itemId or item. Papa Parse handles the quoting (a
 * bracketed vector holds commas); lines are numbered as in the file for messages.
 */
import Papa from 'papaparse';
import { InputError } from '../types';
import type { InputFile } from '../pipeline/input-files';
import { FactorRows, FEATURES_COLUMN, ID_COLUMNS, type ItemFactors } from './item-factors';
import { truncate } from './problems';

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** "[0.1, 0.2]", "0.1 0.2", "0.1;0.2" → its fields. */
export function splitVector(field: string): string[] {
  const inner = field
    .trim()
    .replace(/^[[(]/, '')
    .replace(/[\])]$/, '');
  return inner.split(/[\s,;]+/).filter((s) => s !== '');
}

export async function readFactorsCsv(file: InputFile): Promise<ItemFactors> {
  // A factor table is small next to the ratings (59k movies × 64 factors is ~40 MB of text).
  const text = (await file.blob.text()).replace(/^\uFEFF/, '');
  const lines = Papa.parse<string[]>(text, { skipEmptyLines: false }).data;
  const first = lines.findIndex((l) => l.length > 1 || (l[0] ?? '').trim() !== '');
  if (first < 0) throw new InputError({ kind: 'empty', file: file.name, message: `${file.name} is empty.` });
  const head = lines[first];
  const hasHeader = !NUMBER.test(head[0] ?? '');
  let idAt = 0;
  let vectorAt = -1;
  if (hasHeader) {
    const names = head.map((h) => h.trim().toLowerCase());
    idAt = names.findIndex((h) => (ID_COLUMNS as readonly string[]).some((c) => c.toLowerCase() === h));
    if (idAt < 0) {
      throw new InputError({
        kind: 'format',
        file: file.name,
        line: first + 1,
        expected: 'a column named id (or movieId)',
        found: truncate(head.join(',')),
        message: `${file.name}, line ${first + 1}: no column named "id" (or movieId) among ${truncate(head.join(', '))}. Expected id,features or id,f1,...,fk.`,
      });
    }
    vectorAt = names.indexOf(FEATURES_COLUMN);
  } else if (head.length === 2 && splitVector(head[1]).length > 1) {
    vectorAt = 1;
  }
  const rows = new FactorRows(file.name);
  for (let i = hasHeader ? first + 1 : first; i < lines.length; i++) {
    const fields = lines[i];
    if (fields.length === 1 && fields[0].trim() === '') continue;
    const where = () => `line ${i + 1}`;
    const vector = vectorAt >= 0 ? splitVector(fields[vectorAt] ?? '') : fields.filter((_, c) => c !== idAt);
    rows.add(fields[idAt], vector, where);
  }
  return rows.finish([file.name]);
}
