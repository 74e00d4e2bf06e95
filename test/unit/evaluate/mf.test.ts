import { describe, expect, it } from 'vitest';
import { Mf, type MfParams } from '../../../src/lib/evaluate/predictors/mf';
import { MfKnnBlend } from '../../../src/lib/evaluate/predictors/mf-knn-blend';
import { ItemKnn } from '../../../src/lib/evaluate/predictors/item-knn';
import { createPredictor } from '../../../src/lib/evaluate/predictors/index';
import type { Interactions } from '../../../src/lib/evaluate/interactions';
import { interactions, sampleInteractions } from './helpers';

/**
 * Ratings 3 + u·v + small noise from rank-2 user and movie vectors, 70% of the cells observed,
 * rounded to half stars within 0.5..5: a matrix MF can fit.
 */
function lowRank(nUsers: number, nMovies: number, seed: number): Interactions {
  let s = seed >>> 0;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const U = Array.from({ length: nUsers }, () => [r() * 2 - 1, r() * 2 - 1]);
  const V = Array.from({ length: nMovies }, () => [r() * 2 - 1, r() * 2 - 1]);
  const rows: [number, number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let m = 0; m < nMovies; m++) {
      if (r() < 0.3) continue;
      const v = 3 + 1.5 * (U[u][0] * V[m][0] + U[u][1] * V[m][1]) + (r() - 0.5) * 0.2;
      rows.push([u, m, Math.min(5, Math.max(0.5, Math.round(v * 2) / 2)), 0]);
    }
  }
  return interactions(rows, nUsers, nMovies);
}

function trainRmse(p: Mf, x: Interactions): number {
  let se = 0;
  for (let e = 0; e < x.count; e++) se += (p.raw(x.users[e], x.movies[e]) - x.ratings[e]) ** 2;
  return Math.sqrt(se / x.count);
}

