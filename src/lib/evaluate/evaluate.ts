/**
 * One evaluation: fit a predictor on each split's training ratings, then measure it on the
 * test ratings. Rating accuracy (RMSE, MAE) on every test rating; ranking quality on top-N
 * lists over the movies each user has not rated in training; for leave-one-out, the rank of the
 * held-out movie among its sampled negatives.
 */
import type { CheckCancelled, Neighbours } from '../types';
import type { Interactions } from './interactions';
import { catalogueCoverage, hitRateAtK, mae, meanOf, ndcgAtK, novelty, PeakMemory, precisionAtK, recallAtK, reciprocalRankAtK, rmse, topN } from './metrics';
import { createPredictor, type AlgoName, type AlgoParams, type PredictorSide } from './predictors/index';
import { ItemKnn } from './predictors/item-knn';
import type { Split, SplitSpec } from './splits';

export interface EvalConfig {
  split: SplitSpec;
  algo: AlgoName;
  params?: AlgoParams;
  /** Length of the recommendation lists for the top-N metrics. Default 10. */
  topK?: number;
  /** Test ratings at or above this count as relevant (liked) for top-N metrics. Default 4. */
  relevantFrom?: number;
  /** Rank the whole catalogue for every test user (slower); LOO always ranks its candidates. Default true. */
  topN?: boolean;
}

/** Metrics by name; names use MLflow's allowed characters ("ndcg_at_10", not "ndcg@10"). */
export type Metrics = Record<string, number>;

export interface FoldResult {
  name: string;
  trainRatings: number;
  testRatings: number;
  metrics: Metrics;
  fitMs: number;
  testMs: number;
}

export interface EvalResult {
  /** Mean over folds of each metric. */
  metrics: Metrics;
  folds: FoldResult[];
  timings: { fitMs: number; testMs: number; totalMs: number };
  /** Highest memory seen during the run (bytes), NaN where the platform does not say. */
  peakMemoryBytes: number;
}

export interface EvalProgress {
  stage: 'load' | 'split' | 'fit' | 'predict' | 'rank';
  done: number;
  total: number;
  elapsedMs: number;
  detail?: string;
}

export interface EvalHooks {
  check?: CheckCancelled;
  onProgress?: (p: EvalProgress) => void;
  /**
   * Neighbour lists per fold and similarity, shared between the runs of a sweep (k, shrinkage,
   * variant and minSim change only how the lists are used, not the lists themselves).
   */
  neighbourCache?: Map<string, Neighbours>;
  /** Position of this run in a sweep, for progress: folds done before it and in all. */
  progressOffset?: number;
  progressTotal?: number;
  startedMs?: number;
  /** Side information some predictors need (content for app and hybrid). */
  side?: PredictorSide;
}

const now = (): number => performance.now();

