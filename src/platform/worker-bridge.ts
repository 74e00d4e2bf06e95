import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { InputProblem, Progress } from '../lib/types';
import type { Outcome } from '../lib/pipeline/outcome';
import type { ComputeThreads } from './compute-threads';
import type { PoolPorts } from './web-worker-pool';

const CRASH_ADVICE = 'Try a smaller MovieLens release, close other tabs to free memory, or reload the page.';

/** Starts a pool's threads from the page (startComputeThreads, or a stand-in in tests). */
export type ThreadStarter = (count: number) => ComputeThreads;

/**
 * Owns one worker's life: starts it on demand, turns a crash or a cancel into a settled
 * outcome (a Comlink promise whose worker died would otherwise never settle), and terminates
 * it to cancel, since a worker busy in a loop cannot read a "stop" message.
 *
 * A call that wants a compute pool gets its threads from here: the page starts them for that
 * call and stops them when it settles, is cancelled or crashes. Workers never start workers
 * (see web-worker-pool.ts for the Firefox hang that rule avoids), so terminating a worker never
 * leaves threads of its own behind, and nothing here waits on a worker that is gone.
 *
 * Termination is immediate, even inside the cache's Web Lock: every engine tested releases a
 * terminated worker's locks within tens of milliseconds (Firefox ESR 153: 15-85 ms) and aborts
 * its open IndexedDB transactions, and the cache changes only when a save completes. (Waiting
 * for the lock before terminating, as this bridge once did, never ended when the worker was
 * frozen while holding it.)
 *
 * `start` must contain the literal `new Worker(new URL('…', import.meta.url), …)` so that Vite
 * bundles the worker; it is called again after every cancel or crash.
 */
export class WorkerBridge<Api> {
  private worker: Worker | null = null;
  private remote: Remote<Api> | null = null;
  private readonly pending = new Set<(problem: InputProblem) => void>();
  /** The threads of calls still running, stopped with them. */
  private readonly threadSets = new Set<ComputeThreads>();

  constructor(
    private readonly start: () => Worker,
    private readonly what = 'The background worker',
    /** Starts the threads of a call that asks for more than one (see `run`). */
    private readonly startThreads?: ThreadStarter,
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
   *
   * With `threads` above 1 (and a ThreadStarter), `call` gets the ports of that many compute
   * threads, marked for transfer, to pass on to the worker; otherwise it gets undefined.
   */
  async run<T>(
    call: (api: Remote<Api>, onProgress: (p: Progress) => void, pool: PoolPorts | undefined) => Promise<Outcome<T>>,
    onProgress: (p: Progress) => void = () => {},
    watchdogMs = 0,
    threads = 0,
  ): Promise<Outcome<T>> {
    const api = this.ensure();
    const pool = threads > 1 && this.startThreads ? this.startThreads(threads) : undefined;
    if (pool) this.threadSets.add(pool);
    let settle!: (problem: InputProblem) => void;
    const death = new Promise<Outcome<T>>((resolve) => {
      settle = (problem) => resolve({ ok: false, problem });
    });
    this.pending.add(settle);
    let lastHeard = performance.now();
    let settled = false;
    const heard = (p: Progress) => {
      // A late report from a call already settled (cancelled, timed out) is not news.
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
        call(api, proxy(heard), pool && transfer(pool.ports, pool.transferables)).catch((error: unknown): Outcome<T> => ({
          ok: false,
          problem: { kind: 'worker', file: '', message: `${this.what} failed: ${(error as Error)?.message ?? String(error)}. ${CRASH_ADVICE}` },
        })),
        death,
      ]);
    } finally {
      settled = true;
      clearInterval(watchdog);
      this.pending.delete(settle);
      if (pool) {
        pool.stop();
        this.threadSets.delete(pool);
      }
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

  /** Terminates the worker and every call's threads at once; the next call starts a fresh worker. */
  private stopWorker(): void {
    const worker = this.worker;
    this.worker = null;
    this.remote = null;
    for (const pool of this.threadSets) pool.stop();
    this.threadSets.clear();
    worker?.terminate();
  }
}
