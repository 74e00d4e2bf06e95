import type { MoviesParseResult } from './movies-csv';
import { MoviesLineParser, parseMoviesLines, type MoviesLinesOptions } from './movies-lines';
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
 * ML-100k (1998): u.data holds the ratings, tab-separated without a header; u.item the movies,
 * pipe-separated in ISO-8859-1 with 19 genre flags; u1..u5 and ua/ub .base/.test are
 * ready-made evaluation splits of u.data in the same format.
 */
export const U_DATA_LAYOUT = 'user id<TAB>item id<TAB>rating<TAB>timestamp';
export const U_ITEM_LAYOUT = 'movie id|title|release date|video release date|IMDb URL|19 genre flags';

/** The genre of each of u.item's 19 flags, in file order (as listed in u.genre). */
export const ML100K_GENRES: readonly string[] = [
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
];

/** The flag that means "genre not known": a movie with only it has no genres. */
const UNKNOWN_FLAG = 0;
/** Fields after the title: release date, video release date, IMDb URL, then the flags. */
const FIELDS_AFTER_TITLE = 3 + ML100K_GENRES.length;

const SPLIT_NAME = /^u(?:[1-5]|a|b)\.(?:base|test)$/;

/** Whether a base name is one of ML-100k's evaluation splits: u1.base .. u5.test, ua/ub. */
export function isMl100kSplitName(baseName: string): boolean {
  return SPLIT_NAME.test(baseName.toLowerCase());
}

export const U_DATA: RatingsLineFormat = {
  separator: '\t',
  layout: U_DATA_LAYOUT,
  separatorWords: 'tab-separated',
  fileWords: "ML-100k's u.data",
  chooseWords: 'choose the u.data',
};

/** The push/finish parser for u.data and the split files: see RatingsLineParser. */
export class UDataParser extends RatingsLineParser {
  constructor(opts: RatingsLineParserOptions) {
    super(U_DATA, opts);
  }
}

/** Parses ML-100k's u.data (or one of its .base/.test splits) into typed-array batches. */
export function parseUData(source: Blob, opts: RatingsParseOptions): Promise<RatingsParseResult> {
  return parseRatingsLines(U_DATA, source, opts);
}

/** u.item: "1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/...|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0". */
export class UItemParser extends MoviesLineParser {
  protected readonly layout = U_ITEM_LAYOUT;

  protected record(text: string, line: number): void {
    const fields = text.split('|');
    const n = fields.length;
    if (n < 2 + FIELDS_AFTER_TITLE) {
      this.table.bad(line, text, `${2 + FIELDS_AFTER_TITLE} "|"-separated fields (${U_ITEM_LAYOUT})`, `${n} in "${truncate(text)}"`);
      return;
    }
    const genres: string[] = [];
    for (let g = 0; g < ML100K_GENRES.length; g++) {
      const flag = fields[n - ML100K_GENRES.length + g].trim();
      if (flag !== '0' && flag !== '1') {
        this.table.bad(line, text, `genre flags of 0 or 1 (${ML100K_GENRES[g]})`, `"${truncate(flag)}"`);
        return;
      }
      if (flag === '1' && g !== UNKNOWN_FLAG) genres.push(ML100K_GENRES[g]);
    }
    // The id and the 22 fields after the title bracket it, so a "|" in a title would survive.
    const title = fields.slice(1, n - FIELDS_AFTER_TITLE).join('|');
    this.table.add(line, text, fields[0], title, genres);
  }
}

/** Parses ML-100k's u.item; its release is ISO-8859-1, so pass encoding 'latin1' unless detected otherwise. */
export function parseUItem(source: Blob, opts: MoviesLinesOptions): Promise<MoviesParseResult> {
  return parseMoviesLines(new UItemParser(opts), source, opts);
}
