import type { PersonalApi } from '../../../workers/personal.worker';
import type { QueryableModel } from '../../lib/model/model-queries';
import type { MatchCatalog } from '../../lib/personal/match-index';
import { WorkerBridge } from '../../platform/worker-bridge';

/**
 * The door to the personal-data worker, which reads and matches imported ratings and writes the
 * exports off the main thread (a Letterboxd zip's inflate and the fuzzy title search would
 * otherwise stall the page). The import and the exports each have their own, so cancelling an
 * import (which ends its worker) never cuts off a download; a worker starts on first use.
 */
export function personalBridge(): WorkerBridge<PersonalApi> {
  return new WorkerBridge<PersonalApi>(
    () => new Worker(new URL('../../../workers/personal.worker.ts', import.meta.url), { type: 'module', name: 'latentlens-personal' }),
    'The worker reading your ratings',
  );
}

/**
 * The model's movies as matching needs them. The model's catalogue is aligned with its movie
 * index, and its vote counts rank the fuzzy search's near misses, most rated first.
 */
export function matchCatalogOf(model: QueryableModel): MatchCatalog {
  return { movieIds: model.catalog.movieIds, titles: model.catalog.titles, years: model.catalog.years, votes: model.stats.count };
}
