import { DEFAULT_BLEND, type Blend } from '../lib/recommend/blend';
import { DEFAULT_PARAMS, type InputProblem, type ModelParams, type Progress, type StageName } from '../lib/types';
import type { BuildOptions, BuildReport, DroppedFile, ServingModel, TrainedFiles } from '../../workers/pipeline.worker';
import type { ImportSettings } from '../lib/pipeline/imported-model';
import type { PipelineApi } from '../../workers/pipeline.worker';
import { WorkerBridge } from '../platform/worker-bridge';
import { startComputeThreads, threadsFor } from '../platform/compute-threads';
import type { InputFile } from '../lib/pipeline/input-files';
import { loadReleaseLinks, saveReleaseLinks } from '../platform/release-links';
import { modelFileNameFor } from './model-files';

export type Phase = 'starting' | 'restoring' | 'building' | 'ready' | 'failed';

/** One row of the pipeline panel: a stage, its last progress and how long it took. */
export interface StageRow {
  stage: StageName;
  progress: Progress;
  finished: boolean;
}

export const STAGE_LABELS: Record<StageName, string> = {
  unzip: 'Unpacking the zip',
  'read-movies': 'Reading movies',
  'parse-ratings': 'Parsing ratings',
  'index-ids': 'Indexing ids',
  'build-csr': 'Building sparse matrices',
  popularity: 'Computing popularity',
  neighbours: 'Finding similar movies',
  content: 'Comparing genres, years, tags and the tag genome',
  recommender: 'Learning your recommender',
  'save-cache': 'Saving to this browser',
  'load-cache': 'Loading saved model',
};

/**
 * Query flags for tests and benchmarks: `?threads=1` forces one thread, `?fault=crash|hang|quota`
 * injects a failure the app must survive, `?watchdog=ms` shortens the silence that counts as hung,
 * `?without=blob-stream` builds as an engine without Blob.prototype.stream() would (with `threads=1`).
 */
const flags = new URLSearchParams(globalThis.location?.search ?? '');
/** Injected into the first build only, so a test can also show the app recovering without a reload. */
let pendingFault = (flags.get('fault') ?? undefined) as BuildOptions['testFault'];
/** Threads for the heavy stages (a build, the recommender's fit): one per core unless `?threads=`. */
const THREADS = threadsFor(Number(flags.get('threads') ?? 0));
const WITHOUT = (flags.get('without') ?? undefined) as BuildOptions['testWithout'];
/** A build that says nothing for this long is treated as hung (progress comes every ~0.1 s). */
const WATCHDOG_MS = Number(flags.get('watchdog') ?? 60_000);

/**
 * Where the bundled sample lives, relative to the page so it works under any sub-path. links.csv
 * is not part of the model: it lets a person's IMDb and Letterboxd ratings match by id.
 */
const SAMPLE_FILES = ['ratings.csv', 'movies.csv', 'tags.csv', 'links.csv'];
const SAMPLE_BASE = './data/ml-latest-small/';

/**
 * The app's pipeline state: which model is loaded, what the worker is doing, what went wrong.
 * Components read it; only its methods change it. A failed or cancelled build never replaces
 * the model in use.
 */
export class Session {
  phase = $state<Phase>('starting');
  model = $state.raw<ServingModel | null>(null);
  /**
   * 'cache' when the model was restored from IndexedDB, 'build' when built (or made from imported
   * factors) in this visit, 'file' when restored from a `.latentlens` file (see modelFileName).
   */
  source = $state<'cache' | 'build' | 'file' | null>(null);
  /** The `.latentlens` file the model in use was restored from, when source is 'file'. */
  modelFileName = $state<string | null>(null);
  /** What the last problem stopped, for its heading: "build the model", "import the model file". */
  problemAction = $state('build the model');
  /** True while the saved model is being written out as a `.latentlens` file. */
  exporting = $state(false);
  stages = $state<StageRow[]>([]);
  problem = $state<InputProblem | null>(null);
  /** Why the last build was not saved (quota, private mode). */
  cacheNote = $state<string | null>(null);
  /** Why the saved model found at start could not be used (corrupt, older format). */
  restoreNote = $state<string | null>(null);
  params = $state<ModelParams & { subset: { users: number; movies: number } }>({ ...DEFAULT_PARAMS, subset: { users: 0, movies: 0 } });
  skipBadLines = $state(false);
  /** The hybrid's blend weights: applied when lists are ranked, so a change needs no rebuild. */
  blend = $state<Blend>({ ...DEFAULT_BLEND });
  /** Milliseconds the last restore or build took, end to end. */
  lastRunMs = $state(0);
  /** True while a model that is already in use is being written to IndexedDB. */
  saving = $state(false);
  /** Threads the last build used for its heavy stages. */
  threads = $state(0);
  /** Whether the last build's workers shared memory (cross-origin isolated) or got copies. */
  sharedMemory = $state(false);
  datasetLabel = $state('');
  /** The recommender behind "Recommended for you": learnt in the background once the model is in use. */
  recommender = $state<'none' | 'building' | 'ready' | 'failed'>('none');
  /** Its last progress while building, for the panel's note. */
  recommenderProgress = $state<Progress | null>(null);
  recommenderProblem = $state<string | null>(null);
  /** The links.csv of the release in use (movieId -> IMDb, TMDb ids); null when it had none. */
  links = $state.raw<InputFile | null>(null);
  /** Set when a new build stopped the recommender on purpose: not a failure to report. */
  private recommenderSuperseded = false;

