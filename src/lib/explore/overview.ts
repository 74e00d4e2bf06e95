/**
 * The numbers behind the Explore charts, each computed in one pass over the model's arrays
 * (never by re-reading the files). Plain data out, so the explore worker can send it to the page.
 */
import type { ChunkedCsr, MovieStats, MoviesTable } from '../types';

/** Half-star bins 0.5, 1.0, …, 5.0. */
export const STAR_BINS = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5] as const;

/** Ratings per half star: count[b] is the number of ratings equal to STAR_BINS[b] (rounded to the nearest half star). */
export function ratingHistogram(byUser: ChunkedCsr): { stars: number[]; count: number[] } {
  const count = new Array<number>(STAR_BINS.length).fill(0);
  for (const ch of byUser.chunks) {
    const end = ch.indptr[ch.rowCount];
    const v = ch.values;
    for (let p = 0; p < end; p++) {
      const b = Math.round(v[p] * 2) - 1;
      count[b < 0 ? 0 : b > 9 ? 9 : b]++;
    }
  }
  return { stars: [...STAR_BINS], count };
}

/** A sorted-descending count curve, thinned to at most `maxPoints` log-spaced ranks for drawing. */
export interface LongTail {
  /** 1-based rank (1 = the most rated). */
  rank: number[];
  count: number[];
  /** How many items the full curve has. */
  items: number;
}

/** Counts sorted descending, thinned: every rank up to 100, then log-spaced ranks, always the last one. */
export function longTail(counts: Int32Array, maxPoints = 400): LongTail {
  const sorted = Int32Array.from(counts).sort().reverse();
  const n = sorted.length;
  const rank: number[] = [];
  const count: number[] = [];
  const push = (r: number): void => {
    if (rank.length > 0 && rank[rank.length - 1] >= r) return;
    rank.push(r);
    count.push(sorted[r - 1]);
  };
  for (let r = 1; r <= Math.min(n, 100); r++) push(r);
  if (n > 100) {
    // Log-spaced ranks from 100 to n: on a log axis they land evenly.
    const steps = Math.max(1, maxPoints - 100);
    for (let t = 1; t <= steps; t++) push(Math.round(100 * Math.pow(n / 100, t / steps)));
    push(n);
  }
  return { rank, count, items: n };
}

export interface ThresholdShare {
  /** "fewer than `below` ratings". */
  below: number;
  items: number;
  share: number;
}

/** Among the items with at least one rating: how many have fewer than each threshold. */
export function sharesBelow(counts: Int32Array, thresholds: number[]): ThresholdShare[] {
  let rated = 0;
  const under = thresholds.map(() => 0);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c === 0) continue;
    rated++;
    for (let t = 0; t < thresholds.length; t++) if (c < thresholds[t]) under[t]++;
  }
  return thresholds.map((below, t) => ({ below, items: under[t], share: rated > 0 ? under[t] / rated : 0 }));
}

/** Ratings per user row. */
export function ratingsPerUser(byUser: ChunkedCsr): Int32Array {
  const out = new Int32Array(byUser.rows);
  for (const ch of byUser.chunks) {
    for (let r = 0; r < ch.rowCount; r++) out[ch.firstRow + r] = ch.indptr[r + 1] - ch.indptr[r];
  }
  return out;
}

export interface PowerUsers {
  users: number;
  median: number;
  max: number;
  /** The most active tenth of users (rounded up) and the share of all ratings they gave. */
  topTenthUsers: number;
  topTenthShare: number;
}

/** How concentrated the ratings are among the most active users. */
export function powerUsers(perUser: Int32Array): PowerUsers {
  const sorted = Int32Array.from(perUser).sort().reverse();
  const n = sorted.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i];
  const top = Math.ceil(n / 10);
  let topSum = 0;
  for (let i = 0; i < top; i++) topSum += sorted[i];
  // Lower median for even n: a count a real user has.
  const median = n > 0 ? sorted[n - 1 - Math.floor((n - 1) / 2)] : 0;
  return { users: n, median, max: n > 0 ? sorted[0] : 0, topTenthUsers: top, topTenthShare: total > 0 ? topSum / total : 0 };
}

export interface Timeline {
  unit: 'month' | 'year';
  /** "1996-03" for months, "1996" for years (UTC). */
  label: string[];
  /** Start of each period, ms since the epoch (UTC), for a time axis. */
  startMs: number[];
  count: number[];
}

const SECONDS_PER_DAY = 86_400;

/**
 * Ratings per calendar month or year (UTC) from the timestamps, from the first period with a rating
 * to the last. One pass over the ratings into per-day counts, then days folded into periods:
 * no Date object per rating.
 */
