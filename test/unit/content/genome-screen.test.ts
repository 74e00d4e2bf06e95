import { describe, expect, it } from 'vitest';
import { contentNeighbours, screenPays } from '../../../src/lib/content/content-neighbours';
import { genomeScreen, levelDot, MAX_LEVEL_NORM, screenBlocks } from '../../../src/lib/content/genome-bound';
import { exactDots } from '../../../src/lib/content/genome-exact';
import type { GenomeMatrix } from '../../../src/lib/content/genome-matrix';
import type { ScreenStats } from '../../../src/lib/content/genome-screened';
import { barsOf, genomeBarPairs, genomeThresholds, knownIn, mergeBarPairs } from '../../../src/lib/content/genome-thresholds';
import { neighboursOf } from '../../../src/lib/model/similarity';
import { bruteContentNeighbours, csrOf } from './brute-content';

/** A deterministic pseudo-random source for fixed examples. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** Genome-shaped rows: a base level per tag, a few themes per movie lifting their tags, quantised to 1/4000. */
function themedGenome(movies: number, dims: number, seed: number): GenomeMatrix {
  const next = lcg(seed);
  const base = Array.from({ length: dims }, () => 0.02 + 0.1 * next());
  const themeOf = Array.from({ length: dims }, () => Math.floor(next() * 8));
  const relevance = new Float32Array(movies * dims);
  for (let m = 0; m < movies; m++) {
    const lift = new Float64Array(8);
    for (let t = 0; t < 2; t++) lift[Math.floor(next() * 8)] += 0.7 * next();
    for (let c = 0; c < dims; c++) relevance[m * dims + c] = Math.round(Math.min(1, base[c] * (0.5 + next()) + lift[themeOf[c]] * next()) * 4000) / 4000;
  }
  return { tagNames: Array.from({ length: dims }, (_, t) => `t${t}`), rows: Int32Array.from({ length: movies }, (_, i) => i), dims, relevance };
}

/** 1/‖g_r‖ of every genome row (none is all zero here). */
function inverseNorms(g: GenomeMatrix): Float64Array {
  const n = g.rows.length;
  const gInv = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let ss = 0;
    for (let t = 0; t < g.dims; t++) ss += g.relevance[r * g.dims + t] ** 2;
    gInv[r] = 1 / Math.sqrt(ss);
  }
  return gInv;
}

const noFeatures = (movies: number) =>
  csrOf(
    Array.from({ length: movies }, () => []),
    0,
  );

describe('genomeScreen', () => {
  it('packs two rows per value so that the level sums come back exactly, and bounds every dot product from above', () => {
    const g = themedGenome(23, 37, 1);
    const dims = g.dims;
    const nG = 23;
    const firstRow = 3;
    const screen = genomeScreen(g.relevance, dims, nG, firstRow, 5)!;
    const levelsOf = (r: number) => Array.from(g.relevance.subarray(r * dims, (r + 1) * dims), (x) => Math.ceil(x * screen.inv[r]));
    for (let r = firstRow; r < nG; r++) {
      const norm2 = levelsOf(r).reduce((s, x) => s + x * x, 0);
      // As many levels as the packing allows: within 2% of the limit, never above it.
      expect(norm2).toBeLessThanOrEqual(MAX_LEVEL_NORM ** 2);
      expect(Math.sqrt(norm2)).toBeGreaterThan(0.98 * (MAX_LEVEL_NORM - Math.sqrt(dims) - 1));
    }
    const block = screenBlocks(screen, g.relevance, dims, nG, firstRow, undefined);
    for (const [r0, r1] of [
      [3, 8],
      [8, 13],
      [20, 23],
    ]) {
      // The block stands for its rows' pairs with every later row.
      let pairs = 0;
      for (let r = r0; r < r1; r++) pairs += nG - r - 1;
      expect(block(r0, r1)).toBe(pairs * dims);
      for (let r = r0; r < r1; r++) {
        const a = levelsOf(r);
        for (let j = r + 1; j < nG; j++) {
          const b = levelsOf(j);
          const levels = levelDot(screen.acc, (r - r0) * screen.pairs, j - firstRow);
          expect(levels).toBe(a.reduce((s, x, t) => s + x * b[t], 0));
          let exact = 0;
          for (let t = 0; t < dims; t++) exact += g.relevance[r * dims + t] * g.relevance[j * dims + t];
          expect(levels * screen.scale[r] * screen.scale[j] * (1 + 1e-9)).toBeGreaterThanOrEqual(exact);
        }
      }
    }
  });

  it('keeps the level sums below 2^26, and declines negative, non-finite and too wide genomes', () => {
    expect(MAX_LEVEL_NORM ** 2).toBeLessThan(2 ** 26);
    expect((MAX_LEVEL_NORM + 1) ** 2).toBeGreaterThanOrEqual(2 ** 26);
    expect(genomeScreen(Float32Array.of(0.5, -0.25), 2, 1, 0, 1)).toBeUndefined();
    expect(genomeScreen(Float32Array.of(0.5, NaN), 2, 1, 0, 1)).toBeUndefined();
    expect(genomeScreen(Float32Array.of(Infinity, 0), 2, 1, 0, 1)).toBeUndefined();
    expect(genomeScreen(new Float32Array(2 ** 26).fill(0.5), 2 ** 26, 1, 0, 1)).toBeUndefined();
  });
});

