/**
 * The Evaluate view's state: the form, the worker running an evaluation, and the runs kept in
 * this browser. Components render it; only its methods change it.
 */
import type { EvalProgress } from '../../lib/evaluate/evaluate';
import type { AlgoName, AlgoParams } from '../../lib/evaluate/predictors/index';
import type { KnnVariant } from '../../lib/evaluate/predictors/item-knn';
import { deleteRun, listRuns, saveRun, type RunRecord } from '../../lib/evaluate/runs';
import type { SplitSpec } from '../../lib/evaluate/splits';
import { parseSweepValues, sweepParamsFor, type EvalRequest, type SweepParam } from '../../lib/evaluate/sweep';
import { DEFAULT_IALS } from '../../lib/recommend/ials-params';
import { DEFAULT_PARAMS } from '../../lib/types';
import type { KeyValueStore } from '../../lib/cache/store';
import type { SimilarityKind } from '../../lib/types';
import { WorkerBridge } from '../../platform/worker-bridge';
import { idbStore } from '../../platform/idb-store';
import type { EvaluateApi } from '../../../workers/evaluate.worker';

export type SplitChoice = 'kfold' | 'random' | 'temporal' | 'loo' | 'cold-items' | 'ml100k';
export type SortKey = 'startedAt' | 'algo' | 'experiment' | string;

export class EvaluateState {
  splitKind = $state<SplitChoice>('kfold');
  folds = $state(5);
  seed = $state(42);
  testPercent = $state(20);
  latest = $state(5);
  negatives = $state(99);
  ml100kSet = $state<'folds' | 'ua' | 'ub'>('folds');
  splitFiles = $state.raw<File[]>([]);

  /** The app's own recommender first: it is what a person is shown. */
  algo = $state<AlgoName>('app');
  k = $state(30);
  shrinkage = $state(0);
  variant = $state<KnnVariant>('baseline');
  similarity = $state<SimilarityKind>('cosine');
  minSim = $state(0);
  topN = $state(true);
  /** Latent-factor settings (ials, app). */
  factors = $state(DEFAULT_PARAMS.factors);
  iterations = $state(DEFAULT_IALS.iterations);
  regularization = $state(DEFAULT_IALS.regularization);
  alpha = $state(DEFAULT_IALS.alpha);

  sweepOn = $state(false);
  sweepParam = $state<SweepParam>('k');
  sweepValues = $state('5, 10, 20, 40, 80');

  runs = $state.raw<RunRecord[]>([]);
  progress = $state.raw<EvalProgress | null>(null);
  running = $state(false);
  problem = $state<string | null>(null);
  /** Ids of the runs the last evaluation produced: the charts show these. */
  lastRunIds = $state.raw<string[]>([]);

  sortKey = $state<SortKey>('startedAt');
  sortDescending = $state(true);
  chartMetric = $state('rmse');

  private readonly bridge = new WorkerBridge<EvaluateApi>(
    () => new Worker(new URL('../../../workers/evaluate.worker.ts', import.meta.url), { type: 'module', name: 'latentlens-evaluate' }),
    'The evaluation worker',
  );

  constructor(private readonly store: KeyValueStore = idbStore()) {}

  splitSpec(): SplitSpec {
    switch (this.splitKind) {
      case 'kfold':
        return { kind: 'kfold', k: this.folds, seed: this.seed };
      case 'random':
        return { kind: 'random', testFraction: this.testPercent / 100, seed: this.seed };
      case 'temporal':
        return { kind: 'temporal', n: this.latest };
      case 'loo':
        return { kind: 'loo', negatives: this.negatives, seed: this.seed };
      case 'cold-items':
        return { kind: 'cold-items', fraction: 0.1, minRatings: 20, negatives: this.negatives, seed: this.seed };
      case 'ml100k':
        return { kind: 'ml100k', set: this.ml100kSet };
    }
  }

