/**
 * The LatentLens command line: the same core as the app, over files on disk.
 *
 *   latentlens build <files|dir|zip>... [--out model.latentlens]
 *   latentlens similar <files|dir|zip>... --title "Toy Story" [--json]
 *   latentlens similar --model model.latentlens --title "Toy Story"
 *   latentlens similar <release> --factors item-factors.parquet [--neighbours table.csv] --title "Toy Story"
 *   latentlens recommend <files|dir|zip>... --ratings mine.csv [--json | --csv]
 *   latentlens export-ratings <files|dir|zip>... --ratings mine.csv [--to movielens|letterboxd]
 *   latentlens eval <files|dir|zip>... --split kfold --algo item-knn [--k 30] [--json]
 *
 * Progress goes to stderr, results to stdout, so `--json > out.json` stays clean.
 */
import { openAsBlob, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PARAMS, InputError, ParameterError, type ChunkedCsr, type Model, type Progress } from '../src/lib/types';
import { modelFromTrained, readModelFileFrom, writeModelFileTo } from './model-files';
import { SPARK_DEFAULTS } from '../src/lib/pipeline/imported-model';
import { buildModel } from '../src/lib/pipeline/build-model';
import { detectDataset, expandInputs, type DatasetFiles, type InputFile } from '../src/lib/pipeline/input-files';
import { ModelQueries } from '../src/lib/model/model-queries';
import { matchRatings, readRatingsFile, releaseLinks } from './personal';
import { reviewCounts } from '../src/lib/personal/review-summary';
import { recommendationsToCsv } from '../src/lib/personal/recommendations-csv';
import { ratingsToLetterboxdCsv, ratingsToMovieLensCsv } from '../src/lib/personal/export-ratings';
import { becauseText, likeText } from '../src/lib/recommend/because-text';
import { DEFAULT_HYBRID_SIMILARITY } from '../src/lib/recommend/hybrid-similarity';
import { contentStage, fitRecommenderStage } from '../src/lib/pipeline/recommender-stage';
import { loadInteractions, ml100kSplits } from '../src/lib/evaluate/load';
import { ALGOS, type AlgoName, type AlgoParams, type PredictorSide } from '../src/lib/evaluate/predictors/index';
import { parseDatasetMovies } from '../src/lib/formats/dataset';
import { alignCatalog } from '../src/lib/pipeline/align-catalog';
import { buildContentModel, type ContentSources } from '../src/lib/content/content-model';
import { contentSourcesOf } from '../src/lib/pipeline/content-sources';
import type { IdMap } from '../src/lib/types';
import { describeSplit, type SplitSpec } from '../src/lib/evaluate/splits';
import { runRequest, SWEEP_PARAMS, type EvalRequest, type SweepParam } from '../src/lib/evaluate/sweep';
import type { RunRecord } from '../src/lib/evaluate/runs';
import type { EvalProgress } from '../src/lib/evaluate/evaluate';

const USAGE = `Usage:
  latentlens build <files|dir|zip>... [--out model.latentlens] [--deflate]
  latentlens similar <files|dir|zip>... --title "Toy Story" [--json]
  latentlens recommend <files|dir|zip>... --ratings mine.csv [--limit 20] [--json | --csv]
  latentlens export-ratings <files|dir|zip>... --ratings mine.csv [--to movielens|letterboxd]
  latentlens eval <files|dir|zip>... --split ml100k-folds|ml100k-ua|ml100k-ub|random|temporal|kfold|loo|cold-items
                  --algo app|hybrid|popular|ials|item-knn-topn|ease|mf|mf-knn|item-knn|bias|global-mean|random
                  [--factors 64] [--iterations 10] [--reg 0.015] [--reg-exponent 1] [--alpha 4]
                  [--cg-steps 3] [--rating-weighted] [--l2 500] [--epochs N] [--lr N]
                  [--k 30] [--shrinkage 0] [--variant raw|mean|baseline] [--similarity cosine|adjusted-cosine]
                  [--min-sim 0] [--folds 5] [--seed 42] [--test-fraction 0.2] [--latest 5] [--top-k 10]
                  [--no-top-n] [--sweep k=5,10,20] [--json]

Inputs are the files of any MovieLens release (ratings.csv + movies.csv, u.data + u.item,
ratings.dat + movies.dat), a folder holding them, or the release's zip.

Instead of building, similar and recommend can use
  --model model.latentlens        a model file (from build --out or the page's Export model);
                                  the release is then optional (its links.csv helps match ratings)
  --factors item-factors.parquet  a model trained elsewhere: Spark ALS item factors (Parquet, or
                                  Spark's output folder) or CSV (id,f1,...,fk); the release gives
                                  the titles. [--alpha 1] [--reg 0.1]: the ALS settings it was
                                  trained with, for folding in your ratings. [--k 50]
  --neighbours table.csv          an item-neighbour table (movieId,neighbourId,similarity[,coCount],
                                  CSV or Parquet), with or without --factors`;

