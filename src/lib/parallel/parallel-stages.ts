import { InputError, type CheckCancelled, type ChunkedCsr, type InputProblem, type Neighbours, type SimilarityKind } from '../types';
import { shiftProblemLine, type RatingsParseResult } from '../formats/ratings-csv';
import { balancedMovieRanges, mergeNeighbours, packedRowCodes } from '../model/similarity';
import type { InputFile } from '../pipeline/input-files';
import { splitByteRanges, type ComputePool } from './compute-pool';
import { shareForSimilarity, withoutTimestamps } from './shared-csr';
import { diagonalised, ialsLoss, startingModel, type FactorModel, type IalsHooks, type IalsParams } from '../recommend/ials';

/** How many ranges each thread gets: a few more than one evens out ranges that parse slower. */
const PARSE_RANGES_PER_THREAD = 2;

/**
 * Movie ranges per thread for the neighbours stage. The pool queues calls beyond its size, so
 * extra ranges form a work queue: a thread that finishes early takes the next range instead
 * of idling while the other finishes one big range (the work estimate counts pair updates, not
 * the per-pair heap offers and dense scans, so equal estimates are not equal times). Each range
 * costs one k-slot heap per movie and one merge, so a handful is enough.
 */
const NEIGHBOUR_RANGES_PER_THREAD = 1;

/**
 * Parses ratings.csv on every thread of the pool at once, one byte range each, and stitches the
 * results back in file order, so rows come out exactly as a single-thread parse gives them.
 * A bad line in range r is reported with its line number in the whole file: the lines of the
 * ranges before r are added to the range-relative number.
 */
export async function parseRatingsParallel(
  pool: ComputePool,
  file: InputFile,
  opts: { skipBadLines?: boolean; check?: CheckCancelled; onProgress?: (bytesDone: number, bytesTotal: number, rows: number) => void },
): Promise<RatingsParseResult> {
  const size = file.blob.size;
  const ranges = splitByteRanges(size, pool.size * PARSE_RANGES_PER_THREAD);
  const doneBytes = new Float64Array(ranges.length);
  const report = () => {
    let sum = 0;
    for (const d of doneBytes) sum += d;
    opts.onProgress?.(Math.min(sum, size), size, 0);
  };
  const settled = await Promise.allSettled(
    ranges.map((range, r) =>
      pool.parseRatingsRange({ file, range, skipBadLines: opts.skipBadLines }, (bytes) => {
        doneBytes[r] = bytes;
        report();
      }),
    ),
  );
  opts.check?.();

  const result: RatingsParseResult = { batches: [], rows: 0, bytes: 0, lines: 0, skipped: 0, problems: [], hasHeader: false };
  for (const outcome of settled) {
    if (outcome.status === 'rejected') {
      const problem = (outcome.reason as { problem?: InputProblem })?.problem;
      if (problem) throw new InputError(shiftProblemLine(problem, result.lines));
      throw outcome.reason;
    }
    const part = outcome.value;
    result.batches.push(...part.batches);
    result.rows += part.rows;
    result.bytes += part.bytes;
    result.skipped += part.skipped;
    if (result.problems.length < 5) {
      result.problems.push(...part.problems.map((p) => shiftProblemLine(p, result.lines)).slice(0, 5 - result.problems.length));
    }
    result.hasHeader ||= part.hasHeader;
    result.lines += part.lines;
  }
  return result;
}

/**
 * Top-K neighbours on every thread: movie ranges of about equal work (so the popular head does
 * not land on one thread), each computed independently and merged. The merge is exact and the
 * result is bit-identical to one thread's (see computeNeighbours on partitions).
 */
export async function neighboursParallel(
  pool: ComputePool,
  byMovie: ChunkedCsr,
  byUser: ChunkedCsr,
  params: { k: number; kind: SimilarityKind; minRatings: number },
  opts: { check?: CheckCancelled; onProgress?: (moviesDone: number, moviesTotal: number, pairUpdates: number) => void },
): Promise<Neighbours> {
  // Shared memory: one copy read by every thread. Otherwise each thread gets its own copy,
  // without the timestamps it does not read.
  const m = pool.sharedMemory ? shareForSimilarity(byMovie) : withoutTimestamps(byMovie);
  const u = pool.sharedMemory ? shareForSimilarity(byUser) : withoutTimestamps(byUser);
  // The packed rows every thread reads, made once on shared memory (each thread packed its own:
  // 100 MB and a pass over ML-25M per thread). Without shared memory each thread packs its own.
  const rowCodes = pool.sharedMemory && params.kind === 'cosine' ? packedRowCodes(u, true) : undefined;
  const ranges = balancedMovieRanges(u, pool.size * NEIGHBOUR_RANGES_PER_THREAD);
  const moviesDone = new Float64Array(ranges.length);
  const pairsDone = new Float64Array(ranges.length);
  const report = () => {
    let movies = 0;
    let pairs = 0;
    for (let r = 0; r < ranges.length; r++) {
      movies += moviesDone[r];
      pairs += pairsDone[r];
    }
    opts.onProgress?.(movies, byMovie.rows, pairs);
  };
  // Merge each part as it arrives, while the threads work on the rest. The merge is exact and
  // the top-K under (similarity desc, index asc) unique, so the order of arrival does not matter.
  let merged: Neighbours | undefined;
  await Promise.all(
    ranges.map((movieRange, r) =>
      pool
        .neighbours({ byMovie: m, byUser: u, ...params, movieRange, rowCodes }, (movies, pairs) => {
          moviesDone[r] = movies;
          pairsDone[r] = pairs;
          report();
        })
        .then((part) => {
          merged = merged ? mergeNeighbours([merged, part]) : part;
        }),
    ),
  );
  opts.check?.();
  return merged!;
}

