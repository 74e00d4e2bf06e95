import type { ImportedFilm } from './imported-film';
import { preferred, type ImportReview } from './import-review';

/** A rating ready to store: raw MovieLens movieId, stars, and when (seconds since epoch; 0 unknown). */
export interface IncomingRating {
  movieId: number;
  rating: number;
  ratedAt: number;
}

/** What the person confirmed: ratings to merge, and movies seen without a rating. */
export interface AcceptedImport {
  ratings: IncomingRating[];
  /** MovieLens ids of films watched but not rated (none of them also in `ratings`). */
  seen: number[];
}

/** The person's answers to the review, by row key ("file:line"). */
export interface ReviewChoices {
  /** The movieId chosen for an ambiguous or not-found row (any movie, not only a candidate). */
  picks?: ReadonlyMap<string, number>;
  /** Matched, title-matched or seen rows the person unticked. */
  rejected?: ReadonlySet<string>;
}

/**
 * Turns a confirmed review into what is stored: every match the person kept and every pick they
 * made. Ambiguous and not-found rows without a pick are left out. A pick can land on a movie
 * another row already matched; the same rule as within the file (`preferred`) decides.
 */
export function acceptReview(review: ImportReview, choices: ReviewChoices = {}): AcceptedImport {
  const byMovie = new Map<number, { film: ImportedFilm; order: number }>();
  let order = 0;
  const take = (movieId: number, film: ImportedFilm) => {
    const entry = { film, order: order++ };
    const other = byMovie.get(movieId);
    byMovie.set(movieId, other ? preferred(other, entry) : entry);
  };
  for (const row of [...review.matched, ...review.matchedByTitle, ...review.seen]) {
    if (!choices.rejected?.has(row.key)) take(row.movie.movieId, row.film);
  }
  for (const row of [...review.ambiguous, ...review.notFound]) {
    const pick = choices.picks?.get(row.key);
    if (pick !== undefined) take(pick, row.film);
  }
  const ratings: IncomingRating[] = [];
  const seen: number[] = [];
  for (const [movieId, { film }] of byMovie) {
    if (film.rating === null) seen.push(movieId);
    else ratings.push({ movieId, rating: film.rating, ratedAt: film.ratedAt });
  }
  ratings.sort((a, b) => a.movieId - b.movieId);
  seen.sort((a, b) => a - b);
  return { ratings, seen };
}
