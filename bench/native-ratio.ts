/**
 * How far the TypeScript build is from native code: the C floor in ../shared/bench/native-floor
 * (the same exact algorithm, gcc -O3 -march=native -fopenmp) and the project's build run on the
 * same ratings.csv in one invocation, each stage side by side with its ratio.
 *
 *   npm run bench:native                                  # synthetic 25M (seed 7), 2 threads
 *   npm run bench:native -- --ratings 1000000 --threads 2
 *   npm run bench:native -- --input path/to/ml-25m --native path/to/knn.c
 *   npm run bench:native -- --repeat 3                    # best of 3 for each side, C and ours alternating
 *
 * The C source is compiled at run time into a temporary folder and never shipped. Without gcc
 * (or the source), the C side is skipped with a note and only our numbers are printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openAsBlob, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { DEFAULT_PARAMS } from '../src/lib/types';
import { buildModel } from '../src/lib/pipeline/build-model';
import { detectDataset, expandInputs } from '../src/lib/pipeline/input-files';
import { NodeThreadPool } from './node-pool';
import { writeSyntheticDataset } from './write-dataset';

interface Args {
  ratings: number;
  seed: number;
  threads: number;
  input?: string;
  native: string;
  json: boolean;
  /** Runs of each side, alternating; each stage reports its best (a shared machine's speed drifts by 20% in minutes). */
  repeat: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    ratings: 25_000_095,
    seed: 7,
    threads: Math.min(2, availableParallelism()),
    native: resolve('../shared/bench/native-floor/knn.c'),
    json: false,
    repeat: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? fail(`${argv[i - 1]} needs a value`);
    const arg = argv[i];
    if (arg === '--ratings') a.ratings = Number(v().replaceAll('_', ''));
    else if (arg === '--seed') a.seed = Number(v());
    else if (arg === '--threads') a.threads = Number(v());
    else if (arg === '--input') a.input = v();
    else if (arg === '--native') a.native = resolve(v());
    else if (arg === '--json') a.json = true;
    else if (arg === '--repeat') a.repeat = Math.max(1, Math.floor(Number(v())));
    else fail(`unknown argument ${arg}`);
  }
  return a;
}

function fail(message: string): never {
  console.error(
    `bench:native: ${message}\nusage: npm run bench:native -- [--ratings N] [--seed S] [--threads T] [--input DIR] [--native knn.c] [--repeat N] [--json]`,
  );
  process.exit(2);
}

interface NativeReport {
  ratings: number;
  users: number;
  movies: number;
  pairUpdates: number;
  threads: number;
  parse_s: number;
  csr_s: number;
  neighbours_s: number;
  total_s: number;
  Mpairs_per_s: number;
  checksum: number;
  peakRssMB: number;
}

/** Compiles and runs the C floor; undefined (with the reason on stderr) when it cannot. */
async function runNative(source: string, ratingsPath: string, k: number, threads: number): Promise<NativeReport | undefined> {
  if (!existsSync(source)) {
    console.error(`note: no C floor at ${source}; skipping the native side`);
    return undefined;
  }
  if (spawnSync('gcc', ['--version']).status !== 0) {
    console.error('note: no gcc on this machine (apt-get install gcc); skipping the native side');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'latentlens-knn-'));
  try {
    const binary = join(dir, 'knn');
    const cc = spawnSync('gcc', ['-O3', '-march=native', '-fopenmp', source, '-o', binary, '-lm'], { encoding: 'utf8' });
    if (cc.status !== 0) {
      console.error(`note: gcc could not build the C floor; skipping it\n${cc.stderr}`);
      return undefined;
    }
    const child = spawn(binary, [ratingsPath, String(k), String(threads)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // Peak RSS of another process: Linux keeps it as VmHWM in /proc/<pid>/status; read it until
    // the process exits (the last reading is within 50 ms of the end, the peak is earlier).
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        /* gone, or not Linux */
      }
    }, 50);
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    clearInterval(poll);
    if (code !== 0) {
      console.error(`note: the C floor failed (exit ${code}); skipping it`);
      return undefined;
    }
    const json = JSON.parse(
      stdout
        .trim()
        .split('\n')
        .find((l) => l.startsWith('{')) ?? '{}',
    ) as Omit<NativeReport, 'peakRssMB'>;
    return { ...json, peakRssMB: Math.round(peakKb / 1024) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOurs(dir: string, threads: number) {
  const paths = readdirSync(dir)
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile());
  const files = await Promise.all(paths.map(async (p) => ({ name: basename(p), path: resolve(p), blob: await openAsBlob(p) })));
  const dataset = await detectDataset(await expandInputs(files));
  const pool = threads > 1 ? new NodeThreadPool(threads) : undefined;
  const started = performance.now();
  try {
    const { model, timings } = await buildModel(dataset, { ...DEFAULT_PARAMS }, { pool });
    const totalMs = performance.now() - started;
    let checksum = 0;
    const n = model.neighbours;
    for (let i = 0; i < n.movies; i++) for (let t = 0; t < n.count[i]; t++) checksum += n.similarity[i * n.k + t];
    return { timings, totalMs, checksum, pairUpdates: model.summary.pairUpdates, peakRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / (1 << 20)) };
  } finally {
    pool?.dispose();
  }
}

