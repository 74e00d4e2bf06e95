/**
 * The flat k-slot min-heaps both neighbour kernels (collaborative and content) keep per movie:
 * the root is the WORST kept neighbour, under the total order similarity desc, index asc, so a
 * candidate is rejected with one comparison once the heap is full and the top-K is unique.
 */

/**
 * Inserts (j, s, c) at slot `size` of the heap starting at h and restores heap order
 * (parent is worse than or equal to its children: lower similarity, or equal and higher index).
 */
export function siftUp(hIndex: Int32Array, hSim: Float32Array, hCo: Int32Array, h: number, size: number, j: number, s: number, c: number): void {
  let pos = size;
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    const ps = hSim[h + parent];
    // Stop when the parent is already worse than the new entry.
    if (ps < s || (ps === s && hIndex[h + parent] > j)) break;
    hIndex[h + pos] = hIndex[h + parent];
    hSim[h + pos] = ps;
    hCo[h + pos] = hCo[h + parent];
    pos = parent;
  }
  hIndex[h + pos] = j;
  hSim[h + pos] = s;
  hCo[h + pos] = c;
}

/** Replaces the root of the heap (size entries at h) with (j, s, c) and sifts it down. */
export function siftDown(hIndex: Int32Array, hSim: Float32Array, hCo: Int32Array, h: number, size: number, j: number, s: number, c: number): void {
  let pos = 0;
  for (;;) {
    let child = 2 * pos + 1;
    if (child >= size) break;
    // Pick the worse child: it is the one that may need to rise above the new entry.
    const r = child + 1;
    if (r < size) {
      const ls = hSim[h + child];
      const rs = hSim[h + r];
      if (rs < ls || (rs === ls && hIndex[h + r] > hIndex[h + child])) child = r;
    }
    const cs = hSim[h + child];
    if (s < cs || (s === cs && j > hIndex[h + child])) break;
    hIndex[h + pos] = hIndex[h + child];
    hSim[h + pos] = cs;
    hCo[h + pos] = hCo[h + child];
    pos = child;
  }
  hIndex[h + pos] = j;
  hSim[h + pos] = s;
  hCo[h + pos] = c;
}
