import { proxy, wrap, type Remote } from 'comlink';
import type { PipelineApi } from '../../workers/pipeline.worker';
import type { InputProblem, Progress } from '../lib/types';
import type { Outcome } from '../lib/pipeline/outcome';

const CRASH_ADVICE =
  'Try a smaller MovieLens release, close other tabs to free memory, or reload the page.';

/**
 * Owns the pipeline worker's life: starts it on demand, turns a crash or a cancel into a
 * rejected call (a Comlink promise whose worker died would otherwise never settle), and
 * terminates it to cancel, since a busy worker cannot read a "stop" message.
 */
export class PipelineBridge {
  private worker: Worker | null = null;
  private remote: Remote<PipelineApi> | null = null;
  private readonly pending = new Set<(problem: InputProblem) => void>();

  private ensure(): Remote<PipelineApi> {
    if (this.remote) return this.remote;
    const worker = new Worker(new URL('../../workers/pipeline.worker.ts', import.meta.url), {
      type: 'module',
      name: 'latentlens-pipeline',
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail({
        kind: 'worker',
        file: '',
        message: `The background worker stopped unexpectedly${event.message ? ` (${event.message})` : ''}. ${CRASH_ADVICE}`,
      });
    });
    worker.addEventListener('messageerror', () => {
      this.fail({ kind: 'worker', file: '', message: `The background worker sent a message the page could not read. ${CRASH_ADVICE}` });
    });
    this.worker = worker;
    this.remote = wrap<PipelineApi>(worker);
    return this.remote;
  }

  /** Runs one call; resolves with its outcome, or with a problem if the worker dies or is cancelled first. */
  async run<T>(call: (api: Remote<PipelineApi>, onProgress: (p: Progress) => void) => Promise<Outcome<T>>, onProgress: (p: Progress) => void): Promise<Outcome<T>> {
    const api = this.ensure();
    let settle!: (problem: InputProblem) => void;
    const death = new Promise<Outcome<T>>((resolve) => {
      settle = (problem) => resolve({ ok: false, problem });
    });
    this.pending.add(settle);
    try {
      return await Promise.race([
        call(api, proxy(onProgress)).catch((error: unknown): Outcome<T> => ({
          ok: false,
          problem: { kind: 'worker', file: '', message: `The background worker failed: ${(error as Error)?.message ?? String(error)}. ${CRASH_ADVICE}` },
        })),
        death,
      ]);
    } finally {
      this.pending.delete(settle);
    }
  }

  /** Stops whatever the worker is doing, at once. The next call starts a fresh worker. */
  cancel(): void {
    this.fail({ kind: 'cancelled', file: '', message: 'Cancelled. The previous model, if any, is still in use.' });
  }

  private fail(problem: InputProblem): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    for (const settle of [...this.pending]) settle(problem);
    this.pending.clear();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }
}