  /** What the form asks for, or a message naming the first field that is not usable. */
  request(): EvalRequest | { problem: string } {
    const sweepable = sweepParamsFor(this.algo);
    let sweep: EvalRequest['sweep'];
    if (this.sweepOn && sweepable.length) {
      // The select shows the first parameter when the kept one does not apply to this algorithm.
      const param = sweepable.includes(this.sweepParam) ? this.sweepParam : sweepable[0];
      const parsed = parseSweepValues(param, this.sweepValues);
      if ('problem' in parsed) return parsed;
      sweep = { param, values: parsed.values };
    }
    const numbers: [string, number, (v: number) => boolean][] = [];
    let params: AlgoParams = {};
    if (this.algo === 'item-knn') {
      numbers.push(
        ['Neighbours k', this.k, (v) => Number.isInteger(v) && v >= 1],
        ['Shrinkage', this.shrinkage, (v) => v >= 0],
        ['Minimum similarity', this.minSim, (v) => v >= -1 && v <= 1],
      );
      params = { k: this.k, shrinkage: this.shrinkage, variant: this.variant, similarity: this.similarity, minSim: this.minSim };
    } else if (this.algo === 'item-knn-topn') {
      numbers.push(['Neighbours k', this.k, (v) => Number.isInteger(v) && v >= 1]);
      params = { k: this.k };
    } else if (this.algo === 'ials' || this.algo === 'app') {
      numbers.push(
        ['Factors', this.factors, (v) => Number.isInteger(v) && v >= 1 && v <= 1024],
        ['Iterations', this.iterations, (v) => Number.isInteger(v) && v >= 1 && v <= 1000],
        ['Regularisation', this.regularization, (v) => v >= 0],
        ['Alpha', this.alpha, (v) => v >= 0],
      );
      params = { factors: this.factors, iterations: this.iterations, regularization: this.regularization, alpha: this.alpha };
    }
    for (const [label, v, ok] of numbers) {
      // An emptied or garbled number input binds to null/NaN: say so instead of running with it.
      if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) return { problem: `${label}: “${String(v ?? '')}” is not a usable value.` };
    }
    return { split: this.splitSpec(), algo: this.algo, params, topN: this.topN, sweep };
  }

  async load(): Promise<void> {
    try {
      this.runs = await listRuns(this.store);
    } catch (error) {
      this.problem = `The saved runs could not be read: ${(error as Error).message}`;
    }
  }

  async run(fingerprint: string): Promise<void> {
    if (this.running) return;
    if (this.splitKind === 'ml100k' && this.splitFiles.length === 0) {
      this.problem = 'Choose the ML-100k split files (u1.base … u5.test, ua, ub) or the ml-100k zip first.';
      return;
    }
    const asked = this.request();
    if ('problem' in asked) {
      this.problem = asked.problem;
      return;
    }
    this.running = true;
    this.problem = null;
    this.progress = null;
    const request = $state.snapshot(asked) as EvalRequest;
    const files = this.splitFiles;
    // The bridge's progress type is the build pipeline's; this worker reports EvalProgress.
    const outcome = await this.bridge.run<RunRecord[]>(
      (api, onProgress) => api.run(fingerprint, request, files, onProgress as unknown as (p: EvalProgress) => void),
      (p) => (this.progress = p as unknown as EvalProgress),
    );
    this.running = false;
    if (!outcome.ok) {
      this.problem = outcome.problem.message;
      return;
    }
    for (const run of outcome.value) await saveRun(this.store, run).catch(() => {});
    this.runs = [...this.runs, ...outcome.value];
    this.lastRunIds = outcome.value.map((r) => r.id);
  }

  cancel(): void {
    this.bridge.cancel('Evaluation cancelled.');
  }

  async remove(id: string): Promise<void> {
    await deleteRun(this.store, id);
    this.runs = this.runs.filter((r) => r.id !== id);
  }

  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.sortDescending = !this.sortDescending;
    else {
      this.sortKey = key;
      this.sortDescending = key === 'startedAt';
    }
  }

  sorted(): RunRecord[] {
    const key = this.sortKey;
    const value = (r: RunRecord): string | number =>
      key === 'startedAt' ? r.startedAt : key === 'experiment' ? r.experiment : key in r.metrics ? r.metrics[key] : (r.params[key] ?? '');
    const dir = this.sortDescending ? -1 : 1;
    return [...this.runs].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (typeof x === 'number' && typeof y === 'number') return dir * ((Number.isFinite(x) ? x : Infinity) - (Number.isFinite(y) ? y : Infinity));
      return dir * String(x).localeCompare(String(y));
    });
  }

  dispose(): void {
    this.bridge.dispose();
  }
}
