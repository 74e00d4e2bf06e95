/**
 * The pipeline worker: a thin Comlink adapter over the core. It parses, builds and caches the
 * model off the main thread, and sends the page what it needs to answer questions, moving the
 * buffers rather than copying them. Cancellation is the page terminating this worker: a
 * synchronous similarity loop cannot read messages, and terminate() stops it at once.
 */
import { expose, transfer } from 'comlink';
import type { Model, ModelParams, Progress } from '../src/lib/types';
import { buildModel, type StageTimings } from '../src/lib/pipeline/build-model';
import { detectDataset, expandInputs, type InputFile } from '../src/lib/pipeline/input-files';
import { collectTransferables } from '../src/lib/pipeline/transferables';
import { problemFrom, type Outcome } from '../src/lib/pipeline/outcome';
import { StageClock } from '../src/lib/pipeline/stage-clock';
import { loadModel, saveModel } from '../src/lib/cache/model-cache';
import { idbStore, withCacheLock } from '../src/platform/idb-store';

/** What the page keeps: the model without the ratings matrix, which stays here. */
export type ServingModel = Omit<Model, 'byUser'>;

export type CacheState = 'saved' | 'not-saved' | 'restored';

export interface BuildReport {
  model: ServingModel;
  timings: StageTimings;
  cache: CacheState;
  /** Why the model was not saved (quota, private mode), in plain words. */
  cacheProblem?: string;
}

export type RestoreReport = { found: true; model: ServingModel; restoreMs: number } | { found: false; reason?: string };

type OnProgress = (p: Progress) => void;

/** The full model of the last build or restore, kept for explanation and exploration. */
let current: Model | undefined;

function forPage(model: Model): ServingModel {
  const { byUser: _kept, ...serving } = model;
  return serving;
}

const api = {
  async build(files: File[], params: ModelParams, skipBadLines: boolean, onProgress: OnProgress): Promise<Outcome<BuildReport>> {
    const inputs: InputFile[] = files.map((f) => ({ name: f.name, blob: f, lastModified: f.lastModified }));
    let picked;
    try {
      picked = await detectDataset(await expandInputs(inputs));
      const { model, timings } = await buildModel(picked, params, { onProgress, skipBadLines });
      let cache: CacheState = 'saved';
      let cacheProblem: string | undefined;
      const clock = new StageClock('save-cache', 'chunks', onProgress);
      try {
        await saveModel(idbStore(), model, { withLock: withCacheLock, onProgress: (done, total) => clock.tick(done, total) });
        timings['save-cache'] = clock.finish(1, 1);
      } catch (error) {
        cache = 'not-saved';
        const name = (error as { name?: string }).name;
        cacheProblem =
          name === 'QuotaExceededError'
            ? 'The browser has no room left to store the model, so it will not survive a reload. Free some space or use it as it is.'
            : `The model could not be stored (${(error as Error).message}), so it will not survive a reload.`;
        timings['save-cache'] = clock.finish(0, 1, 'not saved');
      }
      current = model;
      const report: BuildReport = { model: forPage(model), timings, cache, cacheProblem };
      return transfer({ ok: true, value: report }, collectTransferables(report.model));
    } catch (error) {
      return { ok: false, problem: problemFrom(error, picked?.ratings.name ?? files.map((f) => f.name).join(', ')) };
    }
  },

  async restore(onProgress: OnProgress): Promise<Outcome<RestoreReport>> {
    try {
      const clock = new StageClock('load-cache', 'chunks', onProgress);
      const loaded = await loadModel(idbStore(), { withLock: withCacheLock, onProgress: (done, total) => clock.tick(done, total) });
      const restoreMs = clock.finish(1, 1);
      if (loaded.status !== 'ok') {
        return { ok: true, value: { found: false, reason: loaded.status === 'invalid' ? loaded.reason : undefined } };
      }
      current = loaded.model;
      const value: RestoreReport = { found: true, model: forPage(loaded.model), restoreMs };
      return transfer({ ok: true, value }, collectTransferables(value.model));
    } catch (error) {
      return { ok: false, problem: problemFrom(error, 'the saved model') };
    }
  },

  /** Liveness probe for the page's watchdog. */
  ping(): 'pong' {
    return 'pong';
  },

  hasFullModel(): boolean {
    return current !== undefined;
  },
};

export type PipelineApi = typeof api;

expose(api);
