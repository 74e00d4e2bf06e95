import type { Sfc32 } from './prng';

/**
 * Index of the first entry of `cumulative` (non-decreasing, ending at the total weight) that
 * exceeds `target`, searching [from, to). Drawing target uniformly in [0, total) picks index i
 * with probability weight_i / total.
 */
export function searchCumulative(cumulative: Float64Array, target: number, from: number, to: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Reorders keys[0..n) (with `items` alongside) so that its k smallest keys come first, in no
 * particular order (Hoare quickselect, expected O(n)). The keys are random, so the middle
 * element is as good a pivot as any.
 */
export function selectSmallest(keys: Float64Array, items: Int32Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = keys[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) {
        const key = keys[i];
        keys[i] = keys[j];
        keys[j] = key;
        const item = items[i];
        items[i] = items[j];
        items[j] = item;
        i++;
        j--;
      }
    }
    // Now keys[lo..j] <= pivot <= keys[i..hi]; continue on the side that holds position k-1.
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

/** 0..n-1 in a uniformly random order (Fisher-Yates, drawing from the end). */
export function shuffledIndices(n: number, rng: Sfc32): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