export function evaluateOnSplits(splits: Split[], config: EvalConfig, hooks: EvalHooks = {}): EvalResult {
  const topK = config.topK ?? 10;
  const relevantFrom = config.relevantFrom ?? 4;
  const started = hooks.startedMs ?? now();
  const total = hooks.progressTotal ?? splits.length;
  const offset = hooks.progressOffset ?? 0;
  const memory = new PeakMemory();
  const folds: FoldResult[] = [];
  const report = (stage: EvalProgress['stage'], f: number, detail: string) => {
    hooks.check?.();
    memory.sample();
    hooks.onProgress?.({ stage, done: offset + f, total, elapsedMs: now() - started, detail });
  };

  splits.forEach((split, f) => {
    report('fit', f, `${split.name}: fitting ${config.algo}`);
    const fitStart = now();
    const predictor = createPredictor(config.algo, config.params, hooks.side);
    if (predictor instanceof ItemKnn) {
      const key = `${f}:${split.name}:${predictor.params.similarity}:${predictor.params.storedK}`;
      predictor.fit(split.train, { check: hooks.check }, hooks.neighbourCache?.get(key));
      if (hooks.neighbourCache && predictor.neighbours) hooks.neighbourCache.set(key, predictor.neighbours);
    } else {
      predictor.fit(split.train, { check: hooks.check });
    }
    memory.sample();
    const fitMs = now() - fitStart;

    report('predict', f, `${split.name}: predicting ${split.test.count.toLocaleString('en')} ratings`);
    const testStart = now();
    const { test, train } = split;
    const predicted = new Float64Array(test.count);
    for (let t = 0; t < test.count; t++) {
      predicted[t] = predictor.predict(test.users[t], test.movies[t]);
      if ((t & 0xffff) === 0xffff) hooks.check?.();
    }
    const metrics: Metrics = { rmse: rmse(test.ratings, predicted), mae: mae(test.ratings, predicted) };

    report('rank', f, `${split.name}: ranking`);
    const trainCount = ratingsPerMovie(train);
    if (split.candidates && split.stride) {
      Object.assign(metrics, rankCandidates(split, predictor.score.bind(predictor), topK, trainCount, train.nUsers, hooks.check));
    } else if (config.topN ?? true) {
      Object.assign(metrics, rankCatalogue(split, predictor.score.bind(predictor), topK, relevantFrom, trainCount, hooks.check));
    }
    const testMs = now() - testStart;
    memory.sample();
    folds.push({ name: split.name, trainRatings: train.count, testRatings: test.count, metrics, fitMs, testMs });
  });
  hooks.onProgress?.({ stage: 'rank', done: offset + splits.length, total, elapsedMs: now() - started });

  const metrics: Metrics = {};
  for (const name of Object.keys(folds[0]?.metrics ?? {})) metrics[name] = meanOf(folds.map((f) => f.metrics[name]));
  const fitMs = folds.reduce((s, f) => s + f.fitMs, 0);
  const testMs = folds.reduce((s, f) => s + f.testMs, 0);
  return { metrics, folds, timings: { fitMs, testMs, totalMs: fitMs + testMs }, peakMemoryBytes: memory.peakBytes };
}

type Scorer = (user: number, candidates: Int32Array, out: Float64Array) => void;

function ratingsPerMovie(x: Interactions): Int32Array {
  const c = new Int32Array(x.nMovies);
  for (let e = 0; e < x.count; e++) c[x.movies[e]]++;
  return c;
}

/** Leave-one-out: where the held-out movie lands among its candidates (HR@K, NDCG@K, MRR@K). */
function rankCandidates(split: Split, score: Scorer, topK: number, trainCount: Int32Array, users: number, check?: CheckCancelled): Metrics {
  const { test, stride } = split;
  const candidates = split.candidates!;
  const out = new Float64Array(stride!);
  const hr: number[] = [];
  const ndcg: number[] = [];
  const rr: number[] = [];
  const lists: Int32Array[] = [];
  for (let t = 0; t < test.count; t++) {
    const cands = candidates.subarray(t * stride!, (t + 1) * stride!);
    score(test.users[t], cands, out);
    // Ties must not favour the held-out movie, which sits first: break them against it by
    // ranking the negatives first among equals (reverse order, then stable top-N).
    const reversed = cands.slice().reverse();
    const revScores = out.slice().reverse();
    const ranked = topN(reversed, revScores, topK);
    const relevant = new Set([cands[0]]);
    hr.push(hitRateAtK(ranked, relevant, topK));
    ndcg.push(ndcgAtK(ranked, relevant, topK));
    rr.push(reciprocalRankAtK(ranked, relevant, topK));
    lists.push(ranked);
    if ((t & 0xff) === 0xff) check?.();
  }
  const metrics: Metrics = {
    [`hit_rate_at_${topK}`]: meanOf(hr),
    [`ndcg_at_${topK}`]: meanOf(ndcg),
    [`mrr_at_${topK}`]: meanOf(rr),
    [`novelty_at_${topK}`]: novelty(lists, trainCount, users),
  };
  // The sparse-items report: the hit rate by how many training ratings the held-out movie had,
  // where neighbours are noise (<5), thin (5-50) or solid (>50). Buckets without cases are left out.
  for (const [name, lo, hi] of POPULARITY_BUCKETS) {
    const hits: number[] = [];
    for (let t = 0; t < test.count; t++) {
      const c = trainCount[test.movies[t]];
      if (c >= lo && c <= hi) hits.push(hr[t]);
    }
    if (hits.length) {
      metrics[`hit_rate_at_${topK}_${name}`] = meanOf(hits);
      metrics[`cases_${name}`] = hits.length;
    }
  }
  return metrics;
}

