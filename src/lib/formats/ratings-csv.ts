import {
  parseRatingsLines,
  RatingsLineParser,
  type RatingsLineFormat,
  type RatingsLineParserOptions,
  type RatingsParseOptions,
  type RatingsParseResult,
} from './ratings-lines';

// The engine is shared with the .dat and ML-100k formats; these names stay importable from here.
export { DEFAULT_BATCH_ROWS, rangeReadStart, shiftProblemLine, type ByteRange, type RatingsParseOptions, type RatingsParseResult } from './ratings-lines';

/** The header line of every MovieLens CSV release's ratings.csv. */
export const RATINGS_CSV_HEADER = 'userId,movieId,rating,timestamp';

/** ratings.csv of ML-20M, 25M, 32M and ml-latest(-small): a header, then "1,31,2.5,1260759144". */
export const RATINGS_CSV: RatingsLineFormat = {
  separator: ',',
  header: RATINGS_CSV_HEADER,
  layout: RATINGS_CSV_HEADER,
  separatorWords: 'comma-separated',
  fileWords: 'a MovieLens ratings.csv',
  chooseWords: 'choose the ratings.csv',
};

export type RatingsCsvParserOptions = RatingsLineParserOptions;

/** The push/finish parser for ratings.csv: see RatingsLineParser. */
export class RatingsCsvParser extends RatingsLineParser {
  constructor(opts: RatingsCsvParserOptions) {
    super(RATINGS_CSV, opts);
  }
}

/**
 * Parses a MovieLens ratings.csv (or the lines of one byte range of it) into typed-array
 * batches, streaming the blob so that the whole file is never in memory.
 */
export function parseRatingsCsv(source: Blob, opts: RatingsParseOptions): Promise<RatingsParseResult> {
  return parseRatingsLines(RATINGS_CSV, source, opts);
}
