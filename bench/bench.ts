/**
 * The benchmark: runs the real pipeline (the same core the browser runs) in Node, with worker
 * threads for the parallel stages, and prints per stage the wall time, throughput and peak
 * memory, as a table or as JSON.
 *
 *   npm run bench                                  # synthetic 1M, 10M and 25M ratings
 *   npm run bench -- --ratings 25000095            # one scale
 *   npm run bench -- --input path/to/ml-25m        # real MovieLens files
 *   npm run bench -- --threads 1 --json            # single thread, machine-readable
 *   npm run bench -- --no-genome                   # content without the tag genome
 *
 * Synthetic sets are generated once into bench/out/ (ignored by git) and reused; their tag
 * genome and tags.csv are added to a directory that lacks them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, openAsBlob, readdirSync, statSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { DEFAULT_PARAMS, type ModelParams, type Progress } from '../src/lib/types';
import { buildModel } from '../src/lib/pipeline/build-model';
import { detectDataset, expandInputs, type InputFile } from '../src/lib/pipeline/input-files';
import { NodeThreadPool } from './node-pool';
import { contentStage, fitRecommenderStage } from '../src/lib/pipeline/recommender-stage';
import { contentSourcesOf } from '../src/lib/pipeline/content-sources';
import { CONTENT_K, GENOME_WEIGHT, type ContentModel, type ContentPhase } from '../src/lib/content/content-model';
import { genomeOnlyNeighbours } from '../src/lib/parallel/content-parallel';
import { writeSyntheticContent, writeSyntheticDataset } from './write-dataset';

const USAGE =
  'usage: npm run bench -- [--ratings N[,N...]] [--input DIR] [--threads P] [--seed S] [--k K] [--kind cosine|adjusted-cosine] [--recommender ials|item-knn-topn] [--factors F] [--no-genome] [--json]';

interface Args {
  scales: number[];
  input?: string;
  threads: number;
  seed: number;
  json: boolean;
  /** Content with the tag genome (synthetic: generated; --input: when the files have it). */
  genome: boolean;
  params: ModelParams;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    scales: [1_000_000, 10_000_000, 25_000_095],
    threads: availableParallelism(),
    seed: 1,
    json: false,
    genome: true,
    params: { ...DEFAULT_PARAMS },
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? fail(`${arg} needs a value`);
    if (arg === '--ratings')
      args.scales = value()
        .split(',')
        .map((s) => Number(s.replaceAll('_', '')));
    else if (arg === '--input') args.input = value();
    else if (arg === '--threads') args.threads = Number(value());
    else if (arg === '--seed') args.seed = Number(value());
    else if (arg === '--k') args.params.k = Number(value());
    else if (arg === '--kind') args.params.kind = value() as ModelParams['kind'];
    else if (arg === '--recommender') args.params.recommender = value() as ModelParams['recommender'];
    else if (arg === '--factors') args.params.factors = Number(value());
    else if (arg === '--json') args.json = true;
    else if (arg === '--no-genome') args.genome = false;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument ${arg}`);
  }
  if (args.scales.some((n) => !Number.isInteger(n) || n < 1)) fail('--ratings takes positive integers');
  if (!Number.isInteger(args.threads) || args.threads < 1) fail('--threads takes a positive integer');
  return args;
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

async function filesIn(dir: string): Promise<InputFile[]> {
  const paths = statSync(dir).isDirectory() ? readdirSync(dir).map((f) => join(dir, f)) : [dir];
  return Promise.all(paths.filter((p) => statSync(p).isFile()).map(async (p) => ({ name: basename(p), path: resolve(p), blob: await openAsBlob(p) })));
}

function syntheticDir(ratings: number, seed: number, genome: boolean): string {
  const dir = join('bench', 'out', `synthetic-${ratings}-seed${seed}`);
  if (!existsSync(join(dir, 'ratings.csv')) || !existsSync(join(dir, 'movies.csv'))) {
    process.stderr.write(`generating ${ratings.toLocaleString('en')} synthetic ratings into ${dir}…\n`);
    writeSyntheticDataset(ratings, seed, dir);
  }
  const missing = { genome: genome && !existsSync(join(dir, 'genome-scores.csv')), tags: !existsSync(join(dir, 'tags.csv')) };
  if (missing.genome || missing.tags) {
    process.stderr.write(
      `generating the synthetic ${[missing.genome ? 'tag genome' : '', missing.tags ? 'tags.csv' : ''].filter(Boolean).join(' and ')} into ${dir}…\n`,
    );
    writeSyntheticContent(ratings, seed, dir, missing);
  }
  return dir;
}

/** Peak resident memory of the whole process (all threads) since it started, in bytes. */
function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

interface StageRow {
  stage: string;
  ms: number;
  throughput: string;
  peakRssMB: number;
  /** CPU time of the whole process (all threads) during the stage: robust to a busy machine, unlike wall time. */
  cpuMs: number;
}

interface RunReport {
  dataset: string;
  ratings: number;
  users: number;
  movies: number;
  ratingsBytes: number;
  pairUpdates: number;
  threads: number;
  totalMs: number;
  peakRssMB: number;
  stages: StageRow[];
}

function progressLine(p: Progress): void {
  if (!process.stderr.isTTY) return;
  const pct = p.total > 0 ? ((100 * p.done) / p.total).toFixed(0) : '?';
  process.stderr.write(`\r  ${p.stage.padEnd(14)} ${pct.padStart(3)}%  ${(p.elapsedMs / 1000).toFixed(1)} s  ${p.detail ?? ''}`.padEnd(100));
}

async function runOnce(label: string, dir: string, threads: number, params: ModelParams, genome: boolean): Promise<RunReport> {
  const files = await filesIn(dir);
  const dataset = await detectDataset(await expandInputs(files));
  const ratingsBytes = dataset.ratings.blob.size;
  const pool = threads > 1 ? new NodeThreadPool(threads) : undefined;
  const peakAt: Record<string, number> = {};
  const cpuAt: Record<string, number> = {};
  const cpuNow = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  let stageCpuStart = cpuNow();
  let lastStage = '';
  const started = performance.now();
  try {
    const onProgress = (p: Progress) => {
      if (p.stage !== lastStage) {
        const now = cpuNow();
        if (lastStage) {
          peakAt[lastStage] = peakRssBytes();
          cpuAt[lastStage] = now - stageCpuStart;
        }
        stageCpuStart = now;
      }
      lastStage = p.stage;
      progressLine(p);
    };
    const { model, timings, byMovie } = await buildModel(dataset, params, { pool, onProgress });
    // The app's next stages, run in the background after the model is in use.
    const contentStarted = performance.now();
    // The content stage's phases, shown under it: the neighbours are the genome's 1e11 multiply-adds.
    const phases: { phase: ContentPhase | 'genome alone'; ms: number; cpuMs: number }[] = [];
    let asideMs = 0;
    let phaseCpu = cpuNow();
    const onContentPhase = (phase: ContentPhase, ms: number) => {
      const now = cpuNow();
      phases.push({ phase, ms, cpuMs: now - phaseCpu });
      phaseCpu = now;
    };
    const content = await contentStage(model, genome ? contentSourcesOf(dataset, files) : { tags: dataset.tags }, { onProgress, pool, onContentPhase });
    timings.content = performance.now() - contentStarted;
    // The genome alone, as the target states it (13,816 × 1,128 at ML-25M, the app's K):
    // timed apart, not part of the app's stages.
    if (content.genome) {
      // Fresh threads, as a build's pool is: V8 specialises the genome kernels to their first
      // run in a thread, and a second run there is slower than any run of the app.
      const aside = threads > 1 ? new NodeThreadPool(threads) : undefined;
      const cpu0 = cpuNow();
      const t0 = performance.now();
      try {
        await genomeOnlyNeighbours(aside, content.genome, model.movies.ids.length, { k: CONTENT_K, genomeWeight: GENOME_WEIGHT });
      } finally {
        aside?.dispose();
      }
      const ms = performance.now() - t0;
      const cpuMs = cpuNow() - cpu0;
      phases.push({ phase: 'genome alone', ms, cpuMs });
      // Left out of the content stage's CPU and of the total: the app never runs it.
      asideMs += ms;
      stageCpuStart += cpuMs;
    }
    const recStarted = performance.now();
    const recommender = await fitRecommenderStage(params, model.byUser!, byMovie, { pool, onProgress });
    timings.recommender = performance.now() - recStarted;
    if (lastStage) {
      peakAt[lastStage] = peakRssBytes();
      cpuAt[lastStage] = cpuNow() - stageCpuStart;
    }
    if (process.stderr.isTTY) process.stderr.write('\r'.padEnd(101) + '\r');
    const totalMs = performance.now() - started - asideMs;
    const s = model.summary;
    const rate = (n: number, ms: number, unit: string) =>
      `${(((n / ms) * 1000) / (unit === 'MB/s' ? 1 << 20 : unit.startsWith('M') ? 1e6 : 1)).toFixed(unit === 'MB/s' ? 0 : 1)} ${unit}`;
    const throughputOf: Record<string, (ms: number) => string> = {
      'parse-ratings': (ms) => `${rate(ratingsBytes, ms, 'MB/s')}, ${rate(s.ratings, ms, 'M ratings/s')}`,
      'index-ids': (ms) => rate(s.ratings, ms, 'M ratings/s'),
      'build-csr': (ms) => rate(s.ratings, ms, 'M ratings/s'),
      popularity: (ms) => rate(s.movies, ms, 'movies/s'),
      neighbours: (ms) => rate(s.pairUpdates, ms, 'M pair-updates/s'),
      content: (ms) => {
        const g = content.genome;
        if (!g) return `${content.features.featureNames.length} features, no genome`;
        const n = g.rows.length;
        const macs = genomeMacs(g);
        return `genome ${n.toLocaleString('en')} movies × ${g.dims.toLocaleString('en')} tags: ${(macs / 1e9).toFixed(1)} G multiply-adds, ${(((macs / ms) * 1e3) / 1e9).toFixed(2)} G/s over the stage`;
      },
      recommender: (ms) =>
        recommender.kind === 'ials'
          ? `${recommender.factors} factors, ${(ms / recommender.params.iterations / 1000).toFixed(2)} s/epoch, ${rate(s.ratings * recommender.params.iterations, ms, 'M ratings·epochs/s')}`
          : 'reuses the neighbours',
    };
    const stages: StageRow[] = Object.entries(timings).flatMap(([stage, ms]) => [
      {
        stage,
        ms: Math.round(ms ?? 0),
        throughput: throughputOf[stage]?.(ms ?? 1) ?? '',
        peakRssMB: Math.round((peakAt[stage] ?? peakRssBytes()) / (1 << 20)),
        cpuMs: Math.round(cpuAt[stage] ?? 0),
      },
      ...(stage === 'content' ? phases.map((p) => contentPhaseRow(p, content)) : []),
    ]);
    return {
      dataset: label,
      ratings: s.ratings,
      users: s.users,
      movies: s.ratedMovies,
      ratingsBytes,
      pairUpdates: s.pairUpdates,
      threads,
      totalMs: Math.round(totalMs),
      peakRssMB: Math.round(peakRssBytes() / (1 << 20)),
      stages,
    };
  } finally {
    pool?.dispose();
  }
}

/** The genome's pair dot products in multiply-adds, n(n−1)/2 · dims: the unit of its throughput. */
function genomeMacs(g: { rows: Int32Array; dims: number }): number {
  const n = g.rows.length;
  return ((n * (n - 1)) / 2) * g.dims;
}

/** What each content phase is, for its row. */
const PHASE_LABEL: Record<ContentPhase | 'genome alone', string> = {
  features: '· tags + features',
  genome: '· genome read',
  neighbours: '· content neighbours',
  'genome alone': '(genome alone, timed apart)',
};

/** A row under "content" for one of its phases; the neighbours' throughput is the genome's. */
function contentPhaseRow(p: { phase: ContentPhase | 'genome alone'; ms: number; cpuMs: number }, content: ContentModel): StageRow {
  const g = content.genome;
  let throughput = '';
  if (p.phase === 'genome alone' && g) {
    const n = g.rows.length;
    throughput = `${n.toLocaleString('en')} × ${g.dims.toLocaleString('en')}, K=${content.neighbours.k}: ${((genomeMacs(g) / p.ms) * 1e-6).toFixed(2)} G multiply-adds/s`;
  } else if (p.phase === 'neighbours') {
    const n = g ? g.rows.length : 0;
    const macs = g ? genomeMacs(g) : 0;
    throughput = g
      ? `${n.toLocaleString('en')} × ${g.dims.toLocaleString('en')} genome + ${content.features.featureNames.length.toLocaleString('en')} features, K=${content.neighbours.k}: ${((macs / p.ms) * 1e-6).toFixed(2)} G genome multiply-adds/s`
      : `${content.features.featureNames.length.toLocaleString('en')} features, K=${content.neighbours.k}`;
  }
  return { stage: PHASE_LABEL[p.phase], ms: Math.round(p.ms), throughput, peakRssMB: Math.round(peakRssBytes() / (1 << 20)), cpuMs: Math.round(p.cpuMs) };
}

function printTable(r: RunReport): void {
  const int = (n: number) => n.toLocaleString('en-US');
  console.log(
    `\n${r.dataset}: ${int(r.ratings)} ratings, ${int(r.users)} users, ${int(r.movies)} rated movies, ${(r.ratingsBytes / (1 << 20)).toFixed(0)} MB ratings file, ${int(r.pairUpdates)} pair updates, ${r.threads} thread(s)`,
  );
  console.log('| stage | time | CPU (all threads) | throughput | peak RSS |');
  console.log('| --- | ---: | ---: | --- | ---: |');
  for (const s of r.stages)
    console.log(`| ${s.stage} | ${(s.ms / 1000).toFixed(2)} s | ${(s.cpuMs / 1000).toFixed(2)} s | ${s.throughput} | ${int(s.peakRssMB)} MB |`);
  console.log(`| **total** | **${(r.totalMs / 1000).toFixed(2)} s** | | | **${int(r.peakRssMB)} MB** |`);
}

/**
 * Peak RSS is per process and only grows, so with several scales each runs in a child process
 * of its own; the parent collects their JSON.
 */
function runScalesInChildren(a: Args): RunReport[] {
  return a.scales.flatMap((n) => {
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1],
        '--ratings',
        String(n),
        '--threads',
        String(a.threads),
        '--seed',
        String(a.seed),
        '--k',
        String(a.params.k),
        '--kind',
        a.params.kind,
        '--recommender',
        a.params.recommender,
        '--factors',
        String(a.params.factors),
        ...(a.genome ? [] : ['--no-genome']),
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    if (child.status !== 0) fail(`the run at ${n} ratings failed (exit ${child.status})`);
    return (JSON.parse(child.stdout) as { runs: RunReport[] }).runs;
  });
}

const args = parseArgs(process.argv.slice(2));
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / (1 << 30)).toFixed(0)} GiB, Node ${process.version}`;
const reports: RunReport[] = [];
if (args.input) {
  reports.push(await runOnce(args.input, args.input, args.threads, args.params, args.genome));
} else if (args.scales.length > 1) {
  reports.push(...runScalesInChildren(args));
} else {
  for (const n of args.scales) {
    reports.push(
      await runOnce(`synthetic ${n.toLocaleString('en')} (seed ${args.seed})`, syntheticDir(n, args.seed, args.genome), args.threads, args.params, args.genome),
    );
  }
}
if (args.json) console.log(JSON.stringify({ machine, params: args.params, runs: reports }, null, 2));
else {
  console.log(`machine: ${machine}`);
  reports.forEach(printTable);
}
