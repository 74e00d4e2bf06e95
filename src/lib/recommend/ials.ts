/**
 * Implicit alternating least squares (Hu, Koren & Volinsky, "Collaborative Filtering for
 * Implicit Feedback Datasets", ICDM 2008), with the frequency-scaled regularisation of Rendle
 * et al., "Revisiting the Performance of iALS on Item Recommendation Benchmarks" (RecSys 2022).
 *
 * Who rated what is the signal: p_ui = 1 when u rated i, else 0. Every (u, i) cell counts, the
 * unrated ones with weight 1 and the rated ones with confidence c_ui = 1 + α·v_ui (v_ui = 1, or
 * the stars / 5 when `ratingWeighted`). The model x_u·y_i (f latent factors each) minimises
 *
 *   Σ_{u,i} c_ui (p_ui − x_u·y_i)² + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖y_i‖²,   λ_u = λ·(n_u + N)^ν,
 *
 * N the number of columns on the other side and ν the regularisation exponent (0: plain λ).
 * Fixing Y, each x_u is the solution of the f×f system
 *
 *   (G + Σ_{i∈u} (c_ui − 1) y_i y_iᵀ + λ_u I) x_u = Σ_{i∈u} c_ui y_i,    G = YᵀY,
 *
 * so one half-step costs O(ratings·f) to apply the systems plus O(rows·f²) for G: the unrated
 * cells enter only through G, computed once per half-step. The systems are solved by a few
 * conjugate-gradient steps warm-started from the previous epoch (Takács, Pilászy & Tikk 2011),
 * never forming the f×f matrix (which would cost ratings·f²). With cgSteps ≥ f, CG is exact.
 *
 * Determinism: every row's solve reads only fixed inputs (the other side's factors, G, its own
 * ratings and its previous value), and G is summed in row order on one thread, so splitting the
 * rows among threads in any way gives bit-identical factors.
 */
import { Sfc32 } from '../synthetic/prng';
import { rotateRows, symmetricEigen } from './eigen';
import { ParameterError, type CheckCancelled, type ChunkedCsr } from '../types';
import { DEFAULT_IALS, rowLambda, type IalsParams } from './ials-params';

export { DEFAULT_IALS, rowLambda, type IalsParams } from './ials-params';

/** Row-major factor matrices: row r is values[r·f .. (r+1)·f). */
export interface FactorModel {
  factors: number;
  users: number;
  movies: number;
  userFactors: Float32Array;
  movieFactors: Float32Array;
  params: IalsParams;
  /** Loss after each epoch, when it was computed (small data, tests); empty otherwise. */
  lossByEpoch: number[];
}

/** Checks the parameters a person may type, with a message naming the bad one. */
export function validateIals(p: IalsParams): void {
  const bad = (name: string, rule: string, v: number) => new ParameterError(`iALS: ${name} must be ${rule}, got ${v}.`);
  if (!Number.isInteger(p.factors) || p.factors < 1 || p.factors > 1024) throw bad('factors', 'a whole number from 1 to 1024', p.factors);
  if (!Number.isInteger(p.iterations) || p.iterations < 1 || p.iterations > 1000) throw bad('iterations', 'a whole number from 1 to 1000', p.iterations);
  if (!(p.regularization >= 0) || !Number.isFinite(p.regularization)) throw bad('regularization', 'a number ≥ 0', p.regularization);
  if (!(p.regExponent >= 0 && p.regExponent <= 2)) throw bad('the regularisation exponent', 'between 0 and 2', p.regExponent);
  if (!(p.alpha >= 0) || !Number.isFinite(p.alpha)) throw bad('alpha', 'a number ≥ 0', p.alpha);
  if (!Number.isInteger(p.cgSteps) || p.cgSteps < 1) throw bad('cgSteps', 'a positive whole number', p.cgSteps);
  if (!(p.initStd > 0) || !Number.isFinite(p.initStd)) throw bad('initStd', 'a positive number', p.initStd);
}

/** Seeded N(0, (initStd/√f)²) factors for `rows` rows. */
export function initialFactors(rows: number, f: number, initStd: number, seed: number, stream: number): Float32Array {
  const out = new Float32Array(rows * f);
  const rng = new Sfc32(seed, stream);
  const std = initStd / Math.sqrt(f);
  for (let t = 0; t < out.length; t++) out[t] = rng.nextNormal() * std;
  return out;
}

