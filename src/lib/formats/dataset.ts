import type { CheckCancelled } from '../types';
import type { DatasetFiles } from '../pipeline/input-files';
import { parseMoviesDat, parseRatingsDat } from './dat';
import { detectEncoding } from './encoding';
import { parseGenomeScores, parseGenomeTags, type GenomeScores, type GenomeTags } from './genome';
import { parseUData, parseUItem } from './ml-100k';
import { parseMoviesCsv, type MoviesParseResult } from './movies-csv';
import { parseRatingsCsv, type RatingsParseResult } from './ratings-csv';

export interface DatasetParseOptions {
  check?: CheckCancelled;
  skipBadLines?: boolean;
}

/** The ratings of a detected release, whatever its layout, as the same RatingsBatch[]. */
export function parseDatasetRatings(
  ds: DatasetFiles,
  opts: DatasetParseOptions & { onProgress?: (bytesDone: number, bytesTotal: number, rows: number) => void } = {},
): Promise<RatingsParseResult> {
  const parse = ds.format === 'csv' ? parseRatingsCsv : ds.format === 'dat' ? parseRatingsDat : parseUData;
  return parse(ds.ratings.blob, {
    fileName: ds.ratings.name,
    check: opts.check,
    skipBadLines: opts.skipBadLines,
    onProgress: opts.onProgress,
  });
}

/** The movies of a detected release as a MoviesTable; undefined when no movies file was given. */
export async function parseDatasetMovies(
  ds: DatasetFiles,
  opts: DatasetParseOptions & { onProgress?: (bytesDone: number, bytesTotal: number) => void } = {},
): Promise<MoviesParseResult | undefined> {
  if (!ds.movies) return undefined;
  const encoding = ds.encoding ?? (await detectEncoding(ds.movies.blob));
  const parse = ds.format === 'csv' ? parseMoviesCsv : ds.format === 'dat' ? parseMoviesDat : parseUItem;
  return parse(ds.movies.blob, {
    fileName: ds.movies.name,
    encoding,
    check: opts.check,
    skipBadLines: opts.skipBadLines,
    onProgress: opts.onProgress,
  });
}

export interface Genome {
  scores: GenomeScores;
  tags: GenomeTags;
  skipped: number;
}

/** The tag genome of a CSV release, when both of its files were given; undefined otherwise. */
export async function parseDatasetGenome(
  ds: DatasetFiles,
  opts: DatasetParseOptions & { onProgress?: (bytesDone: number, bytesTotal: number) => void } = {},
): Promise<Genome | undefined> {
  if (!ds.genomeScores || !ds.genomeTags) return undefined;
  const tags = await parseGenomeTags(ds.genomeTags.blob, { fileName: ds.genomeTags.name, check: opts.check, skipBadLines: opts.skipBadLines });
  const scores = await parseGenomeScores(ds.genomeScores.blob, {
    fileName: ds.genomeScores.name,
    check: opts.check,
    skipBadLines: opts.skipBadLines,
    onProgress: opts.onProgress,
  });
  return { scores: scores.value, tags: tags.value, skipped: scores.skipped + tags.skipped };
}
