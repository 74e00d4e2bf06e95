/**
 * The page side of the explore worker, shared by the Explore and Learn views: one worker, so
 * the model it reads from the cache (and the movie-major columns it derives) is loaded once.
 */
import type { ExploreApi } from '../../../workers/explore.worker';
import type { InputProblem, Progress } from '../../lib/types';
import type { Outcome } from '../../lib/pipeline/outcome';
import type { Remote } from 'comlink';
import { WorkerBridge } from '../../platform/worker-bridge';

const bridge = new WorkerBridge<ExploreApi>(
  () => new Worker(new URL('../../../workers/explore.worker.ts', import.meta.url), { type: 'module', name: 'latentlens-explore' }),
  'The explore worker',
);

/** One worker call with its progress and problem as reactive state, for a component to render. */
export class ExploreTask<T> {
  running = $state(false);
  progress = $state<Progress | null>(null);
  problem = $state<InputProblem | null>(null);
  value = $state.raw<T | null>(null);
  /** Milliseconds the last successful call took in the worker. */
  elapsedMs = $state(0);
  private generation = 0;

  async run(call: (api: Remote<ExploreApi>, onProgress: (p: Progress) => void) => Promise<Outcome<T & { elapsedMs: number }>>): Promise<void> {
    const mine = ++this.generation;
    this.running = true;
    this.problem = null;
    this.progress = null;
    const outcome = await bridge.run(call, (p) => {
      if (mine === this.generation) this.progress = p;
    });
    // A newer call started meanwhile: its answer is the one to show.
    if (mine !== this.generation) return;
    this.running = false;
    if (outcome.ok) {
      this.value = outcome.value;
      this.elapsedMs = outcome.value.elapsedMs;
    } else {
      this.problem = outcome.problem;
    }
  }
}

/** Stops whatever the explore worker is doing (e.g. a long taste map). */
export function cancelExplore(): void {
  bridge.cancel('Cancelled. Start it again when you are ready.');
}
