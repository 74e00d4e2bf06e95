/**
 * The personal-data worker: a thin Comlink adapter over src/lib/personal. It reads the files a
 * person imports (Letterboxd's export or zip, IMDb's ratings, MovieLens-format ratings) and
 * matches them against the release off the main thread; the fuzzy search over 60,000 titles and
 * a zip's inflate would otherwise stall the page. Nothing here stores anything: the page shows
 * the review and merges what the person confirms (acceptReview, mergeRatings).
 */
import { expose, transfer } from 'comlink';
import { parseLinksBlob, type LinksTable } from '../src/lib/formats/links-csv';
import type { InputFile } from '../src/lib/pipeline/input-files';
import { problemFrom, type Outcome } from '../src/lib/pipeline/outcome';
import { importRatings } from '../src/lib/personal/import-ratings';
import type { ImportReview } from '../src/lib/personal/import-review';
import type { MatchCatalog } from '../src/lib/personal/match-index';
import { ratingsToLetterboxdCsv, ratingsToMovieLensCsv, type LetterboxdExport, type RatingRecord } from '../src/lib/personal/export-ratings';

async function linksOf(file: InputFile | undefined): Promise<LinksTable | undefined> {
  return file ? (await parseLinksBlob(file.blob, file.name, { skipBadLines: true })).links : undefined;
}

const api = {
  /**
   * Reads the chosen files and matches every film against the release's movies (`catalog`, the
   * model's catalog with its vote counts) and, when given, the release's links.csv.
   */
  async importRatings(
    files: InputFile[],
    catalog: MatchCatalog,
    links: InputFile | undefined,
    options: { skipBadLines?: boolean } = {},
  ): Promise<Outcome<ImportReview>> {
    try {
      return { ok: true, value: await importRatings(files, catalog, await linksOf(links), options) };
    } catch (error) {
      return { ok: false, problem: problemFrom(error, files.map((f) => f.name).join(', ')) };
    }
  },

  /** links.csv as columns, for the Letterboxd and recommendations exports the page writes itself. */
  async readLinks(file: InputFile): Promise<Outcome<LinksTable>> {
    try {
      const links = (await linksOf(file))!;
      return transfer({ ok: true as const, value: links }, [links.movieIds.buffer, links.imdbIds.buffer, links.tmdbIds.buffer]);
    } catch (error) {
      return { ok: false, problem: problemFrom(error, file.name) };
    }
  },

  /** The person's ratings as CSV text: MovieLens format, or Letterboxd's import format. */
  async exportRatings(
    format: 'movielens' | 'letterboxd',
    ratings: RatingRecord[],
    catalog: MatchCatalog,
    links: InputFile | undefined,
  ): Promise<Outcome<LetterboxdExport>> {
    try {
      if (format === 'movielens') return { ok: true, value: { text: ratingsToMovieLensCsv(ratings), omitted: [] } };
      return { ok: true, value: ratingsToLetterboxdCsv(ratings, catalog, await linksOf(links)) };
    } catch (error) {
      return { ok: false, problem: problemFrom(error, links?.name ?? '') };
    }
  },
};

export type PersonalApi = typeof api;

expose(api);