/** G = FᵀF (f×f, Float64, row-major), summed row by row in order: the same on any thread. */
export function gramOf(factors: Float32Array, rows: number, f: number): Float64Array {
  const g = new Float64Array(f * f);
  // Two rows per pass over the upper triangle: half the loads and stores of G per row.
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const o = r * f;
    const p = o + f;
    for (let a = 0; a < f; a++) {
      const va = factors[o + a];
      const wa = factors[p + a];
      const ga = a * f;
      for (let b = a; b < f; b++) g[ga + b] += va * factors[o + b] + wa * factors[p + b];
    }
  }
  for (; r < rows; r++) {
    const o = r * f;
    for (let a = 0; a < f; a++) {
      const va = factors[o + a];
      const ga = a * f;
      for (let b = a; b < f; b++) g[ga + b] += va * factors[o + b];
    }
  }
  for (let a = 0; a < f; a++) for (let b = 0; b < a; b++) g[a * f + b] = g[b * f + a];
  return g;
}

/**
 * The inputs of a half-step in the eigenbasis of G = QΛQᵀ, when that is cheaper: rotating both
 * sides' factors by Q changes no prediction (x·y = (Qᵀx)·(Qᵀy)) and makes G diagonal, so every
 * CG step's G·p costs f instead of f². The rotation costs (rows + otherRows)·f² once, against
 * (cgSteps + 1)·rows·f² saved, so it pays when the side being solved has enough rows. CG is
 * invariant under the rotation, so the factors differ only in rounding (and are as deterministic).
 */
export function diagonalised(
  rows: number,
  other: Float32Array,
  otherRows: number,
  params: IalsParams,
): { other: Float32Array; gram: Float64Array; rotation?: Float64Array } {
  const f = params.factors;
  const gram = gramOf(other, otherRows, f);
  if ((params.cgSteps + 1) * rows <= rows + otherRows) return { other, gram };
  const { values, vectors } = symmetricEigen(gram, f);
  // The solved side's warm start is rotated by solveRows itself (rotation), so threads share it.
  return { other: rotateRows(other, otherRows, f, vectors), gram: values, rotation: vectors };
}

/** The inputs of one half-step over rows [rowRange[0], rowRange[1]) of `rows`. */
export interface HalfStepRequest {
  /** The side being solved, one row per user (or movie); values are stars. */
  rows: ChunkedCsr;
  /** Factors of the other side, rows.cols × f. */
  other: Float32Array;
  /** Gram matrix of `other` (f×f), or just its diagonal (f) when `other` is in G's eigenbasis. */
  gram: Float64Array;
  /** Current factors of the rows in the range (warm start), rowCount × f. */
  start: Float32Array;
  /** With a diagonal `gram`: the eigenvectors (f×f) that rotate `start` into its basis first. */
  rotation?: Float64Array;
  rowRange: [number, number];
  params: IalsParams;
}

/**
 * Solves the rows of one range and returns their new factors (rowCount × f). Pure: threads
 * run it on any partition of the rows and the coordinator copies the parts into place.
 */
export function solveRows(req: HalfStepRequest, check?: CheckCancelled, onRows?: (rowsDone: number) => void): Float32Array {
  const { rows, other, gram, params } = req;
  const f = params.factors;
  const [a, b] = req.rowRange;
  const out = new Float32Array((b - a) * f);
  const start = req.rotation ? rotateRows(req.start, b - a, f, req.rotation) : req.start;
  const x = new Float64Array(f);
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const ap = new Float64Array(f);
  const nOther = rows.cols;
  const alpha = params.alpha;
  const weighted = params.ratingWeighted;
  let done = 0;
  for (const ch of rows.chunks) {
    const first = Math.max(a, ch.firstRow);
    const last = Math.min(b, ch.firstRow + ch.rowCount);
    for (let row = first; row < last; row++) {
      const lr = row - ch.firstRow;
      const s = ch.indptr[lr];
      const e = ch.indptr[lr + 1];
      const o = (row - a) * f;
      for (let t = 0; t < f; t++) x[t] = start[o + t];
      const lambda = params.regularization * (params.regExponent === 0 ? 1 : Math.pow(e - s + nOther, params.regExponent));
      // r = b − A·x = Σ_i (c_i − (c_i − 1)·y_i·x) y_i − (G + λI)·x: one pass over the ratings
      // for both b and the rated part of A·x.
      gramTimes(x, r, gram, f, lambda);
      for (let t = 0; t < f; t++) r[t] = -r[t];
      for (let q = s; q < e; q++) {
        const c1 = alpha * (weighted ? ch.values[q] / 5 : 1);
        const yo = ch.indices[q] * f;
        axpy(1 + c1 - c1 * dot(other, yo, x, f), other, yo, r, f);
      }
      let rs = 0;
      for (let t = 0; t < f; t++) {
        p[t] = r[t];
        rs += r[t] * r[t];
      }
      for (let step = 0; step < params.cgSteps && rs > 1e-20; step++) {
        applyA(p, ap, ch.indices, ch.values, s, e, other, gram, f, alpha, weighted, lambda);
        let pap = 0;
        for (let t = 0; t < f; t++) pap += p[t] * ap[t];
        if (!(pap > 0)) break;
        const step_ = rs / pap;
        let rsNew = 0;
        for (let t = 0; t < f; t++) {
          x[t] += step_ * p[t];
          r[t] -= step_ * ap[t];
          rsNew += r[t] * r[t];
        }
        const beta = rsNew / rs;
        for (let t = 0; t < f; t++) p[t] = r[t] + beta * p[t];
        rs = rsNew;
      }
      for (let t = 0; t < f; t++) out[o + t] = x[t];
      if ((++done & 0x3ff) === 0) {
        check?.();
        onRows?.(done);
      }
    }
  }
  onRows?.(done);
  return out;
}