  private readonly bridge = new WorkerBridge<PipelineApi>(
    () => new Worker(new URL('../../workers/pipeline.worker.ts', import.meta.url), { type: 'module', name: 'latentlens-pipeline' }),
    'The worker building the model',
    startComputeThreads,
  );

  /** On page load: the saved model if there is a valid one, else the bundled sample. */
  async start(): Promise<void> {
    this.phase = 'restoring';
    this.stages = [];
    const began = performance.now();
    const outcome = await this.bridge.run(
      (api, onProgress) => api.restore(onProgress),
      (p) => this.onProgress(p),
    );
    if (outcome.ok && outcome.value.found) {
      this.model = outcome.value.model;
      this.source = 'cache';
      this.lastRunMs = performance.now() - began;
      this.datasetLabel = outcome.value.model.summary.files.join(' + ');
      this.phase = 'ready';
      void this.restoreLinks(outcome.value.model.fingerprint);
      await this.ensureRecommender();
      return;
    }
    if (outcome.ok && !outcome.value.found && outcome.value.reason) {
      this.restoreNote = `The saved model could not be used (${outcome.value.reason}), so it was rebuilt.`;
    }
    await this.useSample();
  }

  async useSample(): Promise<void> {
    this.phase = 'building';
    this.problem = null;
    try {
      const files = await Promise.all(
        SAMPLE_FILES.map(async (name) => {
          const response = await fetch(SAMPLE_BASE + name);
          if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
          return { file: new File([await response.blob()], name, { type: 'text/csv' }), path: name };
        }),
      );
      await this.build(files, 'ml-latest-small (bundled sample)');
    } catch (error) {
      this.fail({ kind: 'io', file: 'bundled sample', message: `Could not load the bundled sample: ${(error as Error).message}` });
    }
  }

  /** The files of the last build, so "skip bad lines and retry" can run it again. */
  private lastFiles: { files: DroppedFile[]; label: string } | null = null;

  async build(files: DroppedFile[], label = files.map((f) => f.path).join(' + ')): Promise<void> {
    // A recommender still being learnt belongs to the model about to be replaced: stop it
    // quietly (it is learnt again if this build fails and the old model stays).
    if (this.recommender === 'building') {
      this.recommenderSuperseded = true;
      this.bridge.cancel();
    }
    this.phase = 'building';
    this.problem = null;
    this.stages = [];
    this.lastFiles = { files, label };
    const began = performance.now();
    const options: BuildOptions = {
      params: $state.snapshot(this.params),
      skipBadLines: this.skipBadLines,
      testFault: pendingFault,
      testWithout: WITHOUT,
    };
    pendingFault = undefined;
    const outcome = await this.bridge.run(
      (api, onProgress, pool) => api.build(files, options, onProgress, pool),
      (p) => this.onProgress(p),
      WATCHDOG_MS,
      THREADS,
    );
    if (!outcome.ok) {
      this.fail(outcome.problem);
      // The previous model stays in use: give it back its recommender if the build stopped it.
      void this.ensureRecommender();
      return;
    }
    this.accept(outcome.value, performance.now() - began, label);
    // Both at once: the save is mostly IndexedDB waiting in the pipeline worker, the fit runs on
    // the compute workers, so neither delays the other much (sample: recommender ~0.4 s sooner).
    await Promise.all([this.save(), this.ensureRecommender()]);
  }

