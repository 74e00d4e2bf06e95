/**
 * The common-only pairs of the content neighbours, found class by class instead of pair by pair.
 *
 * Genres and era (the "common" columns: the leading `commonColumns` of the feature matrix) link
 * nearly every pair of a large catalogue: 62k movies make ~2e9 such pairs, a minute and a half of
 * the sparse accumulator. But the common part of a row takes few distinct values. A PROFILE is
 * the exact (column, value) list of a row's common columns: a genre set and a five-year bucket,
 * ~7k profiles among 62k movies. For a pair (i, j) that shares nothing else — no rare column
 * (users' tags) in common, not both with a genome row — the dot product is the profiles' own,
 * C(p_i, p_j), so
 *
 *   sim(i, j) = fround(C(p_i, p_j) · (invN_i · invN_j)),
 *
 * equal for every such j of one CLASS: the movies of one profile and one kind (with or without
 * rare columns, with or without a genome row), whose norms are then equal up to rounding. So:
 * - per profile p, the classes q sharing a column with p are ordered by the bound
 *   t(p, q) = C(p, p_q) · max invN over q's members (only a prefix of that order is built,
 *   enough to cover K members, and extended when a walk runs past its end);
 * - per movie i, a walk down that order offers each class's members, invN descending (so their
 *   similarities never increase), to i's heap alone, skipping i itself and the movies that share
 *   a rare column with i (the main loop computes those pairs whole); it stops once a class's
 *   bound cannot reach i's K-th best.
 * Exactness: the pair is offered to j's heap when j is walked, with the same float32 (C is
 * summed over the shared columns in ascending order from either side, and the product of the
 * norms commutes), and a walk only skips what its bound proves cannot enter. Each movie's walk
 * depends on nothing but the movie, so movieRange partitions still merge bit-identically.
 * Work: one C row per profile (Σ over its columns of the profiles having them) and a pass over
 * the classes for its order; then ~K offers per movie.
 */
import type { ChunkedCsr } from '../types';
import type { TopKHeaps } from './content-heaps';

/**
 * Covers rounding in the walk's stop test: the bound t·invN_i is computed in Float64 with a few
 * roundings (relative error ~1e-16 each), against similarities rounded the same way; a margin of
 * 1e-12 makes "bound < K-th best" imply that no later member can reach it.
 */
const BOUND_SLACK = 1 + 1e-12;

/** When the walk needs more classes than its order holds, the next order covers this many times more members. */
const EXTEND_FACTOR = 4;

/** The distinct common parts of the rows, and one row of C(p, ·) at a time. */
export class CommonProfiles {
  /** Distinct non-empty common parts. */
  readonly count: number;
  /**
   * profileOf[i] in [0, count), or `count` for a movie without common columns: slot `count` of
   * dot and co is never written, so C with such a movie reads 0 without a branch.
   */
  readonly profileOf: Int32Array;
  /** What filling C(p, ·) costs: Σ over p's columns of the profiles that have the column. */
  readonly rowCost: Float64Array;
  /** C(p, q) for the profile of the last fillRow, 0 elsewhere; count + 1 entries. */
  readonly dot: Float64Array;
  /** Common columns shared with that profile (the coCount part). */
  readonly co: Int32Array;
  /** Shared columns of the last pairDot. */
  pairCo = 0;
  // Profile rows: profile p spans pIndptr[p]..pIndptr[p+1], columns ascending.
  private readonly pIndptr: Int32Array;
  private readonly pCol: Int32Array;
  private readonly pVal: Float32Array;
  // Columns -> profiles: column c spans cIndptr[c]..cIndptr[c+1], profiles ascending.
  private readonly cIndptr: Int32Array;
  private readonly cProf: Int32Array;
  private readonly cVal: Float32Array;
  private readonly touched: Int32Array;
  private nTouched = 0;

