import { ParameterError, type CheckCancelled } from '../../types';
import { toCsr, type Interactions } from '../interactions';
import { fitBiases, type Biases } from './baseline';
import { clamp, ratingRange, type FitHooks, type Predictor } from './predictor';

export interface EaseParams {
  /** λ, added to the Gram matrix's diagonal: the only regulariser, and it matters a lot. */
  l2: number;
  /** Movies with fewer training ratings stay out of the model (and rank last). */
  minRatings: number;
  /** Fill X with the star ratings instead of 1 for "rated". */
  ratingWeighted: boolean;
}

/**
 * λ = 500 is Steck's value for ML-20M, and on ml-latest-small leave-one-out (99 negatives) it was
 * also about the best: HR@10 0.674, 0.718, 0.738, 0.759, 0.766, 0.767, 0.761, 0.753 for λ = 20,
 * 50, 100, 200, 300, 500, 700, 1000 (±0.017 standard error over 610 users).
 */
export const DEFAULT_EASE: EaseParams = { l2: 500, minRatings: 1, ratingWeighted: false };

/**
 * Which side the dense solve runs over. EASE's closed form inverts the items × items matrix
 * XᵀX + λI; by the push-through identity X(XᵀX + λI)⁻¹ = (XXᵀ + λI)⁻¹X the same scores come out
 * of the users × users inverse, which is far cheaper when users are fewer than items
 * (ml-latest-small: 610 users, ~9,000 movies). 'auto' takes the smaller side.
 */
export type EaseSolve = 'auto' | 'items' | 'users';

/** The largest dense solve fitted: 12,000² float64 is 1.15 GB, about 10 minutes of arithmetic in JS. */
export const EASE_MAX_ITEMS = 12_000;

/**
 * Cost of the dense solve over n items: the n×n float64 matrix (inverted in place) and the
 * inverse's arithmetic, counting multiplications and additions separately (Cholesky n³/3, the
 * triangular inverse n³/3, the product L⁻ᵀL⁻¹ n³/3).
 */
export function easeLimit(nItems: number): { bytes: number; flops: number } {
  return { bytes: 8 * nItems * nItems, flops: nItems ** 3 };
}

/** Below every in-catalogue score, yet finite: movies outside the model rank last, never NaN. */
const OUTSIDE = -Number.MAX_VALUE;

