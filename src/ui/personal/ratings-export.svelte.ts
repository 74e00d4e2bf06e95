import type { InputProblem } from '../../lib/types';
import type { Outcome } from '../../lib/pipeline/outcome';
import type { ModelQueries, Recommended } from '../../lib/model/model-queries';
import type { MyRatings } from '../my-ratings.svelte';
import type { Session } from '../session.svelte';
import { downloadFile } from '../../platform/download';
import { matchCatalogOf, personalBridge } from './personal-worker';

/** What each export is called on disk. */
export const EXPORT_FILE_NAMES = {
  movielens: 'latentlens-ratings.csv',
  letterboxd: 'latentlens-letterboxd-import.csv',
  recommendations: 'latentlens-recommendations.csv',
} as const;

/** How many recommendations the CSV holds: the list "Recommended for you" shows. */
const RECOMMENDATIONS = 20;

/**
 * "Recommended for you" without the films the person has seen (imported as watched without a
 * rating). ModelQueries.recommend excludes rated movies only, so it is asked for as many more as
 * there are seen films, and those are dropped here.
 */
export function unseenRecommendations(queries: ModelQueries, mine: MyRatings, limit = RECOMMENDATIONS): Recommended[] {
  return queries
    .recommend(mine.byMovieId, limit + mine.seen.size)
    .items.filter((r) => !mine.seen.has(r.movieId))
    .slice(0, limit);
}

const plural = (n: number, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`;

/**
 * The exports of the person's ratings and recommendations as downloads (a Blob URL and a link,
 * so nothing leaves the device). The worker writes the rating files, since the Letterboxd one
 * reads links.csv for IMDb ids.
 */
export class RatingsExport {
  busy = $state(false);
  problem = $state<InputProblem | null>(null);
  /** What the last export saved. */
  note = $state('');
  private readonly bridge = personalBridge();

  constructor(
    private readonly session: Session,
    private readonly mine: MyRatings,
  ) {}

  /** Your ratings as MovieLens's ratings.csv (our backup format) or Letterboxd's import format. */
  async ratings(format: 'movielens' | 'letterboxd'): Promise<void> {
    const model = this.session.model;
    if (!model || this.busy) return;
    // Loaded on the first export: the CSV writer (PapaParse) is not needed to open the page.
    const { ratingRecords } = await import('../../lib/personal/export-ratings');
    const records = ratingRecords(this.mine.byMovieId, this.mine.ratedAt);
    const outcome = await this.run(() => this.bridge.run((api) => api.exportRatings(format, records, matchCatalogOf(model), this.session.links ?? undefined)));
    if (!outcome) return;
    const name = EXPORT_FILE_NAMES[format];
    downloadFile(name, outcome.text, 'text/csv');
    const written = records.length - outcome.omitted.length;
    const omitted = outcome.omitted.length ? ` ${plural(outcome.omitted.length, 'movie')} left out: not in this release and without an IMDb id.` : '';
    this.note = `Saved ${name}: ${plural(written, 'rating')}.${omitted}`;
  }

  /** The recommendations shown, with IMDb ids when the release has links.csv. */
  async recommendations(queries: ModelQueries): Promise<void> {
    if (this.busy) return;
    const items = unseenRecommendations(queries, this.mine);
    const file = this.session.links;
    const links = file ? await this.run(() => this.bridge.run((api) => api.readLinks(file))) : undefined;
    if (file && !links) return;
    const { recommendationsToCsv } = await import('../../lib/personal/recommendations-csv');
    downloadFile(EXPORT_FILE_NAMES.recommendations, recommendationsToCsv(items, links), 'text/csv');
    this.note = `Saved ${EXPORT_FILE_NAMES.recommendations}: ${plural(items.length, 'recommendation')}.`;
  }

  private async run<T>(call: () => Promise<Outcome<T>>): Promise<T | undefined> {
    this.busy = true;
    this.problem = null;
    this.note = '';
    try {
      const outcome = await call();
      if (outcome.ok) return outcome.value;
      this.problem = outcome.problem;
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