  /**
   * Learns the recommender of the model in use when it has none, in the pipeline worker, while
   * the page is already usable (the list shows popular movies until it is ready). A failure or a
   * cancel keeps the model and says so.
   */
  private async ensureRecommender(): Promise<void> {
    const model = this.model;
    if (!model) return;
    if (model.recommender) {
      this.recommender = 'ready';
      return;
    }
    if (this.recommender === 'building') return;
    this.recommender = 'building';
    this.recommenderProblem = null;
    const outcome = await this.bridge.run(
      (api, onProgress, pool) => api.fitRecommender(model.fingerprint, model.params, onProgress, pool),
      (p) => {
        this.onProgress(p);
        if (p.stage === 'recommender') this.recommenderProgress = p;
      },
      WATCHDOG_MS,
      THREADS,
    );
    // A newer build or a delete may have replaced the model meanwhile: attach only to the same one.
    this.endStage('content');
    this.endStage('recommender');
    if (this.recommenderSuperseded) {
      this.recommenderSuperseded = false;
      this.recommender = 'none';
      return;
    }
    if (this.model?.fingerprint !== model.fingerprint) return;
    if (!outcome.ok) {
      this.recommender = 'failed';
      this.recommenderProblem =
        outcome.problem.kind === 'cancelled'
          ? 'Cancelled: the list shows popular movies until the recommender is learnt (rebuild to try again).'
          : outcome.problem.message;
      return;
    }
    this.model = { ...model, recommender: outcome.value.recommender, content: outcome.value.content };
    this.recommender = 'ready';
    if (outcome.value.cacheProblem) this.cacheNote = outcome.value.cacheProblem;
  }

  /**
   * Saves the model just built, after it is already in use. Until it is saved the views that
   * read the full ratings from the cache (Explore, Learn, Evaluate) wait, and a new build waits.
   */
  private async save(): Promise<void> {
    this.saving = true;
    const outcome = await this.bridge.run(
      (api, onProgress) => api.save(onProgress),
      (p) => this.onProgress(p),
      WATCHDOG_MS,
    );
    this.saving = false;
    this.endStage('save-cache');
    if (!outcome.ok) {
      this.cacheNote = `The model was not saved (${outcome.problem.message}), so it works now but will not survive a reload.`;
    } else {
      this.cacheNote = outcome.value.cacheProblem ?? null;
    }
  }

  cancel(): void {
    this.bridge.cancel();
  }

  /**
   * The saved model as a `.latentlens` file named after the data set, or null after a problem
   * (shown in the pipeline panel; the model in use is untouched). The worker reads the saved
   * copy, so call it once the save and the recommender's fit have finished (see canExport).
   */
  async exportModel(): Promise<{ file: Blob; name: string } | null> {
    this.exporting = true;
    this.problem = null;
    const outcome = await this.bridge.run(
      (api, onProgress) => api.exportModel(onProgress),
      (p) => this.onProgress(p),
      WATCHDOG_MS,
    );
    this.exporting = false;
    this.endStage('load-cache');
    if (!outcome.ok) {
      this.fail(outcome.problem, 'export the model');
      return null;
    }
    return { file: outcome.value.file, name: modelFileNameFor(this.datasetLabel) ?? outcome.value.name };
  }

  /** Export reads the saved model with its recommender, so it waits until both are stored. */
  get canExport(): boolean {
    return this.phase === 'ready' && this.model !== null && !this.saving && !this.exporting && this.recommender !== 'building';
  }

  /**
   * Replaces the model with the one in a `.latentlens` file, restored as after a reload (no
   * rebuild). The worker checks the whole file before it replaces the saved model, so a bad or
   * truncated file leaves the model in use, and its problem is shown like a build's.
   */
  async importModel(file: File): Promise<void> {
    this.startReplacing();
    const began = performance.now();
    const outcome = await this.bridge.run(
      (api, onProgress) => api.importModel(file, onProgress),
      (p) => this.onProgress(p),
      WATCHDOG_MS,
    );
    if (!outcome.ok || !outcome.value.found) {
      const problem: InputProblem = outcome.ok
        ? {
            kind: 'format',
            file: file.name,
            message: `${file.name} was read but the model in it could not be restored (${outcome.value.found ? '' : (outcome.value.reason ?? 'no model found')}). Export it again from the browser that built it, or rebuild from your files.`,
          }
        : outcome.problem;
      this.fail(problem, 'import the model file');
      void this.ensureRecommender();
      return;
    }
    const { model } = outcome.value;
    this.model = model;
    this.links = null;
    this.source = 'file';
    this.modelFileName = file.name;
    this.lastRunMs = performance.now() - began;
    this.datasetLabel = model.summary.files.join(' + ');
    this.cacheNote = null;
    this.restoreNote = null;
    this.phase = 'ready';
    // Links come back only when this browser kept them for the same model (they are not in the file).
    void this.restoreLinks(model.fingerprint);
    await this.ensureRecommender();
  }

