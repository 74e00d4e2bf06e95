/**
 * The recommender behind "Recommended for you", in one place, so that the page and the
 * evaluation (`--algo app`) run exactly the same code: the page ranks by `rankKeys` and shows the
 * top of it; the `app` predictor scores evaluation candidates with the same keys.
 *
 * - With fewer than MIN_RATED_FOR_PERSONAL ratings: weighted popularity (cold start).
 * - Otherwise the person's own scores from the chosen recommender: iALS (the person folded in
 *   against the movie factors) or item-based top-N (sum of neighbour similarities). Movies the
 *   recommender gives no evidence for come after every scored movie, in popularity order.
 * - With content (hybrid.ts): rarely rated movies lean on content; movies nobody rated are scored
 *   by factors borrowed from their content neighbours (iALS, borrowed-factors.ts) or by content
 *   alone (item-based top-N, one or two ratings).
 * - Never: movies the person rated, or, without content, movies nobody in the data set rated.
 */
import type { MovieStats, Neighbours, Popularity } from '../types';
import { addBorrowedScores, borrowedFactor, borrowedFrom, type BorrowedFactor } from './borrowed-factors';
import { contributions, contributionsOf, factorScores, foldIn, type FoldedIn, type MovieFactors } from './fold-in';
import { addNeighbourVotes, rowScales, type ItemKnnTopNParams } from './item-knn-topn';
import { collaborativeShare, contentVotes, contentWeights, DEFAULT_HYBRID, type ContentSide, type HybridParams } from './hybrid';

export type RecommenderKind = 'ials' | 'item-knn-topn';

export const RECOMMENDER_LABELS: Record<RecommenderKind, string> = {
  ials: 'Latent factors (implicit ALS)',
  'item-knn-topn': 'Similar movies summed (item-based top-N)',
};

/** What ranked a list, in words: the recommenders, content for one or two ratings, popularity. */
export const SOURCE_LABELS: Record<RecommenderKind | 'content' | 'popular', string> = {
  ...RECOMMENDER_LABELS,
  content: 'Content (genres, tags, genome) of the movies you rated',
  popular: 'Popularity',
};

/** A fitted recommender as the model stores it (plain data: it crosses workers and IndexedDB). */
export type AppRecommender =
  | ({ kind: 'ials'; fitMs: number; lossByEpoch: number[] } & MovieFactors)
  /** Votes over the model's own neighbour table: nothing more to fit or store. */
  | { kind: 'item-knn-topn'; params: ItemKnnTopNParams; fitMs: number };

/** What ranking for a person reads from a model. */
export interface RecommendInputs {
  neighbours: Neighbours;
  popularity: Popularity;
  stats: MovieStats;
  /** Absent while it is still being built: the list is popularity until then. */
  recommender?: AppRecommender;
  /** Content neighbours (hybrid): new and rarely rated movies, and people with one or two ratings. */
  content?: ContentSide;
  hybrid?: HybridParams;
}

/** The person's ratings, by dense movie index. */
export interface MyRatings {
  movie: Int32Array;
  rating: Float32Array;
}

/** With fewer rated movies than this, the list is popularity only. */
export const MIN_RATED_FOR_PERSONAL = 3;

/**
 * Keys of popular filler: far below any recommender score (iALS scores are about −1..2, votes
 * are ≥ 0), still ordered by weighted rating among themselves.
 */
const FILLER_BASE = -1e9;

export interface RankedFor {
  /** Higher ranks first; −Infinity never shows (rated by the person, or by nobody). */
  keys: Float64Array;
  /** The recommender's own score where it had evidence, NaN elsewhere. */
  scores: Float64Array;
  /**
   * Which recommender ranked the list: 'popular' for no ratings (or while it is being built),
   * 'content' for one or two ratings when the model has content, else the recommender.
   */
  source: RecommenderKind | 'content' | 'popular';
  /** Distinct rated movies (last rating wins) and their stars, in first-seen order. */
  rated: Int32Array;
  stars: Float32Array;
  /** iALS only: the person's factors, for explanations. */
  folded?: FoldedIn;
  /**
   * Set when content was blended in: the factor that put content votes on the recommender's
   * scale (γ-scaled). Explanations need it to split a score into each rated movie's share.
   */
  contentScale?: number;
  /** The same factor for movies nobody rated (γ₀ in place of γ). */
  contentScaleNew?: number;
}

