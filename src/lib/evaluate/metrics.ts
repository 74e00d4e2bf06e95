/**
 * Accuracy and ranking metrics, each a small pure function over plain arrays so that tests can
 * check it against numbers worked out by hand.
 */

/** Root mean squared error: big misses count more. NaN for no pairs. */
export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < actual.length; t++) {
    const d = actual[t] - predicted[t];
    s += d * d;
  }
  return actual.length ? Math.sqrt(s / actual.length) : NaN;
}

/** Mean absolute error: the average miss, in stars. */
export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < actual.length; t++) s += Math.abs(actual[t] - predicted[t]);
  return actual.length ? s / actual.length : NaN;
}

/** Of the first k recommended, the share that are relevant (divides by k, even if fewer were listed). */
export function precisionAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return hitsInTop(ranked, relevant, k) / k;
}

/** Of the relevant movies, the share found in the first k. NaN when nothing is relevant. */
export function recallAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return relevant.size ? hitsInTop(ranked, relevant, k) / relevant.size : NaN;
}

/** 1 if any relevant movie is in the first k, else 0. */
export function hitRateAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return hitsInTop(ranked, relevant, k) > 0 ? 1 : 0;
}

/**
 * Normalised discounted cumulative gain with binary relevance: a hit at position p (1-based)
 * is worth 1/log2(p+1), divided by the best possible (all relevant movies first).
 */
export function ndcgAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  if (!relevant.size) return NaN;
  let dcg = 0;
  const n = Math.min(k, ranked.length);
  for (let p = 0; p < n; p++) if (relevant.has(ranked[p])) dcg += 1 / Math.log2(p + 2);
  let ideal = 0;
  for (let p = 0; p < Math.min(k, relevant.size); p++) ideal += 1 / Math.log2(p + 2);
  return dcg / ideal;
}

/** 1 / position of the first relevant movie in the first k; 0 when none is there. */
export function reciprocalRankAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  const n = Math.min(k, ranked.length);
  for (let p = 0; p < n; p++) if (relevant.has(ranked[p])) return 1 / (p + 1);
  return 0;
}

function hitsInTop(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  let hits = 0;
  const n = Math.min(k, ranked.length);
  for (let p = 0; p < n; p++) if (relevant.has(ranked[p])) hits++;
  return hits;
}

/**
 * The n best candidates by score, best first; equal scores keep the candidates' order, and
 * -Infinity (padding) is never chosen. O(candidates·log n) with a small sorted buffer.
 */
export function topN(candidates: ArrayLike<number>, scores: ArrayLike<number>, n: number): Int32Array {
  const idx: number[] = [];
  for (let t = 0; t < candidates.length; t++) {
    const s = scores[t];
    if (s === -Infinity || s !== s) continue;
    if (idx.length === n && !(s > scores[idx[n - 1]])) continue;
    let lo = 0;
    let hi = idx.length;
    // First position whose score is lower than s: equal scores stay in arrival order.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (scores[idx[mid]] >= s) lo = mid + 1;
      else hi = mid;
    }
    idx.splice(lo, 0, t);
    if (idx.length > n) idx.pop();
  }
  return Int32Array.from(idx, (t) => candidates[t]);
}

/** Share of the catalogue that appears in at least one list. */
export function catalogueCoverage(lists: ArrayLike<number>[], catalogueSize: number): number {
  const seen = new Set<number>();
  for (const l of lists) for (let p = 0; p < l.length; p++) seen.add(l[p]);
  return catalogueSize ? seen.size / catalogueSize : NaN;
}

/**
 * Mean self-information of the recommended movies, −log2(share of users who rated it) (Zhou et
 * al., PNAS 2010): recommending what everyone has seen scores near 0, the obscure scores high.
 * Movies nobody rated in training count as rated by one user.
 */
export function novelty(lists: ArrayLike<number>[], ratingsPerMovie: Int32Array, users: number): number {
  let sum = 0;
  let n = 0;
  for (const l of lists) {
    for (let p = 0; p < l.length; p++) {
      sum += -Math.log2(Math.max(1, ratingsPerMovie[l[p]]) / users);
      n++;
    }
  }
  return n ? sum / n : NaN;
}

/** Mean of the finite values (NaN when none): per-user metrics are averaged over users that have one. */
export function meanOf(values: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let t = 0; t < values.length; t++) {
    if (Number.isFinite(values[t])) {
      s += values[t];
      n++;
    }
  }
  return n ? s / n : NaN;
}

/** Bytes in use now: Chrome's performance.memory, or process.memoryUsage in Node; NaN elsewhere. */
export function memoryInUse(): number {
  const perf = globalThis.performance as (Performance & { memory?: { usedJSHeapSize: number } }) | undefined;
  if (perf?.memory) return perf.memory.usedJSHeapSize;
  const proc = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number; arrayBuffers: number } } }).process;
  if (proc?.memoryUsage) {
    const m = proc.memoryUsage();
    // Typed arrays live outside the JS heap in Node: count them too.
    return m.heapUsed + m.arrayBuffers;
  }
  return NaN;
}

/** The highest memoryInUse() seen at the points where sample() was called. */
export class PeakMemory {
  peakBytes = memoryInUse();
  sample(): void {
    const now = memoryInUse();
    if (now > this.peakBytes) this.peakBytes = now;
  }
}
