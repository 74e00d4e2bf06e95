import { describe, expect, it } from 'vitest';
import { toCsr } from '../../../src/lib/evaluate/interactions';
import { DEFAULT_IALS, fitIals, gramOf, ialsLoss, initialFactors, rowLambda, solveRows, type IalsParams } from '../../../src/lib/recommend/ials';
import { sampleInteractions } from '../evaluate/helpers';

/** Dense Gaussian elimination with partial pivoting: the reference solve. */
function denseSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const k = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= k * m[c][j];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

const x = sampleInteractions(14, 11, 5);
const { byUser, byMovie } = toCsr(x);

describe('iALS half-step', () => {
  const params: IalsParams = { ...DEFAULT_IALS, factors: 4, cgSteps: 8, regularization: 0.3, regExponent: 0, alpha: 3 };
  const f = params.factors;
  const Y = initialFactors(x.nMovies, f, 1, 9, 1);

  it('solves each user’s normal equations exactly when CG runs f steps or more', () => {
    const X = solveRows({ rows: byUser, other: Y, gram: gramOf(Y, x.nMovies, f), start: new Float32Array(x.nUsers * f), rowRange: [0, x.nUsers], params });
    for (let u = 0; u < x.nUsers; u++) {
      // A = Σ_all-movies c_ui y yᵀ + λI with c = 1 + α for rated movies and 1 otherwise; b = Σ_rated c y.
      const ch = byUser.chunks[0];
      const rated = new Map<number, number>();
      for (let q = ch.indptr[u]; q < ch.indptr[u + 1]; q++) rated.set(ch.indices[q], ch.values[q]);
      const a = Array.from({ length: f }, () => new Array<number>(f).fill(0));
      const b = new Array<number>(f).fill(0);
      for (let i = 0; i < x.nMovies; i++) {
        const c = rated.has(i) ? 1 + params.alpha : 1;
        for (let r = 0; r < f; r++) {
          for (let s = 0; s < f; s++) a[r][s] += c * Y[i * f + r] * Y[i * f + s];
          if (rated.has(i)) b[r] += c * Y[i * f + r];
        }
      }
      for (let r = 0; r < f; r++) a[r][r] += params.regularization;
      const ref = denseSolve(a, b);
      for (let r = 0; r < f; r++) expect(X[u * f + r]).toBeCloseTo(ref[r], 5);
    }
  });

  it('scales λ by (n + N)^ν', () => {
    expect(rowLambda({ ...params, regExponent: 0 }, 7, 100)).toBe(0.3);
    expect(rowLambda({ ...params, regExponent: 1 }, 7, 100)).toBeCloseTo(0.3 * 107, 12);
    expect(rowLambda({ ...params, regExponent: 0.5 }, 21, 100)).toBeCloseTo(0.3 * 11, 12);
  });
});

describe('fitIals', () => {
  it('never increases the loss from epoch to epoch (exact solves)', () => {
    const model = fitIals(byUser, byMovie, { ...DEFAULT_IALS, factors: 5, iterations: 8, cgSteps: 10 }, { trackLoss: true });
    expect(model.lossByEpoch).toHaveLength(8);
    for (let e = 1; e < 8; e++) expect(model.lossByEpoch[e]).toBeLessThanOrEqual(model.lossByEpoch[e - 1] * (1 + 1e-9));
    expect(model.lossByEpoch[7]).toBeLessThan(model.lossByEpoch[0]);
    expect(ialsLoss(byUser, model)).toBeCloseTo(model.lossByEpoch[7], 6);
  });

  it('scores rated movies above unrated ones for most users once fitted', () => {
    const model = fitIals(byUser, byMovie, { ...DEFAULT_IALS, factors: 8, iterations: 10, regularization: 0.01, regExponent: 0 });
    const f = model.factors;
    let better = 0;
    let pairs = 0;
    const ch = byUser.chunks[0];
    for (let u = 0; u < x.nUsers; u++) {
      const rated = new Set(Array.from(ch.indices.subarray(ch.indptr[u], ch.indptr[u + 1])));
      const s = (i: number) => {
        let d = 0;
        for (let t = 0; t < f; t++) d += model.userFactors[u * f + t] * model.movieFactors[i * f + t];
        return d;
      };
      for (const i of rated)
        for (let j = 0; j < x.nMovies; j++)
          if (!rated.has(j)) {
            pairs++;
            if (s(i) > s(j)) better++;
          }
    }
    expect(better / pairs).toBeGreaterThan(0.95);
  });

  it('is reproducible from its seed and differs across seeds', () => {
    const p = { ...DEFAULT_IALS, factors: 4, iterations: 3 };
    const a = fitIals(byUser, byMovie, p);
    const b = fitIals(byUser, byMovie, p);
    const c = fitIals(byUser, byMovie, { ...p, seed: 7 });
    expect(b.movieFactors).toEqual(a.movieFactors);
    expect(c.movieFactors).not.toEqual(a.movieFactors);
  });

  it('refuses parameters that are not numbers in range, naming them', () => {
    expect(() => fitIals(byUser, byMovie, { ...DEFAULT_IALS, factors: NaN })).toThrow(/factors must be/);
    expect(() => fitIals(byUser, byMovie, { ...DEFAULT_IALS, regularization: -1 })).toThrow(/regularization must be/);
    expect(() => fitIals(byUser, byMovie, { ...DEFAULT_IALS, iterations: 0 })).toThrow(/iterations must be/);
  });
});