  constructor(matrix: ChunkedCsr, commonColumns: number) {
    const n = matrix.rows;
    const nC = Math.max(0, Math.min(commonColumns, matrix.cols));
    this.profileOf = new Int32Array(n);
    const idOf = new Map<string, number>();
    const cols: number[] = [];
    const vals: number[] = [];
    const indptr: number[] = [0];
    const pending: number[] = [];
    for (const ch of matrix.chunks) {
      for (let r = 0; r < ch.rowCount; r++) {
        const start = ch.indptr[r];
        let end = start;
        while (end < ch.indptr[r + 1] && ch.indices[end] < nC) end++;
        if (end === start) {
          pending.push(ch.firstRow + r);
          continue;
        }
        // The exact columns and float32 values: equal keys, equal rows.
        let key = '';
        for (let p = start; p < end; p++) key += `${ch.indices[p]}:${ch.values[p]},`;
        let id = idOf.get(key);
        if (id === undefined) {
          id = idOf.size;
          idOf.set(key, id);
          for (let p = start; p < end; p++) {
            cols.push(ch.indices[p]);
            vals.push(ch.values[p]);
          }
          indptr.push(cols.length);
        }
        this.profileOf[ch.firstRow + r] = id;
      }
    }
    const count = idOf.size;
    this.count = count;
    for (const i of pending) this.profileOf[i] = count;
    this.pIndptr = Int32Array.from(indptr);
    this.pCol = Int32Array.from(cols);
    this.pVal = Float32Array.from(vals);

    // Transpose: profiles are visited in ascending order, so each column's list is ascending.
    this.cIndptr = new Int32Array(nC + 1);
    for (const c of cols) this.cIndptr[c + 1]++;
    for (let c = 0; c < nC; c++) this.cIndptr[c + 1] += this.cIndptr[c];
    const fill = this.cIndptr.slice(0, nC);
    this.cProf = new Int32Array(cols.length);
    this.cVal = new Float32Array(cols.length);
    for (let p = 0; p < count; p++) {
      for (let e = this.pIndptr[p]; e < this.pIndptr[p + 1]; e++) {
        const at = fill[this.pCol[e]]++;
        this.cProf[at] = p;
        this.cVal[at] = this.pVal[e];
      }
    }
    this.rowCost = new Float64Array(count + 1);
    for (let p = 0; p < count; p++) {
      for (let e = this.pIndptr[p]; e < this.pIndptr[p + 1]; e++) this.rowCost[p] += this.cIndptr[this.pCol[e] + 1] - this.cIndptr[this.pCol[e]];
    }
    this.dot = new Float64Array(count + 1);
    this.co = new Int32Array(count + 1);
    this.touched = new Int32Array(count);
  }

  /**
   * Fills dot[q] = C(p, q) and co[q] for every profile q sharing a column with p (clearRow
   * first). Summed over p's columns ascending, i.e. over the shared columns ascending, as
   * pairDot does: the value is the same whichever side or method computes it.
   */
  fillRow(p: number): void {
    const dot = this.dot;
    const co = this.co;
    const touched = this.touched;
    const cIndptr = this.cIndptr;
    const cProf = this.cProf;
    const cVal = this.cVal;
    let nt = this.nTouched;
    for (let e = this.pIndptr[p]; e < this.pIndptr[p + 1]; e++) {
      const c = this.pCol[e];
      const x = this.pVal[e];
      for (let at = cIndptr[c], end = cIndptr[c + 1]; at < end; at++) {
        const q = cProf[at];
        const cc = co[q];
        if (cc === 0) touched[nt++] = q;
        co[q] = cc + 1;
        dot[q] += x * cVal[at];
      }
    }
    this.nTouched = nt;
  }

  /** The profiles the current row touched, in first-touch order, and how many. */
  touchedProfiles(): { list: Int32Array; count: number } {
    return { list: this.touched, count: this.nTouched };
  }

  /** Resets what fillRow wrote. */
  clearRow(): void {
    const dot = this.dot;
    const co = this.co;
    const touched = this.touched;
    for (let t = 0, nt = this.nTouched; t < nt; t++) {
      const q = touched[t];
      dot[q] = 0;
      co[q] = 0;
    }
    this.nTouched = 0;
  }