export interface Args {
  command: string;
  inputs: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[]): Args {
  const [command = 'help', ...rest] = argv;
  const inputs: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (i + 1 < rest.length && !rest[i + 1].startsWith('--') && !BOOLEAN_FLAGS.has(a.slice(2))) flags.set(a.slice(2), rest[++i]);
      else flags.set(a.slice(2), true);
    } else inputs.push(a);
  }
  return { command, inputs, flags };
}

const BOOLEAN_FLAGS = new Set(['json', 'csv', 'no-top-n', 'help', 'rating-weighted', 'deflate']);

class UsageError extends Error {}

function flag(args: Args, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value.`);
  return v;
}

function numberFlag(args: Args, name: string, fallback: number): number {
  const v = flag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}".`);
  return n;
}

/** Files on disk as InputFiles: a folder contributes every file under it. */
async function readInputs(paths: string[]): Promise<InputFile[]> {
  if (paths.length === 0) throw new UsageError('Give the MovieLens files, their folder or their zip.');
  const out: InputFile[] = [];
  const add = async (path: string, name: string) => {
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const entry of readdirSync(path).sort()) await add(join(path, entry), `${name}/${entry}`);
    } else {
      out.push({ name, blob: await openAsBlob(path), lastModified: st.mtimeMs, path });
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    try {
      statSync(abs);
    } catch {
      throw new UsageError(`${p}: no such file or folder.`);
    }
    await add(abs, abs.split(/[\\/]/).pop()!);
  }
  return out;
}

async function dataset(paths: string[]): Promise<DatasetFiles> {
  return detectDataset(await expandInputs(await readInputs(paths)));
}

