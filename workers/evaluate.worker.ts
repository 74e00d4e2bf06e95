/**
 * The evaluation worker: a thin Comlink adapter over src/lib/evaluate. It reads the full model
 * (with the ratings matrix) from the IndexedDB cache by fingerprint, so the page never holds
 * the matrix, and Cancel is the page terminating this worker mid-loop.
 */
import { expose } from 'comlink';
import { version } from '../package.json';
import { cachedModel } from './cached-model';
import { loadRecommender } from '../src/lib/cache/recommender-cache';
import { idbStore } from '../src/platform/idb-store';
import { interactionsFromCsr, type Interactions } from '../src/lib/evaluate/interactions';
import { ml100kSplits } from '../src/lib/evaluate/load';
import { runRequest, type EvalRequest } from '../src/lib/evaluate/sweep';
import type { RunRecord } from '../src/lib/evaluate/runs';
import type { EvalProgress } from '../src/lib/evaluate/evaluate';
import { expandInputs, type InputFile } from '../src/lib/pipeline/input-files';
import { problemFrom, type Outcome } from '../src/lib/pipeline/outcome';

let ratings: { fingerprint: string; all: Interactions } | undefined;

const api = {
  /**
   * Runs an evaluation (or a sweep) of the model the page shows. `splitFiles` are ML-100k's
   * u1..u5/ua/ub files (or the release's zip), needed only for the ML-100k splits.
   */
  async run(fingerprint: string, request: EvalRequest, splitFiles: File[], onProgress: (p: EvalProgress) => void): Promise<Outcome<RunRecord[]>> {
    try {
      const began = performance.now();
      const model = await cachedModel(fingerprint, (done, total) =>
        onProgress({ stage: 'load', done, total, elapsedMs: performance.now() - began, detail: 'Reading the saved ratings' }),
      );
      if (ratings?.fingerprint !== fingerprint) ratings = { fingerprint, all: interactionsFromCsr(model.byUser!) };
      let splits;
      if (request.split.kind === 'ml100k') {
        const inputs: InputFile[] = splitFiles.map((f) => ({ name: f.name, blob: f, lastModified: f.lastModified }));
        splits = await ml100kSplits(await expandInputs(inputs), request.split.set, model.users, model.movies);
      }
      const runs = runRequest(ratings.all, request, {
        datasetFingerprint: fingerprint,
        appVersion: version,
        splits,
        onProgress,
        // The content side is stored beside the model, with its recommender.
        side: { content: (await loadRecommender(idbStore(), fingerprint).catch(() => undefined))?.content },
      });
      return { ok: true, value: runs };
    } catch (error) {
      return { ok: false, problem: problemFrom(error) };
    }
  },
};

export type EvaluateApi = typeof api;

expose(api);
