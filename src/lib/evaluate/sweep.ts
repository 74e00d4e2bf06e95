/**
 * An evaluation request as the app and the command line make it: one configuration, or a sweep
 * of one parameter over several values, on one split. Every configuration becomes a RunRecord.
 */
import type { CheckCancelled, Neighbours } from '../types';
import { evaluateOnSplits, type EvalConfig, type EvalProgress } from './evaluate';
import type { Interactions } from './interactions';
import type { AlgoName, AlgoParams, PredictorSide } from './predictors/index';
import { DEFAULT_ITEM_KNN } from './predictors/item-knn';
import { DEFAULT_IALS } from '../recommend/ials';
import { DEFAULT_HYBRID } from '../recommend/hybrid';
import { DEFAULT_ITEM_KNN_TOPN } from '../recommend/item-knn-topn';
import { DEFAULT_PARAMS } from '../types';

function pick(params: AlgoParams | undefined, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = (params as Record<string, unknown> | undefined)?.[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
import { runRecord, type RunRecord } from './runs';
import { describeSplit, makeSplits, type Split, type SplitSpec } from './splits';

export type SweepParam = 'k' | 'shrinkage' | 'variant' | 'minSim' | 'similarity' | 'factors' | 'iterations' | 'regularization' | 'alpha' | 'beta' | 'gamma';

export const SWEEP_PARAMS: readonly SweepParam[] = [
  'k',
  'shrinkage',
  'variant',
  'minSim',
  'similarity',
  'factors',
  'iterations',
  'regularization',
  'alpha',
  'beta',
  'gamma',
];

const FACTOR_SWEEPS: readonly SweepParam[] = ['factors', 'iterations', 'regularization', 'alpha'];

/** The parameters each algorithm can sweep (none for the parameter-free ones). */
export function sweepParamsFor(algo: AlgoName): readonly SweepParam[] {
  switch (algo) {
    case 'item-knn':
      return ['k', 'shrinkage', 'variant', 'minSim', 'similarity'];
    case 'item-knn-topn':
      return ['k'];
    case 'ials':
    case 'app':
      return FACTOR_SWEEPS;
    case 'hybrid':
      return [...FACTOR_SWEEPS, 'beta', 'gamma'];
    default:
      return [];
  }
}

/** A sweep's values as typed, or a message naming the first one that is not usable. */
export function parseSweepValues(param: SweepParam, text: string): { values: (number | string)[] } | { problem: string } {
  const parts = text
    .split(/[,\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);
  if (parts.length === 0) return { problem: `Give at least one value of ${param} to sweep.` };
  if (param === 'variant' || param === 'similarity') return { values: parts };
  const values: number[] = [];
  for (const part of parts) {
    const v = Number(part);
    if (!Number.isFinite(v)) return { problem: `“${part}” is not a number: the values of ${param} must be numbers, separated by commas.` };
    if (v < 0) return { problem: `${param} cannot be negative (got ${part}).` };
    if ((param === 'k' || param === 'factors' || param === 'iterations') && (!Number.isInteger(v) || v < 1)) {
      return { problem: `${param} must be a whole number of at least 1 (got ${part}).` };
    }
    values.push(v);
  }
  return { values };
}

export interface EvalRequest {
  split: SplitSpec;
  algo: AlgoName;
  params?: AlgoParams;
  topK?: number;
  relevantFrom?: number;
  topN?: boolean;
  /** Run once per value of one item-knn parameter. */
  sweep?: { param: SweepParam; values: (number | string)[] };
  /** Experiment name of the runs; default from the algorithm and split. */
  experiment?: string;
}

export interface RunContext {
  datasetFingerprint: string;
  appVersion: string;
  check?: CheckCancelled;
  onProgress?: (p: EvalProgress) => void;
  /** Splits read elsewhere (ML-100k's files); otherwise made from `all` by the spec. */
  splits?: Split[];
  /** Content and other side information for the predictors that read it. */
  side?: PredictorSide;
}

/** The configurations a request stands for, in order. */
export function configsOf(request: EvalRequest): EvalConfig[] {
  const base: EvalConfig = {
    split: request.split,
    algo: request.algo,
    params: { ...request.params },
    topK: request.topK,
    relevantFrom: request.relevantFrom,
    topN: request.topN,
  };
  if (!request.sweep || request.sweep.values.length === 0) return [base];
  return request.sweep.values.map((v) => ({ ...base, params: { ...base.params, [request.sweep!.param]: v } }));
}

/** The parameters a run records: the algorithm and what it reads (item-knn's full set, defaults filled in). */
export function recordedParams(config: EvalConfig): Record<string, string | number> {
  const out: Record<string, string | number> = { algo: config.algo, top_k: config.topK ?? 10 };
  if (config.algo === 'item-knn') {
    const { baseline: _b, ...knn } = { ...DEFAULT_ITEM_KNN, ...config.params };
    Object.assign(out, knn);
  } else if (config.algo === 'ials' || config.algo === 'app' || config.algo === 'hybrid') {
    const {
      seed: model_seed,
      ratingWeighted,
      ...ials
    } = { ...DEFAULT_IALS, factors: DEFAULT_PARAMS.factors, ...pick(config.params, Object.keys(DEFAULT_IALS)) };
    Object.assign(out, ials, { model_seed, ratingWeighted: ratingWeighted ? 1 : 0 });
    if (config.algo !== 'ials') out.recommender = config.params?.recommender ?? DEFAULT_PARAMS.recommender;
    if (config.algo === 'hybrid') Object.assign(out, { beta: config.params?.beta ?? DEFAULT_HYBRID.beta, gamma: config.params?.gamma ?? DEFAULT_HYBRID.gamma });
  } else if (config.algo === 'item-knn-topn') {
    const p = { ...DEFAULT_ITEM_KNN_TOPN, ...pick(config.params, Object.keys(DEFAULT_ITEM_KNN_TOPN)) };
    Object.assign(out, { k: p.k, ratingWeighted: p.ratingWeighted ? 1 : 0, normalizeRows: p.normalizeRows ? 1 : 0 });
  } else {
    // Other algorithms record whatever parameters the run named.
    for (const [key, v] of Object.entries(config.params ?? {})) if (typeof v === 'number' || typeof v === 'string') out[key] = v;
  }
  return out;
}

/** Makes the splits once, then evaluates every configuration of the request on them. */
export function runRequest(all: Interactions, request: EvalRequest, ctx: RunContext): RunRecord[] {
  const started = performance.now();
  ctx.onProgress?.({ stage: 'split', done: 0, total: 1, elapsedMs: 0, detail: describeSplit(request.split) });
  const splits = ctx.splits ?? makeSplits(all, request.split);
  ctx.check?.();
  const configs = configsOf(request);
  const experiment = request.experiment ?? `${request.algo} on ${describeSplit(request.split)}${request.sweep ? `, sweep ${request.sweep.param}` : ''}`;
  const neighbourCache = new Map<string, Neighbours>();
  const total = configs.length * splits.length;
  return configs.map((config, c) => {
    const startedAt = new Date().toISOString();
    const result = evaluateOnSplits(splits, config, {
      check: ctx.check,
      onProgress: ctx.onProgress,
      neighbourCache,
      progressOffset: c * splits.length,
      progressTotal: total,
      startedMs: started,
      side: ctx.side,
    });
    return runRecord(result, {
      experiment,
      startedAt,
      params: recordedParams(config),
      datasetFingerprint: ctx.datasetFingerprint,
      split: describeSplit(request.split),
      appVersion: ctx.appVersion,
    });
  });
}