/** A sparse matrix over compact indices, rows ascending in column within each row. */
interface Sparse {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): an item × item weight
 * matrix B = argmin ‖X − XB‖² + λ‖B‖² subject to diag(B) = 0, in closed form
 *
 *   P = (XᵀX + λI)⁻¹,   B_ij = −P_ij / P_jj  (i ≠ j),   B_jj = 0,
 *
 * and score(u, j) = Σ_{i rated by u} X_ui·B_ij. X is who rated what (1s, or the stars with
 * ratingWeighted). EASE ranks; its scores are not stars, so predict() answers with the bias
 * baseline μ + b_u + b_i (that keeps RMSE defined, and it is the bias model's RMSE).
 *
 * With fewer users than movies the same scores come from the users × users side (EaseSolve):
 * X P = K X with K = (XXᵀ + λI)⁻¹, so S = X B = X − K X·diag(1/P_jj), and Woodbury gives
 * P_jj = (1 − x_jᵀ K x_j) / λ. B is then never formed: a user's scores cost one pass over X.
 */
export class Ease implements Predictor {
  readonly name = 'ease';
  readonly params: EaseParams;
  /** Dense movie index -> compact catalogue index, or -1 outside the model. */
  itemIndex = new Int32Array(0);
  /** Compact catalogue index -> dense movie index. */
  items = new Int32Array(0);
  private userIndex = new Int32Array(0);
  private biases: Biases = { mu: 0, bu: new Float64Array(0), bi: new Float64Array(0) };
  private lo = 0;
  private hi = 5;
  private x: Sparse = emptySparse();
  private byItem: Sparse = emptySparse();
  private n = 0;
  private m = 0;
  private l2 = 0;
  /** Item side: B, n×n row-major. User side: K = (XXᵀ + λI)⁻¹, m×m. */
  private dense: Float64Array = new Float64Array(0);
  private usersSide = false;
  /** User side: 1 / P_jj, where P_jj = (1 − x_jᵀ K x_j) / λ by the Woodbury identity. */
  private invDiagP: Float64Array = new Float64Array(0);
  // The current user's scores over the catalogue, reused while score() is called for one user.
  private row = new Float64Array(0);
  private currentUser = -1;

  constructor(
    params: Partial<EaseParams> = {},
    readonly solve: EaseSolve = 'auto',
  ) {
    this.params = { ...DEFAULT_EASE, ...params };
  }

  fit(train: Interactions, hooks: FitHooks = {}): void {
    const { l2, minRatings, ratingWeighted } = this.params;
    if (!(l2 > 0)) throw new ParameterError(`EASE needs l2 > 0, got ${l2}.`);
    this.biases = fitBiases(train, undefined, hooks);
    [this.lo, this.hi] = ratingRange(train);
    const csr = toCsr(train);
    const byUser = csr.byUser.chunks[0];
    const byMovie = csr.byMovie.chunks[0];

    this.itemIndex = new Int32Array(train.nMovies).fill(-1);
    const items: number[] = [];
    const need = Math.max(1, minRatings);
    for (let i = 0; i < train.nMovies; i++) {
      if (byMovie.indptr[i + 1] - byMovie.indptr[i] >= need) this.itemIndex[i] = items.push(i) - 1;
    }
    this.items = Int32Array.from(items);
    this.userIndex = new Int32Array(train.nUsers).fill(-1);
    let m = 0;
    for (let u = 0; u < train.nUsers; u++) {
      for (let p = byUser.indptr[u]; p < byUser.indptr[u + 1]; p++) {
        if (this.itemIndex[byUser.indices[p]] >= 0) {
          this.userIndex[u] = m++;
          break;
        }
      }
    }
    const n = items.length;
    this.n = n;
    this.m = m;
    this.l2 = l2;
    this.usersSide = this.solve === 'users' || (this.solve === 'auto' && m < n);
    const size = this.usersSide ? m : n;
    if (size > EASE_MAX_ITEMS) throw new ParameterError(tooLarge(n, m, size, minRatings));

    this.x = compact(byUser, this.userIndex, this.itemIndex, m, ratingWeighted);
    // Movie-major X is only read on the user side (the Gram matrix XXᵀ and diag P).
    this.byItem = this.usersSide ? compact(byMovie, this.itemIndex, this.userIndex, n, ratingWeighted) : emptySparse();
    // The Gram matrix of the side being solved is a sum over the other side's rows.
    const g = gram(this.usersSide ? this.byItem : this.x, size, l2, hooks.check);
    invertSpd(g, size, hooks.check);
    if (this.usersSide) {
      this.invDiagP = diagPFromUsers(this.byItem, g, m, l2);
    } else {
      weightsFromInverse(g, n);
    }
    this.dense = g;
    this.row = new Float64Array(n);
    this.currentUser = -1;
  }

  predict(user: number, movie: number): number {
    const { mu, bu, bi } = this.biases;
    return clamp(mu + bu[user] + bi[movie], this.lo, this.hi);
  }

  score(user: number, candidates: Int32Array, out: Float64Array): void {
    this.loadUser(user);
    const row = this.row;
    for (let t = 0; t < candidates.length; t++) {
      const j = candidates[t];
      if (j < 0) {
        out[t] = -Infinity;
        continue;
      }
      const c = this.itemIndex[j];
      out[t] = c < 0 ? OUTSIDE : row[c];
    }
  }

  /**
   * B as an n×n row-major matrix over the compact catalogue (`items` maps it back to movies).
   * On the user side this builds it, n² memory, so it is for tests and small catalogues.
   */
  weights(): Float64Array {
    const n = this.n;
    if (!this.usersSide) return this.dense.slice();
    // P = (I − Xᵀ K X) / λ, a row of XᵀKX at a time: (XᵀKX)_i = Σ_u X_ui (K X)_u.
    const b = new Float64Array(n * n);
    const kx = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const bi = b.subarray(i * n, (i + 1) * n);
      for (let p = this.byItem.indptr[i]; p < this.byItem.indptr[i + 1]; p++) {
        this.userTimesX(this.byItem.indices[p], kx);
        const xui = this.byItem.values[p];
        for (let j = 0; j < n; j++) bi[j] -= xui * kx[j];
      }
      bi[i] += 1;
      // bi now holds λ·P_i·; B_ij = −P_ij / P_jj.
      for (let j = 0; j < n; j++) bi[j] = i === j ? 0 : (-bi[j] / this.l2) * this.invDiagP[j];
    }
    return b;
  }

  /** out = (K X)_u, the user's row of K times X, i.e. (X P)_u by the push-through identity. */
  private userTimesX(cu: number, out: Float64Array): void {
    out.fill(0);
    const m = this.m;
    const { indptr, indices, values } = this.x;
    const k0 = cu * m;
    for (let v = 0; v < m; v++) {
      const k = this.dense[k0 + v];
      if (k === 0) continue;
      for (let p = indptr[v]; p < indptr[v + 1]; p++) out[indices[p]] += k * values[p];
    }
  }

  private loadUser(u: number): void {
    if (u === this.currentUser) return;
    this.currentUser = u;
    const row = this.row;
    const cu = this.userIndex[u];
    if (cu < 0) {
      row.fill(0);
      return;
    }
    const { indptr, indices, values } = this.x;
    const a = indptr[cu];
    const z = indptr[cu + 1];
    if (this.usersSide) {
      // S_u = X_u B = X_u − (X P)_u D⁻¹ with D = diag(P), and (X P)_u = (K X)_u.
      this.userTimesX(cu, row);
      const inv = this.invDiagP;
      for (let j = 0; j < this.n; j++) row[j] = -row[j] * inv[j];
      for (let p = a; p < z; p++) row[indices[p]] += values[p];
    } else {
      row.fill(0);
      const n = this.n;
      const b = this.dense;
      for (let p = a; p < z; p++) {
        const x = values[p];
        const o = indices[p] * n;
        for (let j = 0; j < n; j++) row[j] += x * b[o + j];
      }
    }
  }
}