  /** C(p, q) by a merge of the two rows (pairCo: shared columns); for a few pairs, cheaper than a row. */
  pairDot(p: number, q: number): number {
    let s = 0;
    let shared = 0;
    if (p < this.count && q < this.count) {
      let a = this.pIndptr[p];
      let b = this.pIndptr[q];
      const aEnd = this.pIndptr[p + 1];
      const bEnd = this.pIndptr[q + 1];
      while (a < aEnd && b < bEnd) {
        const ca = this.pCol[a];
        const cb = this.pCol[b];
        if (ca < cb) a++;
        else if (cb < ca) b++;
        else {
          s += this.pVal[a] * this.pVal[b];
          shared++;
          a++;
          b++;
        }
      }
    }
    this.pairCo = shared;
    return s;
  }
}

/** A prefix of one profile's classes in walk order; see CommonOnlyPairs.orderFor. */
interface ClassOrder {
  /** Class ids by bound t descending, then class id ascending. */
  cls: Int32Array;
  t: Float64Array;
  /** C and shared common columns of the profile with each class's profile. */
  dot: Float64Array;
  co: Int32Array;
  /** The best bound among the classes left out; -Infinity when the order is complete. */
  nextT: number;
  /** Members (all, and those without a genome row) the prefix was built to cover. */
  need: number;
  /** The fewer of the two it covers: a longer prefix must ask for more than this. */
  covered: number;
}

/** Walks each movie's common-only candidates; see the header. */
export class CommonOnlyPairs {
  /** classOf[i], or -1 for a movie that is nobody's common-only candidate (no profile, no content). */
  private readonly classOf: Int32Array;
  private readonly classGenome: Uint8Array;
  private readonly classMaxInv: Float64Array;
  /** 1 when every member of the class has the same invN: one similarity for all, members by index. */
  private readonly classUniform: Uint8Array;
  /** Members of class c: members[classStart[c]..classStart[c+1]], invN descending, index ascending. */
  private readonly classStart: Int32Array;
  private readonly members: Int32Array;
  /** Classes of profile p: byProfile[profileStart[p]..profileStart[p+1]]. */
  private readonly profileStart: Int32Array;
  private readonly byProfile: Int32Array;
  /** The largest classMaxInv among profile p's classes: one bound for all of them. */
  private readonly profileMaxInv: Float64Array;
  private readonly orders: (ClassOrder | undefined)[];
  // orderFor's heap: bound, members, members without a genome row.
  private readonly heapT: Float64Array;
  private readonly heapAll: Int32Array;
  private readonly heapPlain: Int32Array;

  constructor(
    private readonly profiles: CommonProfiles,
    private readonly invNorm: Float64Array,
    hasRare: Uint8Array,
    genomeOf: Int32Array,
    private readonly k: number,
  ) {
    const n = invNorm.length;
    const nP = profiles.count;
    // Class ids in order of first member: the same in every worker.
    const idOfKey = new Int32Array(4 * nP).fill(-1);
    this.classOf = new Int32Array(n).fill(-1);
    const profileOfClass: number[] = [];
    const genomeOfClass: number[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = profiles.profileOf[i];
      if (p === nP || !(invNorm[i] === invNorm[i])) continue;
      const g = genomeOf[i] >= 0 ? 1 : 0;
      const key = 4 * p + 2 * hasRare[i] + g;
      let c = idOfKey[key];
      if (c < 0) {
        c = idOfKey[key] = sizes.length;
        profileOfClass.push(p);
        genomeOfClass.push(g);
        sizes.push(0);
      }
      this.classOf[i] = c;
      sizes[c]++;
    }
    const nClasses = sizes.length;
    this.classGenome = Uint8Array.from(genomeOfClass);
    this.classStart = new Int32Array(nClasses + 1);
    for (let c = 0; c < nClasses; c++) this.classStart[c + 1] = this.classStart[c] + sizes[c];
    this.members = new Int32Array(this.classStart[nClasses]);
    const fill = this.classStart.slice(0, nClasses);
    for (let i = 0; i < n; i++) if (this.classOf[i] >= 0) this.members[fill[this.classOf[i]]++] = i;
    this.classMaxInv = new Float64Array(nClasses);
    this.classUniform = new Uint8Array(nClasses);
    for (let c = 0; c < nClasses; c++) {
      const part = this.members.subarray(this.classStart[c], this.classStart[c + 1]);
      // Norms within a class differ only by rounding, so this is nearly always in order already.
      part.set(Array.from(part).sort((x, y) => invNorm[y] - invNorm[x] || x - y));
      this.classMaxInv[c] = invNorm[part[0]];
      this.classUniform[c] = invNorm[part[0]] === invNorm[part[part.length - 1]] ? 1 : 0;
    }
    this.profileStart = new Int32Array(nP + 1);
    for (const p of profileOfClass) this.profileStart[p + 1]++;
    for (let p = 0; p < nP; p++) this.profileStart[p + 1] += this.profileStart[p];
    this.byProfile = new Int32Array(nClasses);
    const at = this.profileStart.slice(0, nP);
    for (let c = 0; c < nClasses; c++) this.byProfile[at[profileOfClass[c]]++] = c;
    this.profileMaxInv = new Float64Array(nP);
    for (let c = 0; c < nClasses; c++) this.profileMaxInv[profileOfClass[c]] = Math.max(this.profileMaxInv[profileOfClass[c]], this.classMaxInv[c]);
    this.orders = new Array<ClassOrder | undefined>(nP);
    this.heapT = new Float64Array(nClasses);
    this.heapAll = new Int32Array(nClasses);
    this.heapPlain = new Int32Array(nClasses);
  }

