/**
 * A pool thread in the browser: parses one byte range of ratings.csv, or computes the
 * neighbours (by ratings or by content) of one movie range, or one iALS half-step's rows.
 * Started by the page, never by another worker (see startComputeThreads), and driven by the
 * pipeline worker over a MessagePort, so the page's main thread never carries this traffic.
 */
import { expose, transfer } from 'comlink';
import type { RangeContentRequest, RangeNeighboursRequest, RangeParseRequest } from '../src/lib/parallel/compute-pool';
import { runContentNeighbours, runIalsRows, runNeighbours, runParseRange } from '../src/lib/parallel/compute-tasks';
import type { HalfStepRequest } from '../src/lib/recommend/ials';
import { collectTransferables } from '../src/lib/pipeline/transferables';
import { InputError, type InputProblem } from '../src/lib/types';
import type { RatingsParseResult } from '../src/lib/formats/ratings-csv';
import { THREAD_READY, THREAD_UNREADABLE } from '../src/platform/web-worker-pool';

export type RangeParseOutcome = { ok: true; result: RatingsParseResult } | { ok: false; problem: InputProblem };

const api = {
  async parseRatingsRange(request: RangeParseRequest, onBytes: (bytesDone: number) => void): Promise<RangeParseOutcome> {
    try {
      const result = await runParseRange(request, onBytes);
      return transfer({ ok: true, result }, collectTransferables(result.batches));
    } catch (error) {
      // InputError.problem would not survive cloning as an Error field: send it as data.
      if (error instanceof InputError) return { ok: false, problem: error.problem };
      throw error;
    }
  },

  neighbours(request: RangeNeighboursRequest, onProgress: (moviesDone: number, pairUpdates: number) => void) {
    const result = runNeighbours(request, onProgress);
    return transfer(result, collectTransferables(result));
  },

  contentNeighbours(request: RangeContentRequest, onProgress: (moviesDone: number, multiplyAdds: number) => void) {
    const result = runContentNeighbours(request, onProgress);
    return transfer(result, collectTransferables(result));
  },

  ialsRows(request: HalfStepRequest, onRows: (rowsDone: number) => void) {
    const result = runIalsRows(request, onRows);
    return transfer(result, [result.buffer as ArrayBuffer]);
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
