import { describe, expect, it } from 'vitest';
import { GlobalMean } from '../../../src/lib/evaluate/predictors/global-mean';
import { Baseline, fitBiases } from '../../../src/lib/evaluate/predictors/baseline';
import { ItemKnn, type KnnVariant } from '../../../src/lib/evaluate/predictors/item-knn';
import { Popular } from '../../../src/lib/evaluate/predictors/popular';
import { RandomPredictor, unitHash } from '../../../src/lib/evaluate/predictors/random';
import { createPredictor } from '../../../src/lib/evaluate/predictors/index';
import type { Interactions } from '../../../src/lib/evaluate/interactions';
import { interactions, sampleInteractions } from './helpers';

describe('global mean', () => {
  it('predicts the mean of the training ratings for everyone', () => {
    const p = new GlobalMean();
    p.fit(
      interactions(
        [
          [0, 0, 5, 0],
          [0, 1, 3, 0],
          [1, 0, 4, 0],
        ],
        2,
        2,
      ),
    );
    expect(p.predict()).toBeCloseTo(4, 12);
  });
});

describe('bias baseline (Surprise BaselineOnly, ALS)', () => {
  const train = interactions(
    [
      [0, 0, 5, 0],
      [0, 1, 3, 0],
      [1, 0, 4, 0],
    ],
    2,
    2,
  );
  it('one ALS epoch by hand: bi = (1/12, -1/11), bu = (1/2244, -1/192)', () => {
    const b = fitBiases(train, { regI: 10, regU: 15, epochs: 1 });
    expect(b.mu).toBeCloseTo(4, 12);
    expect(b.bi[0]).toBeCloseTo(1 / 12, 12);
    expect(b.bi[1]).toBeCloseTo(-1 / 11, 12);
    expect(b.bu[0]).toBeCloseTo(1 / 2244, 12);
    expect(b.bu[1]).toBeCloseTo(-1 / 192, 12);
  });
  it('matches a direct transcription of Surprise baseline_als over 10 epochs', () => {
    const x = sampleInteractions(15, 10, 3);
    const b = fitBiases(x);
    const ref = surpriseAls(x, 10, 15, 10);
    for (let u = 0; u < x.nUsers; u++) expect(b.bu[u]).toBeCloseTo(ref.bu[u], 10);
    for (let i = 0; i < x.nMovies; i++) expect(b.bi[i]).toBeCloseTo(ref.bi[i], 10);
  });
  it('clips predictions to the training rating range', () => {
    const p = new Baseline({ regI: 0, regU: 0, epochs: 10 });
    p.fit(
      interactions(
        [
          [0, 0, 5, 0],
          [1, 1, 1, 0],
        ],
        2,
        2,
      ),
    );
    for (const [u, i] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]) {
      expect(p.predict(u, i)).toBeGreaterThanOrEqual(1);
      expect(p.predict(u, i)).toBeLessThanOrEqual(5);
    }
  });
});

/** Surprise's baseline_als, loop for loop, over per-item and per-user lists. */
function surpriseAls(x: Interactions, regI: number, regU: number, epochs: number) {
  const ir: [number, number][][] = Array.from({ length: x.nMovies }, () => []);
  const ur: [number, number][][] = Array.from({ length: x.nUsers }, () => []);
  let sum = 0;
  for (let e = 0; e < x.count; e++) {
    ir[x.movies[e]].push([x.users[e], x.ratings[e]]);
    ur[x.users[e]].push([x.movies[e], x.ratings[e]]);
    sum += x.ratings[e];
  }
  const mu = sum / x.count;
  const bu = new Array<number>(x.nUsers).fill(0);
  const bi = new Array<number>(x.nMovies).fill(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = 0; i < x.nMovies; i++) {
      let dev = 0;
      for (const [u, r] of ir[i]) dev += r - mu - bu[u];
      bi[i] = dev / (regI + ir[i].length);
    }
    for (let u = 0; u < x.nUsers; u++) {
      let dev = 0;
      for (const [i, r] of ur[u]) dev += r - mu - bi[i];
      bu[u] = dev / (regU + ur[u].length);
    }
  }
  return { mu, bu, bi };
}

