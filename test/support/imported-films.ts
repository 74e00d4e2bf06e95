import type { ImportedFilm, ParsedImport } from '../../src/lib/personal/imported-film';

let nextLine = 2;

/** An imported film with everything unknown but what the test says (a Letterboxd rating by default). */
export function film(over: Partial<ImportedFilm>): ImportedFilm {
  return {
    file: 'ratings.csv',
    line: nextLine++,
    source: 'letterboxd-ratings',
    title: '',
    otherTitles: [],
    year: 0,
    imdbId: 0,
    tmdbId: 0,
    movieId: 0,
    rating: 4,
    ratedAt: 0,
    ...over,
  };
}

/** One parsed file of these films (its name and source taken from the first). */
export function parsedFile(films: ImportedFilm[]): ParsedImport {
  return {
    file: films[0]?.file ?? 'ratings.csv',
    source: films[0]?.source ?? 'letterboxd-ratings',
    films,
    lines: films.length,
    unrated: 0,
    skipped: 0,
    problems: [],
  };
}
