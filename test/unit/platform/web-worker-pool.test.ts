/**
 * The pipeline worker's side of the compute pool, over MessagePorts as the page hands them over
 * (compute-threads.ts). Here the "threads" are Comlink-exposed stand-ins in this process, on
 * Node's MessageChannel, which behaves as the browser's does for this purpose.
 */
import { expose } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { THREAD_READY, THREAD_UNREADABLE, WebWorkerPool, type PoolPorts, type ThreadCrash } from '../../../src/platform/web-worker-pool';
import type { HalfStepRequest } from '../../../src/lib/recommend/ials';

interface Deferred {
  thread: number;
  resolve: (rows: Float32Array) => void;
}

/**
 * `count` stand-in threads whose ialsRows calls wait until the test answers them. Each says
 * THREAD_READY as compute.worker.ts does, at once or when the test calls `ready(thread)`.
 */
function standInThreads(count: number, { readyAtOnce = true } = {}) {
  const calls: Deferred[] = [];
  const channels: MessageChannel[] = [];
  const threads: MessagePort[] = [];
  for (let thread = 0; thread < count; thread++) {
    const channel = new MessageChannel();
    expose(
      {
        ialsRows: (_request: HalfStepRequest, onRows: (done: number) => void) =>
          new Promise<Float32Array>((resolve) => {
            void onRows(1);
            calls.push({ thread, resolve });
          }),
      },
      channel.port1 as unknown as Parameters<typeof expose>[1],
    );
    if (readyAtOnce) channel.port1.postMessage(THREAD_READY);
    channels.push(channel);
    threads.push(channel.port2);
  }
  const crashes = new MessageChannel();
  const ports: PoolPorts = { threads, crashes: crashes.port2 };
  return {
    ports,
    calls,
    ready: (thread: number) => channels[thread].port1.postMessage(THREAD_READY),
    unreadable: (thread: number) => channels[thread].port1.postMessage(THREAD_UNREADABLE),
    crash: (notice: ThreadCrash) => crashes.port1.postMessage(notice),
    close: () => {
      for (const c of channels) c.port1.close();
      crashes.port1.close();
    },
  };
}

const request = {} as HalfStepRequest;
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await tick();
  expect(check()).toBe(true);
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function poolOf(count: number, opts?: { readyAtOnce?: boolean }) {
  const threads = standInThreads(count, opts);
  const pool = new WebWorkerPool(threads.ports);
  cleanup.push(() => pool.dispose(), threads.close);
  return { threads, pool };
}

describe('WebWorkerPool over the ports the page hands over', () => {
  it('runs calls on those threads, one at a time each, queueing the rest', async () => {
    const { threads, pool } = poolOf(2);
    expect(pool.size).toBe(2);
    const progress: number[] = [];
    const results = [0, 1, 2].map((i) => pool.ialsRows(request, (d) => progress.push(d)).then((rows) => [i, rows[0]]));
    await until(() => threads.calls.length === 2);
    expect(threads.calls.map((c) => c.thread).sort()).toEqual([0, 1]);
    threads.calls[0].resolve(new Float32Array([10]));
    await until(() => threads.calls.length === 3);
    threads.calls[1].resolve(new Float32Array([11]));
    threads.calls[2].resolve(new Float32Array([12]));
    expect(await Promise.all(results)).toHaveLength(3);
    expect(progress).toEqual([1, 1, 1]);
  });

  it('a thread the page reports dead fails its call with the page’s words; the others carry on', async () => {
    const { threads, pool } = poolOf(2);
    const first = pool.ialsRows(request, () => {});
    const second = pool.ialsRows(request, () => {});
    await until(() => threads.calls.length === 2);
    const onDead = threads.calls.find((c) => c.thread === 0)!;
    threads.crash({ thread: 0, message: 'A compute worker stopped unexpectedly (out of memory).' });
    const [a, b] = [first, second].map((p) =>
      p.then(
        () => 'done',
        (e: Error) => e.message,
      ),
    );
    const third = pool.ialsRows(request, () => {});
    await tick();
    threads.calls.find((c) => c.thread === 1)!.resolve(new Float32Array([1]));
    expect((await Promise.all([a, b])).sort()).toEqual(['A compute worker stopped unexpectedly (out of memory).', 'done']);
    // The queued call went to the live thread, never to the dead one.
    await until(() => threads.calls.length === 3);
    expect(threads.calls[2].thread).toBe(1);
    threads.calls[2].resolve(new Float32Array([2]));
    await expect(third).resolves.toBeInstanceOf(Float32Array);
    onDead.resolve(new Float32Array([0]));
  });

  it('sends a thread nothing before it says it is ready (Firefox loses a SharedArrayBuffer sent earlier)', async () => {
    const { threads, pool } = poolOf(1, { readyAtOnce: false });
    const result = pool.ialsRows(request, () => {});
    await tick();
    await tick();
    expect(threads.calls).toHaveLength(0);
    threads.ready(0);
    await until(() => threads.calls.length === 1);
    threads.calls[0].resolve(new Float32Array([3]));
    expect(Array.from(await result)).toEqual([3]);
  });

  it('a thread that could not read its work fails that call with a message instead of leaving it waiting', async () => {
    const { threads, pool } = poolOf(1);
    const result = pool.ialsRows(request, () => {}).catch((e: Error) => e.message);
    await until(() => threads.calls.length === 1);
    threads.unreadable(0);
    expect(await result).toMatch(/could not read the work it was sent/);
  });

  it('with every thread dead, a queued call fails instead of waiting forever', async () => {
    const { threads, pool } = poolOf(1);
    const running = pool.ialsRows(request, () => {}).catch((e: Error) => e.message);
    const queued = pool.ialsRows(request, () => {}).catch((e: Error) => e.message);
    await until(() => threads.calls.length === 1);
    threads.crash({ thread: 0, message: 'gone' });
    expect(await running).toBe('gone');
    expect(await queued).toBe('gone');
    await expect(pool.ialsRows(request, () => {})).rejects.toThrow('gone');
  });

  it('dispose fails what is running and what is queued, so nothing awaits a stopped thread', async () => {
    const { threads, pool } = poolOf(1);
    const running = pool.ialsRows(request, () => {}).catch((e: Error) => e.message);
    const queued = pool.ialsRows(request, () => {}).catch((e: Error) => e.message);
    await until(() => threads.calls.length === 1);
    pool.dispose();
    expect(await running).toMatch(/stopped/);
    expect(await queued).toMatch(/stopped/);
    await expect(pool.ialsRows(request, () => {})).rejects.toThrow(/stopped/);
  });
});
