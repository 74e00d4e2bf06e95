import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { memoryStore } from '../../../src/lib/cache/store';
import {
  deleteRun,
  listRuns,
  RUN_KEY_PREFIX,
  runsToCsv,
  runsToJson,
  runsToMlflowFiles,
  runsToMlflowZip,
  saveRun,
  type RunRecord,
} from '../../../src/lib/evaluate/runs';
import { runRequest } from '../../../src/lib/evaluate/sweep';
import { sampleInteractions } from './helpers';

function sampleRun(id: string, startedAt: string, k: number): RunRecord {
  return {
    id,
    experiment: 'item-knn on 2-fold',
    startedAt,
    params: { algo: 'item-knn', k },
    datasetFingerprint: 'fp',
    split: '2-fold (seed 1)',
    metrics: { rmse: 0.9, ndcg_at_10: NaN },
    folds: [
      { name: 'fold 1 of 2', trainRatings: 5, testRatings: 5, metrics: { rmse: 0.8, ndcg_at_10: NaN } },
      { name: 'fold 2 of 2', trainRatings: 5, testRatings: 5, metrics: { rmse: 1.0, ndcg_at_10: NaN } },
    ],
    timings: { fitMs: 10, testMs: 5, totalMs: 15, peakMemoryBytes: 1000 },
    appVersion: '0.1.0',
  };
}

describe('runs in the key-value store', () => {
  it('are saved under latentlens:runs:*, listed oldest first, deleted one by one', async () => {
    const store = memoryStore();
    await saveRun(store, sampleRun('b'.repeat(32), '2024-01-02T00:00:00.000Z', 10));
    await saveRun(store, sampleRun('a'.repeat(32), '2024-01-01T00:00:00.000Z', 5));
    await store.set('latentlens:manifest', { other: true });
    expect((await store.keys()).filter((k) => k.startsWith(RUN_KEY_PREFIX))).toHaveLength(2);
    expect((await listRuns(store)).map((r) => r.params.k)).toEqual([5, 10]);
    await deleteRun(store, 'a'.repeat(32));
    expect(await listRuns(store)).toHaveLength(1);
  });
});

describe('exports', () => {
  const runs = [sampleRun('0123456789abcdef0123456789abcdef', '2024-01-01T00:00:00.000Z', 5)];
  it('CSV has a mean row and a row per fold', () => {
    const lines = runsToCsv(runs).trim().split('\n');
    expect(lines[0]).toBe(
      'run_id,experiment,started_at,dataset_fingerprint,split,fold,param.algo,param.k,ndcg_at_10,rmse,fit_ms,test_ms,peak_memory_bytes,app_version',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(',mean,item-knn,5,,0.9,10,5,1000,0.1.0');
  });
  it('JSON writes NaN as null', () => {
    expect(JSON.parse(runsToJson(runs))[0].metrics).toEqual({ rmse: 0.9, ndcg_at_10: null });
  });
  it('MLflow file store: the files and fields FileStore reads', () => {
    const files = runsToMlflowFiles(runs);
    const dir = 'mlruns/1/0123456789abcdef0123456789abcdef';
    expect(files['mlruns/0/meta.yaml']).toContain("experiment_id: '0'");
    expect(files['mlruns/1/meta.yaml']).toBe(
      [
        'artifact_location: mlruns/1',
        'creation_time: 1704067200000',
        "experiment_id: '1'",
        'last_update_time: 1704067200015',
        'lifecycle_stage: active',
        'name: item-knn on 2-fold',
        '',
      ].join('\n'),
    );
    const meta = files[`${dir}/meta.yaml`];
    for (const line of [
      'run_id: 0123456789abcdef0123456789abcdef',
      'run_uuid: 0123456789abcdef0123456789abcdef',
      "experiment_id: '1'",
      'status: 3',
      'start_time: 1704067200000',
      'end_time: 1704067200015',
      'lifecycle_stage: active',
      'source_type: 4',
      'user_id: latentlens',
      'tags: []',
    ]) {
      expect(meta.split('\n')).toContain(line);
    }
    expect(files[`${dir}/params/k`]).toBe('5');
    expect(files[`${dir}/metrics/rmse`]).toBe('1704067200015 0.9 0\n1704067200015 0.8 1\n1704067200015 1 2\n');
    expect(files[`${dir}/metrics/ndcg_at_10`].split('\n')[0]).toBe('1704067200015 nan 0');
    expect(files[`${dir}/tags/mlflow.runName`]).toBe('item-knn k=5');
  });
  it('the zip holds the same files', () => {
    const entries = unzipSync(runsToMlflowZip(runs));
    expect(strFromU8(entries['mlruns/1/0123456789abcdef0123456789abcdef/params/algo'])).toBe('item-knn');
  });
});

describe('a sweep makes one run per value', () => {
  it('item-knn over k = 2, 4 on 3 folds records k and per-fold metrics', () => {
    const all = sampleInteractions(20, 12, 4);
    const runs = runRequest(
      all,
      { split: { kind: 'kfold', k: 3, seed: 1 }, algo: 'item-knn', sweep: { param: 'k', values: [2, 4] } },
      { datasetFingerprint: 'fp', appVersion: 'test' },
    );
    expect(runs.map((r) => r.params.k)).toEqual([2, 4]);
    for (const r of runs) {
      expect(r.folds).toHaveLength(3);
      expect(Number.isFinite(r.metrics.rmse)).toBe(true);
      expect(r.metrics.rmse).toBeCloseTo(r.folds.reduce((s, f) => s + f.metrics.rmse, 0) / 3, 12);
      expect(r.metrics).toHaveProperty('ndcg_at_10');
    }
  });
  it('leave-one-out reports HR@10 and NDCG@10', () => {
    const all = sampleInteractions(20, 40, 4);
    const [run] = runRequest(all, { split: { kind: 'loo', negatives: 20, seed: 1 }, algo: 'popular' }, { datasetFingerprint: 'fp', appVersion: 'test' });
    expect(run.metrics.hit_rate_at_10).toBeGreaterThanOrEqual(0);
    expect(run.metrics.hit_rate_at_10).toBeLessThanOrEqual(1);
    expect(run.metrics.ndcg_at_10).toBeLessThanOrEqual(run.metrics.hit_rate_at_10);
  });
});