describe('genomeThresholds', () => {
  it('gives every movie a bar at or below its exact K-th best, and known dot products equal to the exact sums', () => {
    const g = themedGenome(90, 20, 2);
    const n = 90;
    const gInv = inverseNorms(g);
    const invNorm = new Float64Array(n).fill(1 / 2);
    const k = 4;
    const bars = genomeThresholds({ relevance: g.relevance, dims: g.dims, rows: g.rows, gInv, invNorm, w2: 4, k }, 10, 60, exactDots(g.relevance, g.dims));
    const ref = bruteContentNeighbours(
      Array.from({ length: n }, () => []),
      0,
      g,
      2,
      k,
    );
    let finite = 0;
    for (let r = 0; r < n; r++) {
      // Rows before firstRow get bars too, from the pairs later rows list them in.
      expect(bars.tau[r]).toBeLessThanOrEqual(ref[r][k - 1].similarity);
      if (r >= 10 && bars.tau[r] > -Infinity) finite++;
    }
    // Candidates cover most movies on a genome this small.
    expect(finite).toBeGreaterThan(70);
    expect(bars.knownPtr.length).toBe(51);
    for (let l = 0; l < 50; l++) {
      for (let e = bars.knownPtr[l]; e < bars.knownPtr[l + 1]; e++) {
        const lo = 10 + l;
        const hi = bars.knownRow[e];
        expect(hi).toBeGreaterThan(lo);
        let s = 0;
        for (let t = 0; t < g.dims; t++) s += g.relevance[lo * g.dims + t] * g.relevance[hi * g.dims + t];
        expect(bars.knownDot[e]).toBe(s);
      }
    }
  });
});

describe('contentNeighbours with the genome screen', () => {
  it('skips most pairs of a themed genome and gives the same neighbours as computing them all', () => {
    const g = themedGenome(400, 48, 3);
    const matrix = noFeatures(400);
    const stats: ScreenStats = { screened: 0, exact: 0, known: 0 };
    const screened = contentNeighbours({ matrix }, g, { k: 5, blockRows: 16, genomeScreen: true, screenStats: stats });
    expect(screened).toEqual(contentNeighbours({ matrix }, g, { k: 5, blockRows: 16, genomeScreen: false }));
    expect(stats.screened).toBe((400 * 399) / 2);
    expect(stats.exact + stats.known).toBeLessThan(0.25 * stats.screened);
  });

  it('runs by default only where it pays', () => {
    const small = themedGenome(120, 8, 5);
    const stats: ScreenStats = { screened: 0, exact: 0, known: 0 };
    contentNeighbours({ matrix: noFeatures(120) }, small, { k: 3, screenStats: stats });
    expect(stats.screened).toBe(0);
    expect(screenPays(13816, 1128, 50)).toBe(true); // the benchmark, ML-25M's genome
    expect(screenPays(13816, 1128, 100)).toBe(true); // the app's K
    expect(screenPays(2000, 1128, 100)).toBe(false); // measured slower screened
    expect(screenPays(1518, 124, 100)).toBe(false); // the 100k-rating synthetic benchmark
  });

  it('computes every pair when a relevance is negative, still exactly', () => {
    const g = themedGenome(30, 6, 4);
    g.relevance[7] = -0.25;
    const matrix = noFeatures(30);
    const stats: ScreenStats = { screened: 0, exact: 0, known: 0 };
    const nb = contentNeighbours({ matrix }, g, { k: 3, genomeScreen: true, screenStats: stats });
    expect(stats.screened).toBe(0);
    const ref = bruteContentNeighbours(
      Array.from({ length: 30 }, () => []),
      0,
      g,
      2,
      3,
    );
    for (let i = 0; i < 30; i++) expect(neighboursOf(nb, i).map((e) => e.index)).toEqual(ref[i].map((e) => e.index));
  });
});

describe('genomeBarPairs', () => {
  it('gives the same pairs computed in slices and merged as in one piece, each pair once and in order', () => {
    const g = themedGenome(90, 20, 2);
    const n = 90;
    const gInv = inverseNorms(g);
    const input = { relevance: g.relevance, dims: g.dims, rows: g.rows, gInv, invNorm: new Float64Array(n).fill(1 / 2), w2: 4, k: 4 };
    const exact = exactDots(g.relevance, g.dims);
    const whole = genomeBarPairs(input, 0, n, exact);
    const sliced = mergeBarPairs([genomeBarPairs(input, 0, 31, exact), genomeBarPairs(input, 31, 70, exact), genomeBarPairs(input, 70, n, exact)]);
    expect(sliced).toEqual(whole);
    expect(whole.lo.length).toBeGreaterThan(n);
    for (let e = 1; e < whole.lo.length; e++) expect(whole.lo[e - 1] - whole.lo[e] || whole.hi[e - 1] - whole.hi[e]).toBeLessThan(0);
    // A slice's pairs alone are a subset: merging it with the whole changes nothing.
    expect(mergeBarPairs([whole, genomeBarPairs(input, 31, 70, exact)])).toEqual(whole);
    // The known lists of a range come out of the merged pairs unchanged.
    const bars = genomeThresholds(input, 0, n, exact);
    expect(bars.tau).toEqual(barsOf(whole, n, 4));
    expect(knownIn(whole, 20, 40).knownRow).toEqual(whole.hi.filter((_, e) => whole.lo[e] >= 20 && whole.lo[e] < 40));
  });
});
