import type { Sfc32 } from './prng';

/** ML-25M, the published shape this generator is calibrated against. */
export const ML25M = {
  ratings: 25_000_095,
  users: 162_541,
  moviesListed: 62_423,
  moviesRated: 59_047,
  /** Σ_u c_u² over its users' rating counts; per user it does not depend on N, so it scales as N. */
  userRatingsSquareSum: 1.16e10,
} as const;

/** Every MovieLens user has rated at least this many movies. */
export const MIN_USER_RATINGS = 20;

/**
 * Listed movies grow as N^0.4: ml-latest-small (100k ratings) lists ~9.7k movies and ML-25M 62k,
 * so a small set keeps a catalogue much larger than its users could cover, i.e. a long tail.
 */
const CATALOGUE_EXPONENT = 0.4;

/** No user rates more than this share of the catalogue (ML-25M's heaviest user: 32,202 of 59,047). */
const MAX_USER_SHARE = 0.55;

export interface SyntheticSizes {
  users: number;
  moviesListed: number;
  /** Most ratings any one user gets. */
  maxUserRatings: number;
  /** Fewest ratings any one user gets (20, or fewer only when N itself is tiny). */
  minUserRatings: number;
}

/** Users scale as N / 153.8 (ML-25M's mean), movies sub-linearly. */
export function sizesFor(ratings: number): SyntheticSizes {
  if (!Number.isInteger(ratings) || ratings < 1) throw new Error(`ratings must be a positive integer, got ${ratings}`);
  const users = Math.max(1, Math.round((ratings * ML25M.users) / ML25M.ratings));
  const minUserRatings = Math.min(MIN_USER_RATINGS, Math.floor(ratings / users));
  const perUserCeiling = Math.ceil(ratings / users);
  // The catalogue must be large enough that the users fit under the per-user cap.
  const moviesListed = Math.max(
    Math.round(ML25M.moviesListed * Math.pow(ratings / ML25M.ratings, CATALOGUE_EXPONENT)),
    Math.ceil(perUserCeiling / MAX_USER_SHARE) + 1,
    10,
  );
  const maxUserRatings = Math.max(perUserCeiling, Math.floor(moviesListed * MAX_USER_SHARE));
  return { users, moviesListed, maxUserRatings, minUserRatings };
}

/**
 * ML-25M's ratings per user as a quantile function of a standard normal deviate z: (z, ratings)
 * knots, interpolated linearly in log(ratings). A log-normal cannot fit ML-25M: with its median
 * (~71) and mean (153.8) fixed, its tail puts Σ c_u² near 2.2e10, twice the real 1.16e10, and
 * Σ c_u² (the pair updates of the similarity stage, ×½) is what the benchmark measures. So the
 * body is wider than a log-normal between the median and the 99th percentile and the tail is
 * lighter from there, with a handful of users in the tens of thousands (ML-25M's heaviest has
 * 32,202). Knots at the 5%, 25%, 50%, 75%, 90%, 95%, 99%, 99.9% and 99.99% points; beyond the
 * last knot the count stays flat. Calibrated by sampling 162,541 users: median 69, mean 153.8,
 * Σ c_u² ≈ 1.21e10 (seed 1).
 */
const USER_COUNT_KNOTS: readonly (readonly [z: number, ratings: number])[] = [
  [-1.645, 20],
  [-0.674, 36],
  [0, 70],
  [0.674, 180],
  [1.282, 410],
  [1.645, 590],
  [2.326, 1000],
  [3.09, 1800],
  [3.719, 3200],
  [4.2, 8000],
  [4.8, 32000],
];

/** The knots' quantile function: the ratings of a user at standard normal deviate z. */
function userCountAt(z: number): number {
  const knots = USER_COUNT_KNOTS;
  const last = knots.length - 1;
  if (z >= knots[last][0]) return knots[last][1];
  let i = 0;
  while (i < last - 1 && z > knots[i + 1][0]) i++;
  const [z0, c0] = knots[i];
  const [z1, c1] = knots[i + 1];
  // Below the first knot the first segment extrapolates under 20; the floor clamps it.
  return Math.exp(Math.log(c0) + ((Math.log(c1) - Math.log(c0)) * (z - z0)) / (z1 - z0));
}

/**
 * Ratings per user: the ML-25M quantile curve above (USER_COUNT_KNOTS; ~5% of users sit on the
 * floor of 20, as in MovieLens), capped, with the excess over the floor scaled so the total is
 * exactly `ratings`. Rounding is cumulative (each user gets round(prefix_i) - round(prefix_{i-1})),
 * so no remainder is left to distribute.
 */
