import { InputError, type InputProblem, type MoviesTable } from '../types';
import { idExpected, lineProblem, ProblemLog, truncate } from './problems';

/** What MovieLens writes in the genres column of a movie without genres. */
export const NO_GENRES_LISTED = '(no genres listed)';

/** A genre mask is a Uint32: one bit per distinct genre. */
export const MAX_GENRES = 32;

const YEAR_AT_END = /\((\d{4})(?:[-–]\d{4})?\)\s*$/;
const DIGITS = /^\d+$/;
const INT32_MAX = 2147483647;

/** The release year at the end of a title ("Heat (1995)", "Cosmos (1980-1981)"); 0 when absent. */
export function extractYear(title: string): number {
  const match = YEAR_AT_END.exec(title);
  return match ? Number(match[1]) : 0;
}

/** The genres of a genres field; none for an empty field or "(no genres listed)". */
export function splitGenres(field: string): string[] {
  const text = field.trim();
  if (text === '' || text === NO_GENRES_LISTED) return [];
  return text
    .split('|')
    .map((g) => g.trim())
    .filter((g) => g !== '' && g !== NO_GENRES_LISTED);
}

/**
 * Collects the movies of any movies file (movies.csv, movies.dat, u.item) into a MoviesTable,
 * judging what every format shares: a whole-number movieId listed once, at most 32 genres.
 * The format's parser splits lines into fields; this class owns the rules and the messages.
 */
export class MoviesTableBuilder {
  readonly log: ProblemLog;
  private readonly ids: number[] = [];
  private readonly titles: string[] = [];
  private readonly years: number[] = [];
  private readonly masks: number[] = [];
  private readonly lineOfId = new Map<number, number>();
  private readonly genreNames: string[] = [];
  private readonly genreBit = new Map<string, number>();

  constructor(
    readonly fileName: string,
    skipBadLines: boolean,
  ) {
    this.log = new ProblemLog(skipBadLines);
  }

  get count(): number {
    return this.ids.length;
  }

  /** Adds the movie on `line` (raw is the line's text, for messages), or reports why not. */
  add(line: number, raw: string, idText: string, title: string, genres: readonly string[]): void {
    const idTrimmed = idText.trim();
    const id = DIGITS.test(idTrimmed) ? Number(idTrimmed) : -1;
    if (id < 0 || id > INT32_MAX) {
      this.bad(line, raw, idExpected('movieId', idTrimmed), `"${truncate(idTrimmed)}"`);
      return;
    }
    const firstLine = this.lineOfId.get(id);
    if (firstLine !== undefined) {
      this.bad(line, raw, 'each movieId once', `movieId ${id} again (first on line ${firstLine})`);
      return;
    }
    let mask = 0;
    for (const genre of genres) {
      let bit = this.genreBit.get(genre);
      if (bit === undefined) {
        bit = this.genreNames.length;
        if (bit >= MAX_GENRES) {
          throw new InputError({
            ...this.problem(line, raw, `at most ${MAX_GENRES} distinct genres`, `genre "${truncate(genre)}" as number ${bit + 1}`),
            kind: 'format',
          });
        }
        this.genreBit.set(genre, bit);
        this.genreNames.push(genre);
      }
      mask |= 1 << bit;
    }
    const trimmed = title.trim();
    this.lineOfId.set(id, line);
    this.ids.push(id);
    this.titles.push(trimmed);
    this.years.push(extractYear(trimmed));
    // >>> 0: bit 31 makes `mask` negative as an int32.
    this.masks.push(mask >>> 0);
  }

  problem(line: number, raw: string, expected: string, found: string): InputProblem {
    return lineProblem(this.fileName, line, raw, expected, found);
  }

  /** A bad line: thrown, or counted and skipped with skipBadLines. */
  bad(line: number, raw: string, expected: string, found: string): void {
    this.log.report(this.problem(line, raw, expected, found));
  }

  build(): MoviesTable {
    return {
      count: this.ids.length,
      movieIds: Int32Array.from(this.ids),
      titles: this.titles.slice(),
      years: Int16Array.from(this.years),
      genreMasks: Uint32Array.from(this.masks),
      genreNames: this.genreNames.slice(),
    };
  }
}
