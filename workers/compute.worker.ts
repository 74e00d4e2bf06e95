/**
 * A pool thread in the browser: parses one byte range of ratings.csv, or computes the
 * neighbours (by ratings or by content) of one movie range, or one iALS half-step's rows.
 * Started by the page, never by another worker (see startComputeThreads), and driven by the
 * pipeline worker over a MessagePort, so the page's main thread never carries this traffic.
 */
import { expose } from 'comlink';
import type { RangeBarsRequest, RangeContentRequest, RangeNeighboursRequest, RangeParseRequest } from '../src/lib/parallel/compute-pool';
import { runContentBars, runContentNeighbours, runIalsRows, runNeighbours, runParseRange } from '../src/lib/parallel/compute-tasks';
import type { HalfStepRequest } from '../src/lib/recommend/ials';
import { InputError, type InputProblem } from '../src/lib/types';
import type { RatingsParseResult } from '../src/lib/formats/ratings-csv';
import { THREAD_READY, THREAD_UNREADABLE } from '../src/platform/web-worker-pool';

export type RangeParseOutcome = { ok: true; result: RatingsParseResult } | { ok: false; problem: InputProblem };

/*
 * Results go back COPIED, not transferred. Transferring detaches the sender's buffers, and the
 * first detached buffer in a thread turns off V8's "no buffer was ever detached" assumption
 * for good: from then on every typed-array access in that thread's optimised code checks its
 * buffer, and this thread's later tasks (neighbours, content, iALS) all run on typed arrays.
 * Measured on the Node pool, which had the same transfers (synthetic 25M, 2 threads): item
 * neighbours 21.8 → 17.8 s and content neighbours 28.3 → 22.1 s with copies; the genome bound
 * kernel alone ran at 2.1e9 packed multiply-adds a second after a detach against 2.8e9
 * before. A copy costs one memcpy of the result (at most ~150 MB of parsed ratings per
 * thread, once).
 */

const api = {
  async parseRatingsRange(request: RangeParseRequest, onBytes: (bytesDone: number) => void): Promise<RangeParseOutcome> {
    try {
      const result = await runParseRange(request, onBytes);
      return { ok: true, result };
    } catch (error) {
      // InputError.problem would not survive cloning as an Error field: send it as data.
      if (error instanceof InputError) return { ok: false, problem: error.problem };
      throw error;
    }
  },

  neighbours(request: RangeNeighboursRequest, onProgress: (moviesDone: number, pairUpdates: number) => void) {
    return runNeighbours(request, onProgress);
  },

  contentBars(request: RangeBarsRequest) {
    return runContentBars(request);
  },

  contentNeighbours(request: RangeContentRequest, onProgress: (moviesDone: number, multiplyAdds: number) => void) {
    return runContentNeighbours(request, onProgress);
  },

  ialsRows(request: HalfStepRequest, onRows: (rowsDone: number) => void) {
    return runIalsRows(request, onRows);
  },
};

export type ComputeApi = typeof api;

// The first message is the port of the worker that drives this thread: the API is exposed there,
// and the thread says it is ready (web-worker-pool.ts: Firefox loses a SharedArrayBuffer sent
// before this point). A message it cannot read would leave its call waiting: it says that too.
self.addEventListener(
  'message',
  (event: MessageEvent<MessagePort>) => {
    const port = event.data;
    port.addEventListener('messageerror', () => port.postMessage(THREAD_UNREADABLE));
    expose(api, port);
    port.postMessage(THREAD_READY);
  },
  { once: true },
);
