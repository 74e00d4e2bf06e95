import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ease, EASE_MAX_ITEMS, easeLimit, invertSpd, type EaseSolve } from '../../../src/lib/evaluate/predictors/ease';
import { Baseline } from '../../../src/lib/evaluate/predictors/baseline';
import { createPredictor } from '../../../src/lib/evaluate/predictors/index';
import type { Interactions } from '../../../src/lib/evaluate/interactions';
import { interactions, sampleInteractions } from './helpers';

/** The inverse by Gauss-Jordan elimination with partial pivoting, on plain arrays. */
function gaussJordanInverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** X as dense rows (1 or the rating), the Gram matrix XᵀX + λI, and EASE's B from its inverse. */
function referenceEase(x: Interactions, l2: number, weighted: boolean) {
  const X = Array.from({ length: x.nUsers }, () => new Array<number>(x.nMovies).fill(0));
  for (let e = 0; e < x.count; e++) X[x.users[e]][x.movies[e]] = weighted ? x.ratings[e] : 1;
  const n = x.nMovies;
  const G = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => X.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? l2 : 0)));
  const P = gaussJordanInverse(G);
  const B = P.map((row, i) => row.map((p, j) => (i === j ? 0 : -p / P[j][j])));
  return { X, G, P, B };
}

/** Every movie rated at least once, so the compact catalogue is the identity. */
function denseEnough(nUsers: number, nMovies: number, seed: number): Interactions {
  const x = sampleInteractions(nUsers, nMovies, seed);
  const seen = new Set(Array.from(x.movies));
  const rows: [number, number, number, number][] = [];
  for (let e = 0; e < x.count; e++) rows.push([x.users[e], x.movies[e], x.ratings[e], x.times[e]]);
  for (let m = 0; m < nMovies; m++) if (!seen.has(m)) rows.push([m % nUsers, m, 3, 0]);
  return interactions(rows, nUsers, nMovies);
}

describe('invertSpd (Cholesky, in place)', () => {
  // Sizes around the four-row blocks and two-column pairs, so every remainder path runs.
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 17]) {
    it(`equals a Gauss-Jordan inverse, n = ${n}`, () => {
      const r = lcg(n);
      const x = Array.from({ length: n }, () => Array.from({ length: n }, () => r() - 0.5));
      const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => x[i].reduce((s, v, k) => s + v * x[j][k], 0) + (i === j ? 0.5 : 0)));
      const ref = gaussJordanInverse(A);
      const a = new Float64Array(n * n);
      // Only the lower triangle is read: leave garbage above the diagonal to prove it.
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = j <= i ? A[i][j] : 1e6;
      invertSpd(a, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(a[i * n + j]).toBeCloseTo(ref[i][j], 9);
    });
  }
  it('refuses a matrix that is not positive definite', () => {
    const a = Float64Array.from([1, 2, 2, 1]);
    expect(() => invertSpd(a, 2)).toThrow(/not positive definite/);
  });
  it('calls check as it goes, so a cancel stops it', () => {
    const n = 40;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = 2;
    let calls = 0;
    invertSpd(a, n, () => calls++);
    expect(calls).toBeGreaterThanOrEqual(n);
    expect(a[0]).toBeCloseTo(0.5, 12);
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 1;
    const cancel = () => {
      throw new Error('cancelled');
    };
    expect(() => invertSpd(identity, n, cancel)).toThrow('cancelled');
  });
});