/** Ranking keys for every movie for one person. */
export function rankKeys(inputs: RecommendInputs, mine: MyRatings): RankedFor {
  const n = inputs.stats.count.length;
  const { rated, stars } = distinctRatings(mine, n);
  const keys = new Float64Array(n);
  const scores = new Float64Array(n).fill(NaN);
  const rec = inputs.recommender;
  const content = inputs.content;
  const personal = rec !== undefined && rated.length >= MIN_RATED_FOR_PERSONAL;
  const contentLed = !personal && content !== undefined && rated.length > 0;
  let folded: FoldedIn | undefined;
  let contentScale: number | undefined;
  let contentScaleNew: number | undefined;
  if (personal && rec.kind === 'ials') {
    folded = foldIn(rec, rated, stars);
    factorScores(rec, folded.x, scores);
  } else if (personal && rec.kind === 'item-knn-topn') {
    const votes = new Float64Array(n);
    addNeighbourVotes(inputs.neighbours, rowScales(inputs.neighbours, rec.params.normalizeRows), rated, votes);
    for (let j = 0; j < n; j++) if (votes[j] > 0) scores[j] = votes[j];
  }
  if (content && (personal || contentLed)) {
    const votes = new Float64Array(n);
    const weights = contentWeights(stars);
    contentVotes(content.neighbours, rated, votes, weights);
    const hybrid = inputs.hybrid ?? DEFAULT_HYBRID;
    // Content on the recommender's scale for this person: the best content match may score at
    // most γ × the best collaborative one. A person with three ratings has small, compressed
    // factor scores; raw content similarities would then bury the list in movies nobody saw.
    let scale = hybrid.gamma;
    // Content-led lists are content only: one scale, so new movies are not favoured there.
    let scaleNew = scale;
    if (personal) {
      let cfMax = 0;
      let cMax = 0;
      for (let j = 0; j < n; j++) {
        const cf = scores[j];
        if (cf === cf && cf > cfMax) cfMax = cf;
        if (votes[j] > cMax) cMax = votes[j];
      }
      const base = cMax > 0 && cfMax > 0 ? cfMax / cMax : 0;
      scale = hybrid.gamma * base;
      scaleNew = (hybrid.gammaNew ?? hybrid.gamma) * base;
    }
    contentScale = scale;
    contentScaleNew = scaleNew;
    for (let j = 0; j < n; j++) {
      const c = votes[j] * (inputs.stats.count[j] > 0 ? scale : scaleNew);
      if (contentLed) {
        if (c > 0) scores[j] = c;
        continue;
      }
      const alpha = collaborativeShare(inputs.stats.count[j], hybrid);
      const cf = scores[j];
      // A movie the recommender has nothing on (no ratings, no neighbour vote) is content only.
      if (cf === cf) scores[j] = alpha * cf + (1 - alpha) * c;
      else if (c > 0) scores[j] = c;
    }
    // Movies nobody rated: iALS gave them no factors, so the score above is content alone, on a
    // scale set by γ₀. Factors borrowed from their content neighbours rank them by what people
    // with this person's taste watch, on iALS's own scale (borrowed-factors.ts).
    if (personal && rec.kind === 'ials' && folded) addBorrowedScores(rec, content.neighbours, inputs.stats.count, folded.x, scores);
  }
  const wr = inputs.popularity.score;
  for (let j = 0; j < n; j++) {
    const s = scores[j];
    // Nobody's movie can still be recommended on content; it is never popular filler.
    keys[j] = s === s && (inputs.stats.count[j] > 0 || content) ? s : inputs.stats.count[j] > 0 && wr[j] === wr[j] ? FILLER_BASE + wr[j] : -Infinity;
  }
  for (let q = 0; q < rated.length; q++) keys[rated[q]] = -Infinity;
  return { keys, scores, source: personal ? rec.kind : contentLed ? 'content' : 'popular', rated, stars, folded, contentScale, contentScaleNew };
}