function emptySparse(): Sparse {
  return { indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float64Array(0) };
}

function tooLarge(n: number, m: number, size: number, minRatings: number): string {
  const { bytes, flops } = easeLimit(size);
  const fmt = (v: number) => v.toLocaleString('en');
  return (
    `EASE cannot fit ${fmt(n)} movies (with at least ${minRatings} training rating${minRatings === 1 ? '' : 's'}) and ${fmt(m)} users: ` +
    `its dense solve would be ${fmt(size)} × ${fmt(size)}, above the limit of ${fmt(EASE_MAX_ITEMS)}; ` +
    `it would need ${(bytes / 2 ** 30).toFixed(1)} GB of memory and about ${flops.toExponential(1)} floating-point operations. ` +
    `Raise minRatings to shrink the catalogue, or use ials or item-knn-topn.`
  );
}

/**
 * The rows of a one-chunk CSR restricted to compact rows and columns (-1 = dropped), with
 * values 1 or the rating. Column order is kept, so columns stay ascending.
 */
function compact(
  ch: { indptr: Int32Array; indices: Int32Array; values: Float32Array },
  rowIndex: Int32Array,
  colIndex: Int32Array,
  rows: number,
  weighted: boolean,
): Sparse {
  const indptr = new Int32Array(rows + 1);
  let nnz = 0;
  for (let r = 0; r < rowIndex.length; r++) {
    const cr = rowIndex[r];
    if (cr < 0) continue;
    for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) if (colIndex[ch.indices[p]] >= 0) nnz++;
    indptr[cr + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let q = 0;
  // Compact rows are numbered in the dense order, so filling in that order matches indptr.
  for (let r = 0; r < rowIndex.length; r++) {
    if (rowIndex[r] < 0) continue;
    for (let p = ch.indptr[r]; p < ch.indptr[r + 1]; p++) {
      const c = colIndex[ch.indices[p]];
      if (c < 0) continue;
      indices[q] = c;
      values[q++] = weighted ? ch.values[p] : 1;
    }
  }
  return { indptr, indices, values };
}

/**
 * The lower triangle of AᵀA + λI for A given by rows (columns ascending within a row): each row
 * adds the products of its entries' pairs. The upper triangle is left 0; invertSpd ignores it.
 */
function gram(rows: Sparse, size: number, l2: number, check?: CheckCancelled): Float64Array {
  const g = new Float64Array(size * size);
  const { indptr, indices, values } = rows;
  const nRows = indptr.length - 1;
  for (let r = 0; r < nRows; r++) {
    const a = indptr[r];
    const z = indptr[r + 1];
    for (let p = a; p < z; p++) {
      const o = indices[p] * size;
      const v = values[p];
      for (let q = a; q <= p; q++) g[o + indices[q]] += v * values[q];
    }
    if ((r & 63) === 63) check?.();
  }
  for (let i = 0; i < size; i++) g[i * size + i] += l2;
  return g;
}

/** B = I − P·diag(1/diag P) in place over P (n×n, symmetric). */
function weightsFromInverse(p: Float64Array, n: number): void {
  const inv = new Float64Array(n);
  for (let j = 0; j < n; j++) inv[j] = 1 / p[j * n + j];
  for (let i = 0; i < n; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) p[o + j] = -p[o + j] * inv[j];
    p[o + i] = 0;
  }
}

