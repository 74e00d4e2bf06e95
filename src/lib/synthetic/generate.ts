import { ChunkWriter, DEFAULT_CHUNK_BYTES, type ByteSink } from './byte-chunks';
import { buildCatalogue, CLUSTERS, writeMoviesCsv, type SyntheticCatalogue } from './catalogue';
import { Sfc32 } from './prng';
import { searchCumulative, selectSmallest, shuffledIndices } from './sampling';
import { popularityByRank, shapeStats, sizesFor, userRatingCounts, type ShapeStats } from './shape';

export interface GenerateOptions {
  /** Exact number of ratings to write. */
  ratings: number;
  /** Same seed and ratings give the same bytes. Default 1. */
  seed?: number;
  /** Size of the reused output buffer handed to the sinks. */
  chunkBytes?: number;
}

export interface GenerateSinks {
  ratings: ByteSink;
  movies: ByteSink;
}

/** What was generated, with the planted structure tests need to check it. */
export interface SyntheticMovieLens {
  stats: ShapeStats;
  /** Listed movies by dense index (ascending movieId): ids, clusters, titles... */
  catalogue: SyntheticCatalogue;
  /** Names of the taste clusters; catalogue.clusters[i] indexes this. */
  clusterNames: string[];
  /** Share of the sampling popularity mass in each cluster: the chance of a cluster for a taste-blind user. */
  clusterMass: Float64Array;
  /** Bit c set when user (userId - 1) likes cluster c. */
  userLikedClusters: Int32Array;
  userCounts: Int32Array;
  /** Ratings per listed movie, by dense index. */
  movieCounts: Int32Array;
  /** Count of each rating 0.5, 1.0, ..., 5.0 (index = stars * 2 - 1). */
  ratingHistogram: Float64Array;
  ratingsBytes: number;
  moviesBytes: number;
}

/** Both CSV files in memory, for tests and the browser benchmark at small scales. */
export interface SyntheticMovieLensInMemory extends SyntheticMovieLens {
  // ArrayBuffer-backed (not ArrayBufferLike) so they can go straight into a Blob or File.
  ratingsCsv: Uint8Array<ArrayBuffer>;
  moviesCsv: Uint8Array<ArrayBuffer>;
}

/** The random streams of the catalogue and of the popularity ranks; content-files.ts draws them again. */
export const CATALOGUE_STREAM = 0xc47a;
export const RANK_STREAM = 0x9a9c;

// Timestamps span ML's first rating (1995-01-09) to 2023-10-12, the last of ML-32M.
export const FIRST_TIMESTAMP = 789_652_009;
export const LAST_TIMESTAMP = 1_697_068_800;

/** Probability that a user's next pick comes from their liked clusters rather than the whole catalogue. */
const LIKED_PICK_SHARE = 0.5;
/** Rating shift for movies in a user's liked clusters, and for the rest. */
const LIKED_SHIFT = 0.55;
const OTHER_SHIFT = -0.15;
/** Above this share of the catalogue a user is sampled in one pass (see sampleHeavyUser). */
const HEAVY_USER_SHARE = 1 / 20;

const RATING_BYTES = Array.from({ length: 10 }, (_, i) => new TextEncoder().encode(((i + 1) / 2).toFixed(1)));

/**
 * Streams a MovieLens-shaped ratings.csv and movies.csv into the sinks. Users are written in
 * order, each user's movies in ascending id, so memory is O(users + movies), never O(ratings).
 */