/** A one-line progress bar on stderr (redrawn in place on a terminal, one line per stage otherwise). */
export class ProgressBar {
  private lastStage = '';
  private lastDraw = 0;
  private lastTenth = -1;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(stage: string, done: number, total: number, detail = ''): void {
    const tty = this.stream.isTTY;
    const t = performance.now();
    const newStage = stage !== this.lastStage;
    const tenth = total > 0 ? Math.floor((10 * done) / total) : 0;
    // Not a terminal (a log file, CI): a line per tenth of the work, not a flood.
    if (!tty && tenth === this.lastTenth && this.lastStage !== '') return;
    this.lastTenth = tenth;
    if (tty && !newStage && t - this.lastDraw < 80 && done < total) return;
    this.lastDraw = t;
    this.lastStage = stage;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(frac * 100)).padStart(3)}% ${stage}${detail ? ` – ${detail}` : ''}`;
    this.stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  done(): void {
    if (this.stream.isTTY && this.lastStage) this.stream.write('\n');
    this.lastStage = '';
    this.lastTenth = -1;
  }
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

function appVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

async function build(args: Args, bar: ProgressBar) {
  const ds = await dataset(args.inputs);
  const { model, timings, byMovie } = await buildModel(ds, DEFAULT_PARAMS, {
    onProgress: (p: Progress) => bar.update(p.stage, p.done, p.total, p.detail),
  });
  bar.done();
  return { ds, model, timings, byMovie };
}

/**
 * The model a query runs on: a model file (--model), a model trained elsewhere (--factors,
 * --neighbours), or one built from the release. `ready` says it already carries what the page
 * learns after a build (recommender, content side), so nothing more is fitted.
 */
async function queryModel(args: Args, bar: ProgressBar): Promise<{ model: Model; ds?: DatasetFiles; byMovie?: ChunkedCsr; ready: boolean }> {
  const progress = (stage: string, done: number, total: number, detail?: string) => bar.update(stage, done, total, detail);
  const file = flag(args, 'model');
  if (file) {
    const { model } = await readModelFileFrom(file, progress);
    bar.done();
    return { model, ds: args.inputs.length > 0 ? await dataset(args.inputs) : undefined, ready: true };
  }
  const factors = flag(args, 'factors');
  const neighbours = flag(args, 'neighbours');
  if (factors || neighbours) {
    if (args.inputs.length === 0)
      throw new UsageError('--factors and --neighbours need the release the model was trained on (its zip, folder or movies file), for the titles.');
    const release = await readInputs(args.inputs);
    const settings = {
      alpha: numberFlag(args, 'alpha', SPARK_DEFAULTS.alpha),
      regularization: numberFlag(args, 'reg', SPARK_DEFAULTS.regularization),
      k: numberFlag(args, 'k', 50),
    };
    const model = await modelFromTrained({ factors, neighbours }, release, settings, progress);
    bar.done();
    // A movies file alone gives the titles; links.csv (for matching ratings) needs the release.
    const ds = await detectDataset(await expandInputs(release)).catch(() => undefined);
    return { model, ds, ready: true };
  }
  return { ...(await build(args, bar)), ready: false };
}

async function cmdBuild(args: Args, bar: ProgressBar, write: (s: string) => void) {
  const { ds, model, timings, byMovie } = await build(args, bar);
  const s = model.summary;
  const out = flag(args, 'out');
  let saved: { file: string; fileBytes: number; writeMs: number } | undefined;
  if (out) {
    // The file holds what the page keeps: the model, then its content side and recommender.
    const onProgress = (p: Progress) => bar.update(p.stage, p.done, p.total, p.detail);
    if (ds.movies) model.content = await contentStage(model, await contentSourcesFor(args, ds), { onProgress });
    model.recommender = await fitRecommenderStage(model.params, model.byUser!, byMovie, { onProgress });
    const written = await writeModelFileTo(out, model, (stage, done, total) => bar.update(stage, done, total), {
      compression: args.flags.has('deflate') ? 'deflate' : 'store',
    });
    bar.done();
    saved = { file: out, ...written };
  }
  if (args.flags.has('json')) {
    write(
      JSON.stringify({ summary: s, timings, buildMs: model.buildMs, fingerprint: model.fingerprint, ...(saved ? { modelFile: saved } : {}) }, null, 2) + '\n',
    );
    return;
  }
  if (saved) write(`Model file: ${saved.file} (${(saved.fileBytes / 1e6).toFixed(1)} MB, written in ${fmtMs(saved.writeMs)})\n`);
  write(`Files:     ${s.files.join(', ')}\n`);
  write(
    `Ratings:   ${s.ratings.toLocaleString('en')}\nUsers:     ${s.users.toLocaleString('en')}\nMovies:    ${s.movies.toLocaleString('en')} (${s.ratedMovies.toLocaleString('en')} rated)\n`,
  );
  write(`Sparsity:  ${(s.sparsity * 100).toFixed(2)}%\n`);
  if (s.duplicateRatings) write(`Repeated ratings dropped: ${s.duplicateRatings}\n`);
  write('Timings:\n');
  for (const [stage, ms] of Object.entries(timings)) write(`  ${stage.padEnd(14)} ${fmtMs(ms ?? 0)}\n`);
  write(`  ${'total'.padEnd(14)} ${fmtMs(model.buildMs)}\n`);
}

async function cmdSimilar(args: Args, bar: ProgressBar, write: (s: string) => void) {
  const title = flag(args, 'title');
  if (!title) throw new UsageError('similar needs --title "A movie title".');
  const { ds, model, ready } = await queryModel(args, bar);
  // The content side as the page learns it after the build (movies file, tags.csv), so the list
  // is the page's blend of co-ratings and content.
  if (!ready && ds?.movies)
    model.content = await contentStage(model, await contentSourcesFor(args, ds), {
      onProgress: (p: Progress) => bar.update(p.stage, p.done, p.total, p.detail),
    });
  bar.done();
  const q = new ModelQueries(model);
  const found = q.search(title, 1)[0];
  if (!found) throw new UsageError(`No movie matches "${title}". Try fewer words or another spelling.`);
  const similar = q.similar(found.movieId);
  if (args.flags.has('json')) {
    write(JSON.stringify({ movie: found, beta: DEFAULT_HYBRID_SIMILARITY.beta, similar }, null, 2) + '\n');
    return;
  }
  if (model.imported) {
    // No ratings behind an imported model: no votes, co-raters or content blend to show.
    const how = model.imported.neighbourTable ? 'the imported neighbour table' : `the cosine of the imported model's ${model.imported.factors} factors`;
    write(`Movies like ${found.title} (movieId ${found.movieId}), by ${how}:\n`);
    similar.forEach((m, i) => write(`${String(i + 1).padStart(3)}. ${m.similarity.toFixed(3)}  ${m.title}\n`));
    return;
  }
  const alpha = similar[0]?.alpha ?? 1;
  write(
    `Movies like ${found.title} (movieId ${found.movieId}, ${found.votes} ratings: co-ratings weigh ${alpha.toFixed(2)}, content ${(1 - alpha).toFixed(2)}):\n`,
  );
  write(`       blend  ratings  content  co-raters  led by    title (shares)\n`);
  similar.forEach((m, i) =>
    write(
      `${String(i + 1).padStart(3)}.  ${m.similarity.toFixed(3)}    ${m.collaborative.toFixed(3)}    ${m.content.toFixed(3)}  ${String(m.coCount).padStart(9)}  ${m.led.padEnd(8)}  ${m.title}${m.shares.length ? ` (${m.shares.join(', ')})` : ''}\n`,
    ),
  );
}