/** One of my rated movies, and how much it added to a recommendation's score. */
export interface Reason {
  movie: number;
  /** Its share of the score: the shares of all my rated movies sum to the score. */
  contribution: number;
  /** Most of the share came from content (similar genres, tags, genome), not from behaviour. */
  byContent: boolean;
}

export interface Recommendation {
  movie: number;
  /** The recommender's score, or the weighted rating for popular filler. */
  score: number;
  /** Up to 3 of my rated movies that pushed it up most, biggest first (empty for popular filler). */
  because: Reason[];
  source: RankedFor['source'];
  /**
   * A movie nobody rated, scored by factors borrowed from its content neighbours: the (up to 3)
   * neighbours that carried its score most, biggest first. Absent otherwise.
   */
  like?: number[];
}

/** The top `limit` movies for a person, best first; `fallback` when any came from popularity. */
export function recommendFor(
  inputs: RecommendInputs,
  mine: MyRatings,
  limit = 20,
): { items: Recommendation[]; fallback: boolean; source: RankedFor['source'] } {
  const ranked = rankKeys(inputs, mine);
  const top = topByKey(ranked.keys, limit);
  let fallback = false;
  const items = Array.from(top, (j): Recommendation => {
    const personal = ranked.scores[j] === ranked.scores[j] && ranked.source !== 'popular';
    if (!personal) {
      fallback = true;
      return { movie: j, score: inputs.popularity.score[j], because: [], source: 'popular' };
    }
    // Found once for both the reasons and the neighbours named.
    const borrowed = borrowedFor(inputs, ranked, j);
    const like = borrowed && ranked.folded ? borrowedFrom(borrowed.rec, borrowed.row, ranked.folded.x).map((p) => p.movie) : undefined;
    return { movie: j, score: ranked.scores[j], because: reasonsFor(inputs, ranked, j, borrowed), source: ranked.source, ...(like ? { like } : {}) };
  });
  return { items, fallback, source: ranked.source };
}

/** Indices of the `limit` largest finite keys, largest first, ties by lower index. */
export function topByKey(keys: Float64Array, limit: number): Int32Array {
  const idx: number[] = [];
  for (let j = 0; j < keys.length; j++) if (keys[j] > -Infinity) idx.push(j);
  idx.sort((a, b) => keys[b] - keys[a] || a - b);
  return Int32Array.from(idx.slice(0, Math.max(0, Math.floor(limit))));
}

/**
 * Each rated movie's share of movie j's score, split into its collaborative and its content
 * part, aligned with ranked.rated; over all rated movies the parts sum to ranked.scores[j].
 *
 * - iALS: the fold-in's exact decomposition (fold-in.ts, contributions), different for every j.
 * - item-based top-N: sim(i, j) / Σ sim over i's row, i's vote for j.
 * - content: scale · c(i, j) / |rated|, i's share of the mean content vote.
 * Where content was blended in, the two are weighted as rankKeys weighs them: α_j and 1 − α_j
 * when the recommender had evidence for j, the content part alone where it had none.
 * - a movie nobody rated, under iALS with content: the fold-in's decomposition of ŷ_j · x, with
 *   the borrowed factors ŷ_j in place of a factor row (all collaborative: the content chose
 *   whose factors to borrow, the person's ratings decide the score).
 */
