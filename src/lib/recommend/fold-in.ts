/**
 * A person who is not in the training data (anyone rating movies in the page) gets a user
 * vector from the movie factors alone: the same least-squares step iALS takes for every user,
 *
 *   A x = b,   A = G + Σ_{i rated} (c_i − 1) y_i y_iᵀ + λ_u I,   b = Σ_{i rated} c_i y_i,
 *
 * solved exactly (Cholesky of the f×f matrix, O(n·f² + f³), under a millisecond for f = 64).
 * Hu et al. (2008, §5) also read explanations off it: x = Σ_i c_i A⁻¹ y_i, so a movie's score
 * y_jᵀx is exactly Σ_i c_i·(y_jᵀ A⁻¹ y_i), one term per rated movie.
 */
import { choleskyInPlace, choleskySolve } from './cholesky';
import { rowLambda, type IalsParams } from './ials-params';

export interface MovieFactors {
  factors: number;
  movies: number;
  /** movies × factors, row-major. */
  movieFactors: Float32Array;
  /** Σ_i y_i y_iᵀ over every movie (f×f). */
  gram: Float64Array;
  params: IalsParams;
  /**
   * N in the fold-in's λ·(n + N)^ν. Absent: the movie count, as fitIals regularises. Factors
   * from Spark's ALS use 0 (with ν = 1): Spark regularises each user by λ·n, n their ratings.
   */
  regularizationOffset?: number;
}

export interface FoldedIn {
  /** The person's factors. */
  x: Float64Array;
  /** Cholesky factor of A, for explanations. */
  chol: Float64Array;
  /** Confidence of each rated movie, aligned with `movies`. */
  confidence: Float64Array;
  movies: Int32Array;
}

/** The user vector of a person who rated `movies` (with `stars`), by one exact iALS step. */
export function foldIn(mf: MovieFactors, movies: Int32Array, stars: Float32Array): FoldedIn {
  const { factors: f, movieFactors: Y, params } = mf;
  const a = Float64Array.from(mf.gram);
  const b = new Float64Array(f);
  const confidence = new Float64Array(movies.length);
  const lambda = rowLambda(params, movies.length, mf.regularizationOffset ?? mf.movies);
  for (let t = 0; t < f; t++) a[t * f + t] += lambda;
  for (let q = 0; q < movies.length; q++) {
    const c = 1 + params.alpha * (params.ratingWeighted ? stars[q] / 5 : 1);
    confidence[q] = c;
    const yo = movies[q] * f;
    for (let r = 0; r < f; r++) {
      const yr = Y[yo + r];
      b[r] += c * yr;
      const w = (c - 1) * yr;
      for (let s = 0; s <= r; s++) a[r * f + s] += w * Y[yo + s];
    }
  }
  // Only the lower triangle was accumulated; Cholesky reads only that.
  choleskyInPlace(a, f);
  return { x: choleskySolve(a, f, b), chol: a, confidence, movies };
}

/** score[j] = y_j·x for every movie. */
export function factorScores(mf: MovieFactors, x: Float64Array, out: Float64Array): void {
  const { factors: f, movieFactors: Y } = mf;
  for (let j = 0; j < mf.movies; j++) {
    const yo = j * f;
    let s = 0;
    for (let t = 0; t < f; t++) s += Y[yo + t] * x[t];
    out[j] = s;
  }
}

/** Each rated movie's share of movie j's score, aligned with folded.movies (they sum to the score). */
export function contributions(mf: MovieFactors, folded: FoldedIn, j: number): Float64Array {
  return contributionsOf(mf, folded, mf.movieFactors.subarray(j * mf.factors, (j + 1) * mf.factors));
}

/** The same for any factor row y (a movie's borrowed factors, borrowed-factors.ts): shares of y·x. */
export function contributionsOf(mf: MovieFactors, folded: FoldedIn, y: ArrayLike<number>): Float64Array {
  const f = mf.factors;
  const Y = mf.movieFactors;
  const z = choleskySolve(folded.chol, f, y);
  const out = new Float64Array(folded.movies.length);
  for (let q = 0; q < folded.movies.length; q++) {
    const yo = folded.movies[q] * f;
    let s = 0;
    for (let t = 0; t < f; t++) s += z[t] * Y[yo + t];
    out[q] = folded.confidence[q] * s;
  }
  return out;
}