async function cmdRecommend(args: Args, bar: ProgressBar, write: (s: string) => void) {
  const file = flag(args, 'ratings');
  if (!file)
    throw new UsageError('recommend needs --ratings <file>: Letterboxd ratings.csv (or its export zip), IMDb ratings.csv, or lines of movieId,rating.');
  const parsed = await readRatingsFile(file);
  const { ds, model, byMovie, ready } = await queryModel(args, bar);
  // What the page learns after the build, with the same settings: same list.
  if (!ready) {
    if (ds?.movies)
      model.content = await contentStage(model, await contentSourcesFor(args, ds), {
        onProgress: (p: Progress) => bar.update(p.stage, p.done, p.total, p.detail),
      });
    model.recommender = await fitRecommenderStage(model.params, model.byUser!, byMovie!, {
      onProgress: (p: Progress) => bar.update(p.stage, p.done, p.total, p.detail),
    });
  }
  bar.done();
  const links = ds ? await releaseLinks(ds) : undefined;
  const { review, accepted } = matchRatings(parsed, { ...model.catalog, votes: model.stats.count }, links, (s) => process.stderr.write(s));
  const mine = new Map(accepted.ratings.map((r) => [r.movieId, r.rating]));
  // Films watched without a rating are not recommended back: ask for that many more, then drop them.
  const seen = new Set(accepted.seen);
  const limit = numberFlag(args, 'limit', 20);
  const q = new ModelQueries(model);
  const ranked = q.recommend(mine, limit + seen.size);
  const { fallback, source } = ranked;
  const items = ranked.items.filter((m) => !seen.has(m.movieId)).slice(0, limit);
  if (args.flags.has('csv')) {
    write(recommendationsToCsv(items, links));
    return;
  }
  if (args.flags.has('json')) {
    write(JSON.stringify({ source, fallback, items, imported: reviewCounts(review) }, null, 2) + '\n');
    return;
  }
  if (fallback) write('(Some or all of these are popular picks: rate more movies for personal ones.)\n');
  items.forEach((m, i) => {
    const why = [likeText(m.like.map((l) => l.title)), becauseText(m.because)].filter(Boolean).join('; ');
    write(`${String(i + 1).padStart(3)}. ${m.score.toFixed(3)}  ${m.title}${why ? `  (${why})` : ''}\n`);
  });
}

