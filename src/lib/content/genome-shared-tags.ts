/**
 * The genome tags two movies have most in common, for "shares: mafia, organized crime" lines:
 * the tags with the largest product of the two movies' relevances, i.e. the largest terms of
 * their genome dot product (the genome part of the content cosine, before the norms, which are
 * the same for every tag of the pair).
 */
import { genomeRowOf, type GenomeMatrix } from './genome-matrix';

/**
 * Up to `limit` genome tag names of movies i and j (dense indices), largest relevance product
 * first, ties by name; only products above 0. Empty when there is no genome or either movie has
 * no genome row.
 */
export function sharedGenomeTags(content: { genome?: GenomeMatrix }, i: number, j: number, limit = 3): string[] {
  const genome = content.genome;
  if (!genome || limit <= 0) return [];
  const gi = genomeRowOf(genome, i);
  const gj = genomeRowOf(genome, j);
  if (gi < 0 || gj < 0) return [];
  const d = genome.dims;
  const rel = genome.relevance;
  const products: { name: string; product: number }[] = [];
  for (let t = 0; t < d; t++) {
    const product = rel[gi * d + t] * rel[gj * d + t];
    if (product > 0) products.push({ name: genome.tagNames[t], product });
  }
  return products
    .sort((x, y) => y.product - x.product || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
    .slice(0, limit)
    .map((e) => e.name);
}
