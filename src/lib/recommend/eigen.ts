/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: G = Q·Λ·Qᵀ.
 * Slow in theory (O(n³) per sweep) but n is the number of latent factors (≤ a few hundred),
 * it needs no library, and it is accurate to the last bits, which the iALS rotation relies on.
 */

export interface SymmetricEigen {
  values: Float64Array;
  /** Row-major n×n; column k is the eigenvector of values[k]. */
  vectors: Float64Array;
}

export function symmetricEigen(matrix: Float64Array, n: number, maxSweeps = 50): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] * a[p * n + p];
      for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // The rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}

/** F·Q for a row-major factor matrix F (rows × n) and an n×n Q: every row rotated. */
export function rotateRows(factors: Float32Array, rows: number, n: number, q: Float64Array): Float32Array {
  // Qᵀ row-major, so each output element is a contiguous dot product (four independent sums).
  const qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) qt[k * n + i] = q[i * n + k];
  const out = new Float32Array(rows * n);
  const n4 = n & ~3;
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let k = 0; k < n; k++) {
      const c = k * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i < n4; i += 4) {
        s0 += factors[o + i] * qt[c + i];
        s1 += factors[o + i + 1] * qt[c + i + 1];
        s2 += factors[o + i + 2] * qt[c + i + 2];
        s3 += factors[o + i + 3] * qt[c + i + 3];
      }
      for (; i < n; i++) s0 += factors[o + i] * qt[c + i];
      out[o + k] = s0 + s1 + s2 + s3;
    }
  }
  return out;
}
