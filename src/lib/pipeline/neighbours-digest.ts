import type { Neighbours } from '../types';
import { checksum32 } from '../cache/checksum';

/**
 * A short fingerprint of a neighbour table (indices, similarities, co-counts, counts), so two
 * builds (one thread against many, Node against Chromium) can be compared for exact equality
 * without moving the tables around.
 */
export function neighboursDigest(n: Neighbours): string {
  return [n.count, n.index, n.similarity, n.coCount].map((a) => checksum32(a).toString(16).padStart(8, '0')).join('-');
}
