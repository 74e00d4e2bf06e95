import { proxy, wrap, type Remote } from 'comlink';
import type { InputProblem, Progress } from '../lib/types';
import type { Outcome } from '../lib/pipeline/outcome';
import { CACHE_LOCK } from './idb-store';

const CRASH_ADVICE = 'Try a smaller MovieLens release, close other tabs to free memory, or reload the page.';

/**
 * Owns one worker's life: starts it on demand, turns a crash or a cancel into a settled
 * outcome (a Comlink promise whose worker died would otherwise never settle), and terminates
 * it to cancel, since a worker busy in a loop cannot read a "stop" message.
 *
 * `start` must contain the literal `new Worker(new URL('…', import.meta.url), …)` so that Vite
 * bundles the worker; it is called again after every cancel or crash.
 */
export class WorkerBridge<Api> {
  private worker: Worker | null = null;
  private remote: Remote<Api> | null = null;
  private readonly pending = new Set<(problem: InputProblem) => void>();

  constructor(
    private readonly start: () => Worker,
    private readonly what = 'The background worker',
    /**
     * A Web Lock the worker may hold around its storage work (every worker here reads the cache
     * under it). The worker is terminated only while the page holds that lock, never inside it:
     * in Firefox ESR 153 the cross-engine suite saw a worker terminated inside it leave the lock
     * held for good, so every later save and restore, in every tab, waited forever, even after a
     * reload. Usually the lock is free and the worker stops at once; inside a cache read or write
     * it stops right after.
     */
    private readonly storageLock: string | null = CACHE_LOCK,
  ) {}

  private ensure(): Remote<Api> {
    if (this.remote) return this.remote;
    const worker = this.start();
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail({
        kind: 'worker',
        file: '',
        message: `${this.what} stopped unexpectedly${event.message ? ` (${event.message})` : ''}. ${CRASH_ADVICE}`,
      });
    });
    worker.addEventListener('messageerror', () => {
      this.fail({ kind: 'worker', file: '', message: `${this.what} sent a message the page could not read. ${CRASH_ADVICE}` });
    });
    this.worker = worker;
    this.remote = wrap<Api>(worker);
    return this.remote;
  }

  /**
   * Runs one call; resolves with its outcome, or with a problem if the worker dies, is
   * cancelled, or (with `watchdogMs`) sends no progress for that long: a worker stuck in a loop
   * or swapping cannot say so itself, so silence is the signal.
   */
  async run<T>(
    call: (api: Remote<Api>, onProgress: (p: Progress) => void) => Promise<Outcome<T>>,
    onProgress: (p: Progress) => void = () => {},
    watchdogMs = 0,
  ): Promise<Outcome<T>> {
    const api = this.ensure();
    let settle!: (problem: InputProblem) => void;
    const death = new Promise<Outcome<T>>((resolve) => {
      settle = (problem) => resolve({ ok: false, problem });
    });
    this.pending.add(settle);
    let lastHeard = performance.now();
    let settled = false;
    const heard = (p: Progress) => {
      // A cancelled worker may still be finishing a cache read before it is terminated (stopWorker): not news.
      if (settled) return;
      lastHeard = performance.now();
      onProgress(p);
    };
    const watchdog =
      watchdogMs > 0
        ? setInterval(
            () => {
              if (performance.now() - lastHeard > watchdogMs) {
                this.fail({
                  kind: 'worker',
                  file: '',
                  message: `${this.what} stopped answering (nothing for ${Math.round(watchdogMs / 1000)} s) and was stopped. ${CRASH_ADVICE}`,
                });
              }
            },
            Math.min(1000, watchdogMs / 2),
          )
        : undefined;
    try {
      return await Promise.race([
        call(api, proxy(heard)).catch((error: unknown): Outcome<T> => ({
          ok: false,
          problem: { kind: 'worker', file: '', message: `${this.what} failed: ${(error as Error)?.message ?? String(error)}. ${CRASH_ADVICE}` },
        })),
        death,
      ]);
    } finally {
      settled = true;
      clearInterval(watchdog);
      this.pending.delete(settle);
    }
  }

  /** True while a call is running. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Stops whatever the worker is doing, at once. The next call starts a fresh worker. */
  cancel(message = 'Cancelled. The previous model, if any, is still in use.'): void {
    this.fail({ kind: 'cancelled', file: '', message });
  }

  private fail(problem: InputProblem): void {
    this.stopWorker();
    for (const settle of [...this.pending]) settle(problem);
    this.pending.clear();
  }

  dispose(): void {
    this.stopWorker();
  }

  /** Forgets the worker at once (the next call starts a fresh one) and terminates it outside the storage lock. */
  private stopWorker(): void {
    const worker = this.worker;
    this.worker = null;
    this.remote = null;
    if (!worker) return;
    const locks = this.storageLock ? (globalThis.navigator as Navigator | undefined)?.locks : undefined;
    if (!locks) {
      worker.terminate();
      return;
    }
    void locks.request(this.storageLock!, async () => worker.terminate());
  }
}
