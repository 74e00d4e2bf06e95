/**
 * The bundled sample's movies.csv and links.csv (public/data/ml-latest-small), parsed once per
 * test file: the catalogue the import tests match against, as the page would.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMoviesCsv } from '../../src/lib/formats/movies-csv';
import { parseLinksCsv, type LinksTable } from '../../src/lib/formats/links-csv';
import type { MoviesTable } from '../../src/lib/types';
import { MatchIndex } from '../../src/lib/personal/match-index';

const SAMPLE_DIR = fileURLToPath(new URL('../../public/data/ml-latest-small/', import.meta.url));

export interface SampleCatalog {
  movies: MoviesTable;
  links: LinksTable;
  /** Index of a movieId in `movies`. */
  at: (movieId: number) => number;
  /** With links.csv, and without (title matching only). */
  index: MatchIndex;
  titlesOnly: MatchIndex;
}

let cached: Promise<SampleCatalog> | undefined;

export function sampleCatalog(): Promise<SampleCatalog> {
  cached ??= (async () => {
    const { movies } = await parseMoviesCsv(new Blob([readFileSync(SAMPLE_DIR + 'movies.csv')]), { fileName: 'movies.csv' });
    const { links } = parseLinksCsv(readFileSync(SAMPLE_DIR + 'links.csv', 'utf8'), 'links.csv');
    const pos = new Map<number, number>();
    for (let i = 0; i < movies.count; i++) pos.set(movies.movieIds[i], i);
    return {
      movies,
      links,
      at: (movieId: number) => pos.get(movieId) ?? -1,
      index: new MatchIndex(movies, links),
      titlesOnly: new MatchIndex(movies),
    };
  })();
  return cached;
}

/** The IMDb id links.csv gives a movie (0 when none). */
export function imdbOf(links: LinksTable, movieId: number): number {
  for (let r = 0; r < links.count; r++) if (links.movieIds[r] === movieId) return links.imdbIds[r];
  return 0;
}