/**
 * Converts a person's ratings file (Letterboxd, IMDb, MovieLens format) into MovieLens format or
 * Letterboxd's import format, matched against the release's movies and links: no model is built.
 */
async function cmdExportRatings(args: Args, _bar: ProgressBar, write: (s: string) => void) {
  const file = flag(args, 'ratings');
  if (!file)
    throw new UsageError('export-ratings needs --ratings <file>: Letterboxd ratings.csv (or its export zip), IMDb ratings.csv, or lines of movieId,rating.');
  const to = flag(args, 'to') ?? 'movielens';
  if (to !== 'movielens' && to !== 'letterboxd') throw new UsageError(`--to must be movielens or letterboxd, got "${to}".`);
  const parsed = await readRatingsFile(file);
  const ds = await dataset(args.inputs);
  const movies = (await parseDatasetMovies(ds))?.movies;
  if (!movies) throw new UsageError("export-ratings needs the release's movies file (movies.csv, movies.dat or u.item) to match titles.");
  const links = await releaseLinks(ds);
  const { accepted } = matchRatings(parsed, movies, links, (s) => process.stderr.write(s));
  if (to === 'movielens') {
    write(ratingsToMovieLensCsv(accepted.ratings));
    return;
  }
  const out = ratingsToLetterboxdCsv(accepted.ratings, movies, links);
  if (out.omitted.length) process.stderr.write(`${out.omitted.length} ratings left out: their movies have neither a title in this release nor an IMDb id.\n`);
  write(out.text);
}

function splitSpec(args: Args): { spec: SplitSpec; name: string } {
  const name = flag(args, 'split') ?? 'kfold';
  const seed = numberFlag(args, 'seed', 42);
  switch (name) {
    case 'random':
      return { name, spec: { kind: 'random', testFraction: numberFlag(args, 'test-fraction', 0.2), seed } };
    case 'temporal':
      return { name, spec: { kind: 'temporal', n: numberFlag(args, 'latest', 5) } };
    case 'kfold':
      return { name, spec: { kind: 'kfold', k: numberFlag(args, 'folds', 5), seed } };
    case 'loo':
      return { name, spec: { kind: 'loo', negatives: numberFlag(args, 'negatives', 99), seed } };
    case 'cold-items':
      return {
        name,
        spec: {
          kind: 'cold-items',
          fraction: numberFlag(args, 'cold-fraction', 0.1),
          minRatings: numberFlag(args, 'cold-min-ratings', 20),
          negatives: numberFlag(args, 'negatives', 99),
          seed,
        },
      };
    case 'ml100k-folds':
    case 'ml100k-ua':
    case 'ml100k-ub':
      return { name, spec: { kind: 'ml100k', set: name === 'ml100k-folds' ? 'folds' : name === 'ml100k-ua' ? 'ua' : 'ub' } };
    default:
      throw new UsageError(`Unknown --split "${name}". Choose ml100k-folds, ml100k-ua, ml100k-ub, random, temporal, kfold, loo or cold-items.`);
  }
}

const NUMERIC_MODEL_FLAGS: [string, 'factors' | 'iterations' | 'regularization' | 'regExponent' | 'alpha' | 'cgSteps' | 'beta' | 'gamma' | 'gammaNew'][] = [
  ['beta', 'beta'],
  ['gamma', 'gamma'],
  ['gamma-new', 'gammaNew'],
  ['factors', 'factors'],
  ['iterations', 'iterations'],
  ['reg', 'regularization'],
  ['reg-exponent', 'regExponent'],
  ['alpha', 'alpha'],
  ['cg-steps', 'cgSteps'],
];

