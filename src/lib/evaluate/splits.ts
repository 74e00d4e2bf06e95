/**
 * Train/test splits of a ratings set, seeded so the same seed always gives the same split.
 * Every split partitions the ratings it uses (no rating is in both train and test) and keeps the
 * dense index spaces of the whole set, so a model fitted on train can score any test pair.
 */
import { Sfc32 } from '../synthetic/prng';
import { partition, selectRows, type Interactions } from './interactions';

export type SplitSpec =
  /** Each rating goes to test with probability testFraction (exactly round(count·f) ratings). */
  | { kind: 'random'; testFraction: number; seed: number }
  /** Per user, the latest n ratings go to test (at least one rating stays in train). */
  | { kind: 'temporal'; n: number }
  /** The ratings shuffled and cut into k folds; fold f tests on part f and trains on the rest. */
  | { kind: 'kfold'; k: number; seed: number }
  /** Per user, the latest rating is held out and ranked against `negatives` unrated movies. */
  | { kind: 'loo'; negatives: number; seed: number }
  /** ML-100k's own u1..u5 folds, or its ua/ub (10 ratings per user) splits, read from the files. */
  | { kind: 'ml100k'; set: 'folds' | 'ua' | 'ub' }
  /**
   * New movies: every rating of a random `fraction` of the movies with at least `minRatings`
   * ratings is held out, so no model has seen them; each user's latest rating of one is ranked
   * among `negatives` other held-out movies that user never rated.
   */
  | { kind: 'cold-items'; fraction: number; minRatings: number; negatives: number; seed: number };

export type SplitKind = SplitSpec['kind'];

export interface Split {
  /** "fold 3 of 5", "u2", "random 20%". */
  name: string;
  train: Interactions;
  test: Interactions;
  /**
   * Leave-one-out only: for test rating t, the movies candidates[t·stride .. (t+1)·stride) are
   * the held-out movie first, then the sampled negatives (fewer, -1 padded, when a user has
   * rated almost everything).
   */
  candidates?: Int32Array;
  stride?: number;
}

export const DEFAULT_SPLITS: Record<Exclude<SplitKind, 'ml100k'>, SplitSpec> = {
  random: { kind: 'random', testFraction: 0.2, seed: 42 },
  temporal: { kind: 'temporal', n: 5 },
  kfold: { kind: 'kfold', k: 5, seed: 42 },
  loo: { kind: 'loo', negatives: 99, seed: 42 },
  'cold-items': { kind: 'cold-items', fraction: 0.1, minRatings: 20, negatives: 99, seed: 42 },
};

/** A plain-words name of a split setting, for tables and run records. */
export function describeSplit(spec: SplitSpec): string {
  switch (spec.kind) {
    case 'random':
      return `random ${Math.round(spec.testFraction * 100)}% (seed ${spec.seed})`;
    case 'temporal':
      return `latest ${spec.n} per user`;
    case 'kfold':
      return `${spec.k}-fold (seed ${spec.seed})`;
    case 'loo':
      return `leave-one-out, ${spec.negatives} negatives (seed ${spec.seed})`;
    case 'ml100k':
      return spec.set === 'folds' ? 'ML-100k u1..u5' : `ML-100k ${spec.set}`;
    case 'cold-items':
      return `cold items: ${Math.round(spec.fraction * 100)}% of movies with ${spec.minRatings}+ ratings unseen, ${spec.negatives} negatives (seed ${spec.seed})`;
  }
}

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, seed: number): Int32Array {
  const rng = new Sfc32(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

export function randomSplit(all: Interactions, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`randomSplit: testFraction must be between 0 and 1, got ${testFraction}.`);
  const p = permutation(all.count, seed);
  const nTest = Math.round(all.count * testFraction);
  const inTest = new Uint8Array(all.count);
  for (let t = 0; t < nTest; t++) inTest[p[t]] = 1;
  return { name: `random ${Math.round(testFraction * 100)}%`, ...partition(all, inTest) };
}

export function kFoldSplits(all: Interactions, k: number, seed: number): Split[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`kFoldSplits: k must be an integer of at least 2, got ${k}.`);
  if (all.count < k) throw new Error(`kFoldSplits: ${all.count} ratings cannot fill ${k} folds.`);
  const p = permutation(all.count, seed);
  const fold = new Uint8Array(all.count);
  // Position t of the permutation goes to fold t mod k: folds differ in size by at most one.
  for (let t = 0; t < all.count; t++) fold[p[t]] = t % k;
  const splits: Split[] = [];
  for (let f = 0; f < k; f++) {
    const inTest = new Uint8Array(all.count);
    for (let e = 0; e < all.count; e++) inTest[e] = fold[e] === f ? 1 : 0;
    splits.push({ name: `fold ${f + 1} of ${k}`, ...partition(all, inTest) });
  }
  return splits;
}