/** 1 / P_jj with P_jj = (1 − Σ_{u,v rated j} X_uj K_uv X_vj) / λ, from K = (XXᵀ + λI)⁻¹ (m×m). */
function diagPFromUsers(byItem: Sparse, k: Float64Array, m: number, l2: number): Float64Array {
  const { indptr, indices, values } = byItem;
  const n = indptr.length - 1;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let quad = 0;
    for (let p = indptr[j]; p < indptr[j + 1]; p++) {
      const o = indices[p] * m;
      let s = 0;
      for (let q = indptr[j]; q < indptr[j + 1]; q++) s += k[o + indices[q]] * values[q];
      quad += values[p] * s;
    }
    out[j] = l2 / (1 - quad);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dense symmetric positive-definite inverse.
//
// Every step below is a dot product of two contiguous row segments of one row-major array, so
// memory is read in order. Four rows that share the other operand go through dot4 together:
// one load of the shared row serves four products (a quarter of the memory traffic), and eight
// independent accumulators keep the floating-point adder busy. That runs at about 1.3 G
// multiply-adds per second in V8, three times a plain triple loop.
// ---------------------------------------------------------------------------------------------

/**
 * Replaces the symmetric positive-definite n×n matrix `a` (row-major; only the lower triangle
 * and diagonal are read) by its full symmetric inverse. Cholesky a = L Lᵀ, then M = L⁻¹ as its
 * transpose in the upper triangle, then a⁻¹ = Mᵀ M into the lower triangle, then mirrored.
 * Throws if `a` is not positive definite. Calls `check` every few rows of each pass.
 */
export function invertSpd(a: Float64Array, n: number, check?: CheckCancelled): void {
  const diagL = new Float64Array(n);
  const sums = new Float64Array(8);
  cholesky(a, n, diagL, sums, check);
  // Lᵀ's inverse's diagonal goes on a's diagonal; L keeps the strict lower triangle.
  for (let i = 0; i < n; i++) a[i * n + i] = 1 / diagL[i];
  invertLowerIntoUpper(a, n, diagL, sums, check);
  const diagP = diagL; // no longer needed: reused for the inverse's diagonal
  gramOfUpper(a, n, diagP, sums, check);
  // Mirror the lower triangle up, in tiles so both the row and the column walk stay in cache.
  const T = 32;
  for (let i0 = 0; i0 < n; i0 += T) {
    for (let j0 = 0; j0 <= i0; j0 += T) {
      const iEnd = Math.min(i0 + T, n);
      for (let i = i0; i < iEnd; i++) {
        const jEnd = Math.min(j0 + T, i);
        for (let j = j0; j < jEnd; j++) a[j * n + i] = a[i * n + j];
      }
    }
  }
  for (let i = 0; i < n; i++) a[i * n + i] = diagP[i];
}

/** Σ a[r+k]·a[s+k] over k in [k0, k1). */
function dot(a: Float64Array, r: number, s: number, k0: number, k1: number): number {
  let x = 0;
  let y = 0;
  let k = k0;
  for (; k + 1 < k1; k += 2) {
    x += a[r + k] * a[s + k];
    y += a[r + k + 1] * a[s + k + 1];
  }
  if (k < k1) x += a[r + k] * a[s + k];
  return x + y;
}

/** dot() of rows r0..r3 against the shared row s, into out[0..3]. */
function dot4(a: Float64Array, r0: number, r1: number, r2: number, r3: number, s: number, k0: number, k1: number, out: Float64Array): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let k = k0;
  for (; k + 1 < k1; k += 2) {
    const x = a[s + k];
    const y = a[s + k + 1];
    a0 += a[r0 + k] * x;
    b0 += a[r0 + k + 1] * y;
    a1 += a[r1 + k] * x;
    b1 += a[r1 + k + 1] * y;
    a2 += a[r2 + k] * x;
    b2 += a[r2 + k + 1] * y;
    a3 += a[r3 + k] * x;
    b3 += a[r3 + k + 1] * y;
  }
  if (k < k1) {
    const x = a[s + k];
    a0 += a[r0 + k] * x;
    a1 += a[r1 + k] * x;
    a2 += a[r2 + k] * x;
    a3 += a[r3 + k] * x;
  }
  out[0] = a0 + b0;
  out[1] = a1 + b1;
  out[2] = a2 + b2;
  out[3] = a3 + b3;
}