function algoParams(args: Args): AlgoParams {
  const p: AlgoParams = {};
  if (args.flags.has('k')) p.k = numberFlag(args, 'k', 30);
  if (args.flags.has('shrinkage')) p.shrinkage = numberFlag(args, 'shrinkage', 0);
  if (args.flags.has('min-sim')) p.minSim = numberFlag(args, 'min-sim', 0);
  if (args.flags.has('min-neighbours')) p.minNeighbours = numberFlag(args, 'min-neighbours', 1);
  // Latent-factor and top-N parameters: flag name -> parameter name (defaults live with each model).
  for (const [name, key] of NUMERIC_MODEL_FLAGS) if (args.flags.has(name)) p[key] = numberFlag(args, name, 0);
  if (args.flags.has('rating-weighted')) p.ratingWeighted = true;
  // EASE.
  if (args.flags.has('l2')) p.l2 = numberFlag(args, 'l2', 0);
  if (args.flags.has('min-ratings')) p.minRatings = numberFlag(args, 'min-ratings', 1);
  // Biased MF (--factors and --reg above) and its blend with item-knn; --seed is the split's.
  if (args.flags.has('epochs')) p.epochs = numberFlag(args, 'epochs', 40);
  if (args.flags.has('lr')) p.learningRate = numberFlag(args, 'lr', 0.01);
  if (args.flags.has('bias-reg')) p.biasRegularization = numberFlag(args, 'bias-reg', 0.02);
  if (args.flags.has('init-std')) p.initStd = numberFlag(args, 'init-std', 0.05);
  if (args.flags.has('model-seed')) p.seed = numberFlag(args, 'model-seed', 42);
  if (args.flags.has('blend-weight')) p.blendWeight = numberFlag(args, 'blend-weight', 0.5);
  const variant = flag(args, 'variant');
  if (variant) {
    if (!['raw', 'mean', 'baseline'].includes(variant)) throw new UsageError(`--variant must be raw, mean or baseline, got "${variant}".`);
    p.variant = variant as AlgoParams['variant'];
  }
  const sim = flag(args, 'similarity');
  if (sim) {
    if (sim !== 'cosine' && sim !== 'adjusted-cosine') throw new UsageError(`--similarity must be cosine or adjusted-cosine, got "${sim}".`);
    p.similarity = sim;
  }
  return p;
}

function sweepOf(args: Args): EvalRequest['sweep'] {
  const s = flag(args, 'sweep');
  if (!s) return undefined;
  const [param, list] = s.split('=');
  if (!SWEEP_PARAMS.includes(param as SweepParam) || !list) {
    throw new UsageError(`--sweep must look like k=5,10,20 with one of ${SWEEP_PARAMS.join(', ')}.`);
  }
  const values = list.split(',').map((v) => (Number.isFinite(Number(v)) && v.trim() !== '' ? Number(v) : v.trim()));
  return { param: param as SweepParam, values };
}