describe('EASE', () => {
  for (const solve of ['items', 'users', 'auto'] as EaseSolve[]) {
    for (const weighted of [false, true]) {
      it(`B equals −P_ij/P_jj from a direct inverse, diag(B) = 0 (${solve} side, ${weighted ? 'ratings' : 'binary'})`, () => {
        const x = denseEnough(9, 7, 3);
        const ref = referenceEase(x, 3, weighted);
        const p = new Ease({ l2: 3, ratingWeighted: weighted }, solve);
        p.fit(x);
        expect(Array.from(p.items)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        const B = p.weights();
        for (let i = 0; i < 7; i++) {
          expect(B[i * 7 + i]).toBe(0);
          for (let j = 0; j < 7; j++) expect(B[i * 7 + j]).toBeCloseTo(ref.B[i][j], 10);
        }
      });
      it(`scores equal Σ_i X_ui·B_ij by brute force (${solve} side, ${weighted ? 'ratings' : 'binary'})`, () => {
        const x = denseEnough(9, 7, 5);
        const ref = referenceEase(x, 2, weighted);
        const p = new Ease({ l2: 2, ratingWeighted: weighted }, solve);
        p.fit(x);
        const cands = Int32Array.from([6, 0, 3, -1, 1, 2, 5, 4]);
        const out = new Float64Array(cands.length);
        for (let u = 0; u < 9; u++) {
          p.score(u, cands, out);
          cands.forEach((j, t) => {
            if (j < 0) return expect(out[t]).toBe(-Infinity);
            const brute = ref.X[u].reduce((s, xu, i) => s + xu * ref.B[i][j], 0);
            expect(out[t]).toBeCloseTo(brute, 10);
          });
        }
      });
    }
  }

  it('the users side and the items side agree on a sample with more movies than users', () => {
    const x = denseEnough(6, 15, 8);
    const a = new Ease({ l2: 1.5 }, 'items');
    const b = new Ease({ l2: 1.5 }, 'users');
    a.fit(x);
    b.fit(x);
    const cands = Int32Array.from({ length: 15 }, (_, j) => j);
    const oa = new Float64Array(15);
    const ob = new Float64Array(15);
    for (let u = 0; u < 6; u++) {
      a.score(u, cands, oa);
      b.score(u, cands, ob);
      for (let t = 0; t < 15; t++) expect(ob[t]).toBeCloseTo(oa[t], 10);
    }
  });

  it('movies under minRatings rank below every movie in the model, with a finite score', () => {
    // Movie 3 has one rating, movie 4 none; minRatings 2 keeps movies 0..2.
    const x = interactions(
      [
        [0, 0, 5, 0],
        [0, 1, 3, 0],
        [1, 0, 4, 0],
        [1, 2, 2, 0],
        [2, 1, 5, 0],
        [2, 2, 4, 0],
        [2, 3, 1, 0],
      ],
      3,
      5,
    );
    const p = new Ease({ l2: 1, minRatings: 2 });
    p.fit(x);
    expect(Array.from(p.items)).toEqual([0, 1, 2]);
    const out = new Float64Array(5);
    for (let u = 0; u < 3; u++) {
      p.score(u, Int32Array.from([0, 1, 2, 3, 4]), out);
      for (const v of out) expect(Number.isNaN(v)).toBe(false);
      expect(Number.isFinite(out[3]) && Number.isFinite(out[4])).toBe(true);
      expect(Math.max(out[3], out[4])).toBeLessThan(Math.min(out[0], out[1], out[2]));
    }
  });

  it('predict() is the bias baseline: EASE ranks, it does not predict stars', () => {
    const x = sampleInteractions(12, 9, 2);
    const p = new Ease();
    const b = new Baseline();
    p.fit(x);
    b.fit(x);
    for (let u = 0; u < 12; u++) for (let i = 0; i < 9; i++) expect(p.predict(u, i)).toBe(b.predict(u, i));
  });

  it('is deterministic: two fits give the same weights and scores', () => {
    const x = denseEnough(10, 8, 11);
    const a = new Ease({ l2: 4 });
    const b = new Ease({ l2: 4 });
    a.fit(x);
    b.fit(x);
    expect(Array.from(a.weights())).toEqual(Array.from(b.weights()));
    const c = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const oa = new Float64Array(8);
    const ob = new Float64Array(8);
    a.score(4, c, oa);
    b.score(4, c, ob);
    expect(Array.from(oa)).toEqual(Array.from(ob));
  });

  it('refuses a dense solve above the limit, naming the sizes, the memory and the alternatives', () => {
    const n = EASE_MAX_ITEMS + 1;
    // n users, each with their own movie: both sides are n, so neither solve fits.
    const rows: [number, number, number, number][] = Array.from({ length: n }, (_, u) => [u, u, 4, 0]);
    const p = new Ease();
    let message = '';
    try {
      p.fit(interactions(rows, n, n));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('12,001 movies');
    expect(message).toContain('12,000');
    expect(message).toContain(`${(easeLimit(n).bytes / 2 ** 30).toFixed(1)} GB`);
    expect(message).toMatch(/ials or item-knn-topn/);
  });

  it('easeLimit: n² doubles and n³ operations; the limit stays under 1.2 GB', () => {
    expect(easeLimit(1000)).toEqual({ bytes: 8e6, flops: 1e9 });
    expect(easeLimit(EASE_MAX_ITEMS).bytes).toBeLessThanOrEqual(1.2e9);
  });

  it('is made by createPredictor under its name', () => {
    expect(createPredictor('ease', { l2: 10 }).name).toBe('ease');
  });

  it('property: G·B = G − diag(1/P_jj) and diag(B) = 0, since B = I − P·diag(1/P_jj) and G·P = I', () => {
    const cases = fc.record({
      nUsers: fc.integer({ min: 2, max: 9 }),
      nMovies: fc.integer({ min: 2, max: 9 }),
      seed: fc.integer({ min: 1, max: 1e6 }),
      l2: fc.double({ min: 0.1, max: 50, noNaN: true }),
      solve: fc.constantFrom<EaseSolve>('items', 'users'),
    });
    fc.assert(
      fc.property(cases, ({ nUsers, nMovies, seed, l2, solve }) => {
        const x = denseEnough(nUsers, nMovies, seed);
        const p = new Ease({ l2 }, solve);
        p.fit(x);
        const { G, P } = referenceEase(x, l2, false);
        const B = p.weights();
        const n = nMovies;
        for (let i = 0; i < n; i++) {
          expect(B[i * n + i]).toBe(0);
          for (let j = 0; j < n; j++) {
            let gb = 0;
            for (let k = 0; k < n; k++) gb += G[i][k] * B[k * n + j];
            const expected = G[i][j] - (i === j ? 1 / P[j][j] : 0);
            expect(Math.abs(gb - expected)).toBeLessThan(1e-8 * (1 + Math.abs(expected)));
          }
        }
      }),
      { numRuns: 60, seed: 20240601 },
    );
  });
});
