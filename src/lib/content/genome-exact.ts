/**
 * Exact genome dot products for the pairs the screen (genome-bound.ts) could not rule out and
 * for the candidates genome-thresholds.ts checks.
 *
 * Each pair is summed exactly as the dense kernel sums it (genome-kernel.ts): s = 0;
 * s += g_r[t] · g_j[t] for t = 0..dims−1 in Float64, from the same float32 values (widening
 * is exact, and so is the product of two float32 values, whichever operand comes first), so a
 * pair has the same value whichever kernel computed it, bit for bit. Up to four pairs at a time
 * that share one row: one pair's sum is a chain of dependent adds, and independent chains keep
 * the adder busy while the shared value is loaded once for all of them.
 *
 * Two factories, each a single closure of its kind per run (const bindings, specialised by V8
 * as genomeBlocks explains), differing in which side is read as float32: a float32 load costs
 * a conversion, and with the four others converted on every step the kernel ran at half the
 * speed of one reading them widened.
 */

/** out[c] = g_row · g_others[c] for c < count (genome row indices). */
export type ExactDots = (row: number, others: Int32Array, count: number, out: Float64Array) => void;

/** One row, widened once per call, against float32 rows of the genome. */
export function exactDots(relevanceArg: Float32Array, dimsArg: number): ExactDots {
  const rel = relevanceArg;
  const dims = dimsArg;
  const a = new Float64Array(dims);

  const four = (b0: number, b1: number, b2: number, b3: number, out: Float64Array, at: number): void => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < dims; t++) {
      const y = a[t];
      s0 += y * rel[(b0 + t) | 0];
      s1 += y * rel[(b1 + t) | 0];
      s2 += y * rel[(b2 + t) | 0];
      s3 += y * rel[(b3 + t) | 0];
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
    out[at + 3] = s3;
  };

  const one = (b0: number): number => {
    let s = 0;
    for (let t = 0; t < dims; t++) s += a[t] * rel[(b0 + t) | 0];
    return s;
  };

  return (row: number, others: Int32Array, count: number, out: Float64Array): void => {
    const from = row * dims;
    for (let t = 0; t < dims; t++) a[t] = rel[from + t];
    let c = 0;
    for (; c + 4 <= count; c += 4) four(others[c] * dims, others[c + 1] * dims, others[c + 2] * dims, others[c + 3] * dims, out, c);
    for (; c < count; c++) out[c] = one(others[c] * dims);
  };
}

/**
 * out[c] = g_{later[c]} · (row locals[c] of `wide`) for c < count: `wide` holds rows already
 * widened to Float64 (the block's rows, in cache), the later rows are read from the float32
 * genome. The pairs kept by the screen are few per later row (1.7% of 95M pairs over blocks of
 * 64 rows: about one per later row), so grouping them by later row left one pair per call, one
 * chain of dependent adds at the adder's latency (~1 µs a pair, the screen's largest cost after
 * its kernel). Here any four consecutive pairs run together, whatever their rows; the caller
 * sorts them by later row so that the genome is still read forward.
 */
export type PairDots = (later: Int32Array, locals: Int32Array, count: number, out: Float64Array) => void;

/** PairDots over `wide` (rows of dims values). */
export function pairDots(relevanceArg: Float32Array, dimsArg: number, wideArg: Float64Array): PairDots {
  const rel = relevanceArg;
  const dims = dimsArg;
  const w = wideArg;

  const four = (a0: number, b0: number, a1: number, b1: number, a2: number, b2: number, a3: number, b3: number, out: Float64Array, at: number): void => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < dims; t++) {
      s0 += rel[(a0 + t) | 0] * w[(b0 + t) | 0];
      s1 += rel[(a1 + t) | 0] * w[(b1 + t) | 0];
      s2 += rel[(a2 + t) | 0] * w[(b2 + t) | 0];
      s3 += rel[(a3 + t) | 0] * w[(b3 + t) | 0];
    }
    out[at] = s0;
    out[at + 1] = s1;
    out[at + 2] = s2;
    out[at + 3] = s3;
  };

  const one = (a: number, b: number): number => {
    let s = 0;
    for (let t = 0; t < dims; t++) s += rel[(a + t) | 0] * w[(b + t) | 0];
    return s;
  };

  return (later: Int32Array, locals: Int32Array, count: number, out: Float64Array): void => {
    let c = 0;
    for (; c + 4 <= count; c += 4) {
      four(
        later[c] * dims,
        locals[c] * dims,
        later[c + 1] * dims,
        locals[c + 1] * dims,
        later[c + 2] * dims,
        locals[c + 2] * dims,
        later[c + 3] * dims,
        locals[c + 3] * dims,
        out,
        c,
      );
    }
    for (; c < count; c++) out[c] = one(later[c] * dims, locals[c] * dims);
  };
}