/** Rows grouped by user, each group ordered by time then movie (a total order: no ties left). */
function rowsByUserInTime(all: Interactions): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(all.nUsers + 1);
  for (let e = 0; e < all.count; e++) start[all.users[e] + 1]++;
  for (let u = 0; u < all.nUsers; u++) start[u + 1] += start[u];
  const fill = start.slice(0, all.nUsers);
  const rows = new Int32Array(all.count);
  for (let e = 0; e < all.count; e++) rows[fill[all.users[e]]++] = e;
  for (let u = 0; u < all.nUsers; u++) {
    const group = rows.subarray(start[u], start[u + 1]);
    group.sort((a, b) => all.times[a] - all.times[b] || all.movies[a] - all.movies[b]);
  }
  return { start, rows };
}

/** The latest n ratings of each user go to test; a user keeps at least one rating in train. */
export function temporalSplit(all: Interactions, n: number): Split {
  if (!Number.isInteger(n) || n < 1) throw new Error(`temporalSplit: n must be a positive integer, got ${n}.`);
  const { start, rows } = rowsByUserInTime(all);
  const inTest = new Uint8Array(all.count);
  for (let u = 0; u < all.nUsers; u++) {
    const c = start[u + 1] - start[u];
    const held = Math.min(n, c - 1);
    for (let t = start[u + 1] - held; t < start[u + 1]; t++) inTest[rows[t]] = 1;
  }
  return { name: `latest ${n} per user`, ...partition(all, inTest) };
}

/**
 * Leave-one-out with sampled negatives (He et al., "Neural Collaborative Filtering", 2017):
 * each user with two or more ratings has their latest rating held out; it is ranked among
 * `negatives` movies that user never rated (drawn uniformly, without repeats, from the movies
 * somebody rated), and HR@10 / NDCG@10 ask where it lands.
 */
export function leaveOneOutSplit(all: Interactions, negatives: number, seed: number): Split {
  const { start, rows } = rowsByUserInTime(all);
  const inTest = new Uint8Array(all.count);
  for (let u = 0; u < all.nUsers; u++) {
    if (start[u + 1] - start[u] >= 2) inTest[rows[start[u + 1] - 1]] = 1;
  }
  const { train, test } = partition(all, inTest);
  const ratedByAnyone: number[] = [];
  const seen = new Uint8Array(all.nMovies);
  for (let e = 0; e < all.count; e++) seen[all.movies[e]] = 1;
  for (let m = 0; m < all.nMovies; m++) if (seen[m]) ratedByAnyone.push(m);

  const stride = negatives + 1;
  const candidates = new Int32Array(test.count * stride).fill(-1);
  const rng = new Sfc32(seed);
  const mark = new Uint8Array(all.nMovies);
  for (let t = 0; t < test.count; t++) {
    const u = test.users[t];
    const own = rows.subarray(start[u], start[u + 1]);
    for (const e of own) mark[all.movies[e]] = 1;
    const base = t * stride;
    candidates[base] = test.movies[t];
    const available = ratedByAnyone.length - own.length;
    const want = Math.min(negatives, Math.max(0, available));
    let got = 0;
    if (want * 2 < available) {
      // Rejection sampling: cheap while most movies are unrated by this user (the usual case).
      while (got < want) {
        const m = ratedByAnyone[rng.nextInt(ratedByAnyone.length)];
        if (mark[m]) continue;
        mark[m] = 1;
        candidates[base + 1 + got++] = m;
      }
      for (let q = 1; q <= got; q++) mark[candidates[base + q]] = 0;
    } else {
      // A heavy rater: draw from the explicit list of movies they did not rate.
      const pool = ratedByAnyone.filter((m) => !mark[m]);
      for (let q = 0; q < want; q++) {
        const j = q + rng.nextInt(pool.length - q);
        const tmp = pool[q];
        pool[q] = pool[j];
        pool[j] = tmp;
        candidates[base + 1 + q] = pool[q];
      }
    }
    for (const e of own) mark[all.movies[e]] = 0;
  }
  return { name: `leave-one-out + ${negatives} negatives`, train, test, candidates, stride };
}

