import { poolSizeFor, type PoolPorts, type ThreadCrash } from './web-worker-pool';

/**
 * The page's side of the compute pool: it starts the threads and hands their ports to the worker
 * that drives them (web-worker-pool.ts). Only the page imports this module: no worker starts a
 * worker (test/unit/platform/worker-rule.test.ts holds every worker module to that).
 */

/** The threads for a request of `requested` (0 = one per core); 1 means no pool at all. */
export function threadsFor(requested: number): number {
  return requested > 0 ? requested : poolSizeFor(globalThis.navigator?.hardwareConcurrency);
}

/** The page's side of a pool: the ports to hand over, and the threads to stop afterwards. */
export interface ComputeThreads {
  ports: PoolPorts;
  /** Every transferable in `ports`, for Comlink's transfer(). */
  transferables: Transferable[];
  /** Terminates every thread (idempotent). */
  stop(): void;
}

/**
 * Starts `count` compute workers from the page and wires each to a fresh MessageChannel. A
 * thread that dies (the browser ran out of memory, say) is reported on `ports.crashes`, so the
 * worker driving the pool fails that call as it did when it owned the threads.
 */
export function startComputeThreads(count: number): ComputeThreads {
  const workers: Worker[] = [];
  const threads: MessagePort[] = [];
  const notices = new MessageChannel();
  let stopped = false;
  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: `latentlens-compute-${i}` });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (stopped) return;
      const message = `A compute worker stopped unexpectedly${event.message ? ` (${event.message})` : ''}; the browser may have run out of memory.`;
      notices.port1.postMessage({ thread: i, message } satisfies ThreadCrash);
    });
    const channel = new MessageChannel();
    // The compute worker exposes its API on the first thing it is sent: this port.
    worker.postMessage(channel.port1, [channel.port1]);
    threads.push(channel.port2);
    workers.push(worker);
  }
  return {
    ports: { threads, crashes: notices.port2 },
    transferables: [...threads, notices.port2],
    stop() {
      if (stopped) return;
      stopped = true;
      for (const worker of workers) worker.terminate();
      notices.port1.close();
    },
  };
}
