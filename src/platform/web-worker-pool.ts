import { proxy, wrap, type Remote } from 'comlink';
import type { ComputeApi, RangeParseOutcome } from '../../workers/compute.worker';
import type { ComputePool, RangeBarsRequest, RangeContentRequest, RangeNeighboursRequest, RangeParseRequest } from '../lib/parallel/compute-pool';
import { canShareMemory } from '../lib/parallel/shared-csr';
import type { RatingsParseResult } from '../lib/formats/ratings-csv';
import { InputError, type Neighbours } from '../lib/types';
import type { HalfStepRequest } from '../lib/recommend/ials';
import type { BarPairs } from '../lib/content/genome-thresholds';

/**
 * The compute pool's threads are Web Workers that the PAGE starts (compute-threads.ts), never a
 * worker: the page hands the worker that drives them (the pipeline worker) one MessagePort per
 * thread, and the two talk over those ports directly, without the page's main thread in between.
 *
 * Why not nested workers (a worker calling `new Worker()`), which would be simpler: in Firefox
 * ESR 153 a `new Worker()` called inside a worker intermittently never returns, and the worker that
 * called it is frozen for good. Measured outside the app, with a blank page: about 1 nested
 * construction in 10 hangs (more right after other workers were stopped; even with none stopped,
 * 3 in 100), while the same threads started by the page and joined by a MessageChannel never
 * did (0 in 300). In the app this froze the pipeline worker as it started a build's or the
 * recommender's threads: the page stayed at "Starting…" or "Saving…" for good.
 *
 * Ports bring a Firefox rule of their own: a SharedArrayBuffer sent on a port before the thread
 * at the other end has received that port arrives there as a `messageerror` (measured: 9 in 10
 * such sends in Firefox ESR 153, none in Chromium), which Comlink cannot answer, so the call
 * would wait forever. Each thread therefore says THREAD_READY on its port first, and no work is
 * sent to it before; a message it still cannot read is reported (THREAD_UNREADABLE) and fails
 * that call with a message instead of leaving it waiting.
 */

/** What a compute thread says on its port, outside Comlink's calls (which always carry an id). */
export const THREAD_READY = 'latentlens-thread-ready';
export const THREAD_UNREADABLE = 'latentlens-thread-unreadable';

/** What a page-started pool gives the worker that drives it: transfer every port. */
export interface PoolPorts {
  /** One port per thread, Comlink-exposed by that thread's compute worker. */
  threads: MessagePort[];
  /** The page's word that a thread died (`{ thread, message }`), so its call fails instead of waiting forever. */
  crashes: MessagePort;
}

/** A crash notice on `PoolPorts.crashes`. */
export interface ThreadCrash {
  thread: number;
  message: string;
}

/** How many pool threads to start: one per core, at most 8 (more only adds memory). */
export function poolSizeFor(hardwareConcurrency: number | undefined): number {
  return Math.max(1, Math.min(8, hardwareConcurrency || 2));
}

interface Slot {
  api: Remote<ComputeApi>;
  /** Settles when the thread has said THREAD_READY: nothing is sent to it before. */
  ready: Promise<void>;
  busy: boolean;
  /** Rejects the call running on this slot when its thread dies or the pool is disposed. */
  fail?: (error: Error) => void;
}

/**
 * The worker's side of a page-started pool (see startComputeThreads), behind the ComputePool
 * interface. Calls queue for a free thread; a thread the page reports dead rejects its call
 * with a message the page can show, and `dispose` rejects whatever is still running or
 * queued, so nothing here ever awaits a thread that is gone.
 */
export class WebWorkerPool implements ComputePool {
  readonly size: number;
  readonly sharedMemory = canShareMemory();
  private readonly slots: Slot[] = [];
  private readonly waiting: { resolve: (slot: Slot) => void; reject: (error: Error) => void }[] = [];
  private readonly dead = new Map<Slot, Error>();
  private disposed = false;

  constructor(private readonly ports: PoolPorts) {
    this.size = ports.threads.length;
    for (const port of ports.threads) {
      let isReady!: () => void;
      const slot: Slot = { api: wrap<ComputeApi>(port), ready: new Promise<void>((resolve) => (isReady = resolve)), busy: false };
      port.addEventListener('message', (event: MessageEvent) => {
        if (event.data === THREAD_READY) isReady();
        else if (event.data === THREAD_UNREADABLE) {
          slot.fail?.(new Error('A compute thread could not read the work it was sent, so the build stopped. Reload the page and try again.'));
        }
      });
      // A port heard through addEventListener delivers nothing until started (Comlink starts it
      // only at the first call, which now waits for this).
      port.start();
      this.slots.push(slot);
    }
    ports.crashes.addEventListener('message', (event: MessageEvent<ThreadCrash>) => {
      const slot = this.slots[event.data.thread];
      if (!slot) return;
      const error = new Error(event.data.message);
      this.dead.set(slot, error);
      slot.fail?.(error);
      // No live thread left: whatever waits for one would wait forever.
      if (this.dead.size === this.slots.length) for (const w of this.waiting.splice(0)) w.reject(error);
    });
    ports.crashes.start();
  }

  private acquire(): Promise<Slot> {
    if (this.disposed) return Promise.reject(new Error('The compute pool was stopped.'));
    const free = this.slots.find((s) => !s.busy && !this.dead.has(s));
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    if (this.dead.size === this.slots.length) return Promise.reject([...this.dead.values()][0]);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(slot: Slot): void {
    slot.fail = undefined;
    if (this.dead.has(slot)) {
      slot.busy = false;
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(slot);
    else slot.busy = false;
  }

  private async run<T>(call: (api: Remote<ComputeApi>) => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    try {
      const death = new Promise<never>((_, reject) => (slot.fail = reject));
      await Promise.race([slot.ready, death]);
      return await Promise.race([call(slot.api), death]);
    } finally {
      this.release(slot);
    }
  }

  async parseRatingsRange(request: RangeParseRequest, onBytes: (bytesDone: number) => void): Promise<RatingsParseResult> {
    const outcome = await this.run<RangeParseOutcome>((api) => api.parseRatingsRange(request, proxy(onBytes)) as Promise<RangeParseOutcome>);
    if (!outcome.ok) throw new InputError(outcome.problem);
    return outcome.result;
  }

  neighbours(request: RangeNeighboursRequest, onProgress: (moviesDone: number, pairUpdates: number) => void): Promise<Neighbours> {
    return this.run((api) => api.neighbours(request, proxy(onProgress)));
  }

  contentBars(request: RangeBarsRequest): Promise<BarPairs> {
    return this.run((api) => api.contentBars(request));
  }

  contentNeighbours(request: RangeContentRequest, onProgress: (moviesDone: number, multiplyAdds: number) => void): Promise<Neighbours> {
    return this.run((api) => api.contentNeighbours(request, proxy(onProgress)));
  }

  ialsRows(request: HalfStepRequest, onRows: (rowsDone: number) => void): Promise<Float32Array> {
    return this.run((api) => api.ialsRows(request, proxy(onRows)));
  }

  /**
   * Lets go of the threads: calls still running or queued are rejected, and the ports closed.
   * The page terminates the threads themselves when the call that brought the ports settles.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const stopped = new Error('The compute pool was stopped.');
    for (const slot of this.slots) slot.fail?.(stopped);
    for (const w of this.waiting.splice(0)) w.reject(stopped);
    for (const port of this.ports.threads) port.close();
    this.ports.crashes.close();
    this.slots.length = 0;
  }
}
