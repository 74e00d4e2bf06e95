/**
 * "shares: mafia, crime family, early 1970s": what two movies have in common, in the words a
 * person can check against the movie pages, for "Movies like this", "Similar in content" and
 * content-led recommendations.
 */
import type { ContentFeatures } from './content-features';
import { sharedContent } from './content-neighbours';
import type { GenomeMatrix } from './genome-matrix';

/**
 * The parts of a content model that explain a pair. The genome is optional so that a model
 * built without one (or before the content build carried it) still explains by genres, era and
 * users' tags.
 */
export interface ExplainableContent {
  features: Pick<ContentFeatures, 'matrix' | 'featureNames'>;
  genome?: GenomeMatrix;
  /** The genome block's length w in the content cosine (contentNeighbours' genomeWeight). */
  genomeWeight?: number;
}

/** Up to `limit` features (genres, era, tags, genome tags) that contribute most to sim(a, b), largest first. */
export function sharesOf(content: ExplainableContent, a: number, b: number, limit = 3): string[] {
  return sharedContent(content.features, content.genome, a, b, limit, content.genomeWeight);
}
