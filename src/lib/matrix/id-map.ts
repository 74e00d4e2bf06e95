/**
 * Raw MovieLens ids <-> dense indices 0..n-1. Dense order is raw-id order (IdMap.ids is sorted),
 * so "ties broken by lower index" everywhere downstream means "ties broken by lower raw id".
 */
import type { IdMap, RatingsBatch } from '../types';

/**
 * Ids up to this value get an Int32Array lookup table (4 bytes per possible id: 200 MB at the
 * limit, 1.2 MB for ml-32m's largest movie id). Beyond it a Map is used, which is ~20x slower
 * per lookup but only ever needed for synthetic or foreign data with huge ids.
 */
const MAX_TABLE_ID = 50_000_000;

/** The sorted, unique raw ids found in any of the columns (e.g. every batch's userIds). */
export function buildIdMap(columns: Int32Array[]): IdMap {
  const table = presenceOf(columns);
  if (table) {
    const { seen, unique } = table;
    const ids = new Int32Array(unique);
    let w = 0;
    for (let id = 0; w < unique; id++) if (seen[id] === 1) ids[w++] = id;
    return { ids };
  }

  // Negative or huge ids: concatenate, sort numerically (typed-array sort), drop repeats.
  let total = 0;
  for (const col of columns) total += col.length;
  const all = new Int32Array(total);
  let off = 0;
  for (const col of columns) {
    all.set(col, off);
    off += col.length;
  }
  all.sort();
  let w = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[w - 1]) all[w++] = all[i];
  return { ids: all.slice(0, w) };
}

/**
 * A presence bitmap of the ids (seen[id] = 1) and how many there are, in ONE pass over the
 * columns: the map grows as larger ids turn up (doubling, so the copies add up to less than its
 * final size), where a first pass for the largest id read every id twice (ML-25M: 50M ids, a
 * fifth of this stage). Null as soon as an id is negative or above MAX_TABLE_ID. No sort, which
 * matters for 32M user ids.
 */
function presenceOf(columns: Int32Array[]): { seen: Uint8Array; unique: number } | null {
  let seen = new Uint8Array(1 << 16);
  let unique = 0;
  for (const col of columns) {
    const n = col.length;
    let i = 0;
    while (i < n) {
      // The run of ids that fit the current map, without a size test of its own per id.
      const size = seen.length;
      for (; i < n; i++) {
        const id = col[i];
        if (id >>> 0 >= size) break;
        unique += 1 - seen[id];
        seen[id] = 1;
      }
      if (i === n) break;
      const id = col[i];
      if (id < 0 || id > MAX_TABLE_ID) return null;
      const grown = new Uint8Array(Math.min(MAX_TABLE_ID + 1, Math.max(2 * size, id + 1)));
      grown.set(seen);
      seen = grown;
    }
  }
  return { seen, unique };
}

/**
 * A function from raw id to dense index, or -1 for an id not in the map. Uses a lookup table when
 * the ids are small non-negative numbers (always, for MovieLens), else a Map.
 */
export function createIndexer(map: IdMap): (rawId: number) => number {
  const table = lookupTable(map);
  if (table !== null) {
    const n = table.length;
    // Unsigned compare folds "rawId < 0" and "rawId >= n" into one branch.
    return (rawId: number): number => (rawId >>> 0 < n ? table[rawId] : -1);
  }
  const m = new Map<number, number>();
  const ids = map.ids;
  for (let i = 0; i < ids.length; i++) m.set(ids[i], i);
  return (rawId: number): number => m.get(rawId) ?? -1;
}

/**
 * The raw-id -> dense-index table (-1 where absent), or null when the ids are negative or larger
 * than the table limit. For hot loops that want a plain array read instead of a call.
 */
export function lookupTable(map: IdMap): Int32Array | null {
  const ids = map.ids;
  const n = ids.length;
  if (n === 0) return new Int32Array(0);
  if (ids[0] < 0 || ids[n - 1] > MAX_TABLE_ID) return null;
  const table = new Int32Array(ids[n - 1] + 1).fill(-1);
  for (let i = 0; i < n; i++) table[ids[i]] = i;
  return table;
}

/** The filled part of one id column of every batch, ready for buildIdMap. */
export function idsOf(batches: RatingsBatch[], column: 'userIds' | 'movieIds'): Int32Array[] {
  return batches.map((b) => b[column].subarray(0, b.count));
}