/** Row ranges per thread for an iALS half-step: a few, so a thread that finishes early takes more. */
const IALS_RANGES_PER_THREAD = 4;

/** Rows cut into `parts` ranges of about equal work (ratings plus a fixed cost per row). */
export function balancedRowRanges(csr: ChunkedCsr, parts: number, perRowCost: number): [number, number][] {
  const rows = csr.rows;
  const work = new Float64Array(rows + 1);
  for (const ch of csr.chunks) {
    for (let r = 0; r < ch.rowCount; r++) work[ch.firstRow + r + 1] = ch.indptr[r + 1] - ch.indptr[r] + perRowCost;
  }
  for (let r = 0; r < rows; r++) work[r + 1] += work[r];
  const ranges: [number, number][] = [];
  let start = 0;
  for (let p = 1; p <= parts && start < rows; p++) {
    const target = (work[rows] * p) / parts;
    let end = start + 1;
    while (end < rows && work[end] < target) end++;
    if (p === parts) end = rows;
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/**
 * iALS across the pool's threads: each half-step's rows are cut into ranges solved in parallel
 * and copied back into place. Bit-identical to fitIals on one thread (see solveRows), so a
 * model does not depend on how many cores built it.
 */
export async function fitIalsParallel(
  pool: ComputePool,
  byUser: ChunkedCsr,
  byMovie: ChunkedCsr,
  params: IalsParams,
  hooks: IalsHooks = {},
): Promise<FactorModel> {
  const model = startingModel(byUser.rows, byMovie.rows, params);
  const f = params.factors;
  const total = model.users + model.movies;
  const trackLoss = hooks.trackLoss ?? byUser.nnz < 2_000_000;
  const users = pool.sharedMemory ? shareForSimilarity(byUser) : withoutTimestamps(byUser);
  const movies = pool.sharedMemory ? shareForSimilarity(byMovie) : withoutTimestamps(byMovie);
  // Each row costs ~f² for the Gram product besides its ratings; in units of "ratings", ~f/2.
  const userRanges = balancedRowRanges(users, pool.size * IALS_RANGES_PER_THREAD, f / 2);
  const movieRanges = balancedRowRanges(movies, pool.size * IALS_RANGES_PER_THREAD, f / 2);
  const toShared = (a: Float32Array): Float32Array => {
    if (!pool.sharedMemory) return a;
    const out = new Float32Array(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  const halfStep = async (
    rows: ChunkedCsr,
    ranges: [number, number][],
    step: { other: Float32Array; gram: Float64Array; rotation?: Float64Array },
    current: Float32Array,
    offset: number,
    epoch: number,
  ) => {
    const { other, gram, rotation } = step;
    const shared = toShared(other);
    const done = new Float64Array(ranges.length);
    const out = new Float32Array(rows.rows * f);
    await Promise.all(
      ranges.map(([a, b], r) =>
        pool
          .ialsRows({ rows, other: shared, gram, rotation, start: current.subarray(a * f, b * f), rowRange: [a, b], params }, (n) => {
            done[r] = n;
            let sum = 0;
            for (const d of done) sum += d;
            hooks.onProgress?.({ epoch, epochs: params.iterations, rowsDone: offset + sum, usersPlusMovies: total });
          })
          .then((part) => out.set(part, a * f)),
      ),
    );
    hooks.check?.();
    return out;
  };
  for (let epoch = 0; epoch < params.iterations; epoch++) {
    // Same rotations as fitIals, on this thread, so the threads see identical inputs.
    const u = diagonalised(model.users, model.movieFactors, model.movies, params);
    model.movieFactors = u.other;
    model.userFactors = await halfStep(users, userRanges, u, model.userFactors, 0, epoch);
    const m = diagonalised(model.movies, model.userFactors, model.users, params);
    model.userFactors = m.other;
    model.movieFactors = await halfStep(movies, movieRanges, m, model.movieFactors, model.users, epoch);
    const loss = trackLoss ? ialsLoss(byUser, model) : undefined;
    if (loss !== undefined) model.lossByEpoch.push(loss);
    hooks.onProgress?.({ epoch, epochs: params.iterations, rowsDone: total, usersPlusMovies: total, loss });
  }
  return model;
}
