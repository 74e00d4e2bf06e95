/**
 * Evaluation runs: the record of one evaluation, kept in the app's key-value store under
 * `latentlens:runs:<id>` (so "Delete my data", which clears the store, removes them), and
 * exported as CSV, JSON or an MLflow file store.
 */
import { zipSync, strToU8, type Zippable } from 'fflate';
import type { KeyValueStore } from '../cache/store';
import type { EvalResult, Metrics } from './evaluate';

export const RUN_KEY_PREFIX = 'latentlens:runs:';

export interface RunRecord {
  /** 32 hex digits: also a valid MLflow run id. */
  id: string;
  /** Runs of one sweep share an experiment name. */
  experiment: string;
  /** ISO date-time. */
  startedAt: string;
  params: Record<string, string | number>;
  datasetFingerprint: string;
  /** The split in plain words ("5-fold (seed 42)"). */
  split: string;
  /** Mean over folds. */
  metrics: Metrics;
  folds: { name: string; trainRatings: number; testRatings: number; metrics: Metrics }[];
  timings: { fitMs: number; testMs: number; totalMs: number; peakMemoryBytes: number };
  appVersion: string;
}

/** A new run id: 128 random bits as 32 hex digits. */
export function newRunId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

export function runRecord(
  result: EvalResult,
  fields: Pick<RunRecord, 'experiment' | 'params' | 'datasetFingerprint' | 'split' | 'appVersion'> & { startedAt?: string; id?: string },
): RunRecord {
  return {
    id: fields.id ?? newRunId(),
    experiment: fields.experiment,
    startedAt: fields.startedAt ?? new Date().toISOString(),
    params: fields.params,
    datasetFingerprint: fields.datasetFingerprint,
    split: fields.split,
    metrics: result.metrics,
    folds: result.folds.map(({ name, trainRatings, testRatings, metrics }) => ({ name, trainRatings, testRatings, metrics })),
    timings: { ...result.timings, peakMemoryBytes: result.peakMemoryBytes },
    appVersion: fields.appVersion,
  };
}

export async function saveRun(store: KeyValueStore, run: RunRecord): Promise<void> {
  await store.set(RUN_KEY_PREFIX + run.id, run);
}

