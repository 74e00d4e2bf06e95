import { InputError, type CheckCancelled } from '../types';
import { detectEncoding } from '../formats/encoding';
import { hasZipSignature, isJunkEntry, unzipBlob } from '../formats/zip';
import type { InputFile } from '../pipeline/input-files';
import { readCsvTable } from './csv-table';
import { parseImportTable } from './detect-format';
import type { ImportParseOptions, ParsedImport } from './imported-film';

/**
 * The most a person's export may unpack to. A Letterboxd export of 10,000 films is about 3 MB
 * and IMDb's is smaller; anything beyond this is a MovieLens release or something else chosen by
 * mistake, and is refused before it is read into memory.
 */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** The files of Letterboxd's export zip that say what a person saw and rated. */
const LETTERBOXD_FILES = ['ratings.csv', 'diary.csv', 'watched.csv'];

const baseOf = (name: string) => name.split(/[\\/]/).pop()!.toLowerCase();
const depthOf = (name: string) => name.split(/[\\/]/).length;

function tooLarge(file: InputFile): InputError {
  return new InputError({
    kind: 'format',
    file: file.name,
    expected: `a ratings export of at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
    found: `${(file.blob.size / 1024 / 1024).toFixed(0)} MB`,
    message: `${file.name} is ${(file.blob.size / 1024 / 1024).toFixed(0)} MB: too large for one person's ratings (Letterboxd and IMDb exports are a few MB). To build a model from a MovieLens release, load it under "Load data" instead.`,
  });
}

/** Parses the text of one exported file, whichever of the supported exports it is. */
export function parseRatingsText(text: string, fileName: string, opts: ImportParseOptions = {}): ParsedImport {
  return parseImportTable(readCsvTable(text, fileName), opts);
}

async function textOf(file: InputFile): Promise<string> {
  if (file.blob.size > MAX_IMPORT_BYTES) throw tooLarge(file);
  const encoding = await detectEncoding(file.blob);
  return new TextDecoder(encoding).decode(await file.blob.arrayBuffer());
}

/**
 * The CSV files worth reading in a zip: Letterboxd's ratings, diary and watched files (the ones
 * nearest the top, since the export also has deleted/ and orphaned/ copies), or else its only CSV.
 */
async function csvFilesInZip(zip: InputFile, check?: CheckCancelled): Promise<InputFile[]> {
  if (zip.blob.size > MAX_IMPORT_BYTES) throw tooLarge(zip);
  const entries = await unzipBlob(zip.blob, {
    fileName: zip.name,
    keep: (name) => /\.csv$/i.test(name) && !isJunkEntry(name),
    maxUncompressedBytes: MAX_IMPORT_BYTES,
    check,
  });
  const picked: InputFile[] = [];
  for (const want of LETTERBOXD_FILES) {
    const same = entries.filter((e) => baseOf(e.name) === want).sort((a, b) => depthOf(a.name) - depthOf(b.name));
    if (same.length > 0) picked.push({ name: `${zip.name}/${same[0].name}`, blob: same[0].blob });
  }
  if (picked.length > 0) return picked;
  if (entries.length === 1) return [{ name: `${zip.name}/${entries[0].name}`, blob: entries[0].blob }];
  const names = entries.map((e) => e.name).join(', ') || 'no CSV files';
  throw new InputError({
    kind: 'format',
    file: zip.name,
    expected: "Letterboxd's export zip (ratings.csv, diary.csv, watched.csv) or a zip of one ratings file",
    found: names,
    message: `${zip.name} holds ${names}: not Letterboxd's export (ratings.csv, diary.csv, watched.csv) and not one ratings file. Choose the zip Letterboxd sent, or the CSV files themselves.`,
  });
}

/**
 * Reads everything a person chose to import: loose CSV files and zips (Letterboxd's export),
 * each detected by its header. Throws an InputError naming the file for the first one that is
 * not a ratings export, so nothing is half-imported.
 */
export async function readImportFiles(files: readonly InputFile[], opts: ImportParseOptions & { check?: CheckCancelled } = {}): Promise<ParsedImport[]> {
  const out: ParsedImport[] = [];
  for (const file of files) {
    opts.check?.();
    const head = new Uint8Array(await file.blob.slice(0, 4).arrayBuffer());
    const csvs = /\.zip$/i.test(file.name) || hasZipSignature(head) ? await csvFilesInZip(file, opts.check) : [file];
    for (const csv of csvs) out.push(parseRatingsText(await textOf(csv), csv.name, opts));
  }
  return out;
}
