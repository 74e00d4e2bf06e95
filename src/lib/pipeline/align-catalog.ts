import type { IdMap, MoviesTable } from '../types';
import { createIndexer } from '../matrix/id-map';

/**
 * Re-orders the movies file into dense movie-index order so that catalog.titles[i] belongs to
 * movie i. Rated movies missing from the movies file get a placeholder title ("Unknown movie
 * #123") instead of being dropped: their ratings still shape everyone else's neighbours.
 */
export function alignCatalog(movies: IdMap, table: MoviesTable | undefined): MoviesTable {
  const n = movies.ids.length;
  const titles = new Array<string>(n);
  const years = new Int16Array(n);
  const genreMasks = new Uint32Array(n);
  const filled = new Uint8Array(n);
  if (table) {
    const indexOf = createIndexer(movies);
    for (let r = 0; r < table.count; r++) {
      const i = indexOf(table.movieIds[r]);
      if (i < 0 || filled[i]) continue;
      filled[i] = 1;
      titles[i] = table.titles[r];
      years[i] = table.years[r];
      genreMasks[i] = table.genreMasks[r];
    }
  }
  for (let i = 0; i < n; i++) if (!filled[i]) titles[i] = `Unknown movie #${movies.ids[i]}`;
  return {
    count: n,
    movieIds: movies.ids.slice(),
    titles,
    years,
    genreMasks,
    genreNames: table ? table.genreNames.slice() : [],
  };
}