/**
 * dot() of rows r0..r3 against two shared rows s and t, into out[0..3] (with s) and out[4..7]
 * (with t): six loads feed eight multiply-adds.
 */
function dot42(a: Float64Array, r0: number, r1: number, r2: number, r3: number, s: number, t: number, k0: number, k1: number, out: Float64Array): void {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  for (let k = k0; k < k1; k++) {
    const x = a[s + k];
    const y = a[t + k];
    const p0 = a[r0 + k];
    const p1 = a[r1 + k];
    const p2 = a[r2 + k];
    const p3 = a[r3 + k];
    a0 += p0 * x;
    b0 += p0 * y;
    a1 += p1 * x;
    b1 += p1 * y;
    a2 += p2 * x;
    b2 += p2 * y;
    a3 += p3 * x;
    b3 += p3 * y;
  }
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  out[3] = a3;
  out[4] = b0;
  out[5] = b1;
  out[6] = b2;
  out[7] = b3;
}

/**
 * L row by row: L_ij = (a_ij − L_i,<j · L_j,<j) / L_jj and L_ii = √(a_ii − ‖L_i,<i‖²). The strict
 * lower triangle becomes L; its diagonal goes to diagL. Rows come four at a time, columns two at
 * a time: L_i,j+1 needs L_ij, so its sum over k < j gets the k = j term once L_ij is known.
 */
function cholesky(a: Float64Array, n: number, diagL: Float64Array, sums: Float64Array, check?: CheckCancelled): void {
  for (let i0 = 0; i0 < n; i0 += 4) {
    if (i0 + 4 <= n) {
      const r0 = i0 * n;
      // i0 is a multiple of 4, so the columns before the block pair up exactly.
      for (let j = 0; j < i0; j += 2) {
        const rj = j * n;
        const rk = rj + n;
        dot42(a, r0, r0 + n, r0 + 2 * n, r0 + 3 * n, rj, rk, 0, j, sums);
        const inv0 = 1 / diagL[j];
        const inv1 = 1 / diagL[j + 1];
        const ljj1 = a[rk + j];
        for (let r = 0; r < 4; r++) {
          const rr = r0 + r * n;
          const lij = (a[rr + j] - sums[r]) * inv0;
          a[rr + j] = lij;
          a[rr + j + 1] = (a[rr + j + 1] - sums[4 + r] - lij * ljj1) * inv1;
        }
      }
    } else {
      for (let i = i0; i < n; i++) {
        for (let j = 0; j < i0; j++) a[i * n + j] = (a[i * n + j] - dot(a, i * n, j * n, 0, j)) / diagL[j];
      }
    }
    // The triangle inside this block of rows.
    for (let i = i0; i < Math.min(i0 + 4, n); i++) {
      const ri = i * n;
      for (let j = i0; j < i; j++) a[ri + j] = (a[ri + j] - dot(a, ri, j * n, 0, j)) / diagL[j];
      const d = a[ri + i] - dot(a, ri, ri, 0, i);
      if (!(d > 0)) throw new Error(`invertSpd: the matrix is not positive definite (pivot ${d} at row ${i} of ${n}).`);
      diagL[i] = Math.sqrt(d);
      check?.();
    }
  }
}

