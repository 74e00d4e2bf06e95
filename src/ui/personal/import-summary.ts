import type { ImportedFilm } from '../../lib/personal/imported-film';
import { imdbTag } from '../../lib/personal/imdb-tag';
import type { ImportCounts } from '../my-ratings.svelte';

const count = (n: number) => n.toLocaleString('en');

/**
 * What a confirmed import changed, in one sentence for the status line: "Added 12, updated 1,
 * unchanged 30." Kept-newer ratings and newly seen films are named only when there are some;
 * `leftOut` counts the rows the person unticked or did not pick a movie for.
 */
export function importSummary(c: ImportCounts, leftOut = 0): string {
  const parts = [`Added ${count(c.added)}`, `updated ${count(c.updated)}`, `unchanged ${count(c.unchanged)}`];
  if (c.keptNewer) parts.push(`kept ${count(c.keptNewer)} newer rating${c.keptNewer === 1 ? '' : 's'} you already had`);
  if (c.seenAdded) parts.push(`marked ${count(c.seenAdded)} as seen`);
  const rest = leftOut ? ` ${count(leftOut)} film${leftOut === 1 ? ' was' : 's were'} not imported.` : '';
  return `${parts.join(', ')}.${rest}`;
}

/** An imported film as its file names it: "The Godfather (1972)", or its id when the file has no title. */
export function filmLabel(film: ImportedFilm): string {
  if (film.title) return film.year ? `${film.title} (${film.year})` : film.title;
  if (film.movieId) return `movieId ${film.movieId}`;
  if (film.imdbId) return imdbTag(film.imdbId);
  return film.tmdbId ? `TMDb ${film.tmdbId}` : `line ${film.line}`;
}

/** Stars as the review shows them; a film watched without a rating says so. */
export function starsLabel(rating: number | null): string {
  return rating === null ? 'seen' : `${rating} ★`;
}