export function userRatingCounts(ratings: number, sizes: SyntheticSizes, rng: Sfc32): Int32Array {
  const { users, minUserRatings, maxUserRatings } = sizes;
  const excess = new Float64Array(users);
  for (let u = 0; u < users; u++) excess[u] = Math.max(0, userCountAt(rng.nextNormal()) - MIN_USER_RATINGS);

  const capExcess = maxUserRatings - minUserRatings;
  const totalExcess = ratings - minUserRatings * users;
  const capped = new Uint8Array(users);
  let cappedCount = 0;
  let scale: number;
  // Capping users raises the scale of the others, which may push more over the cap: iterate to a fixpoint.
  for (;;) {
    let freeSum = 0;
    for (let u = 0; u < users; u++) if (!capped[u]) freeSum += excess[u];
    const remaining = totalExcess - cappedCount * capExcess;
    scale = freeSum > 0 ? remaining / freeSum : 0;
    let newlyCapped = 0;
    for (let u = 0; u < users; u++) {
      if (!capped[u] && excess[u] * scale > capExcess) {
        capped[u] = 1;
        newlyCapped++;
      }
    }
    if (newlyCapped === 0) break;
    cappedCount += newlyCapped;
  }

  const counts = new Int32Array(users);
  const freeTarget = totalExcess - cappedCount * capExcess;
  let lastFree = -1;
  for (let u = 0; u < users; u++) if (!capped[u]) lastFree = u;
  let prefix = 0;
  let given = 0;
  for (let u = 0; u < users; u++) {
    if (capped[u]) {
      counts[u] = maxUserRatings;
      continue;
    }
    prefix += excess[u] * scale;
    // The last free user absorbs floating-point drift so the total is exact.
    const upTo = u === lastFree ? freeTarget : Math.min(freeTarget, Math.round(prefix));
    counts[u] = minUserRatings + (upTo - given);
    given = upTo;
  }
  return counts;
}

/**
 * Popularity weight of each popularity rank (0 = most popular), proportional to the expected
 * number of ratings: head * exp(-(x/s)^b) + floor, x the rank fraction. A pure power law cannot be
 * flat enough in the head (ML-25M: 25M ratings with the top movie near 80k) and still leave 40% of
 * rated movies under 5 ratings with only 5% of listed ones unrated; a stretched exponential for the
 * known movies plus a floor for the obscure ones fits all three.
 * Calibrated against ML-25M by running the generator (rejection and exhaustion at the head trim
 * the expected counts): head 2.4 x users, curve down to 0.1 at x = 0.946, floor 1.35 at 25M (raised from 0.6 when the
 * user tail was made lighter: fewer heavy users sweep the obscure movies, so they need more weight). b is solved
 * so the mean is ratings/movies, which keeps a similar long tail at every scale.
 */
export function popularityByRank(ratings: number, movies: number, users: number): Float64Array {
  const meanCount = ratings / movies;
  // Smaller sets get a slightly higher floor: their catalogue is relatively larger, and without
  // it the share of movies under 5 ratings would creep up as N falls (41% at 25M, 40% at 1M).
  const floor = Math.min(1.35 * Math.pow(Math.max(1, ML25M.ratings / ratings), 0.04), meanCount / 2);
  const head = Math.max(2.4 * users, 1);
  const tailX = 0.946;
  const tailCount = Math.min(0.1, head / 2);
  const scaleFor = (b: number): number => tailX / Math.pow(Math.log(head / tailCount), 1 / b);
  const meanFor = (b: number): number => {
    const s = scaleFor(b);
    let sum = 0;
    for (let r = 0; r < movies; r++) sum += Math.exp(-Math.pow((r + 0.5) / movies / s, b));
    return (head * sum) / movies + floor;
  };
  // The mean grows with b (the curve stays high for longer); bisect on log b.
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  for (let i = 0; i < 50 && hi - lo > 1e-6; i++) {
    const mid = (lo + hi) / 2;
    if (meanFor(Math.exp(mid)) < meanCount) lo = mid;
    else hi = mid;
  }
  const b = Math.exp(lo);
  const s = scaleFor(b);
  const weights = new Float64Array(movies);
  for (let r = 0; r < movies; r++) weights[r] = head * Math.exp(-Math.pow((r + 0.5) / movies / s, b)) + floor;
  return weights;
}

/** What a ratings set looks like, in the terms MovieLens' README and papers use. */
export interface ShapeStats {
  users: number;
  moviesListed: number;
  moviesRated: number;
  ratings: number;
  userRatingsMin: number;
  userRatingsMedian: number;
  userRatingsMean: number;
  userRatingsMax: number;
  /**
   * Σ_u c_u²: twice the pair updates of the similarity stage (plus N), so the number that says
   * whether a synthetic set costs what the real one does (ML-25M: 1.16e10).
   */
  userRatingsSquareSum: number;
  movieRatingsMax: number;
  /** Share of rated movies (not listed ones) with fewer than 5 ratings. */
  ratedMoviesUnder5Share: number;
}

/** Summarises ratings per user and per listed movie (zeros count as listed but unrated). */
export function shapeStats(userCounts: Int32Array, movieCounts: Int32Array): ShapeStats {
  const sorted = Int32Array.from(userCounts).sort();
  let ratings = 0;
  let squareSum = 0;
  for (let u = 0; u < sorted.length; u++) {
    ratings += sorted[u];
    squareSum += sorted[u] * sorted[u];
  }
  const n = sorted.length;
  const median = n === 0 ? 0 : n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  let moviesRated = 0;
  let under5 = 0;
  let movieMax = 0;
  for (let m = 0; m < movieCounts.length; m++) {
    const c = movieCounts[m];
    if (c > 0) moviesRated++;
    if (c > 0 && c < 5) under5++;
    if (c > movieMax) movieMax = c;
  }
  return {
    users: n,
    moviesListed: movieCounts.length,
    moviesRated,
    ratings,
    userRatingsMin: n === 0 ? 0 : sorted[0],
    userRatingsMedian: median,
    userRatingsMean: n === 0 ? 0 : ratings / n,
    userRatingsMax: n === 0 ? 0 : sorted[n - 1],
    userRatingsSquareSum: squareSum,
    movieRatingsMax: movieMax,
    ratedMoviesUnder5Share: moviesRated === 0 ? 0 : under5 / moviesRated,
  };
}