/** Item-knn by brute force: cosine over full columns, every rated movie a candidate neighbour. */
function bruteKnn(x: Interactions, u: number, i: number, k: number, variant: KnnVariant, shrinkage: number, minSim: number): number {
  const col = (m: number) => {
    const v = new Map<number, number>();
    for (let e = 0; e < x.count; e++) if (x.movies[e] === m) v.set(x.users[e], x.ratings[e]);
    return v;
  };
  const ci = col(i);
  const norm = (c: Map<number, number>) => Math.sqrt([...c.values()].reduce((s, r) => s + r * r, 0));
  const b = surpriseAls(x, 10, 15, 10);
  const mean = (m: number) => {
    const c = col(m);
    return [...c.values()].reduce((s, r) => s + r, 0) / c.size;
  };
  const base = (uu: number, m: number) => (variant === 'raw' ? 0 : variant === 'mean' ? mean(m) : b.mu + b.bu[uu] + b.bi[m]);
  const neighbours: { w: number; dev: number; j: number }[] = [];
  for (let e = 0; e < x.count; e++) {
    if (x.users[e] !== u || x.movies[e] === i) continue;
    const j = x.movies[e];
    const cj = col(j);
    let dot = 0;
    let n = 0;
    for (const [v, r] of ci)
      if (cj.has(v)) {
        dot += r * cj.get(v)!;
        n++;
      }
    const sim = Math.fround(dot / (norm(ci) * norm(cj)));
    const w = shrinkage > 0 ? (sim * n) / (n + shrinkage) : sim;
    if (n > 0 && w > minSim) neighbours.push({ w, dev: x.ratings[e] - base(u, j), j });
  }
  neighbours.sort((a, b2) => b2.w - a.w || a.j - b2.j);
  const top = neighbours.slice(0, k);
  const clip = (v: number) => Math.min(5, Math.max(1, v));
  if (top.length === 0) return clip(b.mu + b.bu[u] + b.bi[i]);
  const num = top.reduce((s, t) => s + t.w * t.dev, 0);
  const den = top.reduce((s, t) => s + Math.abs(t.w), 0);
  return clip(base(u, i) + num / den);
}

describe('item-knn rating prediction', () => {
  const x = sampleInteractions(14, 9, 5);
  for (const variant of ['raw', 'mean', 'baseline'] as const) {
    for (const [k, shrinkage] of [
      [3, 0],
      [2, 5],
      [20, 0],
    ]) {
      it(`equals brute force (${variant}, k=${k}, shrinkage=${shrinkage})`, () => {
        const p = new ItemKnn({ k, storedK: 50, variant, shrinkage, similarity: 'cosine', minSim: 0 });
        p.fit(x);
        for (let u = 0; u < x.nUsers; u++) {
          for (let i = 0; i < x.nMovies; i++) {
            expect(p.predict(u, i)).toBeCloseTo(bruteKnn(x, u, i, k, variant, shrinkage, 0), 5);
          }
        }
      });
    }
  }
  it('falls back to the baseline when fewer than minNeighbours neighbours remain', () => {
    const p = new ItemKnn({ k: 5, minNeighbours: 100 });
    p.fit(x);
    const b = new Baseline();
    b.fit(x);
    expect(p.predict(3, 4)).toBeCloseTo(b.predict(3, 4), 10);
  });
});

describe('popular', () => {
  it('scores movies by their number of training ratings', () => {
    const p = new Popular();
    p.fit(
      interactions(
        [
          [0, 0, 5, 0],
          [1, 0, 3, 0],
          [1, 2, 4, 0],
        ],
        2,
        3,
      ),
    );
    const out = new Float64Array(3);
    p.score(0, Int32Array.from([0, 1, 2]), out);
    expect(Array.from(out)).toEqual([2, 0, 1]);
    expect(p.predict(0, 0)).toBeCloseTo(4, 12);
  });
  it('every algorithm name makes a predictor', () => {
    for (const a of ['random', 'global-mean', 'bias', 'item-knn', 'popular'] as const) expect(createPredictor(a).name).toBe(a);
  });
});

describe('random', () => {
  it('spreads its scores evenly over [0, 1): every tenth holds 10% ± 0.5% of 200,000 pairs', () => {
    const deciles = new Array(10).fill(0);
    for (let u = 0; u < 400; u++) for (let m = 0; m < 500; m++) deciles[Math.floor(unitHash(u, m) * 10)]++;
    for (const d of deciles) expect(Math.abs(d / 200_000 - 0.1)).toBeLessThan(0.005);
  });

  it('is deterministic, ranks unknown candidates last and predicts within the training range', () => {
    const p = new RandomPredictor();
    p.fit(
      interactions(
        [
          [0, 0, 2, 0],
          [1, 1, 4, 0],
        ],
        2,
        3,
      ),
    );
    const a = new Float64Array(3);
    const b = new Float64Array(3);
    p.score(1, Int32Array.from([0, 2, -1]), a);
    p.score(1, Int32Array.from([0, 2, -1]), b);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a[2]).toBe(-Infinity);
    expect(a[0]).not.toBe(a[1]);
    for (let m = 0; m < 3; m++) {
      expect(p.predict(0, m)).toBeGreaterThanOrEqual(2);
      expect(p.predict(0, m)).toBeLessThan(4);
    }
  });
});