  /**
   * Offers movie i's common-only candidates to its heap: every movie j sharing a common column
   * with i whose similarity can still enter, except i itself, the movies with excluded[j] ===
   * stamp (they share a rare column with i) and, when i has a genome row, the movies that have
   * one too. Returns the members looked at.
   */
  offer(i: number, excluded: Int32Array, stamp: number, heaps: TopKHeaps): number {
    const ci = this.classOf[i];
    if (ci < 0) return 0;
    const p = this.profiles.profileOf[i];
    const invI = this.invNorm[i];
    const iGenome = this.classGenome[ci];
    const min = heaps.min;
    const minIndex = heaps.minIndex;
    const invNorm = this.invNorm;
    const members = this.members;
    let order = this.orders[p] ?? (this.orders[p] = this.orderFor(p, this.k + 1));
    let looked = 0;
    for (let pos = 0; ; pos++) {
      if (pos === order.cls.length) {
        // Past the prefix: stop if the best class left out cannot enter, else build a longer one
        // (it starts with this one: both are prefixes of the same order).
        if (order.nextT === -Infinity || Math.fround(order.nextT * invI * BOUND_SLACK) < min[i]) break;
        order = this.orders[p] = this.orderFor(p, Math.max(order.need * EXTEND_FACTOR, order.covered + 1));
      }
      const c = order.cls[pos];
      if ((iGenome & this.classGenome[c]) !== 0) continue;
      if (Math.fround(order.t[pos] * invI * BOUND_SLACK) < min[i]) break;
      const d = order.dot[pos];
      const cnt = order.co[pos];
      const end = this.classStart[c + 1];
      if (this.classUniform[c]) {
        // One similarity for the class, members by index: once one cannot enter (below i's
        // K-th best, or equal to it with a higher index), none of the later ones can.
        const s = Math.fround(d * (invI * this.classMaxInv[c]));
        for (let m = this.classStart[c]; m < end; m++) {
          const j = members[m];
          looked++;
          if (s < min[i] || (s === min[i] && j > minIndex[i])) break;
          if (j === i || excluded[j] === stamp) continue;
          heaps.offerOne(i, j, s, cnt);
        }
      } else {
        for (let m = this.classStart[c]; m < end; m++) {
          const j = members[m];
          const s = Math.fround(d * (invI * invNorm[j]));
          looked++;
          if (s < min[i]) break;
          if (j === i || excluded[j] === stamp) continue;
          heaps.offerOne(i, j, s, cnt);
        }
      }
    }
    return looked;
  }