/**
 * out = (G + Σ_{q∈[s,e)} (c_q − 1) y yᵀ + λI)·v, never forming the matrix. The dot products
 * run four independent sums: one running sum is a chain of dependent additions, and V8 then
 * waits on each add's latency instead of overlapping the loads (1.6x slower, measured).
 */
function applyA(
  v: Float64Array,
  out: Float64Array,
  indices: Int32Array,
  values: Float32Array,
  s: number,
  e: number,
  other: Float32Array,
  gram: Float64Array,
  f: number,
  alpha: number,
  weighted: boolean,
  lambda: number,
): void {
  gramTimes(v, out, gram, f, lambda);
  for (let q = s; q < e; q++) {
    const yo = indices[q] * f;
    axpy(dot(other, yo, v, f) * alpha * (weighted ? values[q] / 5 : 1), other, yo, out, f);
  }
}

/** out = (G + λI)·v; a `gram` of length f is the diagonal of G (see diagonalised). */
function gramTimes(v: Float64Array, out: Float64Array, gram: Float64Array, f: number, lambda: number): void {
  if (gram.length === f) {
    for (let i = 0; i < f; i++) out[i] = (gram[i] + lambda) * v[i];
    return;
  }
  const f4 = f & ~3;
  for (let i = 0; i < f; i++) {
    const gi = i * f;
    let s0 = lambda * v[i];
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < f4; j += 4) {
      s0 += gram[gi + j] * v[j];
      s1 += gram[gi + j + 1] * v[j + 1];
      s2 += gram[gi + j + 2] * v[j + 2];
      s3 += gram[gi + j + 3] * v[j + 3];
    }
    for (; j < f; j++) s0 += gram[gi + j] * v[j];
    out[i] = s0 + s1 + s2 + s3;
  }
}

/** out += w·(the row of `m` starting at `o`), unrolled by four (20% faster in V8, measured). */
function axpy(w: number, m: Float32Array, o: number, out: Float64Array, f: number): void {
  const f4 = f & ~3;
  let t = 0;
  for (; t < f4; t += 4) {
    out[t] += w * m[o + t];
    out[t + 1] += w * m[o + t + 1];
    out[t + 2] += w * m[o + t + 2];
    out[t + 3] += w * m[o + t + 3];
  }
  for (; t < f; t++) out[t] += w * m[o + t];
}

/** y_row·v for the row of `m` starting at `o`, in four independent sums. */
function dot(m: Float32Array, o: number, v: Float64Array, f: number): number {
  const f4 = f & ~3;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let t = 0;
  for (; t < f4; t += 4) {
    d0 += m[o + t] * v[t];
    d1 += m[o + t + 1] * v[t + 1];
    d2 += m[o + t + 2] * v[t + 2];
    d3 += m[o + t + 3] * v[t + 3];
  }
  for (; t < f; t++) d0 += m[o + t] * v[t];
  return d0 + d1 + d2 + d3;
}

/**
 * The objective above, for progress and tests: O(ratings·f + rows·f²). The unrated cells'
 * Σ (x_u·y_i)² over all cells is Σ_u x_uᵀ G x_u, from which the rated cells' part is removed.
 */