export function explainScore(
  inputs: RecommendInputs,
  ranked: RankedFor,
  j: number,
  borrowed: Borrowed | undefined = borrowedFor(inputs, ranked, j),
): { collaborative: Float64Array; content: Float64Array } {
  const rated = ranked.rated;
  const collaborative = new Float64Array(rated.length);
  const content = new Float64Array(rated.length);
  const rec = inputs.recommender;
  let cfKnown = false;
  if (ranked.source === 'ials' && rec?.kind === 'ials' && ranked.folded) {
    if (borrowed) {
      collaborative.set(contributionsOf(rec, ranked.folded, borrowed.row.factor));
      return { collaborative, content };
    }
    collaborative.set(contributions(rec, ranked.folded, j));
    cfKnown = true;
  } else if (ranked.source === 'item-knn-topn' && rec?.kind === 'item-knn-topn') {
    const nb = inputs.neighbours;
    let votes = 0;
    rated.forEach((i, q) => {
      const s = similarityIn(nb, i, j);
      if (s === 0) return;
      let sum = 0;
      for (let t = 0; t < nb.count[i]; t++) sum += nb.similarity[i * nb.k + t];
      // The Float32 row scale addNeighbourVotes multiplies by (rowScales), so the parts add up exactly.
      collaborative[q] = s * (rec.params.normalizeRows && sum > 0 ? Math.fround(1 / sum) : 1);
      votes += collaborative[q];
    });
    // rankKeys scores j by the recommender only where the votes add up to more than nothing.
    cfKnown = votes > 0;
  }
  if (ranked.contentScale === undefined || !inputs.content) return { collaborative, content };
  const cn = inputs.content.neighbours;
  const scale = inputs.stats.count[j] > 0 ? ranked.contentScale : (ranked.contentScaleNew ?? ranked.contentScale);
  const weights = contentWeights(ranked.stars);
  const total = weights.reduce((a, b) => a + b, 0);
  rated.forEach((i, q) => {
    const s = i < cn.movies ? similarityIn(cn, i, j) : 0;
    if (s > 0) content[q] = (weights[q] * s * scale) / total;
  });
  if (ranked.source === 'content' || !cfKnown) {
    collaborative.fill(0);
    return { collaborative, content };
  }
  const alpha = collaborativeShare(inputs.stats.count[j], inputs.hybrid ?? DEFAULT_HYBRID);
  for (let q = 0; q < rated.length; q++) {
    collaborative[q] *= alpha;
    content[q] *= 1 - alpha;
  }
  return { collaborative, content };
}

/** Movie j's borrowed factors, when rankKeys scored it by them (iALS, content, nobody rated it). */
interface Borrowed {
  rec: MovieFactors;
  row: BorrowedFactor;
}

function borrowedFor(inputs: RecommendInputs, ranked: RankedFor, j: number): Borrowed | undefined {
  const rec = inputs.recommender;
  if (ranked.source !== 'ials' || rec?.kind !== 'ials' || !ranked.folded || !inputs.content || inputs.stats.count[j] > 0) return undefined;
  const row = borrowedFactor(rec, inputs.content.neighbours, inputs.stats.count, j);
  return row ? { rec, row } : undefined;
}

/** sim(i, j) if j is in i's neighbour list, else 0. */
function similarityIn(nb: Neighbours, i: number, j: number): number {
  const h = i * nb.k;
  for (let t = 0; t < nb.count[i]; t++) if (nb.index[h + t] === j) return nb.similarity[h + t];
  return 0;
}

/** The (up to) three rated movies whose share of j's score is largest and positive. */
function reasonsFor(inputs: RecommendInputs, ranked: RankedFor, j: number, borrowed: Borrowed | undefined): Reason[] {
  const { collaborative, content } = explainScore(inputs, ranked, j, borrowed);
  const reasons: Reason[] = [];
  ranked.rated.forEach((movie, q) => {
    const contribution = collaborative[q] + content[q];
    if (contribution > 0) reasons.push({ movie, contribution, byContent: content[q] > collaborative[q] });
  });
  reasons.sort((a, b) => b.contribution - a.contribution || a.movie - b.movie);
  return reasons.slice(0, 3);
}

/** Distinct movies in the order first rated, each with its last rating; out-of-range indices dropped. */
function distinctRatings(mine: MyRatings, n: number): { rated: Int32Array; stars: Float32Array } {
  const at = new Map<number, number>();
  const movies: number[] = [];
  const stars: number[] = [];
  for (let t = 0; t < mine.movie.length; t++) {
    const i = mine.movie[t];
    if (!(i >= 0 && i < n)) continue;
    const q = at.get(i);
    if (q === undefined) {
      at.set(i, movies.length);
      movies.push(i);
      stars.push(mine.rating[t]);
    } else stars[q] = mine.rating[t];
  }
  return { rated: Int32Array.from(movies), stars: Float32Array.from(stars) };
}