  /**
   * The classes sharing a column with profile p, best bound first: the shortest prefix of that
   * order that covers `need` members and `need` members without a genome row (a movie with a
   * genome row skips the classes with one), and every class tied with its last one (a walk must
   * see all of a tie). Two passes over the classes: a min-heap of bounds finds the threshold T
   * (most classes are rejected by one comparison with its root), then the classes with t >= T
   * are collected and sorted.
   */
  private orderFor(p: number, need: number): ClassOrder {
    const profiles = this.profiles;
    profiles.fillRow(p);
    const { list, count } = profiles.touchedProfiles();
    const dot = profiles.dot;
    const profileStart = this.profileStart;
    const byProfile = this.byProfile;
    const maxInv = this.classMaxInv;
    const classStart = this.classStart;
    const classGenome = this.classGenome;
    const hT = this.heapT;
    const hAll = this.heapAll;
    const hPlain = this.heapPlain;
    const profileMaxInv = this.profileMaxInv;
    let n = 0;
    let all = 0;
    let plain = 0;
    for (let u = 0; u < count; u++) {
      const q = list[u];
      const d = dot[q];
      // Most profiles are far below the root once the heap covers: one test for all their classes.
      if (all >= need && plain >= need && d * profileMaxInv[q] <= hT[0]) continue;
      for (let e = profileStart[q]; e < profileStart[q + 1]; e++) {
        const c = byProfile[e];
        const t = d * maxInv[c];
        // Not above the root of a heap that already covers: not needed to find T.
        if (all >= need && plain >= need && t <= hT[0]) continue;
        const size = classStart[c + 1] - classStart[c];
        const sizePlain = classGenome[c] ? 0 : size;
        all += size;
        plain += sizePlain;
        let at = n++;
        while (at > 0) {
          const parent = (at - 1) >> 1;
          if (!(t < hT[parent])) break;
          hT[at] = hT[parent];
          hAll[at] = hAll[parent];
          hPlain[at] = hPlain[parent];
          at = parent;
        }
        hT[at] = t;
        hAll[at] = size;
        hPlain[at] = sizePlain;
        // Drop the lowest bound while the rest still cover what is needed.
        while (n > 1 && all - hAll[0] >= need && plain - hPlain[0] >= need) {
          all -= hAll[0];
          plain -= hPlain[0];
          n--;
          const lt = hT[n];
          const la = hAll[n];
          const lp = hPlain[n];
          let r = 0;
          for (;;) {
            let child = 2 * r + 1;
            if (child >= n) break;
            if (child + 1 < n && hT[child + 1] < hT[child]) child++;
            if (!(hT[child] < lt)) break;
            hT[r] = hT[child];
            hAll[r] = hAll[child];
            hPlain[r] = hPlain[child];
            r = child;
          }
          hT[r] = lt;
          hAll[r] = la;
          hPlain[r] = lp;
        }
      }
    }
    // -Infinity when nothing shares a column with p: the order is then empty and complete.
    const threshold = n > 0 ? hT[0] : -Infinity;
    const keptT: number[] = [];
    const keptC: number[] = [];
    all = 0;
    plain = 0;
    let nextT = -Infinity;
    for (let u = 0; u < count; u++) {
      const q = list[u];
      const d = dot[q];
      const best = d * profileMaxInv[q];
      if (best < threshold) {
        // The best class left out sets nextT: the profile's bound is that class's t.
        if (best > nextT) nextT = best;
        continue;
      }
      for (let e = profileStart[q]; e < profileStart[q + 1]; e++) {
        const c = byProfile[e];
        const t = d * maxInv[c];
        if (t >= threshold) {
          keptT.push(t);
          keptC.push(c);
          const size = classStart[c + 1] - classStart[c];
          all += size;
          plain += classGenome[c] ? 0 : size;
        } else if (t > nextT) nextT = t;
      }
    }
    const byOrder = keptC.map((_, x) => x).sort((x, y) => keptT[y] - keptT[x] || keptC[x] - keptC[y]);
    const len = byOrder.length;
    const order: ClassOrder = {
      cls: new Int32Array(len),
      t: new Float64Array(len),
      dot: new Float64Array(len),
      co: new Int32Array(len),
      nextT,
      need,
      covered: Math.min(all, plain),
    };
    byOrder.forEach((x, at) => {
      const c = keptC[x];
      const q = this.profileOfClass(c);
      order.cls[at] = c;
      order.t[at] = keptT[x];
      order.dot[at] = dot[q];
      order.co[at] = profiles.co[q];
    });
    profiles.clearRow();
    return order;
  }

  private profileOfClass(c: number): number {
    return this.profiles.profileOf[this.members[this.classStart[c]]];
  }
}
