import { InputError, type InputProblem } from '../types';

/** Skipped lines beyond this are counted, not kept: five examples are enough to act on. */
export const MAX_KEPT_PROBLEMS = 5;

/** How much of a bad line an error message quotes. */
export const MAX_FOUND_CHARS = 80;

/** Shortens text for an error message, marking the cut with an ellipsis. */
export function truncate(text: string, max = MAX_FOUND_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The largest id LatentLens stores: ids live in Int32Arrays. */
export const MAX_ID = 2147483647;

/**
 * What an id field should have been: "a movieId that is a whole number" when it is not one,
 * and the real limit when it is a whole number too large to store.
 */
export function idExpected(name: string, text: string): string {
  return /^\d+$/.test(text.trim())
    ? `a ${name} no larger than ${MAX_ID.toLocaleString('en')} (ids are stored as 32-bit integers)`
    : `a ${name} that is a whole number`;
}

/** The problem of one bad line, phrased the same way by every parser. */
export function lineProblem(file: string, line: number, raw: string, expected: string, found: string): InputProblem {
  return {
    kind: 'parse',
    file,
    line,
    expected,
    found: truncate(raw),
    message: `${file}, line ${line}: expected ${expected}, found ${found}`,
  };
}

/**
 * What a parser does with a bad line: throw it, or (with skipBadLines) count it and keep the
 * first few problems so the summary can show what was skipped.
 */
export class ProblemLog {
  skipped = 0;
  readonly problems: InputProblem[] = [];
  constructor(readonly skipBadLines: boolean) {}

  report(problem: InputProblem): void {
    if (!this.skipBadLines) throw new InputError(problem);
    this.skipped++;
    if (this.problems.length < MAX_KEPT_PROBLEMS) this.problems.push(problem);
  }
}
