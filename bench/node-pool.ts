import { Worker } from 'node:worker_threads';
import type { ComputePool, RangeBarsRequest, RangeContentRequest, RangeNeighboursRequest, RangeParseRequest } from '../src/lib/parallel/compute-pool';
import type { BarPairs } from '../src/lib/content/genome-thresholds';
import type { RatingsParseResult } from '../src/lib/formats/ratings-csv';
import { InputError, type InputProblem, type Neighbours } from '../src/lib/types';
import type { HalfStepRequest } from '../src/lib/recommend/ials';

export type ThreadRequest =
  | { id: number; type: 'parse'; path: string; name: string; range: RangeParseRequest['range']; skipBadLines?: boolean }
  | { id: number; type: 'neighbours'; request: RangeNeighboursRequest }
  | { id: number; type: 'ials'; request: HalfStepRequest }
  | { id: number; type: 'content'; request: RangeContentRequest }
  | { id: number; type: 'bars'; request: RangeBarsRequest };

export type ThreadMessage =
  { id: number; progress: [number, number] } | { id: number; ok: true; result: unknown } | { id: number; ok: false; problem?: InputProblem; error?: string };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onProgress: (a: number, b: number) => void;
}

interface Thread {
  worker: Worker;
  busy: boolean;
}

/** Node worker_threads behind the ComputePool interface, for the benchmark and the CLI. */
export class NodeThreadPool implements ComputePool {
  readonly sharedMemory = true;
  private readonly threads: Thread[] = [];
  private readonly waiting: ((t: Thread) => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(readonly size: number) {
    const boot = new URL('./boot-thread.mjs', import.meta.url);
    const entry = new URL('./compute-thread.ts', import.meta.url).href;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(boot, { workerData: { entry } });
      worker.on('message', (m: ThreadMessage) => this.onMessage(m));
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      this.threads.push({ worker, busy: false });
    }
  }

  private onMessage(m: ThreadMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('progress' in m) {
      p.onProgress(m.progress[0], m.progress[1]);
      return;
    }
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else if (m.problem) p.reject(new InputError(m.problem));
    else p.reject(new Error(m.error));
  }

  private async run<T>(make: (id: number) => ThreadRequest, onProgress: (a: number, b: number) => void): Promise<T> {
    const thread = this.threads.find((t) => !t.busy) ?? (await new Promise<Thread>((resolve) => this.waiting.push(resolve)));
    thread.busy = true;
    const id = this.nextId++;
    try {
      return await new Promise<T>((resolve, reject) => {
        this.pending.set(id, { resolve: (value) => resolve(value as T), reject, onProgress });
        thread.worker.postMessage(make(id));
      });
    } finally {
      const next = this.waiting.shift();
      if (next) next(thread);
      else thread.busy = false;
    }
  }

  parseRatingsRange(request: RangeParseRequest, onBytes: (bytesDone: number) => void): Promise<RatingsParseResult> {
    const path = request.file.path;
    if (!path) throw new Error('NodeThreadPool needs files with a path.');
    return this.run(
      (id) => ({ id, type: 'parse', path, name: request.file.name, range: request.range, skipBadLines: request.skipBadLines }),
      (bytes) => onBytes(bytes),
    );
  }

  neighbours(request: RangeNeighboursRequest, onProgress: (moviesDone: number, pairUpdates: number) => void): Promise<Neighbours> {
    return this.run((id) => ({ id, type: 'neighbours', request }), onProgress);
  }

  contentBars(request: RangeBarsRequest): Promise<BarPairs> {
    return this.run(
      (id) => ({ id, type: 'bars', request }),
      () => {},
    );
  }

  contentNeighbours(request: RangeContentRequest, onProgress: (moviesDone: number, multiplyAdds: number) => void): Promise<Neighbours> {
    return this.run((id) => ({ id, type: 'content', request }), onProgress);
  }

  ialsRows(request: HalfStepRequest, onRows: (rowsDone: number) => void): Promise<Float32Array> {
    return this.run(
      (id) => ({ id, type: 'ials', request }),
      (rows) => onRows(rows),
    );
  }

  dispose(): void {
    for (const t of this.threads) void t.worker.terminate();
    this.threads.length = 0;
  }
}