/** Every stored run, oldest first. */
export async function listRuns(store: KeyValueStore): Promise<RunRecord[]> {
  const keys = (await store.keys()).filter((k) => k.startsWith(RUN_KEY_PREFIX));
  const runs = (await Promise.all(keys.map((k) => store.get(k)))) as RunRecord[];
  return runs.filter((r) => r && typeof r.id === 'string').sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

export async function deleteRun(store: KeyValueStore, id: string): Promise<void> {
  await store.del(RUN_KEY_PREFIX + id);
}

/** Names of all metrics and params across runs, sorted, for table columns. */
export function columnsOf(runs: RunRecord[]): { params: string[]; metrics: string[] } {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const r of runs) {
    Object.keys(r.params).forEach((p) => params.add(p));
    Object.keys(r.metrics).forEach((m) => metrics.add(m));
  }
  return { params: [...params].sort(), metrics: [...metrics].sort() };
}

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : typeof v === 'number' && !Number.isFinite(v) ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per run and fold: fold "mean" carries the run's mean metrics. */
export function runsToCsv(runs: RunRecord[]): string {
  const { params, metrics } = columnsOf(runs);
  const head = [
    'run_id',
    'experiment',
    'started_at',
    'dataset_fingerprint',
    'split',
    'fold',
    ...params.map((p) => `param.${p}`),
    ...metrics,
    'fit_ms',
    'test_ms',
    'peak_memory_bytes',
    'app_version',
  ];
  const rows = [head.join(',')];
  for (const r of runs) {
    const folds = [{ name: 'mean', metrics: r.metrics }, ...r.folds];
    for (const f of folds) {
      const mean = f.name === 'mean';
      rows.push(
        [
          r.id,
          r.experiment,
          r.startedAt,
          r.datasetFingerprint,
          r.split,
          f.name,
          ...params.map((p) => r.params[p]),
          ...metrics.map((m) => f.metrics[m]),
          mean ? Math.round(r.timings.fitMs) : '',
          mean ? Math.round(r.timings.testMs) : '',
          mean ? r.timings.peakMemoryBytes : '',
          r.appVersion,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return rows.join('\n') + '\n';
}

export function runsToJson(runs: RunRecord[]): string {
  // JSON has no NaN: a metric that could not be computed becomes null.
  return JSON.stringify(runs, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

/**
 * The runs as an MLflow file store (what `mlflow ui --backend-store-uri ./mlruns` reads), in
 * the layout of mlflow/store/tracking/file_store.py:
 *
 *   mlruns/0/meta.yaml                          the Default experiment MLflow expects
 *   mlruns/<experiment_id>/meta.yaml            experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time
 *   mlruns/<experiment_id>/<run_id>/meta.yaml   run_id, run_uuid, run_name, experiment_id, status 3 (FINISHED), start_time, end_time, ...
 *   .../<run_id>/params/<name>                  the value, no newline
 *   .../<run_id>/metrics/<name>                 "<timestamp_ms> <value> <step>" per line; step = fold number (0 = mean)
 *   .../<run_id>/tags/<name>                    mlflow.runName, mlflow.source.name, ...
 *
 * Experiment ids are 1, 2, ... by first appearance; artifact locations are relative file URIs
 * ("mlruns/1"), which MLflow resolves against the working directory of `mlflow ui`.
 */
export function runsToMlflowFiles(runs: RunRecord[], userId = 'latentlens'): Record<string, string> {
  const files: Record<string, string> = {};
  const experiments = new Map<string, { id: string; created: number; updated: number }>();
  for (const r of runs) {
    const t = Date.parse(r.startedAt);
    const e = experiments.get(r.experiment);
    if (e) {
      e.created = Math.min(e.created, t);
      e.updated = Math.max(e.updated, t + r.timings.totalMs);
    } else experiments.set(r.experiment, { id: String(experiments.size + 1), created: t, updated: t + r.timings.totalMs });
  }
  const first = runs.length ? Math.min(...runs.map((r) => Date.parse(r.startedAt))) : Date.now();
  files['mlruns/0/meta.yaml'] = yaml({
    artifact_location: 'mlruns/0',
    creation_time: first,
    experiment_id: '0',
    last_update_time: first,
    lifecycle_stage: 'active',
    name: 'Default',
  });
  for (const [name, e] of experiments) {
    files[`mlruns/${e.id}/meta.yaml`] = yaml({
      artifact_location: `mlruns/${e.id}`,
      creation_time: e.created,
      experiment_id: e.id,
      last_update_time: Math.round(e.updated),
      lifecycle_stage: 'active',
      name,
    });
  }
  for (const r of runs) {
    const exp = experiments.get(r.experiment)!.id;
    const dir = `mlruns/${exp}/${r.id}`;
    const start = Date.parse(r.startedAt);
    const end = Math.round(start + r.timings.totalMs);
    const runName = `${r.params.algo ?? 'run'} ${Object.entries(r.params)
      .filter(([k]) => k !== 'algo')
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`.trim();
    files[`${dir}/meta.yaml`] = yaml({
      artifact_uri: `${dir}/artifacts`,
      end_time: end,
      entry_point_name: '',
      experiment_id: exp,
      lifecycle_stage: 'active',
      run_id: r.id,
      run_name: runName,
      run_uuid: r.id,
      source_name: '',
      source_type: 4,
      source_version: '',
      start_time: start,
      status: 3,
      tags: [],
      user_id: userId,
    });
    files[`${dir}/artifacts/`] = '';
    for (const [k, v] of Object.entries(r.params)) files[`${dir}/params/${safeName(k)}`] = String(v);
    files[`${dir}/params/split`] = r.split;
    for (const [k, v] of Object.entries(r.metrics)) {
      const lines = [`${end} ${mlflowNumber(v)} 0`];
      r.folds.forEach((f, i) => {
        if (k in f.metrics) lines.push(`${end} ${mlflowNumber(f.metrics[k])} ${i + 1}`);
      });
      files[`${dir}/metrics/${safeName(k)}`] = lines.join('\n') + '\n';
    }
    files[`${dir}/metrics/fit_ms`] = `${end} ${r.timings.fitMs} 0\n`;
    files[`${dir}/metrics/test_ms`] = `${end} ${r.timings.testMs} 0\n`;
    if (Number.isFinite(r.timings.peakMemoryBytes)) files[`${dir}/metrics/peak_memory_bytes`] = `${end} ${r.timings.peakMemoryBytes} 0\n`;
    files[`${dir}/tags/mlflow.runName`] = runName;
    files[`${dir}/tags/mlflow.user`] = userId;
    files[`${dir}/tags/mlflow.source.name`] = `LatentLens ${r.appVersion}`;
    files[`${dir}/tags/mlflow.source.type`] = 'LOCAL';
    files[`${dir}/tags/dataset_fingerprint`] = r.datasetFingerprint;
  }
  return files;
}

/** The MLflow file store as a zip (fflate), ready for a download. */
export function runsToMlflowZip(runs: RunRecord[]): Uint8Array {
  const entries: Zippable = {};
  for (const [path, text] of Object.entries(runsToMlflowFiles(runs))) {
    entries[path] = path.endsWith('/') ? new Uint8Array(0) : strToU8(text);
  }
  return zipSync(entries, { level: 6 });
}

/** MLflow's parser reads Python floats: it accepts "nan", "inf", "-inf". */
function mlflowNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** MLflow allows letters, digits, _ - . space : and / in names; anything else becomes _. */
function safeName(name: string): string {
  return name.replace(/[^\w\-. :]/g, '_');
}

/** Flat YAML of strings, numbers and empty lists, as PyYAML's safe_dump writes meta.yaml. */
function yaml(fields: Record<string, string | number | never[]>): string {
  return (
    Object.entries(fields)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? '[]' : typeof v === 'number' ? String(v) : yamlString(v)}`)
      .join('\n') + '\n'
  );
}

/** Quotes a string when YAML would read it as something else (a number, a bool, a null) or could not read it plainly. */
function yamlString(s: string): string {
  const numberLike = /^[-+]?[\d._:]+(?:[eE][-+]?\d+)?$|^0x|^[-+.]/i.test(s);
  if (s === '' || numberLike || /^(?:true|false|yes|no|null|on|off|y|n|~)$/i.test(s) || /[:#'"\n{}[\],&*!|>%@`]/.test(s) || s !== s.trim()) {
    return `'${s.replace(/'/g, "''")}'`;
  }
  return s;
}