/** Training-rating buckets of the sparse-items report: name, lowest and highest count. */
const POPULARITY_BUCKETS: [string, number, number][] = [
  ['train_lt5', 0, 4],
  ['train_5to50', 5, 50],
  ['train_gt50', 51, Infinity],
];

/**
 * Full-catalogue top-N: for each user with a liked test movie, rank every movie that has
 * training ratings and that the user did not rate in training.
 */
function rankCatalogue(split: Split, score: Scorer, topK: number, relevantFrom: number, trainCount: Int32Array, check?: CheckCancelled): Metrics {
  const { train, test } = split;
  const nMovies = train.nMovies;
  const relevantOf = new Map<number, Set<number>>();
  for (let t = 0; t < test.count; t++) {
    if (test.ratings[t] < relevantFrom) continue;
    const u = test.users[t];
    let s = relevantOf.get(u);
    if (!s) relevantOf.set(u, (s = new Set()));
    s.add(test.movies[t]);
  }
  const rated = new Map<number, number[]>();
  for (const u of relevantOf.keys()) rated.set(u, []);
  for (let e = 0; e < train.count; e++) rated.get(train.users[e])?.push(train.movies[e]);

  const known: number[] = [];
  for (let m = 0; m < nMovies; m++) if (trainCount[m] > 0) known.push(m);
  const candidates = new Int32Array(known.length);
  const out = new Float64Array(known.length);
  const mark = new Uint8Array(nMovies);
  const precision: number[] = [];
  const recall: number[] = [];
  const ndcg: number[] = [];
  const hit: number[] = [];
  const rr: number[] = [];
  const lists: Int32Array[] = [];
  const users = [...relevantOf.keys()].sort((a, b) => a - b);
  let n = 0;
  for (const u of users) {
    const own = rated.get(u)!;
    for (const m of own) mark[m] = 1;
    let c = 0;
    for (const m of known) if (!mark[m]) candidates[c++] = m;
    for (const m of own) mark[m] = 0;
    const cands = candidates.subarray(0, c);
    score(u, cands, out);
    const ranked = topN(cands, out.subarray(0, c), topK);
    const relevant = relevantOf.get(u)!;
    precision.push(precisionAtK(ranked, relevant, topK));
    recall.push(recallAtK(ranked, relevant, topK));
    ndcg.push(ndcgAtK(ranked, relevant, topK));
    hit.push(hitRateAtK(ranked, relevant, topK));
    rr.push(reciprocalRankAtK(ranked, relevant, topK));
    lists.push(ranked);
    if ((++n & 0x1f) === 0) check?.();
  }
  return {
    [`precision_at_${topK}`]: meanOf(precision),
    [`recall_at_${topK}`]: meanOf(recall),
    [`ndcg_at_${topK}`]: meanOf(ndcg),
    [`hit_rate_at_${topK}`]: meanOf(hit),
    [`mrr_at_${topK}`]: meanOf(rr),
    [`coverage_at_${topK}`]: catalogueCoverage(lists, known.length),
    [`novelty_at_${topK}`]: novelty(lists, trainCount, train.nUsers),
  };
}