export function ratingsOverTime(byUser: ChunkedCsr, unit: 'month' | 'year'): Timeline {
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (const ch of byUser.chunks) {
    const ts = ch.timestamps;
    if (!ts) throw new Error('ratingsOverTime: the matrix has no timestamps (only the user-major orientation keeps them).');
    const end = ch.indptr[ch.rowCount];
    for (let p = 0; p < end; p++) {
      const d = Math.floor(ts[p] / SECONDS_PER_DAY);
      if (d < minDay) minDay = d;
      if (d > maxDay) maxDay = d;
    }
  }
  if (minDay > maxDay) return { unit, label: [], startMs: [], count: [] };
  const perDay = new Float64Array(maxDay - minDay + 1);
  for (const ch of byUser.chunks) {
    const ts = ch.timestamps!;
    const end = ch.indptr[ch.rowCount];
    for (let p = 0; p < end; p++) perDay[Math.floor(ts[p] / SECONDS_PER_DAY) - minDay]++;
  }
  const first = new Date(minDay * SECONDS_PER_DAY * 1000);
  let y = first.getUTCFullYear();
  let m = unit === 'month' ? first.getUTCMonth() : 0;
  const label: string[] = [];
  const startMs: number[] = [];
  const count: number[] = [];
  let day = minDay;
  while (day <= maxDay) {
    const nextY = unit === 'year' || m === 11 ? y + 1 : y;
    const nextM = unit === 'year' ? 0 : (m + 1) % 12;
    const nextStartDay = Date.UTC(nextY, nextM, 1) / 1000 / SECONDS_PER_DAY;
    let sum = 0;
    for (; day < nextStartDay && day <= maxDay; day++) sum += perDay[day - minDay];
    label.push(unit === 'year' ? String(y) : `${y}-${String(m + 1).padStart(2, '0')}`);
    startMs.push(Date.UTC(y, m, 1));
    count.push(sum);
    y = nextY;
    m = nextM;
  }
  return { unit, label, startMs, count };
}

export interface GenreRow {
  genre: string;
  /** Movies listed with the genre (rated or not). */
  movies: number;
  /** Ratings of those movies. */
  ratings: number;
  /** Mean of those ratings; NaN when there are none. */
  meanRating: number;
}

/** Per genre: listed movies, ratings and the mean rating (each rating counted once per genre of its movie). */
export function genreStats(stats: MovieStats, catalog: MoviesTable): GenreRow[] {
  const g = catalog.genreNames.length;
  const movies = new Array<number>(g).fill(0);
  const ratings = new Array<number>(g).fill(0);
  const sum = new Array<number>(g).fill(0);
  for (let i = 0; i < catalog.count; i++) {
    const mask = catalog.genreMasks[i];
    if (mask === 0) continue;
    const c = stats.count[i];
    const s = stats.mean[i] * c;
    for (let b = 0; b < g; b++) {
      if (((mask >>> b) & 1) === 0) continue;
      movies[b]++;
      ratings[b] += c;
      sum[b] += s;
    }
  }
  return catalog.genreNames.map((genre, b) => ({ genre, movies: movies[b], ratings: ratings[b], meanRating: ratings[b] > 0 ? sum[b] / ratings[b] : NaN }));
}

export interface Sparsity {
  users: number;
  /** Every movie in the id space (listed in the movies file or rated). */
  movies: number;
  ratedMovies: number;
  ratings: number;
  /** ratings / (users × ratedMovies): the share of the rated part of the matrix that is filled. */
  density: number;
  /** 1 − density. */
  sparsity: number;
}

export function sparsityOf(byUser: ChunkedCsr, stats: MovieStats): Sparsity {
  let rated = 0;
  for (let i = 0; i < stats.count.length; i++) if (stats.count[i] > 0) rated++;
  const cells = byUser.rows * rated;
  const density = cells > 0 ? byUser.nnz / cells : 0;
  return { users: byUser.rows, movies: byUser.cols, ratedMovies: rated, ratings: byUser.nnz, density, sparsity: 1 - density };
}

/** Everything the Explore view charts, in one message. */
export interface ExploreOverview {
  ratingHistogram: { stars: number[]; count: number[] };
  moviesTail: LongTail;
  movieShares: ThresholdShare[];
  usersTail: LongTail;
  powerUsers: PowerUsers;
  byMonth: Timeline;
  byYear: Timeline;
  genres: GenreRow[];
  sparsity: Sparsity;
}

export const MOVIE_THRESHOLDS = [5, 10, 50];

export function exploreOverview(byUser: ChunkedCsr, stats: MovieStats, catalog: MoviesTable): ExploreOverview {
  const perUser = ratingsPerUser(byUser);
  return {
    ratingHistogram: ratingHistogram(byUser),
    moviesTail: longTail(ratedOnly(stats.count)),
    movieShares: sharesBelow(stats.count, MOVIE_THRESHOLDS),
    usersTail: longTail(perUser),
    powerUsers: powerUsers(perUser),
    byMonth: ratingsOverTime(byUser, 'month'),
    byYear: ratingsOverTime(byUser, 'year'),
    genres: genreStats(stats, catalog),
    sparsity: sparsityOf(byUser, stats),
  };
}

function ratedOnly(counts: Int32Array): Int32Array {
  return counts.filter((c) => c > 0);
}
