/** The top-K heaps of the content neighbours (content-neighbours.ts and content-profiles.ts). */
import { siftDown, siftUp } from '../model/top-k-heap';
import type { Neighbours } from '../types';

/**
 * One min-heap of k slots per movie, flat, as in similarity.ts (kept in step with it: same order
 * and tie rule, so results merge with mergeNeighbours). The root is the WORST kept neighbour;
 * hMin[x] is the similarity a candidate must beat once x's heap is full (-Infinity before).
 */
export class TopKHeaps {
  readonly size: Int32Array;
  readonly index: Int32Array;
  readonly sim: Float32Array;
  readonly co: Int32Array;
  readonly min: Float32Array;
  /** The root's index once x's heap is full, next to min[x]: the tie test reads no heap slot. */
  readonly minIndex: Int32Array;

  constructor(
    n: number,
    readonly k: number,
  ) {
    this.size = new Int32Array(n);
    this.index = new Int32Array(n * k).fill(-1);
    this.sim = new Float32Array(n * k);
    this.co = new Int32Array(n * k);
    this.min = new Float32Array(n).fill(-Infinity);
    this.minIndex = new Int32Array(n).fill(-1);
  }

  /**
   * Offers j to i's heap and i to j's. Equal similarity goes to the lower index. NaN never enters.
   * One call site for `s`, inside the branch: with two, V8 boxes s into a heap number before
   * the tests, on every pair (measured: half the time of the offer loops).
   */
  offerBoth(i: number, j: number, s: number, cnt: number): void {
    const mi = this.min[i];
    const mj = this.min[j];
    // Every comparison evaluated (see offerRange): cold `||` terms cost deoptimisations.
    const toI = +(s > mi) | (+(s === mi) & +(j < this.minIndex[i]));
    const toJ = +(s > mj) | (+(s === mj) & +(i < this.minIndex[j]));
    if ((toI | toJ) !== 0) this.admit(i, j, s, cnt, toI, toJ);
  }

  /**
   * Offers j to x's heap only: for a pair whose other side is offered where the other movie is
   * processed (content-profiles.ts walks each movie's common-only candidates on its own).
   */
  offerOne(x: number, j: number, s: number, cnt: number): void {
    const mx = this.min[x];
    if ((+(s > mx) | (+(s === mx) & +(j < this.minIndex[x]))) !== 0) this.offer(x, j, s, cnt);
  }

  /** The rare path of offerBoth: puts the pair into the heaps that it beats. */
  admit(i: number, j: number, s: number, cnt: number, toI: number, toJ: number): void {
    if (toI !== 0) this.offer(i, j, s, cnt);
    if (toJ !== 0) this.offer(j, i, s, cnt);
  }

  /** Puts (j, s, c) into x's heap; the caller checked that it beats min[x] (or ties it with a lower index). */
  private offer(x: number, j: number, s: number, c: number): void {
    const k = this.k;
    const h = x * k;
    const size = this.size[x];
    if (size < k) {
      siftUp(this.index, this.sim, this.co, h, size, j, s, c);
      this.size[x] = size + 1;
      if (size + 1 === k) {
        this.min[x] = this.sim[h];
        this.minIndex[x] = this.index[h];
      }
    } else {
      siftDown(this.index, this.sim, this.co, h, k, j, s, c);
      this.min[x] = this.sim[h];
      this.minIndex[x] = this.index[h];
    }
  }

  /** Heapsorts every heap in place (best first) and hands the arrays over. */
  sorted(): Pick<Neighbours, 'count' | 'index' | 'similarity' | 'coCount'> {
    const { k, index, sim, co } = this;
    for (let x = 0; x < this.size.length; x++) {
      const h = x * k;
      for (let size = this.size[x]; size > 1; size--) {
        const last = h + size - 1;
        const wi = index[h];
        const ws = sim[h];
        const wc = co[h];
        siftDown(index, sim, co, h, size - 1, index[last], sim[last], co[last]);
        index[last] = wi;
        sim[last] = ws;
        co[last] = wc;
      }
    }
    return { count: this.size, index, similarity: sim, coCount: co };
  }
}
