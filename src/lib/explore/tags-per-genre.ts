/**
 * The users' tags that characterise each genre, from the tag block of the content features:
 * the tags of tags.csv as the content side keeps them (on at least two movies, at most 50 per
 * movie, none that every tagged movie has).
 *
 * Counted as (movie, tag) pairs: c_gt is the number of genre-g movies that carry tag t. With
 * C_g = Σ_t c_gt and, over all movies, c_t and C = Σ_t c_t:
 *
 *   share_g(t) = c_gt / C_g        share(t) = c_t / C        lift = share_g(t) / share(t)
 *   score      = share_g(t) · ln(lift)
 *
 * The score is tag t's term in the Kullback–Leibler divergence of the genre's tag mix from the
 * catalogue's: large when a tag is both common in the genre and much more common there than
 * elsewhere. So "funny" ranks high in Comedy, a tag every genre uses ("atmospheric") in none,
 * and a tag on one odd movie cannot win on lift alone.
 *
 * Why counts and not the TF-IDF weights: idf deliberately shrinks common tags, and "funny" or
 * "sci-fi" are common precisely because they describe their genre; weighted by TF-IDF, names
 * of one series ("nick and nora charles") top Comedy instead.
 */
import { FEATURE_TAG, type ContentFeatures } from '../content/content-features';
import type { MoviesTable } from '../types';

export interface GenreTag {
  tag: string;
  /** Movies of the genre that carry the tag: c_gt. */
  movies: number;
  /** share_g(t) = c_gt / C_g. */
  share: number;
  /** share_g(t) / share(t). */
  lift: number;
  /** share_g(t) · ln(lift), what the list is ranked by. */
  score: number;
}

export interface GenreTags {
  genre: string;
  /** Movies of the genre with at least one tag in the content features. */
  taggedMovies: number;
  /** Best first (score descending, then tag A–Z). */
  tags: GenreTag[];
}

export interface TagsPerGenreOptions {
  /** Tags listed per genre (default 5). */
  limit?: number;
  /** A tag must be on at least this many of the genre's movies (default 2). */
  minMovies?: number;
  /**
   * A tag must be at least this many times as common in the genre as overall (default 1.5).
   * Above 1 on purpose: half the tagged movies are dramas, so a tag spread evenly over the
   * catalogue (a person's "in netflix queue") already has a lift near 1 in Drama.
   */
  minLift?: number;
}

/**
 * The top tags of every genre that has tagged movies, in the catalogue's genre order; empty when
 * the features have no tag block (a release without tags.csv).
 */
export function topTagsPerGenre(
  features: Pick<ContentFeatures, 'matrix' | 'featureNames' | 'featureKinds'>,
  catalog: Pick<MoviesTable, 'genreNames' | 'genreMasks'>,
  opts: TagsPerGenreOptions = {},
): GenreTags[] {
  const limit = opts.limit ?? 5;
  const minMovies = opts.minMovies ?? 2;
  const minLift = opts.minLift ?? 1.5;
  const kinds = features.featureKinds;
  // Tag columns are one block after genres and eras (content-features.ts).
  const tagBase = kinds.indexOf(FEATURE_TAG);
  if (tagBase < 0) return [];
  const nTags = kinds.length - tagBase;
  const nGenres = catalog.genreNames.length;
  // count[g·nTags + t] = c_gt; perGenre[g] = C_g; total[t] = c_t.
  const count = new Int32Array(nGenres * nTags);
  const perGenre = new Float64Array(nGenres);
  const total = new Int32Array(nTags);
  const tagged = new Int32Array(nGenres);
  let all = 0;

  for (const ch of features.matrix.chunks) {
    for (let r = 0; r < ch.rowCount; r++) {
      const end = ch.indptr[r + 1];
      // Columns ascend within a row, so the tags are the row's tail.
      let start = ch.indptr[r];
      while (start < end && ch.indices[start] < tagBase) start++;
      const n = end - start;
      if (n === 0) continue;
      all += n;
      for (let p = start; p < end; p++) total[ch.indices[p] - tagBase]++;
      const mask = catalog.genreMasks[ch.firstRow + r];
      for (let g = 0; g < nGenres; g++) {
        if (((mask >>> g) & 1) === 0) continue;
        tagged[g]++;
        perGenre[g] += n;
        for (let p = start; p < end; p++) count[g * nTags + ch.indices[p] - tagBase]++;
      }
    }
  }

  const out: GenreTags[] = [];
  for (let g = 0; g < nGenres; g++) {
    if (tagged[g] === 0) continue;
    const tags: GenreTag[] = [];
    for (let t = 0; t < nTags; t++) {
      const c = count[g * nTags + t];
      if (c < minMovies) continue;
      const share = c / perGenre[g];
      const lift = share / (total[t] / all);
      if (!(lift >= minLift && lift > 1)) continue;
      tags.push({ tag: features.featureNames[tagBase + t], movies: c, share, lift, score: share * Math.log(lift) });
    }
    tags.sort((x, y) => y.score - x.score || (x.tag < y.tag ? -1 : x.tag > y.tag ? 1 : 0));
    out.push({ genre: catalog.genreNames[g], taggedMovies: tagged[g], tags: tags.slice(0, Math.max(0, limit)) });
  }
  return out;
}