  /**
   * Makes the model from item factors (and/or a neighbour table) trained elsewhere, titled from
   * the release's movies file, then saves it like a build. A problem keeps the model in use.
   */
  async importTrained(files: TrainedFiles, settings: ImportSettings = {}): Promise<void> {
    if (files.release.length === 0) {
      this.fail(
        {
          kind: 'empty',
          file: files.factors[0]?.path ?? '',
          message: 'The titles come from the release the model was trained on: pick its movies.csv (or its .zip) together with the factors.',
        },
        'import the trained factors',
      );
      return;
    }
    this.startReplacing();
    const began = performance.now();
    const outcome = await this.bridge.run(
      (api, onProgress) => api.importTrained(files, { k: this.params.k, ...settings }, onProgress),
      (p) => this.onProgress(p),
      WATCHDOG_MS,
    );
    if (!outcome.ok) {
      this.fail(outcome.problem, 'import the trained factors');
      void this.ensureRecommender();
      return;
    }
    const named = [...files.factors.slice(0, 1), ...(files.neighbours ? [files.neighbours] : [])].map((f) => f.path || f.file.name);
    this.accept(outcome.value, performance.now() - began, `${named.join(' + ')} (imported)`);
    this.modelFileName = null;
    await Promise.all([this.save(), this.ensureRecommender()]);
  }

  /** Before a model replaces the one in use: its recommender stops quietly, the panel clears. */
  private startReplacing(): void {
    if (this.recommender === 'building') {
      this.recommenderSuperseded = true;
      this.bridge.cancel();
    }
    this.phase = 'building';
    this.problem = null;
    this.stages = [];
  }

  /** After a parse error: the same files again, skipping the bad lines this time. */
  async retrySkippingBadLines(): Promise<void> {
    if (!this.lastFiles) return;
    this.skipBadLines = true;
    await this.build(this.lastFiles.files, this.lastFiles.label);
  }

  /** The files of the release built in this visit (none after a reload): titles for imported factors. */
  get releaseFiles(): DroppedFile[] {
    return this.lastFiles?.files ?? [];
  }

  get canRetry(): boolean {
    return this.lastFiles !== null && this.problem?.kind === 'parse' && !this.skipBadLines;
  }

  /** After "Delete my data": forget the model and go back to the empty state. */
  forget(): void {
    this.bridge.dispose();
    this.saving = false;
    this.model = null;
    this.links = null;
    this.recommender = 'none';
    this.source = null;
    this.stages = [];
    this.cacheNote = null;
    this.restoreNote = null;
    this.problem = null;
    this.phase = 'failed';
  }

  private accept(report: BuildReport, elapsedMs: number, label: string): void {
    this.threads = report.threads;
    this.sharedMemory = report.sharedMemory;
    this.model = report.model;
    this.links = report.links ?? null;
    // Kept beside the saved model, so matching by IMDb id survives a reload; without it
    // imports fall back to titles, so a failure here is not worth a message.
    saveReleaseLinks(report.model.fingerprint, this.links).catch(() => {});
    this.source = 'build';
    this.lastRunMs = elapsedMs;
    this.datasetLabel = label;
    this.cacheNote = null;
    this.phase = 'ready';
  }

  /** The links kept with the restored model; looked up after it is in use, since only imports need them. */
  private async restoreLinks(fingerprint: string): Promise<void> {
    const links = await loadReleaseLinks(fingerprint).catch(() => null);
    if (this.model?.fingerprint === fingerprint) this.links = links;
  }

  private fail(problem: InputProblem, action = 'build the model'): void {
    this.problem = problem;
    this.problemAction = action;
    // Keep showing the previous model: a failed build loses nothing.
    this.phase = this.model ? 'ready' : 'failed';
  }

  /** Marks a background stage's row ended, whatever its last report said (a failed save, a cancel). */
  private endStage(stage: StageName): void {
    const row = this.stages.find((r) => r.stage === stage);
    if (row) row.finished = true;
  }

  private onProgress(p: Progress): void {
    const rows = this.stages;
    // The save and the recommender's fit run at the same time after a build, so their reports
    // interleave: update a stage's own row wherever it is.
    const row = rows.find((r) => r.stage === p.stage);
    if (row) {
      row.progress = p;
      row.finished = p.done >= p.total && p.total > 0;
      return;
    }
    // A stage of the build proper starting means the one before it ended; the background pair
    // end by their own final report.
    const last = rows[rows.length - 1];
    if (last && !BACKGROUND_STAGES.has(last.stage)) last.finished = true;
    rows.push({ stage: p.stage, progress: p, finished: p.done >= p.total && p.total > 0 });
  }
}

/** Stages that run beside another one (after the model is in use). */
const BACKGROUND_STAGES: ReadonlySet<StageName> = new Set<StageName>(['save-cache', 'content', 'recommender']);
