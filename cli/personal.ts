/**
 * The command line's side of importing a person's ratings: read the file given with --ratings
 * (Letterboxd, IMDb, MovieLens format, or Letterboxd's zip), match it against the release and say
 * on stderr what matched. The commands in latentlens.ts call these; the core is src/lib/personal.
 */
import { openAsBlob, statSync } from 'node:fs';
import { InputError } from '../src/lib/types';
import { parseLinksBlob, type LinksTable } from '../src/lib/formats/links-csv';
import type { DatasetFiles } from '../src/lib/pipeline/input-files';
import { readImportFiles } from '../src/lib/personal/import-files';
import type { ParsedImport } from '../src/lib/personal/imported-film';
import { buildReview, type ImportReview } from '../src/lib/personal/import-review';
import { acceptReview, type AcceptedImport } from '../src/lib/personal/accept-review';
import { MatchIndex, type MatchCatalog } from '../src/lib/personal/match-index';
import { reviewSummaryLines } from '../src/lib/personal/review-summary';

/** Reads the person's ratings file; done before the build, so a wrong file fails in a second, not after it. */
export async function readRatingsFile(path: string): Promise<ParsedImport[]> {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch {
    throw new InputError({
      kind: 'io',
      file: path,
      message: `${path}: no such file. --ratings takes Letterboxd's ratings.csv (or its export zip), IMDb's ratings export, or a movieId,rating file.`,
    });
  }
  return readImportFiles([{ name: path, blob: await openAsBlob(path) }]);
}

/** The release's links.csv, when it has one; bad lines are left out rather than stopping a recommendation. */
export async function releaseLinks(ds: DatasetFiles): Promise<LinksTable | undefined> {
  return ds.links ? (await parseLinksBlob(ds.links.blob, ds.links.name, { skipBadLines: true })).links : undefined;
}

/**
 * Matches the parsed files against the release and keeps what matched without asking (by id or
 * by title); ambiguous films are left out, since the command line cannot ask. The summary goes
 * to `log` (stderr), so stdout stays the result.
 */
export function matchRatings(
  parsed: ParsedImport[],
  catalog: MatchCatalog,
  links: LinksTable | undefined,
  log: (line: string) => void,
): { review: ImportReview; accepted: AcceptedImport } {
  const review = buildReview(parsed, new MatchIndex(catalog, links));
  for (const line of reviewSummaryLines(review)) log(`${line}\n`);
  return { review, accepted: acceptReview(review) };
}