/**
 * M = L⁻¹ stored transposed (Mᵗ_ji = M_ij) in the upper triangle, row j of Mᵗ at a time: from
 * L M = I, Mᵗ_ji = −(Σ_{k=j}^{i−1} L_ik Mᵗ_jk) / L_ii for i > j. The diagonal 1/L_jj is already
 * in place. Four rows of Mᵗ share each pair of rows of L; their sums differ only in up to three
 * leading terms, added separately, and column i+1 gets its k = i term once column i is known.
 */
function invertLowerIntoUpper(a: Float64Array, n: number, diagL: Float64Array, sums: Float64Array, check?: CheckCancelled): void {
  for (let j0 = 0; j0 < n; j0 += 4) {
    const rows = Math.min(4, n - j0);
    const first = rows === 4 ? j0 + 4 : n;
    // Columns inside the block (and everything for a short last block) one dot at a time.
    for (let i = j0 + 1; i < first; i++) {
      const ri = i * n;
      const inv = -1 / diagL[i];
      for (let j = j0; j < Math.min(j0 + rows, i); j++) a[j * n + i] = dot(a, ri, j * n, j, i) * inv;
    }
    const r0 = j0 * n;
    let i = first;
    for (; i + 1 < n; i += 2) {
      const ri = i * n;
      const rk = ri + n;
      dot42(a, r0, r0 + n, r0 + 2 * n, r0 + 3 * n, ri, rk, j0 + 3, i, sums);
      const inv0 = -1 / diagL[i];
      const inv1 = -1 / diagL[i + 1];
      const lki = a[rk + i];
      for (let r = 0; r < 4; r++) {
        const rr = r0 + r * n;
        let s0 = sums[r];
        let s1 = sums[4 + r];
        for (let k = j0 + r; k < j0 + 3; k++) {
          s0 += a[ri + k] * a[rr + k];
          s1 += a[rk + k] * a[rr + k];
        }
        const m0 = s0 * inv0;
        a[rr + i] = m0;
        a[rr + i + 1] = (s1 + lki * m0) * inv1;
      }
    }
    if (i < n) {
      const ri = i * n;
      const inv = -1 / diagL[i];
      dot4(a, r0, r0 + n, r0 + 2 * n, r0 + 3 * n, ri, j0 + 3, i, sums);
      for (let r = 0; r < 4; r++) {
        const rr = r0 + r * n;
        let s = sums[r];
        for (let k = j0 + r; k < j0 + 3; k++) s += a[ri + k] * a[rr + k];
        a[rr + i] = s * inv;
      }
    }
    check?.();
  }
}

/**
 * a⁻¹ = Mᵀ M with M = L⁻¹ lower, so (a⁻¹)_xy = Σ_{k ≥ max(x,y)} Mᵗ_xk Mᵗ_yk: dot products of
 * upper-triangle rows. Writes x > y into the strict lower triangle (L is no longer needed) and
 * the diagonal into diagP (Mᵗ's diagonal is still read). Four rows x share each pair of rows y.
 */
function gramOfUpper(a: Float64Array, n: number, diagP: Float64Array, sums: Float64Array, check?: CheckCancelled): void {
  for (let x0 = 0; x0 < n; x0 += 4) {
    const rows = Math.min(4, n - x0);
    if (rows === 4) {
      const r0 = x0 * n;
      for (let y = 0; y < x0; y += 2) {
        const ry = y * n;
        const rz = ry + n;
        dot42(a, r0, r0 + n, r0 + 2 * n, r0 + 3 * n, ry, rz, x0 + 3, n, sums);
        for (let r = 0; r < 4; r++) {
          const rr = r0 + r * n;
          let s0 = sums[r];
          let s1 = sums[4 + r];
          for (let k = x0 + r; k < x0 + 3; k++) {
            s0 += a[rr + k] * a[ry + k];
            s1 += a[rr + k] * a[rz + k];
          }
          a[rr + y] = s0;
          a[rr + y + 1] = s1;
        }
      }
    } else {
      for (let x = x0; x < n; x++) for (let y = 0; y < x0; y++) a[x * n + y] = dot(a, x * n, y * n, x, n);
    }
    for (let x = x0; x < x0 + rows; x++) {
      for (let y = x0; y < x; y++) a[x * n + y] = dot(a, x * n, y * n, x, n);
      diagP[x] = dot(a, x * n, x * n, x, n);
    }
    check?.();
  }
}