export function generateMovieLens(options: GenerateOptions, sinks: GenerateSinks): SyntheticMovieLens {
  const seed = (options.seed ?? 1) >>> 0;
  const ratings = options.ratings;
  const sizes = sizesFor(ratings);
  const movies = sizes.moviesListed;
  const users = sizes.users;

  // Separate streams per phase, so that e.g. changing how titles are drawn leaves ratings alone.
  const catalogue = buildCatalogue(movies, new Sfc32(seed, CATALOGUE_STREAM));
  const userCounts = userRatingCounts(ratings, sizes, new Sfc32(seed, 0x05e5));

  // Popularity ranks are a random permutation of movies; movieBias favours popular movies a little.
  const rankRng = new Sfc32(seed, RANK_STREAM);
  const byRank = shuffledIndices(movies, rankRng);
  const rankWeights = popularityByRank(ratings, movies, users);
  const weight = new Float64Array(movies);
  const movieBias = new Float64Array(movies);
  for (let r = 0; r < movies; r++) {
    const m = byRank[r];
    weight[m] = rankWeights[r];
    movieBias[m] = 0.3 * rankRng.nextNormal() + 0.3 * (0.5 - r / movies);
  }
  const releaseTimestamp = new Float64Array(movies);
  for (let m = 0; m < movies; m++) releaseTimestamp[m] = Date.UTC(catalogue.years[m], 0, 1) / 1000;

  // Cumulative weights over all movies, and per cluster over its members (members in id order).
  const clusterCount = CLUSTERS.length;
  const globalCumulative = new Float64Array(movies);
  const clusterStart = new Int32Array(clusterCount + 1);
  for (let m = 0; m < movies; m++) clusterStart[catalogue.clusters[m] + 1]++;
  for (let c = 0; c < clusterCount; c++) clusterStart[c + 1] += clusterStart[c];
  const clusterMembers = new Int32Array(movies);
  const clusterCumulative = new Float64Array(movies);
  const clusterMass = new Float64Array(clusterCount);
  {
    const fill = clusterStart.slice(0, clusterCount);
    let total = 0;
    for (let m = 0; m < movies; m++) {
      total += weight[m];
      globalCumulative[m] = total;
      const c = catalogue.clusters[m];
      const at = fill[c]++;
      clusterMembers[at] = m;
      clusterMass[c] += weight[m];
      clusterCumulative[at] = clusterMass[c];
    }
    for (let c = 0; c < clusterCount; c++) clusterMass[c] /= total;
  }
  const globalTotal = globalCumulative[movies - 1];

  const ratingsWriter = new ChunkWriter(sinks.ratings, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  ratingsWriter.ascii('userId,movieId,rating,timestamp\n');

  const movieCounts = new Int32Array(movies);
  const ratingHistogram = new Float64Array(10);
  const userLikedClusters = new Int32Array(users);
  // mark[m] === stamp means movie m is already chosen for the current user; no clearing per user.
  const mark = new Int32Array(movies);
  const chosen = new Int32Array(sizes.maxUserRatings);
  const heavyKeys = new Float64Array(movies);
  const heavyItems = new Int32Array(movies);
  const heavyThreshold = Math.max(1, Math.floor(movies * HEAVY_USER_SHARE));
  const liked = new Int32Array(3);

  for (let u = 0; u < users; u++) {
    const rng = new Sfc32(seed, u + 1);
    const count = userCounts[u];
    const stamp = u + 1;

    // Taste: 1-3 distinct clusters, drawn in proportion to their mass.
    const likedDraw = rng.nextFloat();
    const likedWanted = likedDraw < 0.45 ? 1 : likedDraw < 0.8 ? 2 : 3;
    let likedCount = 0;
    let likedMask = 0;
    let likedMass = 0;
    for (let attempt = 0; likedCount < likedWanted && attempt < 50; attempt++) {
      let x = rng.nextFloat();
      let c = 0;
      while (c < clusterCount - 1 && x >= clusterMass[c]) x -= clusterMass[c++];
      if (clusterMass[c] === 0 || likedMask & (1 << c)) continue;
      likedMask |= 1 << c;
      liked[likedCount++] = c;
      likedMass += clusterMass[c];
    }
    userLikedClusters[u] = likedMask;
    // A tiny catalogue may leave every draw on an empty cluster; such a user has no taste.
    const likedPickShare = likedCount > 0 ? LIKED_PICK_SHARE : 0;

    let chosenCount = 0;
    if (count <= heavyThreshold) {
      // Rejection sampling: draw by popularity (from liked clusters half the time) and redraw
      // repeats. Cheap while the user's picks hold little of the mass; a budget guards the rare
      // user whose small liked cluster runs dry.
      const budget = 20 * count + 1000;
      for (let attempt = 0; chosenCount < count && attempt < budget; attempt++) {
        let m: number;
        if (rng.nextFloat() < likedPickShare) {
          let x = rng.nextFloat() * likedMass;
          let k = 0;
          while (k < likedCount - 1 && x >= clusterMass[liked[k]]) x -= clusterMass[liked[k++]];
          const c = liked[k];
          const from = clusterStart[c];
          const to = clusterStart[c + 1];
          const target = Math.min(x / clusterMass[c], 1) * clusterCumulative[to - 1];
          m = clusterMembers[searchCumulative(clusterCumulative, target, from, to)];
        } else {
          m = searchCumulative(globalCumulative, rng.nextFloat() * globalTotal, 0, movies);
        }
        if (mark[m] === stamp) continue;
        mark[m] = stamp;
        chosen[chosenCount++] = m;
      }
      if (chosenCount < count) chosenCount = 0;
    }
    if (chosenCount < count) {
      chosenCount = sampleHeavyUser(rng, count, weight, catalogue.clusters, likedMask, likedMass, heavyKeys, heavyItems, chosen);
    }
    const picks = chosen.subarray(0, chosenCount).sort();

    // Rating style: a personal bias, and whether this user uses half stars at all.
    const userBias = 0.35 * rng.nextNormal();
    const halfStars = rng.nextFloat() < 0.55;
    // Activity window: heavier users rate over longer spans; user ids roughly follow sign-up time.
    const spanSeconds = Math.min(LAST_TIMESTAMP - FIRST_TIMESTAMP, Math.max(600, 86_400 * Math.exp(1.2 * rng.nextNormal() + 0.6 * Math.log(count) - 2)));
    const startShare = Math.min(1, Math.max(0, u / users + 0.08 * rng.nextNormal()));
    const start = FIRST_TIMESTAMP + (LAST_TIMESTAMP - FIRST_TIMESTAMP - spanSeconds) * startShare;

    for (let i = 0; i < chosenCount; i++) {
      const m = picks[i];
      const inLiked = (likedMask >> catalogue.clusters[m]) & 1;
      const raw = 3.35 + userBias + movieBias[m] + (inLiked ? LIKED_SHIFT : OTHER_SHIFT) + 0.8 * rng.nextNormal();
      // Stars in half steps: 1..10 meaning 0.5..5.0. Whole-star users round to even steps.
      let steps = halfStars ? Math.round(raw * 2) : 2 * Math.round(raw);
      if (steps < (halfStars ? 1 : 2)) steps = halfStars ? 1 : 2;
      else if (steps > 10) steps = 10;
      let timestamp = start + spanSeconds * rng.nextFloat();
      const release = releaseTimestamp[m];
      if (timestamp < release) timestamp = release + (LAST_TIMESTAMP - release) * 0.2 * rng.nextFloat();
      movieCounts[m]++;
      ratingHistogram[steps - 1]++;

      ratingsWriter.reserve(48);
      ratingsWriter.uint(u + 1);
      ratingsWriter.byte(44);
      ratingsWriter.uint(catalogue.movieIds[m]);
      ratingsWriter.byte(44);
      ratingsWriter.bytes(RATING_BYTES[steps - 1]);
      ratingsWriter.byte(44);
      ratingsWriter.uint(Math.floor(timestamp));
      ratingsWriter.byte(10);
    }
  }
  ratingsWriter.flush();

  const moviesWriter = new ChunkWriter(sinks.movies, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  writeMoviesCsv(catalogue, moviesWriter);
  moviesWriter.flush();

  return {
    stats: shapeStats(userCounts, movieCounts),
    catalogue,
    clusterNames: CLUSTERS.map((c) => c.name),
    clusterMass,
    userLikedClusters,
    userCounts,
    movieCounts,
    ratingHistogram,
    ratingsBytes: ratingsWriter.bytesWritten,
    moviesBytes: moviesWriter.bytesWritten,
  };
}

/**
 * Weighted sampling without replacement in one pass (Efraimidis-Spirakis as exponential races):
 * each movie gets key Exp(1)/p and the `count` smallest keys win. O(movies) per user, which beats
 * rejection once a user's picks cover much of the popularity mass, where most redraws would repeat.
 * p mixes the same two sources as the rejection path, so both paths sample the same distribution.
 * Writes the picks to `out` and returns how many.
 */
function sampleHeavyUser(
  rng: Sfc32,
  count: number,
  weight: Float64Array,
  clusters: Int32Array,
  likedMask: number,
  likedMass: number,
  keys: Float64Array,
  items: Int32Array,
  out: Int32Array,
): number {
  const movies = weight.length;
  let total = 0;
  for (let m = 0; m < movies; m++) total += weight[m];
  const likedShare = likedMass > 0 ? LIKED_PICK_SHARE : 0;
  const otherFactor = (1 - likedShare) / total;
  const likedFactor = likedMass > 0 ? otherFactor + likedShare / (likedMass * total) : otherFactor;
  for (let m = 0; m < movies; m++) {
    const p = weight[m] * ((likedMask >> clusters[m]) & 1 ? likedFactor : otherFactor);
    keys[m] = -Math.log(rng.nextFloatOpen()) / p;
    items[m] = m;
  }
  selectSmallest(keys, items, movies, count);
  for (let i = 0; i < count; i++) out[i] = items[i];
  return count;
}

/** Generates both files into memory (copies each chunk). Meant for small scales: tests, browser bench. */
export function generateToMemory(options: GenerateOptions): SyntheticMovieLensInMemory {
  const ratingsParts: Uint8Array[] = [];
  const moviesParts: Uint8Array[] = [];
  const result = generateMovieLens(options, {
    ratings: { write: (chunk) => ratingsParts.push(chunk.slice()) },
    movies: { write: (chunk) => moviesParts.push(chunk.slice()) },
  });
  return { ...result, ratingsCsv: concatBytes(ratingsParts), moviesCsv: concatBytes(moviesParts) };
}

function concatBytes(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const all = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}
