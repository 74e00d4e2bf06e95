/**
 * "because you rated Heat (+0.21), Casino (+0.12; shares: crime, mafia)": one recommendation's
 * reasons in words, the same on the page and in the CLI. Each size is that rated movie's share
 * of the score (app-recommender.ts, explainScore), so a person can check that they add up.
 */

export interface BecauseItem {
  title: string;
  contribution: number;
  /** What the rated movie shares with the recommendation, for a content-led reason. */
  shares: string[];
}

/**
 * "+0.21", "+0.058": two significant digits below 1 (iALS shares are often a few hundredths, and
 * two decimals would print most of them alike), two decimals above.
 */
export function formatContribution(x: number): string {
  const size = Math.abs(x) >= 1 || x === 0 ? x.toFixed(2) : x.toPrecision(2);
  return x >= 0 ? `+${size}` : size;
}

/** One reason: "Casino (+0.12; shares: crime, mafia)". */
export function becausePart(b: BecauseItem): string {
  return `${b.title} (${formatContribution(b.contribution)}${b.shares.length ? `; shares: ${b.shares.join(', ')}` : ''})`;
}

/** The whole line, or '' when there is no reason (popular filler). */
export function becauseText(because: readonly BecauseItem[]): string {
  return because.length ? `because you rated ${because.map(becausePart).join(', ')}` : '';
}

/**
 * "new: nobody has rated it yet; scored like Heat, Ronin": for a movie scored by factors borrowed
 * from its content neighbours (borrowed-factors.ts), '' for any other.
 */
export function likeText(titles: readonly string[]): string {
  return titles.length ? `new: nobody has rated it yet; scored like ${titles.join(', ')}` : '';
}