const args = parseArgs(process.argv.slice(2));
const dir = args.input ?? join('bench', 'out', `synthetic-${args.ratings}-seed${args.seed}`);
if (!args.input && !existsSync(join(dir, 'ratings.csv'))) {
  console.error(`generating ${args.ratings.toLocaleString('en')} synthetic ratings into ${dir}…`);
  writeSyntheticDataset(args.ratings, args.seed, dir);
}
const ratingsPath = join(dir, 'ratings.csv');
const s = (ms: number | undefined) => (ms ?? 0) / 1000;
const natives: NativeReport[] = [];
const ourRuns: Awaited<ReturnType<typeof runOurs>>[] = [];
for (let r = 0; r < args.repeat; r++) {
  const native = await runNative(args.native, ratingsPath, DEFAULT_PARAMS.k, args.threads);
  if (native) natives.push(native);
  ourRuns.push(await runOurs(dir, args.threads));
}
const native = natives[0];
const ours = ourRuns[0];
/** The best of the runs (the fastest is the one least disturbed by the rest of the machine). */
const best = <T>(runs: T[], f: (x: T) => number): number | undefined => (runs.length ? Math.min(...runs.map(f)) : undefined);
const rows: { stage: string; c?: number; ts: number }[] = [
  { stage: 'parse ratings', c: best(natives, (n) => n.parse_s), ts: best(ourRuns, (o) => s(o.timings['parse-ratings']))! },
  { stage: 'ids + CSR', c: best(natives, (n) => n.csr_s), ts: best(ourRuns, (o) => s(o.timings['index-ids']) + s(o.timings['build-csr']))! },
  { stage: 'neighbours', c: best(natives, (n) => n.neighbours_s), ts: best(ourRuns, (o) => s(o.timings['neighbours']))! },
  { stage: 'total wall', c: best(natives, (n) => n.total_s), ts: best(ourRuns, (o) => o.totalMs / 1000)! },
];
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, ${args.threads} thread(s)`;
if (args.json) {
  console.log(JSON.stringify({ machine, dataset: dir, native, ours, rows }, null, 2));
} else {
  console.log(`machine: ${machine}\ndata: ${ratingsPath}${args.repeat > 1 ? `\nbest of ${args.repeat} runs of each side, alternating` : ''}`);
  console.log('| stage | C floor | LatentLens (Node) | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(`| ${r.stage} | ${r.c !== undefined ? `${r.c.toFixed(2)} s` : '—'} | ${r.ts.toFixed(2)} s | ${r.c ? `${(r.ts / r.c).toFixed(2)}x` : '—'} |`);
  if (native) {
    console.log(
      `\npair updates: C ${native.pairUpdates.toLocaleString('en')} (${(native.pairUpdates / 1e6 / rows[2].c!).toFixed(0)} M/s), ours ${ours.pairUpdates.toLocaleString('en')} (${(ours.pairUpdates / 1e6 / rows[2].ts).toFixed(0)} M/s)`,
    );
    console.log(`checksum (sum of kept similarities): C ${native.checksum.toFixed(3)}, ours ${ours.checksum.toFixed(3)}`);
  }
  // Peak memory is not a speed: the highest of the runs.
  const peakC = natives.length ? Math.max(...natives.map((n) => n.peakRssMB)) : undefined;
  const peakOurs = Math.max(...ourRuns.map((o) => o.peakRssMB));
  console.log(`peak RSS: ${peakC !== undefined ? `C ${peakC.toLocaleString('en')} MB, ` : ''}ours ${peakOurs.toLocaleString('en')} MB`);
}