/** The splits a spec asks for (ML-100k's files are read by ml100kSplits instead). */
export function makeSplits(all: Interactions, spec: SplitSpec): Split[] {
  switch (spec.kind) {
    case 'random':
      return [randomSplit(all, spec.testFraction, spec.seed)];
    case 'temporal':
      return [temporalSplit(all, spec.n)];
    case 'kfold':
      return kFoldSplits(all, spec.k, spec.seed);
    case 'loo':
      return [leaveOneOutSplit(all, spec.negatives, spec.seed)];
    case 'ml100k':
      throw new Error('The ML-100k splits are read from the u1..u5 / ua / ub files: use ml100kSplits with those files.');
    case 'cold-items':
      return [coldItemsSplit(all, spec.fraction, spec.minRatings, spec.negatives, spec.seed)];
  }
}

/**
 * Cold items (Schein et al. 2002's "new item" protocol, with sampled negatives): a seeded
 * `fraction` of the movies with at least `minRatings` ratings lose all their ratings to the test
 * set. Each user with training ratings and a held-out rating gets one test case, their latest
 * held-out rating, ranked among up to `negatives` other held-out movies they did not rate, so a
 * model must tell unseen movies apart (chance HR@10 = 10 / (negatives + 1)). Only content can.
 */
export function coldItemsSplit(all: Interactions, fraction: number, minRatings: number, negatives: number, seed: number): Split {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`coldItemsSplit: fraction must be between 0 and 1, got ${fraction}.`);
  const count = new Int32Array(all.nMovies);
  for (let e = 0; e < all.count; e++) count[all.movies[e]]++;
  const eligible: number[] = [];
  for (let m = 0; m < all.nMovies; m++) if (count[m] >= minRatings) eligible.push(m);
  const order = permutation(eligible.length, seed);
  const nCold = Math.max(1, Math.round(eligible.length * fraction));
  const cold = new Uint8Array(all.nMovies);
  const coldList: number[] = [];
  for (let t = 0; t < nCold && t < eligible.length; t++) {
    cold[eligible[order[t]]] = 1;
    coldList.push(eligible[order[t]]);
  }
  coldList.sort((a, b) => a - b);
  const inTrain = new Uint8Array(all.nUsers);
  for (let e = 0; e < all.count; e++) if (!cold[all.movies[e]]) inTrain[all.users[e]] = 1;
  // Each user's latest cold rating (ties by movie), among users who keep training ratings.
  const latest = new Int32Array(all.nUsers).fill(-1);
  for (let e = 0; e < all.count; e++) {
    if (!cold[all.movies[e]] || !inTrain[all.users[e]]) continue;
    const u = all.users[e];
    const q = latest[u];
    if (q < 0 || all.times[e] > all.times[q] || (all.times[e] === all.times[q] && all.movies[e] > all.movies[q])) latest[u] = e;
  }
  const trainRows: number[] = [];
  for (let e = 0; e < all.count; e++) if (!cold[all.movies[e]]) trainRows.push(e);
  const testRows: number[] = [];
  for (let u = 0; u < all.nUsers; u++) if (latest[u] >= 0) testRows.push(latest[u]);
  const train = selectRows(all, trainRows);
  const test = selectRows(all, testRows);

  const ratedCold = new Map<number, Set<number>>();
  for (let e = 0; e < all.count; e++) {
    if (!cold[all.movies[e]] || latest[all.users[e]] < 0) continue;
    let set = ratedCold.get(all.users[e]);
    if (!set) ratedCold.set(all.users[e], (set = new Set()));
    set.add(all.movies[e]);
  }
  const stride = negatives + 1;
  const candidates = new Int32Array(test.count * stride).fill(-1);
  const rng = new Sfc32(seed, 1);
  for (let t = 0; t < test.count; t++) {
    const own = ratedCold.get(test.users[t])!;
    const pool = coldList.filter((m) => !own.has(m));
    candidates[t * stride] = test.movies[t];
    const want = Math.min(negatives, pool.length);
    for (let q = 0; q < want; q++) {
      const j = q + rng.nextInt(pool.length - q);
      const tmp = pool[q];
      pool[q] = pool[j];
      pool[j] = tmp;
      candidates[t * stride + 1 + q] = pool[q];
    }
  }
  return { name: `cold items (${coldList.length} movies unseen)`, train, test, candidates, stride };
}
