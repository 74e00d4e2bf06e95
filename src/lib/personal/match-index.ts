import type { LinksTable } from '../formats/links-csv';
import { TitleSearch } from '../model/title-search';
import { displayTitle } from '../model/titles';
import { movieLensTitleKeys } from './title-key';

/**
 * The release's movies as matching needs them, index i being one movie. A MoviesTable fits,
 * and so does a model's catalog with its vote counts (which rank the fuzzy search's candidates).
 */
export interface MatchCatalog {
  movieIds: Int32Array;
  /** As the movies file writes them: "Godfather, The (1972)". */
  titles: readonly string[];
  /** 0 when the title has no year. */
  years: Int16Array;
  /** Ratings per movie; ranks near misses, most rated first. */
  votes?: Int32Array;
}

function push(map: Map<number, number[]> | Map<string, number[]>, key: number | string, i: number): void {
  const m = map as Map<number | string, number[]>;
  const list = m.get(key);
  if (!list) m.set(key, [i]);
  else if (list[list.length - 1] !== i) list.push(i);
}

/**
 * Lookups from what an import knows (a MovieLens id, an IMDb or TMDb id, a title) to catalogue
 * indices. Ids map to lists because releases have a few duplicated movies sharing one IMDb id;
 * a list of two is for the person to choose from.
 */
export class MatchIndex {
  private readonly byMovieId = new Map<number, number>();
  private readonly byImdb = new Map<number, number[]>();
  private readonly byTmdb = new Map<number, number[]>();
  private readonly byKey = new Map<string, number[]>();
  private fuzzy: TitleSearch | undefined;
  readonly hasLinks: boolean;

  constructor(
    readonly catalog: MatchCatalog,
    links?: LinksTable,
  ) {
    const n = catalog.movieIds.length;
    for (let i = 0; i < n; i++) {
      this.byMovieId.set(catalog.movieIds[i], i);
      for (const key of movieLensTitleKeys(catalog.titles[i])) push(this.byKey, key, i);
    }
    this.hasLinks = !!links && links.count > 0;
    if (links) {
      for (let r = 0; r < links.count; r++) {
        const i = this.byMovieId.get(links.movieIds[r]);
        if (i === undefined) continue;
        push(this.byImdb, links.imdbIds[r], i);
        if (links.tmdbIds[r] > 0) push(this.byTmdb, links.tmdbIds[r], i);
      }
    }
  }

  get size(): number {
    return this.catalog.movieIds.length;
  }

  indexOfMovieId(movieId: number): number {
    return this.byMovieId.get(movieId) ?? -1;
  }

  byImdbId(imdbId: number): readonly number[] {
    return this.byImdb.get(imdbId) ?? [];
  }

  byTmdbId(tmdbId: number): readonly number[] {
    return this.byTmdb.get(tmdbId) ?? [];
  }

  /** Movies whose main or alternative title has this key (see titleKey). */
  byTitleKey(key: string): readonly number[] {
    return this.byKey.get(key) ?? [];
  }

  /**
   * Near misses from the page's own typo-tolerant search ("Godfater" finds "Godfather, The");
   * built on first use, since most imports never need it.
   */
  nearMisses(title: string, year: number, limit: number): number[] {
    const { titles, years, votes } = this.catalog;
    this.fuzzy ??= new TitleSearch(titles.map(displayTitle), years, votes ?? new Int32Array(years.length));
    return this.fuzzy.search(year > 0 ? `${title} ${year}` : title, limit);
  }
}
