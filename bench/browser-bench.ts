/**
 * The browser benchmark: builds the app, serves it on 127.0.0.1 (cross-origin isolated, or not
 * with --no-isolation, as GitHub Pages serves it), opens `?bench=N&threads=T` in headless
 * Chromium and prints the stage times measured inside Chromium's workers, with the peak
 * resident memory of all Chromium processes.
 *
 *   npx tsx bench/browser-bench.ts --ratings 25000095 [--threads 2] [--no-isolation] [--cache] [--content | --genome-alone] [--recommender ials|item-knn-topn] [--json]
 *
 * --cache also saves the model to IndexedDB and restores it (in a database of its own).
 * --content gives the content stage a synthetic tag genome and tags.csv (generated in the page,
 * as `npm run bench` writes them), and prints its phases. --genome-alone times the content
 * neighbours of that genome by themselves instead (no content stage).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { launchChromium, findChromium } from '../test/support/chromium';
import { serveStatic } from '../test/support/static-server';
import type { BenchmarkReport } from '../workers/pipeline.worker';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const ratings = Number(arg('--ratings', '1000000').replaceAll('_', ''));
const threads = Number(arg('--threads', '0'));
const seed = Number(arg('--seed', '1'));
const isolated = !argv.includes('--no-isolation');
const json = argv.includes('--json');
const cache = argv.includes('--cache');
const content = argv.includes('--genome-alone') ? 'genome-alone' : argv.includes('--content');
const recommender = arg('--recommender', 'ials');

/** Resident memory of every process running the Chromium binary, in bytes (Linux /proc). */
function chromiumRssBytes(exe: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith(exe) && !cmd.includes('chrom')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return total;
}

const outDir = mkdtempSync(join(tmpdir(), 'latentlens-bench-'));
await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const { url, server } = await serveStatic(outDir, { isolated });
const browser = await launchChromium();
const exe = findChromium();
const baseline = chromiumRssBytes(exe);
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, chromiumRssBytes(exe))), 250);
try {
  const page = await browser.newPage();
  await page.goto(
    `${url}?bench=${ratings}&threads=${threads}&seed=${seed}${cache ? '&cache' : ''}${content === 'genome-alone' ? '&content=genome-alone' : content ? '&content' : ''}&recommender=${recommender}`,
  );
  await page
    .getByRole('status')
    .filter({ hasText: /Benchmark (done|failed)/ })
    .waitFor({ timeout: 30 * 60_000 });
  const alert = page.getByRole('alert');
  if (await alert.count()) throw new Error(`benchmark failed in the browser: ${await alert.textContent()}`);
  const report = JSON.parse((await page.getByLabel('Benchmark results').textContent()) ?? '{}') as BenchmarkReport & {
    longTasks: number;
    longestTaskMs: number;
  };
  const result = { ...report, isolated, peakChromiumRssMB: Math.round(peak / (1 << 20)), idleChromiumRssMB: Math.round(baseline / (1 << 20)) };
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    const s = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(2)} s`;
    console.log(
      `Chromium ${await browser.version()}, ${report.threads} thread(s), shared memory ${report.sharedMemory}, cross-origin isolated ${report.crossOriginIsolated}`,
    );
    console.log(
      `${report.ratings.toLocaleString('en')} ratings (${(report.ratingsBytes / (1 << 20)).toFixed(0)} MB), ${report.pairUpdates.toLocaleString('en')} pair updates`,
    );
    console.log('| stage | time | throughput |');
    console.log('| --- | ---: | --- |');
    for (const [stage, ms] of Object.entries(report.timings)) {
      const rate =
        stage === 'parse-ratings'
          ? `${(report.ratingsBytes / (1 << 20) / ((ms ?? 1) / 1000)).toFixed(0)} MB/s`
          : stage === 'neighbours'
            ? `${(report.pairUpdates / 1e6 / ((ms ?? 1) / 1000)).toFixed(0)} M pair-updates/s`
            : '';
      console.log(`| ${stage} | ${s(ms)} | ${rate} |`);
      if (stage === 'content') {
        const label = { features: '· tags + features', genome: '· genome read', neighbours: '· content neighbours' } as const;
        for (const [phase, phaseMs] of Object.entries(report.contentPhases ?? {})) {
          const g = report.genome;
          const what = phase === 'neighbours' && g ? `${g.movies.toLocaleString('en')} × ${g.dims.toLocaleString('en')} genome, K=${g.k}` : '';
          console.log(`| ${label[phase as keyof typeof label]} | ${s(phaseMs)} | ${what} |`);
        }
      }
    }
    if (report.genomeAloneMs !== undefined && report.genome) {
      const g = report.genome;
      console.log(
        `| content neighbours of the genome alone (${g.movies.toLocaleString('en')} × ${g.dims.toLocaleString('en')}, K=${g.k}) | ${s(report.genomeAloneMs)} | |`,
      );
    }
    if (report.saveMs !== undefined) {
      console.log(`| save to IndexedDB (${((report.cachedBytes ?? 0) / (1 << 20)).toFixed(0)} MB) | ${s(report.saveMs)} | |`);
      console.log(`| restore on reload (without the ratings matrix) | ${s(report.restoreMs)} | |`);
      console.log(
        `| restore everything (explore, evaluate) | ${s(report.fullRestoreMs)} | restored model ${report.restoredDigest === report.digest ? 'identical' : 'DIFFERENT'} |`,
      );
    }
    console.log(
      `peak RSS of all Chromium processes: ${result.peakChromiumRssMB} MB (${result.idleChromiumRssMB} MB before the page opened); main-thread tasks over 50 ms: ${report.longTasks} (longest ${Math.round(report.longestTaskMs)} ms)`,
    );
  }
} finally {
  clearInterval(sampler);
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}