describe('biased MF (SGD)', () => {
  it('training RMSE falls epoch by epoch on a low-rank matrix, to well under the spread of the ratings', () => {
    const x = lowRank(30, 25, 7);
    const params: Partial<MfParams> = { factors: 4, learningRate: 0.02, regularization: 0.01, biasRegularization: 0.01, initStd: 0.1, seed: 3 };
    // Same seed: the first e epochs of a longer run are exactly the run with e epochs.
    const curve = [0, 1, 2, 4, 8, 16, 32, 64].map((epochs) => {
      const p = new Mf({ ...params, epochs });
      p.fit(x);
      return trainRmse(p, x);
    });
    for (let t = 1; t < curve.length; t++) expect(curve[t]).toBeLessThan(curve[t - 1]);
    expect(curve[curve.length - 1]).toBeLessThan(0.35 * curve[0]);
  });

  it('is deterministic given the seed, and the seed matters', () => {
    const x = sampleInteractions(15, 10, 4);
    const fit = (seed: number) => {
      const p = new Mf({ factors: 5, epochs: 6, seed });
      p.fit(x);
      return p;
    };
    const a = fit(9);
    const b = fit(9);
    const c = fit(10);
    expect(Array.from(a.p)).toEqual(Array.from(b.p));
    expect(Array.from(a.q)).toEqual(Array.from(b.q));
    expect(Array.from(a.bu)).toEqual(Array.from(b.bu));
    expect(a.predict(3, 4)).toBe(b.predict(3, 4));
    expect(Array.from(a.q)).not.toEqual(Array.from(c.q));
  });

  it('predictions stay within the training ratings range, and score() ranks by them', () => {
    const x = lowRank(12, 10, 2);
    const p = new Mf({ factors: 8, epochs: 30, learningRate: 0.05, regularization: 0 });
    p.fit(x);
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of x.ratings) {
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
    }
    let outside = 0;
    for (let u = 0; u < 12; u++) {
      for (let i = 0; i < 10; i++) {
        const v = p.predict(u, i);
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
        if (p.raw(u, i) < lo || p.raw(u, i) > hi) outside++;
      }
    }
    // The unregularised fit does overshoot somewhere, so the clipping above was exercised.
    expect(outside).toBeGreaterThan(0);
    const out = new Float64Array(3);
    p.score(5, Int32Array.from([2, -1, 7]), out);
    expect(Array.from(out)).toEqual([p.predict(5, 2), -Infinity, p.predict(5, 7)]);
  });

  it('one SGD step by hand on a 2×2 example', () => {
    // One rating, so one epoch is one step whatever the shuffle. Two users and two movies: the
    // other user's and movie's parameters must not move.
    const x = interactions([[1, 0, 4, 0]], 2, 2);
    const base: Partial<MfParams> = { factors: 2, learningRate: 0.1, regularization: 0.5, biasRegularization: 0.25, initStd: 0.3, seed: 5 };
    const start = new Mf({ ...base, epochs: 0 });
    start.fit(x);
    const p0 = Array.from(start.p.subarray(2, 4));
    const q0 = Array.from(start.q.subarray(0, 2));
    const step = new Mf({ ...base, epochs: 1 });
    step.fit(x);
    // μ = 4, biases start at 0, so e = 4 − (4 + 0 + 0 + p·q) = −p·q.
    const err = -(p0[0] * q0[0] + p0[1] * q0[1]);
    expect(step.bu[1]).toBeCloseTo(0.1 * (err - 0.25 * 0), 12);
    expect(step.bi[0]).toBeCloseTo(0.1 * err, 12);
    for (let k = 0; k < 2; k++) {
      expect(step.p[2 + k]).toBeCloseTo(Math.fround(p0[k] + 0.1 * (err * q0[k] - 0.5 * p0[k])), 7);
      expect(step.q[k]).toBeCloseTo(Math.fround(q0[k] + 0.1 * (err * p0[k] - 0.5 * q0[k])), 7);
    }
    expect(Array.from(step.p.subarray(0, 2))).toEqual(Array.from(start.p.subarray(0, 2)));
    expect(Array.from(step.q.subarray(2, 4))).toEqual(Array.from(start.q.subarray(2, 4)));
    expect(step.bu[0]).toBe(0);
    expect(step.bi[1]).toBe(0);
    // raw() is the model's sum; predict() clips it to the training range, here the single 4.
    expect(step.raw(1, 0)).toBeCloseTo(4 + step.bu[1] + step.bi[0] + step.p[2] * step.q[0] + step.p[3] * step.q[1], 12);
    expect(step.raw(1, 0)).not.toBe(4);
    expect(step.predict(1, 0)).toBe(4);
  });

  it('is made by createPredictor under its name', () => {
    expect(createPredictor('mf', { factors: 3, epochs: 1 }).name).toBe('mf');
    expect(createPredictor('mf-knn', { factors: 3, epochs: 1 }).name).toBe('mf-knn');
  });
});

describe('MF + item-knn blend', () => {
  const x = lowRank(25, 20, 11);
  it('a fixed weight gives w·MF + (1 − w)·item-knn exactly', () => {
    const blend = new MfKnnBlend({ blendWeight: 0.3, factors: 4, epochs: 10 });
    blend.fit(x);
    const mf = new Mf({ factors: 4, epochs: 10 });
    mf.fit(x);
    const knn = new ItemKnn();
    knn.fit(x);
    expect(blend.weight).toBe(0.3);
    for (let u = 0; u < 25; u += 3) {
      for (let i = 0; i < 20; i += 2) expect(blend.predict(u, i)).toBeCloseTo(0.3 * mf.predict(u, i) + 0.7 * knn.predict(u, i), 12);
    }
  });
  it('learns a weight in [0, 1] on held-out training ratings, deterministically', () => {
    const a = new MfKnnBlend({ factors: 4, epochs: 10 });
    const b = new MfKnnBlend({ factors: 4, epochs: 10 });
    a.fit(x);
    b.fit(x);
    expect(a.weight).toBeGreaterThanOrEqual(0);
    expect(a.weight).toBeLessThanOrEqual(1);
    expect(a.weight).not.toBe(0.5);
    expect(b.weight).toBe(a.weight);
    expect(b.predict(4, 7)).toBe(a.predict(4, 7));
  });
  it('refuses a weight outside [0, 1]', () => {
    expect(() => new MfKnnBlend({ blendWeight: 1.5 }).fit(x)).toThrow(/between 0 and 1/);
  });
});
