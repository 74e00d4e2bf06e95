import { mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/lib/pipeline/build-model';
import type { DatasetFiles } from '../../../src/lib/pipeline/input-files';
import type { ComputePool, RangeContentRequest, RangeNeighboursRequest, RangeParseRequest } from '../../../src/lib/parallel/compute-pool';
import { splitByteRanges } from '../../../src/lib/parallel/compute-pool';
import { runContentNeighbours, runIalsRows, runNeighbours, runParseRange } from '../../../src/lib/parallel/compute-tasks';
import type { HalfStepRequest } from '../../../src/lib/recommend/ials';
import { generateToMemory } from '../../../src/lib/synthetic/generate';
import { DEFAULT_PARAMS, InputError, type Model } from '../../../src/lib/types';
import { NodeThreadPool } from '../../../bench/node-pool';
import { fsBlob } from '../../../bench/fs-blob';

/**
 * A pool that runs every task on this thread but through the pool interface, structured-cloning
 * requests and results as a real thread boundary would: so the copy path (no shared memory) and
 * the shared path are both exercised without starting threads.
 */
function inThreadPool(size: number, sharedMemory: boolean): ComputePool & { sawShared: boolean } {
  const pool = {
    size,
    sharedMemory,
    sawShared: false,
    async parseRatingsRange(request: RangeParseRequest, onBytes: (bytes: number) => void) {
      return structuredClone(await runParseRange(request, onBytes));
    },
    async neighbours(request: RangeNeighboursRequest, onProgress: (movies: number, pairs: number) => void) {
      pool.sawShared ||= request.byUser.chunks[0].indices.buffer instanceof SharedArrayBuffer;
      const cloned = structuredClone(request);
      await Promise.resolve(); // let the other ranges start, as threads would
      return structuredClone(runNeighbours(cloned, onProgress));
    },
    contentBars: () => Promise.reject(new Error('not used here')),
    async contentNeighbours(request: RangeContentRequest, onProgress: (movies: number, macs: number) => void) {
      const cloned = structuredClone(request);
      await Promise.resolve();
      return structuredClone(runContentNeighbours(cloned, onProgress));
    },
    async ialsRows(request: HalfStepRequest, onRows: (rows: number) => void) {
      const cloned = structuredClone(request);
      await Promise.resolve();
      return structuredClone(runIalsRows(cloned, onRows));
    },
    dispose() {},
  };
  return pool;
}

let dir: string;
let files: DatasetFiles;

beforeAll(async () => {
  const data = generateToMemory({ ratings: 60_000, seed: 7 });
  dir = mkdtempSync(join(tmpdir(), 'latentlens-parallel-'));
  writeFileSync(join(dir, 'ratings.csv'), data.ratingsCsv);
  writeFileSync(join(dir, 'movies.csv'), data.moviesCsv);
  const file = async (name: string) => ({ name, path: join(dir, name), blob: await openAsBlob(join(dir, name)) });
  files = { format: 'csv', ratings: await file('ratings.csv'), movies: await file('movies.csv'), ignored: [] };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectSameModel(a: Model, b: Model): void {
  expect(b.summary).toEqual(a.summary);
  expect(b.users.ids).toEqual(a.users.ids);
  expect(b.movies.ids).toEqual(a.movies.ids);
  expect(b.stats.count).toEqual(a.stats.count);
  // Bit-identical neighbour lists, ties broken by movie index, whatever the partition.
  expect(b.neighbours.count).toEqual(a.neighbours.count);
  expect(b.neighbours.index).toEqual(a.neighbours.index);
  expect(b.neighbours.similarity).toEqual(a.neighbours.similarity);
  expect(b.neighbours.coCount).toEqual(a.neighbours.coCount);
}

describe('the parallel build', () => {
  it("reads a file through the bench threads' fs Blob exactly as Node's own Blob, in any slice", async () => {
    const path = join(dir, 'ratings.csv');
    const own = await openAsBlob(path);
    const blob = fsBlob(path, own.size);
    expect(blob.size).toBe(own.size);
    const bytes = async (b: Blob) => new Uint8Array(await b.arrayBuffer());
    expect(await bytes(blob)).toEqual(await bytes(own));
    for (const [a, b] of [
      [0, 10],
      [17, 4000],
      [own.size - 5, own.size + 100],
      [-50, -10],
      [30, 20],
    ]) {
      expect(await bytes(blob.slice(a, b)), `slice(${a}, ${b})`).toEqual(await bytes(own.slice(a, b)));
      expect(await bytes(blob.slice(a, b).slice(3, 9)), `slice(${a}, ${b}).slice(3, 9)`).toEqual(await bytes(own.slice(a, b).slice(3, 9)));
    }
  });

  it('splits a file into ranges that cover it exactly', () => {
    const ranges = splitByteRanges(10 << 20, 4);
    expect(ranges).toHaveLength(4);
    expect(ranges[0].start).toBe(0);
    expect(ranges.at(-1)!.end).toBe(10 << 20);
    for (let r = 1; r < ranges.length; r++) expect(ranges[r].start).toBe(ranges[r - 1].end);
    // Small files are not cut into pieces smaller than a megabyte.
    expect(splitByteRanges(1000, 8)).toEqual([{ start: 0, end: 1000 }]);
  });

  it.each([
    ['shared memory', true],
    ['copies', false],
  ])('gives the single-thread model exactly, with %s', async (_label, shared) => {
    const single = await buildModel(files, DEFAULT_PARAMS);
    const pool = inThreadPool(3, shared);
    const parallel = await buildModel(files, DEFAULT_PARAMS, { pool });
    expect(pool.sawShared).toBe(shared);
    expectSameModel(single.model, parallel.model);
    expect(single.model.neighbours.count.some((c) => c === 50)).toBe(true);
  });

  it('gives the single-thread model exactly with adjusted cosine', async () => {
    const params = { ...DEFAULT_PARAMS, kind: 'adjusted-cosine' as const, k: 10, minRatings: 3 };
    const single = await buildModel(files, params);
    const parallel = await buildModel(files, params, { pool: inThreadPool(2, true) });
    expectSameModel(single.model, parallel.model);
  });

  it('gives the single-thread model exactly on real worker threads', async () => {
    const pool = new NodeThreadPool(2);
    try {
      const single = await buildModel(files, DEFAULT_PARAMS);
      const parallel = await buildModel(files, DEFAULT_PARAMS, { pool });
      expectSameModel(single.model, parallel.model);
    } finally {
      pool.dispose();
    }
  });

  it('reports a bad line with its line number in the whole file, not in its range', async () => {
    const lines = ['userId,movieId,rating,timestamp'];
    for (let i = 0; i < 120_000; i++) lines.push(`${1 + (i % 500)},${1 + (i % 997)},4.0,978300760`);
    lines[100_001] = '7,8,nine,978300760';
    const path = join(dir, 'bad.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const bad: DatasetFiles = { format: 'csv', ratings: { name: 'ratings.csv', path, blob: await openAsBlob(path) }, ignored: [] };
    const error = await buildModel(bad, DEFAULT_PARAMS, { pool: inThreadPool(4, true) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problem.line).toBe(100_002);
    expect((error as InputError).problem.message).toContain('line 100002');
  });
});
