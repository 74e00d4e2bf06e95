import type { CheckCancelled } from '../types';
import type { LinksTable } from '../formats/links-csv';
import type { InputFile } from '../pipeline/input-files';
import { readImportFiles } from './import-files';
import type { ImportParseOptions } from './imported-film';
import { buildReview, type ImportReview } from './import-review';
import { MatchIndex, type MatchCatalog } from './match-index';

/**
 * The whole import up to the review: read the files (loose CSVs or Letterboxd's zip), then
 * match every film against the release. Nothing is stored: acceptReview and mergeRatings do
 * that after the person confirms.
 */
export async function importRatings(
  files: readonly InputFile[],
  catalog: MatchCatalog,
  links?: LinksTable,
  opts: ImportParseOptions & { check?: CheckCancelled } = {},
): Promise<ImportReview> {
  const parsed = await readImportFiles(files, opts);
  return buildReview(parsed, new MatchIndex(catalog, links));
}
