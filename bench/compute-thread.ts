/**
 * A pool thread in Node: the same tasks as the browser's compute worker (src/lib/parallel/
 * compute-tasks.ts), over worker_threads messages instead of Comlink.
 */
import { statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { RangeNeighboursRequest, RangeParseRequest } from '../src/lib/parallel/compute-pool';
import { runContentBars, runContentNeighbours, runIalsRows, runNeighbours, runParseRange } from '../src/lib/parallel/compute-tasks';
import { InputError } from '../src/lib/types';
import { fsBlob } from './fs-blob';
import type { ThreadMessage, ThreadRequest } from './node-pool';

const port = parentPort!;

port.on('message', async (message: ThreadRequest) => {
  // Copied, never transferred: a detached buffer slows every later typed-array access in this
  // thread (see workers/compute.worker.ts).
  const reply = (m: ThreadMessage) => port.postMessage(m);
  try {
    if (message.type === 'parse') {
      const { path, name, range, skipBadLines } = message;
      // fs reads: Node's openAsBlob reads five times slower (fs-blob.ts).
      const request: RangeParseRequest = { file: { name, blob: fsBlob(path, statSync(path).size) }, range, skipBadLines };
      const result = await runParseRange(request, (bytes) => reply({ id: message.id, progress: [bytes, 0] }));
      reply({ id: message.id, ok: true, result });
    } else if (message.type === 'content') {
      const result = runContentNeighbours(message.request, (movies, macs) => reply({ id: message.id, progress: [movies, macs] }));
      reply({ id: message.id, ok: true, result });
    } else if (message.type === 'bars') {
      reply({ id: message.id, ok: true, result: runContentBars(message.request) });
    } else if (message.type === 'ials') {
      const result = runIalsRows(message.request, (rows) => reply({ id: message.id, progress: [rows, 0] }));
      reply({ id: message.id, ok: true, result });
    } else {
      const request: RangeNeighboursRequest = message.request;
      const result = runNeighbours(request, (movies, pairs) => reply({ id: message.id, progress: [movies, pairs] }));
      reply({ id: message.id, ok: true, result });
    }
  } catch (error) {
    if (error instanceof InputError) reply({ id: message.id, ok: false, problem: error.problem });
    else reply({ id: message.id, ok: false, error: String((error as Error)?.stack ?? error) });
  }
});