async function cmdEval(args: Args, bar: ProgressBar, write: (s: string) => void) {
  const algo = (flag(args, 'algo') ?? 'bias') as AlgoName;
  if (!ALGOS.includes(algo)) throw new UsageError(`Unknown --algo "${algo}". Choose ${ALGOS.join(', ')}.`);
  const { spec } = splitSpec(args);
  const ds = await dataset(args.inputs);
  bar.update('read ratings', 0, 1);
  const loaded = await loadInteractions(ds);
  const splits = spec.kind === 'ml100k' ? await ml100kSplits(ds.splits ?? [], spec.set, loaded.users, loaded.movies) : undefined;
  const request: EvalRequest = {
    split: spec,
    algo,
    params: algoParams(args),
    topK: numberFlag(args, 'top-k', 10),
    topN: !args.flags.has('no-top-n'),
    sweep: sweepOf(args),
  };
  // The app and the hybrid rank with the content side, as the page's model carries it.
  const side = algo === 'app' || algo === 'hybrid' ? await contentSide(ds, await contentSourcesFor(args, ds), loaded.movies, bar) : {};
  const runs = runRequest(loaded.all, request, {
    datasetFingerprint: ds.ratings.name,
    appVersion: appVersion(),
    splits,
    side,
    onProgress: (p: EvalProgress) => bar.update(p.stage, p.done, p.total, p.detail),
  });
  bar.done();
  if (args.flags.has('json')) {
    write(
      JSON.stringify(
        { dataset: ds.ratings.name, ratings: loaded.all.count, split: describeSplit(spec), runs },
        (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
        2,
      ) + '\n',
    );
    return;
  }
  write(`${ds.ratings.name}: ${loaded.all.count.toLocaleString('en')} ratings; split ${describeSplit(spec)}\n`);
  for (const run of runs) writeRun(run, write);
}

/** Content neighbours of the release (movies file, tags.csv, tag genome), over the evaluation's movie ids. */
async function contentSide(ds: DatasetFiles, sources: ContentSources, movies: IdMap, bar: ProgressBar): Promise<PredictorSide> {
  const parsed = await parseDatasetMovies(ds);
  if (!parsed) return {};
  const content = await buildContentModel(movies, alignCatalog(movies, parsed.movies), sources, {
    onProgress: (done, total, detail) => bar.update('content', done, total, detail),
  });
  return { content };
}

/** tags.csv and the tag genome of the release, as the page's content stage reads them (a zip's genome is unpacked only then). */
async function contentSourcesFor(args: Args, ds: DatasetFiles): Promise<ContentSources> {
  return contentSourcesOf(ds, await readInputs(args.inputs));
}

function writeRun(run: RunRecord, write: (s: string) => void) {
  const names = Object.keys(run.metrics);
  write(
    `\n${Object.entries(run.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}   (fit ${fmtMs(run.timings.fitMs)}, test ${fmtMs(run.timings.testMs)})\n`,
  );
  const w = Math.max(8, ...run.folds.map((f) => f.name.length));
  // Each column as wide as its name (the per-bucket names are long), so headings never run together.
  const width = names.map((n) => Math.max(10, n.length) + 2);
  const row = (cells: string[]) => cells.map((c, i) => c.padStart(width[i])).join('');
  write(`${'fold'.padEnd(w)}${row(names)}\n`);
  for (const f of run.folds) write(`${f.name.padEnd(w)}${row(names.map((n) => fmtMetric(f.metrics[n])))}\n`);
  write(`${'mean'.padEnd(w)}${row(names.map((n) => fmtMetric(run.metrics[n])))}\n`);
}

const fmtMetric = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(4));

const COMMANDS: Record<string, (args: Args, bar: ProgressBar, write: (s: string) => void) => Promise<void>> = {
  build: cmdBuild,
  similar: cmdSimilar,
  recommend: cmdRecommend,
  'export-ratings': cmdExportRatings,
  eval: cmdEval,
};

/** Runs one command; returns the process exit code (0 ok, 1 bad input, 2 bad usage). */
export async function main(argv: string[], write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const args = parseArgs(argv);
  const run = Object.hasOwn(COMMANDS, args.command) ? COMMANDS[args.command] : undefined;
  if (run === undefined || args.flags.has('help')) {
    const known = run !== undefined || args.command === 'help';
    (known ? process.stdout : process.stderr).write(USAGE + '\n');
    return known ? 0 : 2;
  }
  const bar = new ProgressBar();
  try {
    await run(args, bar, write);
    return 0;
  } catch (error) {
    bar.done();
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      process.stderr.write(`${error.problem.message}\n`);
      return 1;
    }
    if (error instanceof ParameterError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

// Run directly (tsx cli/latentlens.ts); the .mjs launcher imports this file and calls main itself.
const isEntry = process.argv[1] && /latentlens\.ts$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`latentlens: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
