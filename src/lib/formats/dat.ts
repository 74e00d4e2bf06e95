import type { MoviesParseResult } from './movies-csv';
import { MoviesLineParser, parseMoviesLines, type MoviesLinesOptions } from './movies-lines';
import { splitGenres } from './movies-table';
import { truncate } from './problems';
import {
  parseRatingsLines,
  RatingsLineParser,
  type RatingsLineFormat,
  type RatingsLineParserOptions,
  type RatingsParseOptions,
  type RatingsParseResult,
} from './ratings-lines';

/**
 * The "::"-separated files of ML-1M and ML-10M. Neither has a header; ML-1M rates in whole
 * stars, ML-10M in half stars; ML-1M's text is ISO-8859-1 and ML-10M's UTF-8.
 */
export const RATINGS_DAT_LAYOUT = 'UserID::MovieID::Rating::Timestamp';
export const MOVIES_DAT_LAYOUT = 'MovieID::Title::Genres';

export const RATINGS_DAT: RatingsLineFormat = {
  separator: '::',
  layout: RATINGS_DAT_LAYOUT,
  separatorWords: '"::"-separated',
  fileWords: 'a MovieLens ratings.dat',
  chooseWords: 'choose the ratings.dat',
};

/** The push/finish parser for ratings.dat: see RatingsLineParser. */
export class RatingsDatParser extends RatingsLineParser {
  constructor(opts: RatingsLineParserOptions) {
    super(RATINGS_DAT, opts);
  }
}

/** Parses an ML-1M or ML-10M ratings.dat into typed-array batches, streaming the blob. */
export function parseRatingsDat(source: Blob, opts: RatingsParseOptions): Promise<RatingsParseResult> {
  return parseRatingsLines(RATINGS_DAT, source, opts);
}

/** movies.dat: "1::Toy Story (1995)::Animation|Children's|Comedy". */
export class MoviesDatParser extends MoviesLineParser {
  protected readonly layout = MOVIES_DAT_LAYOUT;

  protected record(text: string, line: number): void {
    const fields = text.split('::');
    if (fields.length < 3) {
      this.table.bad(line, text, `3 "::"-separated fields (${MOVIES_DAT_LAYOUT})`, `${fields.length} in "${truncate(text)}"`);
      return;
    }
    // No MovieLens title contains "::", but if one did, the id and genres still bracket it.
    const title = fields.slice(1, -1).join('::');
    this.table.add(line, text, fields[0], title, splitGenres(fields[fields.length - 1]));
  }
}

/** Parses an ML-1M or ML-10M movies.dat; pass encoding 'latin1' for ML-1M (see detectEncoding). */
export function parseMoviesDat(source: Blob, opts: MoviesLinesOptions): Promise<MoviesParseResult> {
  return parseMoviesLines(new MoviesDatParser(opts), source, opts);
}