export function ialsLoss(byUser: ChunkedCsr, model: FactorModel): number {
  const { factors: f, userFactors: X, movieFactors: Y, params } = model;
  const G = gramOf(Y, model.movies, f);
  let loss = 0;
  const ratedPerMovie = new Int32Array(model.movies);
  for (const ch of byUser.chunks) {
    for (let lr = 0; lr < ch.rowCount; lr++) {
      const u = ch.firstRow + lr;
      const xo = u * f;
      // Σ_i (x_u·y_i)² over every movie.
      let all = 0;
      for (let a = 0; a < f; a++) {
        let ga = 0;
        for (let b = 0; b < f; b++) ga += G[a * f + b] * X[xo + b];
        all += X[xo + a] * ga;
      }
      loss += all;
      const s = ch.indptr[lr];
      const e = ch.indptr[lr + 1];
      for (let q = s; q < e; q++) {
        const i = ch.indices[q];
        ratedPerMovie[i]++;
        const yo = i * f;
        let yhat = 0;
        for (let t = 0; t < f; t++) yhat += X[xo + t] * Y[yo + t];
        const c = 1 + params.alpha * (params.ratingWeighted ? ch.values[q] / 5 : 1);
        loss += c * (1 - yhat) * (1 - yhat) - yhat * yhat;
      }
      loss += rowLambda(params, e - s, model.movies) * squaredNorm(X, xo, f);
    }
  }
  for (let i = 0; i < model.movies; i++) loss += rowLambda(params, ratedPerMovie[i], model.users) * squaredNorm(Y, i * f, f);
  return loss;
}

function squaredNorm(v: Float32Array, o: number, f: number): number {
  let s = 0;
  for (let t = 0; t < f; t++) s += v[o + t] * v[o + t];
  return s;
}

export interface IalsProgress {
  epoch: number;
  epochs: number;
  /** Rows solved in this epoch so far (users, then movies), of usersPlusMovies. */
  rowsDone: number;
  usersPlusMovies: number;
  /** Loss after the epoch just finished, when computed. */
  loss?: number;
}

export interface IalsHooks {
  check?: CheckCancelled;
  onProgress?: (p: IalsProgress) => void;
  /** Compute the loss after each epoch (an extra O(ratings·f) pass). Default: under 2M ratings. */
  trackLoss?: boolean;
}

/** Seeded starting point: movie factors small and random, user factors zero (solved first). */
export function startingModel(users: number, movies: number, params: IalsParams): FactorModel {
  validateIals(params);
  const f = params.factors;
  return {
    factors: f,
    users,
    movies,
    userFactors: new Float32Array(users * f),
    movieFactors: initialFactors(movies, f, params.initStd, params.seed, 1),
    params,
    lossByEpoch: [],
  };
}

/** iALS on one thread (evaluation, tests, small data). byUser and byMovie are one matrix's two orientations. */
export function fitIals(byUser: ChunkedCsr, byMovie: ChunkedCsr, params: IalsParams = DEFAULT_IALS, hooks: IalsHooks = {}): FactorModel {
  const model = startingModel(byUser.rows, byMovie.rows, params);
  const total = model.users + model.movies;
  const trackLoss = hooks.trackLoss ?? byUser.nnz < 2_000_000;
  for (let epoch = 0; epoch < params.iterations; epoch++) {
    const report = (rowsDone: number, loss?: number) => hooks.onProgress?.({ epoch, epochs: params.iterations, rowsDone, usersPlusMovies: total, loss });
    const u = diagonalised(model.users, model.movieFactors, model.movies, params);
    model.movieFactors = u.other;
    model.userFactors = solveRows(
      { rows: byUser, other: u.other, gram: u.gram, rotation: u.rotation, start: model.userFactors, rowRange: [0, model.users], params },
      hooks.check,
      (done) => report(done),
    );
    const m = diagonalised(model.movies, model.userFactors, model.users, params);
    model.userFactors = m.other;
    model.movieFactors = solveRows(
      { rows: byMovie, other: m.other, gram: m.gram, rotation: m.rotation, start: model.movieFactors, rowRange: [0, model.movies], params },
      hooks.check,
      (done) => report(model.users + done),
    );
    const loss = trackLoss ? ialsLoss(byUser, model) : undefined;
    if (loss !== undefined) model.lossByEpoch.push(loss);
    report(total, loss);
  }
  return model;
}
