/**
 * The page's hold on a worker: calls that settle however the worker ends, compute threads that
 * live exactly as long as the call they were started for, and termination that never waits.
 * The "worker" is a Comlink endpoint in this process (Node's MessageChannel).
 */
import { expose } from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ComputeThreads } from '../../../src/platform/compute-threads';
import type { PoolPorts } from '../../../src/platform/web-worker-pool';
import { WorkerBridge } from '../../../src/platform/worker-bridge';
import type { Outcome } from '../../../src/lib/pipeline/outcome';
import type { Progress } from '../../../src/lib/types';

/** What the stand-in worker can be asked: a call that waits until the test lets it finish. */
interface Api {
  work(onProgress: (p: Progress) => void, pool?: PoolPorts): Promise<Outcome<number>>;
}

class StandInWorker extends EventTarget {
  terminated = false;
  threadsSeen: number | undefined;
  finish: (() => void) | undefined;
  private readonly channel = new MessageChannel();

  constructor() {
    super();
    const api: Api = {
      work: (_onProgress, pool) =>
        new Promise((resolve) => {
          this.threadsSeen = pool?.threads.length;
          for (const port of pool?.threads ?? []) port.close();
          pool?.crashes.close();
          this.finish = () => resolve({ ok: true, value: 42 });
        }),
    };
    expose(api, this.channel.port1 as unknown as Parameters<typeof expose>[1]);
  }
  postMessage(message: unknown, transfer?: Transferable[]): void {
    this.channel.port2.postMessage(message, (transfer ?? []) as never);
  }
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (type === 'message') this.channel.port2.addEventListener('message', listener as EventListener);
    else super.addEventListener(type, listener);
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (type === 'message') this.channel.port2.removeEventListener('message', listener as EventListener);
    else super.removeEventListener(type, listener);
  }
  start(): void {
    this.channel.port2.start();
  }
  terminate(): void {
    this.terminated = true;
    this.channel.port1.close();
    this.channel.port2.close();
  }
}

/** Threads as compute-threads.ts starts them, minus the workers: ports, and a stop to watch. */
function standInThreads(count: number): ComputeThreads & { stopped: () => boolean } {
  const channels = Array.from({ length: count }, () => new MessageChannel());
  const crashes = new MessageChannel();
  let stopped = false;
  return {
    ports: { threads: channels.map((c) => c.port2), crashes: crashes.port2 },
    transferables: [...channels.map((c) => c.port2), crashes.port2],
    stop: () => {
      stopped = true;
      for (const c of channels) c.port1.close();
      crashes.port1.close();
    },
    stopped: () => stopped,
  };
}

function setUp() {
  const workers: StandInWorker[] = [];
  const started: ReturnType<typeof standInThreads>[] = [];
  const bridge = new WorkerBridge<Api>(
    () => {
      const worker = new StandInWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    },
    'The test worker',
    (count) => {
      const threads = standInThreads(count);
      started.push(threads);
      return threads;
    },
  );
  return { bridge, workers, started };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('WorkerBridge', () => {
  it('starts the threads a call asks for, hands their ports to the worker, and stops them when it settles', async () => {
    const { bridge, workers, started } = setUp();
    const outcome = bridge.run((api, onProgress, pool) => api.work(onProgress, pool), undefined, 0, 3);
    expect(started).toHaveLength(1);
    await until(() => workers[0].finish !== undefined);
    expect(workers[0].threadsSeen).toBe(3);
    expect(started[0].stopped()).toBe(false);
    workers[0].finish!();
    expect(await outcome).toEqual({ ok: true, value: 42 });
    expect(started[0].stopped()).toBe(true);
    bridge.dispose();
  });

  it('starts no threads for a call on one thread', async () => {
    const { bridge, workers, started } = setUp();
    const outcome = bridge.run((api, onProgress, pool) => api.work(onProgress, pool), undefined, 0, 1);
    await until(() => workers[0].finish !== undefined);
    expect(started).toHaveLength(0);
    expect(workers[0].threadsSeen).toBeUndefined();
    workers[0].finish!();
    await outcome;
    bridge.dispose();
  });

  it('cancel settles the call and stops the worker and its threads at once', async () => {
    const { bridge, workers, started } = setUp();
    const outcome = bridge.run((api, onProgress, pool) => api.work(onProgress, pool), undefined, 0, 2);
    await until(() => workers[0].finish !== undefined);
    bridge.cancel('Stopped by the test.');
    expect(workers[0].terminated).toBe(true);
    expect(started[0].stopped()).toBe(true);
    expect(await outcome).toEqual({ ok: false, problem: { kind: 'cancelled', file: '', message: 'Stopped by the test.' } });
    // The next call gets a fresh worker.
    const next = bridge.run((api, onProgress, pool) => api.work(onProgress, pool));
    await until(() => workers[1]?.finish !== undefined);
    workers[1].finish!();
    expect(await next).toEqual({ ok: true, value: 42 });
    bridge.dispose();
  });

  it('terminates at once even while the cache lock is taken, so a worker frozen inside it cannot keep it', async () => {
    // A lock that is never granted: the frozen worker holds it. Waiting for it before
    // terminating (as the bridge once did) would wait forever.
    const request = vi.fn(() => new Promise<never>(() => {}));
    vi.stubGlobal('navigator', { locks: { request } });
    const { bridge, workers } = setUp();
    const outcome = bridge.run((api, onProgress, pool) => api.work(onProgress, pool));
    await until(() => workers[0].finish !== undefined);
    bridge.cancel();
    expect(workers[0].terminated).toBe(true);
    expect(request).not.toHaveBeenCalled();
    expect((await outcome).ok).toBe(false);
  });

  it('a worker that says nothing for the watchdog’s time is stopped with its threads, and the call says so', async () => {
    const { bridge, workers, started } = setUp();
    const outcome = await bridge.run((api, onProgress, pool) => api.work(onProgress, pool), undefined, 100, 2);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.problem.message).toMatch(/The test worker stopped answering/);
    expect(workers[0].terminated).toBe(true);
    expect(started[0].stopped()).toBe(true);
  });
});
