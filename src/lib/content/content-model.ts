/**
 * The content side of a model, built in the pipeline from the files a release has: genres and
 * release year (movies file) and users' tags (tags.csv, when given). Its neighbours feed the
 * hybrid recommender and "Similar in content" on a movie page.
 */
import type { CheckCancelled, IdMap, MoviesTable, Neighbours } from '../types';
import type { InputFile } from '../pipeline/input-files';
import { buildContentFeatures, type ContentFeatures } from './content-features';
import { contentNeighbours } from './content-neighbours';
import { parseTagsCsv } from './tags-csv';

export interface ContentModel {
  /** Top CONTENT_K content neighbours of every movie (cosine over the feature blocks). */
  neighbours: Neighbours;
  /** The movie × feature matrix and its feature names, for "shares: …" explanations. */
  features: ContentFeatures;
  /** Movies with at least one tag from tags.csv. */
  taggedMovies: number;
}

/** Content neighbours kept per movie: more than the collaborative 50, so rare movies are reached. */
export const CONTENT_K = 100;

export interface ContentBuildOptions {
  check?: CheckCancelled;
  skipBadLines?: boolean;
  onProgress?: (moviesDone: number, moviesTotal: number) => void;
}

export async function buildContentModel(
  movies: IdMap,
  catalog: MoviesTable,
  tagsFile: InputFile | undefined,
  opts: ContentBuildOptions = {},
): Promise<ContentModel> {
  const parsed = tagsFile ? await parseTagsCsv(tagsFile.blob, { fileName: tagsFile.name, check: opts.check, skipBadLines: opts.skipBadLines }) : undefined;
  const tags = parsed?.tags;
  const features = buildContentFeatures({ movies, catalog, tags: tags && { count: tags.count, movieIds: tags.movieIds, tags: tags.tags, userIds: tags.userIds } });
  const neighbours = contentNeighbours(features, undefined, {
    k: CONTENT_K,
    check: opts.check,
    onProgress: (done, total) => opts.onProgress?.(done, total),
  });
  let taggedMovies = 0;
  if (tags) {
    const seen = new Set<number>();
    for (let r = 0; r < tags.count; r++) seen.add(tags.movieIds[r]);
    taggedMovies = seen.size;
  }
  return { neighbours, features, taggedMovies };
}
