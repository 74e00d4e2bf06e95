import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/latentlens.ts';
import { RELEASES, releaseFiles, RELEASE_FOLDER } from '../../support/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'latentlens-cli-'));
for (const f of releaseFiles('ml-100k')) {
  mkdirSync(dirname(join(dir, f.name)), { recursive: true });
  writeFileSync(join(dir, f.name), f.bytes);
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, (s) => (out += s));
  return { code, out };
}

describe('latentlens eval on the ML-100k fixture files', () => {
  it('--split ml100k-folds --algo item-knn --json: five folds and their mean, all finite', async () => {
    const { code, out } = await run(['eval', join(dir, 'ml-100k'), '--split', 'ml100k-folds', '--algo', 'item-knn', '--k', '10', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    const [runRecord] = result.runs;
    expect(runRecord.params).toMatchObject({ algo: 'item-knn', k: 10 });
    expect(runRecord.folds.map((f: { name: string }) => f.name)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    for (const m of ['rmse', 'mae']) {
      expect(Number.isFinite(runRecord.metrics[m])).toBe(true);
      for (const f of runRecord.folds) expect(Number.isFinite(f.metrics[m])).toBe(true);
    }
    expect(runRecord.metrics.rmse).toBeGreaterThan(0);
  });
  it('prints a table for bias on ua', async () => {
    const { code, out } = await run(['eval', join(dir, 'ml-100k'), '--split', 'ml100k-ua', '--algo', 'bias']);
    expect(code).toBe(0);
    expect(out).toMatch(/mean\s+\d\.\d{4}\s+\d\.\d{4}/);
  });
  it('explains a bad --split with exit code 2', async () => {
    expect((await run(['eval', dir, '--split', 'nope'])).code).toBe(2);
  });
  it('build prints the summary', async () => {
    const { code, out } = await run(['build', join(dir, 'ml-100k')]);
    expect(code).toBe(0);
    expect(out).toContain('Ratings:');
  });
});

describe('latentlens eval --split loo with the top-N recommenders, on every release format', () => {
  const roots = new Map<string, string>();
  for (const release of RELEASES) {
    const root = mkdtempSync(join(tmpdir(), `latentlens-cli-${release}-`));
    for (const f of releaseFiles(release)) {
      mkdirSync(dirname(join(root, f.name)), { recursive: true });
      writeFileSync(join(root, f.name), f.bytes);
    }
    roots.set(release, join(root, RELEASE_FOLDER[release]));
  }
  afterAll(() => {
    for (const r of roots.values()) rmSync(dirname(r), { recursive: true, force: true });
  });

  for (const release of RELEASES) {
    it(`${release}: app, ials, item-knn-topn, ease and mf give finite metrics in range`, async () => {
      for (const algo of ['app', 'ials', 'item-knn-topn', 'ease', 'mf']) {
        const { code, out } = await run(['eval', roots.get(release)!, '--split', 'loo', '--algo', algo, '--factors', '8', '--iterations', '3', '--json']);
        expect(code, `${algo} on ${release}`).toBe(0);
        const m = JSON.parse(out).runs[0].metrics;
        expect(m.hit_rate_at_10).toBeGreaterThanOrEqual(0);
        expect(m.hit_rate_at_10).toBeLessThanOrEqual(1);
        expect(m.ndcg_at_10).toBeLessThanOrEqual(m.hit_rate_at_10 + 1e-12);
        expect(Number.isFinite(m.rmse)).toBe(true);
      }
    });
  }

  it('refuses a parameter that is not a number (exit 2, usage) and factors out of range (exit 1, the reason)', async () => {
    expect((await run(['eval', roots.get('ml-100k')!, '--split', 'loo', '--algo', 'ials', '--factors', 'abc'])).code).toBe(2);
    const zero = await run(['eval', roots.get('ml-100k')!, '--split', 'loo', '--algo', 'ials', '--factors', '0']);
    expect(zero.code).toBe(1);
  });
});

describe('latentlens similar on the bundled sample (ratings, movies and tags.csv)', () => {
  const sample = fileURLToPath(new URL('../../../public/data/ml-latest-small', import.meta.url));
  interface Neighbour {
    title: string;
    similarity: number;
    blend: number;
    collaborative: number;
    content: number;
    coCount: number;
    alpha: number;
    led: 'ratings' | 'content';
    shares: string[];
  }

  it('--json: per neighbour the collaborative and content similarity, the blend, the co-rating count and the shared tags', async () => {
    const { code, out } = await run(['similar', sample, '--title', 'The Godfather', '--json']);
    expect(code).toBe(0);
    const { movie, beta, similar } = JSON.parse(out) as { movie: { title: string; votes: number }; beta: number; similar: Neighbour[] };
    expect(movie.title).toBe('The Godfather (1972)');
    expect(similar).toHaveLength(50);
    const alpha = movie.votes / (movie.votes + beta);
    for (const n of similar) {
      expect(n.alpha).toBeCloseTo(alpha, 12);
      expect(n.blend).toBe(n.similarity);
      expect(n.blend).toBeCloseTo(alpha * n.collaborative + (1 - alpha) * n.content, 12);
      expect(n.coCount).toBeGreaterThanOrEqual(0);
      expect(Array.isArray(n.shares)).toBe(true);
    }
    // Well rated: behaviour leads, and the sequel is first, linked both ways.
    const [first] = similar;
    expect(first).toMatchObject({ title: 'The Godfather: Part II (1974)', led: 'ratings' });
    expect(first.coCount).toBeGreaterThan(50);
    expect(first.collaborative).toBeGreaterThan(0.5);
    expect(first.content).toBeGreaterThan(0.5);
    expect(first.shares).toContain('mafia');
  }, 120_000);

  it('--json for a movie nobody rated: content matches only', async () => {
    const { code, out } = await run(['similar', sample, '--title', 'The Parallax View', '--json']);
    expect(code).toBe(0);
    const { movie, similar } = JSON.parse(out) as { movie: { title: string; votes: number }; similar: Neighbour[] };
    expect(movie).toMatchObject({ title: 'The Parallax View (1974)', votes: 0 });
    expect(similar.length).toBeGreaterThan(0);
    for (const n of similar) expect(n).toMatchObject({ alpha: 0, collaborative: 0, coCount: 0, led: 'content', blend: n.content });
    expect(similar.every((n) => n.shares.length > 0)).toBe(true);
  }, 120_000);
});
