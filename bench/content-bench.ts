/**
 * Times contentNeighbours on a genome-shaped matrix: the dense part that dominates the content
 * side of the hybrid recommender (ML-25M: 13,816 movies × 1,128 tags ≈ 1.08e11 multiply-adds).
 *
 *   npx tsx bench/content-bench.ts --movies 13816 --dims 1128 --threads 1
 *
 * Options: --movies N, --dims D, --threads T (the app's path: the compute pool's Node threads,
 * one movie range each, balanced by genome work and merged with mergeNeighbours), --k K,
 * --seed S. The matrix is deterministic for a seed. The run ends by checking a few movies'
 * neighbours against a direct Float64 computation. On one thread it also reports what the
 * genome screen (src/lib/content/genome-screened.ts) left to compute exactly.
 *
 *   npx tsx bench/content-bench.ts --threads 2       # ML-25M's genome on two threads
 */
import { availableParallelism } from 'node:os';
import { contentNeighbours } from '../src/lib/content/content-neighbours';
import type { GenomeMatrix } from '../src/lib/content/genome-matrix';
import type { ScreenStats } from '../src/lib/content/genome-screened';
import { contentNeighboursParallel } from '../src/lib/parallel/content-parallel';
import type { ChunkedCsr, Neighbours } from '../src/lib/types';
import { NodeThreadPool } from './node-pool';

/** mulberry32: a small, fast, well-mixed 32-bit generator; same seed, same matrix. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Genome-shaped relevances: most tags barely apply (the real genome's median is ~0.06), a few
 * apply strongly. Each tag has a base level (some tags are generic, "good acting"), each movie
 * a handful of themes that lift related tags; values are quantised to 1/4000 as in the
 * published files and kept in [0, 1].
 */
export function genomeLike(movies: number, dims: number, seed: number): Float32Array {
  const next = rng(seed);
  const base = Float64Array.from({ length: dims }, () => 0.02 + 0.15 * next() ** 3);
  const themes = 24;
  const themeOf = Int32Array.from({ length: dims }, () => Math.floor(next() * themes));
  const out = new Float32Array(movies * dims);
  const lift = new Float64Array(themes);
  for (let m = 0; m < movies; m++) {
    lift.fill(0);
    for (let t = 0; t < 4; t++) lift[Math.floor(next() * themes)] += 0.6 * next();
    for (let c = 0; c < dims; c++) {
      const v = base[c] * (0.5 + next()) + lift[themeOf[c]] * next() ** 2 + 0.5 * next() ** 12;
      out[m * dims + c] = Math.round(Math.min(1, v) * 4000) / 4000;
    }
  }
  return out;
}

/** No sparse features: the genome alone. */
function genomeOnly(movies: number, dims: number, relevance: Float32Array): { matrix: ChunkedCsr; genome: GenomeMatrix } {
  const matrix: ChunkedCsr = {
    rows: movies,
    cols: 0,
    nnz: 0,
    chunks: [{ firstRow: 0, rowCount: movies, indptr: new Int32Array(movies + 1), indices: new Int32Array(0), values: new Float32Array(0) }],
  };
  const genome: GenomeMatrix = {
    tagNames: Array.from({ length: dims }, (_, t) => `tag ${t}`),
    rows: Int32Array.from({ length: movies }, (_, i) => i),
    dims,
    relevance,
  };
  return { matrix, genome };
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const movies = arg('movies', 13816);
  const dims = arg('dims', 1128);
  const threads = Math.max(1, Math.floor(arg('threads', 1)));
  const k = arg('k', 50);
  const seed = arg('seed', 1);
  const macs = ((movies * (movies - 1)) / 2) * dims;
  console.log(
    `content-bench: ${movies} movies × ${dims} genome tags, k=${k}, ${threads} thread(s) (${availableParallelism()} cores); ${macs.toExponential(3)} multiply-adds`,
  );

  let t0 = performance.now();
  // Shared memory: every thread reads the one copy.
  const relevance = new Float32Array(new SharedArrayBuffer(4 * movies * dims));
  relevance.set(genomeLike(movies, dims, seed));
  console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const { matrix, genome } = genomeOnly(movies, dims, relevance);
  // Threads start before the clock: the app's pool is running before the content stage.
  const pool = threads > 1 ? new NodeThreadPool(threads) : undefined;
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let result: Neighbours;
  // On one thread the screen's counts come back (the pool's threads keep theirs).
  const stats: ScreenStats = { screened: 0, exact: 0, known: 0 };
  try {
    result = pool
      ? await contentNeighboursParallel(pool, matrix, genome, { k, genomeWeight: 2, commonColumns: 0 })
      : contentNeighbours({ matrix }, genome, { k, screenStats: stats });
  } finally {
    pool?.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU time of this process (all threads): on a shared machine it shows what wall time hides.
  console.log(`  contentNeighbours: ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
  console.log(`  ${((seconds * 1e9) / macs).toFixed(3)} ns per multiply-add (wall), ${((seconds * 1e9 * threads) / macs).toFixed(3)} per thread`);
  if (stats.screened > 0) {
    const pct = (x: number) => ((100 * x) / stats.screened).toFixed(2);
    console.log(
      `  genome screen: ${pct(stats.exact)}% of ${stats.screened} pairs summed exactly, ${pct(stats.known)}% known from the bars' candidates, the rest skipped`,
    );
  }
  spotCheck(result, relevance, movies, dims, k, seed);
}

/** A few movies' top-K recomputed directly in Float64: the fast path must agree. */
function spotCheck(n: Neighbours, rel: Float32Array, movies: number, dims: number, k: number, seed: number): void {
  const next = rng(seed + 1);
  const norm = (i: number) => Math.sqrt(rel.subarray(i * dims, (i + 1) * dims).reduce((s, v) => s + v * v, 0));
  let worst = 0;
  for (let probe = 0; probe < 3; probe++) {
    const i = Math.floor(next() * movies);
    const ni = norm(i);
    const sims: { j: number; s: number }[] = [];
    for (let j = 0; j < movies; j++) {
      if (j === i) continue;
      let d = 0;
      for (let t = 0; t < dims; t++) d += rel[i * dims + t] * rel[j * dims + t];
      sims.push({ j, s: Math.fround(d / (ni * norm(j))) });
    }
    sims.sort((p, q) => q.s - p.s || p.j - q.j);
    for (let t = 0; t < Math.min(k, sims.length); t++) worst = Math.max(worst, Math.abs(n.similarity[i * k + t] - sims[t].s));
  }
  console.log(`  spot check: largest similarity difference over 3 movies' top-${k}: ${worst.toExponential(2)}`);
  if (!(worst <= 1e-6)) process.exitCode = 1;
}

await main();
