import { IMPORT_SOURCE_LABELS } from './imported-film';
import type { ImportReview } from './import-review';

export interface ReviewCounts {
  /** Distinct films after duplicates were resolved. */
  films: number;
  matched: number;
  matchedByTitle: number;
  ambiguous: number;
  notFound: number;
  seen: number;
  duplicates: number;
  /** Lines without a rating that were left out (IMDb lists). */
  unrated: number;
  skipped: number;
}

export function reviewCounts(review: ImportReview): ReviewCounts {
  const matched = review.matched.length;
  const matchedByTitle = review.matchedByTitle.length;
  const ambiguous = review.ambiguous.length;
  const notFound = review.notFound.length;
  const seen = review.seen.length;
  return {
    films: matched + matchedByTitle + ambiguous + notFound + seen,
    matched,
    matchedByTitle,
    ambiguous,
    notFound,
    seen,
    duplicates: review.duplicates,
    unrated: review.files.reduce((s, f) => s + f.unrated, 0),
    skipped: review.files.reduce((s, f) => s + f.skipped, 0),
  };
}

/** The share of distinct films matched to one movie without asking (by id or by title, rated or seen). */
export function matchRate(review: ImportReview): number {
  const c = reviewCounts(review);
  return c.films === 0 ? 0 : (c.matched + c.matchedByTitle + c.seen) / c.films;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** The review in a few plain lines, for the command line's stderr. */
export function reviewSummaryLines(review: ImportReview, maxListed = 10): string[] {
  const c = reviewCounts(review);
  const lines = review.files.map((f) => `${f.file}: ${IMPORT_SOURCE_LABELS[f.source]}, ${plural(f.lines, 'line')}`);
  lines.push(
    `Matched ${plural(c.matched + c.matchedByTitle + c.seen, 'film')} of ${c.films.toLocaleString('en')} (${(matchRate(review) * 100).toFixed(1)}%): ` +
      `${c.matched.toLocaleString('en')} by id, ${c.matchedByTitle.toLocaleString('en')} by title, ${c.seen.toLocaleString('en')} seen without a rating.`,
  );
  if (!review.linksUsed) lines.push('The release has no links.csv: IMDb and Letterboxd films were matched by title and year only.');
  if (c.duplicates) lines.push(`${plural(c.duplicates, 'repeated line')} in the same file: the newest rating of each film was kept.`);
  if (c.unrated) lines.push(`${plural(c.unrated, 'line')} without a rating left out.`);
  if (c.skipped) lines.push(`${plural(c.skipped, 'bad line')} skipped.`);
  const name = (f: { title: string; year: number; movieId: number; imdbId: number }) =>
    f.title ? `${f.title}${f.year ? ` (${f.year})` : ''}` : f.movieId ? `movieId ${f.movieId}` : `tt${f.imdbId}`;
  if (c.ambiguous) {
    lines.push(`${plural(c.ambiguous, 'film')} with several possible movies, left out (choose them in the page):`);
    for (const row of review.ambiguous.slice(0, maxListed)) lines.push(`  ${name(row.film)}: ${row.candidates.map((m) => m.title).join(' | ')}`);
    if (c.ambiguous > maxListed) lines.push(`  ... and ${c.ambiguous - maxListed} more`);
  }
  if (c.notFound) {
    lines.push(`${plural(c.notFound, 'film')} not in this release:`);
    lines.push(
      `  ${review.notFound
        .slice(0, maxListed)
        .map((r) => name(r.film))
        .join('; ')}${c.notFound > maxListed ? `; ... and ${c.notFound - maxListed} more` : ''}`,
    );
  }
  return lines;
}
