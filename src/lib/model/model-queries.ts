import type { Model } from '../types';
import { createIndexer } from '../matrix/id-map';
import { neighboursOf } from './neighbour-list';
import { rankPopular } from './popularity';
import { recommendFor, type RankedFor } from '../recommend/app-recommender';
import { closestInTasteSpace } from '../recommend/taste-space';
import { hybridParamsOf, similarParamsOf, type Blend } from '../recommend/blend';
import { hybridNeighbours, type HybridNeighbour } from '../recommend/hybrid-similarity';
import { sharesOf } from '../content/content-shares';
import { contentCosine } from '../content/content-pair';
import { displayTitle } from './titles';
import { TitleSearch } from './title-search';

/** What the page holds: everything but the movie-by-user matrix. */
export type QueryableModel = Omit<Model, 'byUser'>;

export interface MovieCard {
  index: number;
  movieId: number;
  title: string;
  year: number;
  genres: string[];
  votes: number;
  meanRating: number;
  weightedRating: number;
}

/** A neighbour in "Movies like this": the blend and both parts it came from (hybrid-similarity.ts). */
export interface SimilarMovie extends MovieCard, Omit<HybridNeighbour, 'movie'> {
  /** The blend, under the name every list of similar movies uses. */
  similarity: number;
  /** What the two movies share in content ("mafia", "Crime", "early 1970s"), largest part first. */
  shares: string[];
}

/** One of my rated movies behind a recommendation, with its share of the score. */
export interface RecommendedBecause extends MovieCard {
  contribution: number;
  byContent: boolean;
  /** For a content-led reason: what it shares with the recommended movie; else empty. */
  shares: string[];
}

export interface Recommended extends MovieCard {
  score: number;
  source: RankedFor['source'];
  because: RecommendedBecause[];
  /** A movie nobody rated: the content neighbours whose factors it borrowed (most weight first); else empty. */
  like: MovieCard[];
}

export interface PopularFilter {
  genre?: string;
  yearFrom?: number;
  yearTo?: number;
  limit?: number;
}

/**
 * Answers the questions the UI asks of a built model, in raw-movieId terms so URLs and saved
 * ratings stay meaningful across rebuilds. Cheap enough for the main thread: every answer reads
 * at most a few thousand array slots.
 */
export class ModelQueries {
  readonly titles: string[];
  private readonly indexOf: (movieId: number) => number;
  private searchIndex: TitleSearch | undefined;

  /**
   * `blend`: the hybrid's weights, read on every ranking (the page passes its live settings, so a
   * change re-ranks at once); the defaults when absent.
   */
  constructor(
    readonly model: QueryableModel,
    private readonly blend?: Partial<Blend>,
  ) {
    this.titles = model.catalog.titles.map(displayTitle);
    this.indexOf = createIndexer(model.movies);
  }

  /** β of "Movies like this" in use (blend.ts). */
  get similarBeta(): number {
    return similarParamsOf(this.blend).beta;
  }

  get genreNames(): string[] {
    return this.model.catalog.genreNames;
  }

  card(index: number): MovieCard {
    const { catalog, stats, popularity } = this.model;
    const mask = catalog.genreMasks[index];
    return {
      index,
      movieId: this.model.movies.ids[index],
      title: this.titles[index],
      year: catalog.years[index],
      genres: catalog.genreNames.filter((_, g) => (mask >>> g) & 1),
      votes: stats.count[index],
      meanRating: stats.mean[index],
      weightedRating: popularity.score[index],
    };
  }

  cardById(movieId: number): MovieCard | undefined {
    const i = this.indexOf(movieId);
    return i < 0 ? undefined : this.card(i);
  }

  search(query: string, limit = 12): MovieCard[] {
    this.searchIndex ??= new TitleSearch(this.titles, this.model.catalog.years, this.model.stats.count);
    return this.searchIndex.search(query, limit).map((i) => this.card(i));
  }

  /**
   * "Movies like this": collaborative and content neighbours blended by the evidence behind the
   * collaborative part (hybrid-similarity.ts); behaviour alone until the content side is learnt.
   */
  similar(movieId: number, limit = this.model.neighbours.k): SimilarMovie[] {
    const i = this.indexOf(movieId);
    if (i < 0) return [];
    const content = this.model.content;
    const inputs = {
      neighbours: this.model.neighbours,
      content: content?.neighbours,
      contentOf: content && ((a: number, b: number) => contentCosine(content, a, b)),
      ratings: this.model.stats.count,
    };
    return hybridNeighbours(inputs, i, similarParamsOf(this.blend), limit).map(({ movie, ...n }) => ({
      ...this.card(movie),
      ...n,
      similarity: n.blend,
      shares: content ? sharesOf(content, i, movie, 3) : [],
    }));
  }

  /**
   * Movies most alike in content (genres, era, users' tags), each with what they share; empty
   * until the content side is learnt, or without a movies file.
   */
  similarInContent(movieId: number, limit = 10): (MovieCard & { similarity: number; shares: string[] })[] {
    const content = this.model.content;
    const i = this.indexOf(movieId);
    if (!content || i < 0) return [];
    return neighboursOf(content.neighbours, i)
      .slice(0, limit)
      .map((n) => ({ ...this.card(n.index), similarity: n.similarity, shares: sharesOf(content, i, n.index, 3) }));
  }

  /** Movies closest in the iALS factor space; empty when the model has no factors (yet). */
  closestInTaste(movieId: number, limit = 10): (MovieCard & { similarity: number })[] {
    const rec = this.model.recommender;
    const i = this.indexOf(movieId);
    if (rec?.kind !== 'ials' || i < 0) return [];
    return closestInTasteSpace(rec, i, this.model.stats.count, limit).map((n) => ({ ...this.card(n.movie), similarity: n.similarity }));
  }

  popular(filter: PopularFilter = {}): MovieCard[] {
    const ranked = rankPopular(this.model.popularity, this.model.stats, this.model.catalog, {
      limit: filter.limit ?? 20,
      genre: filter.genre || undefined,
      yearFrom: filter.yearFrom || undefined,
      yearTo: filter.yearTo || undefined,
    });
    return Array.from(ranked, (i) => this.card(i));
  }

  /**
   * Recommendations from the person's ratings (raw movieId → stars); unknown ids are ignored.
   * The same ranking `latentlens eval --algo app` measures (src/lib/recommend/app-recommender.ts).
   */
  recommend(mine: ReadonlyMap<number, number>, limit = 20): { items: Recommended[]; fallback: boolean; source: RankedFor['source'] } {
    const movie: number[] = [];
    const rating: number[] = [];
    for (const [id, stars] of mine) {
      const i = this.indexOf(id);
      if (i >= 0) {
        movie.push(i);
        rating.push(stars);
      }
    }
    const result = recommendFor(
      { ...this.model, hybrid: hybridParamsOf(this.blend) },
      { movie: Int32Array.from(movie), rating: Float32Array.from(rating) },
      limit,
    );
    return {
      fallback: result.fallback,
      source: result.source,
      items: result.items.map((r) => ({
        ...this.card(r.movie),
        score: r.score,
        source: r.source,
        like: (r.like ?? []).map((i) => this.card(i)),
        because: r.because.map((b) => ({
          ...this.card(b.movie),
          contribution: b.contribution,
          byContent: b.byContent,
          shares: b.byContent && this.model.content ? sharesOf(this.model.content, b.movie, r.movie, 3) : [],
        })),
      })),
    };
  }
}
