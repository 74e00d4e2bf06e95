/**
 * Candidate neighbours by projection, for the bars of genome-thresholds.ts: each genome row is
 * projected onto D directions (an orthonormal basis of the main subspace of the normalised rows,
 * by randomized subspace iteration on an evenly spaced sample), and each row keeps the `slots`
 * rows of largest projected similarity among a pool of nearby rows (genome-clusters.ts). Only
 * the CHOICE of candidates comes from here: their bars are computed from exact dot products, so
 * a poor basis weakens the screen, never the result.
 *
 * Cost on ML-25M's shape (13,816 rows × 1,128 tags, D = 32): n · dims · D = 5e8 multiply-adds
 * for the projections, n · pool · D = 4.4e8 for the candidates (every pair would be 3e9), about
 * 1% of the dense work each.
 */
import type { CheckCancelled } from '../types';
import { clusterCandidates, type Candidates } from './genome-clusters';

/**
 * Rows of the sample the basis is fitted to, and rounds of subspace iteration: 1,024 and 3 put
 * the bars 0.0096 below the exact K-th best on the benchmark's genome, 512 and 2 at 0.0112.
 */
const SAMPLE_ROWS = 1024;
const ROUNDS = 3;
/** Rows each row is compared with, per candidate kept (genome-clusters.ts): 10 (1,000 on the benchmark) against 20, bars 0.0112 and 0.0105 below. */
const POOL_PER_SLOT = 10;

export interface ProjectionInputs {
  relevance: Float32Array;
  dims: number;
  /** 1/‖g_r‖, 0 for an all-zero row (it pairs with nothing and is never a candidate). */
  gInv: Float64Array;
  /** Per-row factor of the estimate: p_x · p_y estimates the pair's genome-only similarity when f_r = w / ‖v_r‖. */
  factor: Float64Array;
}

/** The `slots` best rows by projected similarity (among all rows) for every row in [firstRow, endRow). */
export function genomeCandidates(
  input: ProjectionInputs,
  directions: number,
  firstRow: number,
  endRow: number,
  slots: number,
  check?: CheckCancelled,
): Candidates {
  const D = Math.min(directions, input.dims);
  const p = project(input, basis(input, D), D);
  return clusterCandidates(p, D, firstRow, endRow, slots, POOL_PER_SLOT * slots, check);
}

/** Deterministic pseudo-random numbers in [−0.5, 0.5) for the starting subspace. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5;
}

/** D orthonormal directions as the rows of a D × dims matrix: Q ← orth((S Qᵀ)ᵀ S) on the sample S. */
function basis(input: ProjectionInputs, D: number): Float64Array {
  const { relevance, dims, gInv } = input;
  const nG = gInv.length;
  const m = Math.min(SAMPLE_ROWS, nG);
  const sample = new Float64Array(m * dims);
  for (let s = 0; s < m; s++) {
    const r = Math.floor((s * nG) / m);
    for (let t = 0; t < dims; t++) sample[s * dims + t] = relevance[r * dims + t] * gInv[r];
  }
  const next = lcg(0x9e3779b9);
  const q = Float64Array.from({ length: D * dims }, next);
  orthonormaliseRows(q, D, dims);
  const y = new Float64Array(m * D);
  for (let round = 0; round < ROUNDS; round++) {
    // y = S qᵀ (the sample's coordinates), then q = yᵀ S.
    for (let s = 0; s < m; s++) for (let c = 0; c < D; c++) y[s * D + c] = dotRows(sample, s * dims, q, c * dims, dims);
    q.fill(0);
    for (let s = 0; s < m; s++) {
      for (let c = 0; c < D; c++) {
        const x = y[s * D + c];
        for (let t = 0, a = s * dims, b = c * dims; t < dims; t++) q[b + t] += x * sample[a + t];
      }
    }
    orthonormaliseRows(q, D, dims);
  }
  return q;
}

/** Σ_t x[a + t] · y[b + t], in four interleaved sums (one chain of dependent adds would wait on each). */
function dotRows(x: Float64Array, a: number, y: Float64Array, b: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 4 <= n; t += 4) {
    s0 += x[a + t] * y[b + t];
    s1 += x[a + t + 1] * y[b + t + 1];
    s2 += x[a + t + 2] * y[b + t + 2];
    s3 += x[a + t + 3] * y[b + t + 3];
  }
  for (; t < n; t++) s0 += x[a + t] * y[b + t];
  return s0 + s1 + (s2 + s3);
}

/** Modified Gram–Schmidt on the rows, twice (once loses orthogonality to rounding); a row that vanishes becomes zero. */
function orthonormaliseRows(q: Float64Array, rows: number, cols: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let r = 0; r < rows; r++) {
      const a = r * cols;
      for (let o = 0; o < r; o++) {
        const b = o * cols;
        const s = dotRows(q, a, q, b, cols);
        for (let t = 0; t < cols; t++) q[a + t] -= s * q[b + t];
      }
      const s = dotRows(q, a, q, a, cols);
      const inv = s > 1e-24 ? 1 / Math.sqrt(s) : 0;
      for (let t = 0; t < cols; t++) q[a + t] *= inv;
    }
  }
}

/**
 * p_r = factor_r · Q g_r for each row (NaN for an all-zero row, so that it is never a
 * candidate). Two rows × four directions at a time: eight independent sums, six loads for eight
 * products.
 */
function project(input: ProjectionInputs, q: Float64Array, D: number): Float64Array {
  const { relevance, dims, gInv, factor } = input;
  const nG = gInv.length;
  const out = new Float64Array(nG * D);
  const one = (r: number, c: number): number => {
    let s = 0;
    for (let t = 0, a = r * dims, b = c * dims; t < dims; t++) s += relevance[a + t] * q[b + t];
    return s;
  };
  let r = 0;
  for (; r + 2 <= nG; r += 2) {
    const a = r * dims;
    const a1 = a + dims;
    let c = 0;
    for (; c + 4 <= D; c += 4) {
      const b0 = c * dims;
      const b1 = b0 + dims;
      const b2 = b1 + dims;
      const b3 = b2 + dims;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0,
        z0 = 0,
        z1 = 0,
        z2 = 0,
        z3 = 0;
      for (let t = 0; t < dims; t++) {
        const x = relevance[a + t];
        const y = relevance[a1 + t];
        const q0 = q[b0 + t];
        const q1 = q[b1 + t];
        const q2 = q[b2 + t];
        const q3 = q[b3 + t];
        s0 += x * q0;
        s1 += x * q1;
        s2 += x * q2;
        s3 += x * q3;
        z0 += y * q0;
        z1 += y * q1;
        z2 += y * q2;
        z3 += y * q3;
      }
      const o = r * D + c;
      out[o] = s0;
      out[o + 1] = s1;
      out[o + 2] = s2;
      out[o + 3] = s3;
      out[o + D] = z0;
      out[o + D + 1] = z1;
      out[o + D + 2] = z2;
      out[o + D + 3] = z3;
    }
    for (; c < D; c++) {
      out[r * D + c] = one(r, c);
      out[(r + 1) * D + c] = one(r + 1, c);
    }
  }
  for (; r < nG; r++) for (let c = 0; c < D; c++) out[r * D + c] = one(r, c);
  for (let x = 0; x < nG; x++) {
    const f = gInv[x] === 0 ? NaN : factor[x];
    for (let c = 0; c < D; c++) out[x * D + c] *= f;
  }
  return out;
}
