/**
 * No worker starts a worker: every worker module, and everything it imports, is free of
 * `new Worker(`. In Firefox ESR 153 a `new Worker()` called inside a worker intermittently never
 * returns, freezing the worker that called it (issue #15: builds stuck at "Starting…" or
 * "Saving…"), so the page starts the compute threads and hands their ports over
 * (src/platform/compute-threads.ts). This test holds the rule without a browser.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The source without comments, so a comment that names `new Worker(` is not code that calls it. */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The file a relative import names: `./x` is x.ts, x.svelte.ts or x/index.ts. */
function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [base, `${base}.ts`, `${base}.svelte.ts`, join(base, 'index.ts')].find((p) => existsSync(p) && /\.ts$/.test(p));
}

/** Every local module `entry` loads, itself included (static and dynamic imports, type-only ones left out). */
function importGraph(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = code(file);
    const specs = [
      ...source.matchAll(/^\s*import\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm),
      ...source.matchAll(/^\s*export\s+(?!type\s)[^'"]*?\sfrom\s+['"](\.[^'"]+)['"]/gm),
      ...source.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]);
    for (const spec of specs) {
      const next = resolveImport(file, spec);
      if (next) queue.push(next);
    }
  }
  return [...seen];
}

const WORKERS = readdirSync(join(ROOT, 'workers'))
  .filter((f) => f.endsWith('.worker.ts'))
  .map((f) => join(ROOT, 'workers', f));

describe('no worker starts a worker', () => {
  it('finds the worker modules', () => {
    expect(WORKERS.map((w) => relative(ROOT, w))).toEqual(expect.arrayContaining(['workers/pipeline.worker.ts', 'workers/compute.worker.ts']));
  });

  it.each(WORKERS.map((w) => [relative(ROOT, w), w]))('%s and its imports never construct a Worker', (_name, entry) => {
    const graph = importGraph(entry);
    // The pipeline worker drives the compute pool: the walk must reach it, or it proves nothing.
    if (entry.endsWith('pipeline.worker.ts')) expect(graph.map((f) => relative(ROOT, f))).toContain('src/platform/web-worker-pool.ts');
    const starters = graph.filter((f) => /\bnew\s+(Shared)?Worker\s*\(/.test(code(f))).map((f) => relative(ROOT, f));
    expect(starters).toEqual([]);
  });

  it('the page starts the compute threads', () => {
    expect(code(join(ROOT, 'src/platform/compute-threads.ts'))).toMatch(/new Worker\(new URL\('\.\.\/\.\.\/workers\/compute\.worker\.ts'/);
  });
});
