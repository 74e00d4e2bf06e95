import { proxy, wrap, type Remote } from 'comlink';
import type { ComputeApi, RangeParseOutcome } from '../../workers/compute.worker';
import type { ComputePool, RangeContentRequest, RangeNeighboursRequest, RangeParseRequest } from '../lib/parallel/compute-pool';
import { canShareMemory } from '../lib/parallel/shared-csr';
import type { RatingsParseResult } from '../lib/formats/ratings-csv';
import { InputError, type Neighbours } from '../lib/types';
import type { HalfStepRequest } from '../lib/recommend/ials';

interface Slot {
  worker: Worker;
  api: Remote<ComputeApi>;
  busy: boolean;
  /** Rejects the call running on this slot when the worker dies. */
  fail?: (error: Error) => void;
}

/** How many pool threads to start: one per core, at most 8 (more only adds memory). */
export function poolSizeFor(hardwareConcurrency: number | undefined): number {
  return Math.max(1, Math.min(8, hardwareConcurrency || 2));
}

/**
 * Web Workers behind the ComputePool interface. Calls queue for a free worker; a worker that
 * crashes rejects its call with a message the page can show, instead of leaving it pending.
 */
export class WebWorkerPool implements ComputePool {
  readonly size: number;
  readonly sharedMemory = canShareMemory();
  private readonly slots: Slot[] = [];
  private readonly waiting: ((slot: Slot) => void)[] = [];

  constructor(size = poolSizeFor(globalThis.navigator?.hardwareConcurrency)) {
    this.size = size;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: `latentlens-compute-${i}` });
      const slot: Slot = { worker, api: wrap<ComputeApi>(worker), busy: false };
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        slot.fail?.(new Error(`A compute worker stopped unexpectedly${event.message ? ` (${event.message})` : ''}; the browser may have run out of memory.`));
      });
      this.slots.push(slot);
    }
  }

  private acquire(): Promise<Slot> {
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    slot.fail = undefined;
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  private async run<T>(call: (api: Remote<ComputeApi>) => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    try {
      const death = new Promise<never>((_, reject) => (slot.fail = reject));
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

  contentNeighbours(request: RangeContentRequest, onProgress: (moviesDone: number, multiplyAdds: number) => void): Promise<Neighbours> {
    return this.run((api) => api.contentNeighbours(request, proxy(onProgress)));
  }

  ialsRows(request: HalfStepRequest, onRows: (rowsDone: number) => void): Promise<Float32Array> {
    return this.run((api) => api.ialsRows(request, proxy(onRows)));
  }

  dispose(): void {
    for (const slot of this.slots) slot.worker.terminate();
    this.slots.length = 0;
  }
}
