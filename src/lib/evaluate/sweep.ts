/**
 * An evaluation request as the app and the command line make it: one configuration, or a sweep
 * of one parameter over several values, on one split. Every configuration becomes a RunRecord.
 */
import type { CheckCancelled, Neighbours } from '../types';
import { evaluateOnSplits, type EvalConfig, type EvalProgress } from './evaluate';
import type { Interactions } from './interactions';
import type { AlgoName, AlgoParams } from './predictors/index';
import { DEFAULT_ITEM_KNN } from './predictors/item-knn';
import { runRecord, type RunRecord } from './runs';
import { describeSplit, makeSplits, type Split, type SplitSpec } from './splits';

export type SweepParam = 'k' | 'shrinkage' | 'variant' | 'minSim' | 'similarity';

export const SWEEP_PARAMS: readonly SweepParam[] = ['k', 'shrinkage', 'variant', 'minSim', 'similarity'];

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
