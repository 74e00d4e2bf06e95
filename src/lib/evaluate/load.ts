/**
 * Reading ratings for evaluation straight from the files (the command line does this; the app
 * reads them from the cached model's byUser instead), and ML-100k's ready-made split files.
 */
import { InputError, type CheckCancelled, type IdMap, type RatingsBatch } from '../types';
import { parseDatasetMovies, parseDatasetRatings } from '../formats/dataset';
import { parseUData } from '../formats/ml-100k';
import { buildIdMap, createIndexer, idsOf } from '../matrix/id-map';
import { buildCsr } from '../matrix/csr';
import { baseName, type DatasetFiles, type InputFile } from '../pipeline/input-files';
import { emptyInteractions, interactionsFromCsr, type Interactions } from './interactions';
import type { Split, SplitSpec } from './splits';

export interface LoadedRatings {
  all: Interactions;
  users: IdMap;
  movies: IdMap;
}

/**
 * The ratings of a detected release as Interactions, in the same index spaces as the app's model
 * (movies listed in the movies file but never rated included, repeats resolved the same way), so
 * seeded models start from the same numbers and `--algo app` scores exactly what the page shows.
 */
export async function loadInteractions(ds: DatasetFiles, opts: { check?: CheckCancelled } = {}): Promise<LoadedRatings> {
  const parsed = await parseDatasetRatings(ds, { check: opts.check });
  const users = buildIdMap(idsOf(parsed.batches, 'userIds'));
  const movieIdColumns = idsOf(parsed.batches, 'movieIds');
  const listed = await parseDatasetMovies(ds, { check: opts.check });
  if (listed) movieIdColumns.push(listed.movies.movieIds.subarray(0, listed.movies.count));
  const movies = buildIdMap(movieIdColumns);
  const { byUser } = buildCsr(parsed.batches, users, movies, { check: opts.check });
  return { all: interactionsFromCsr(byUser), users, movies };
}

/** Which files each ML-100k split setting reads, as [train, test] base names per fold. */
export function ml100kSplitNames(set: Extract<SplitSpec, { kind: 'ml100k' }>['set']): [string, string][] {
  if (set === 'folds') return [1, 2, 3, 4, 5].map((k) => [`u${k}.base`, `u${k}.test`]);
  return [[`${set}.base`, `${set}.test`]];
}

/**
 * ML-100k's own splits from its u1..u5 / ua / ub files, over the dense indices of the loaded
 * data set. Throws an InputError naming the missing file when one is not among `files`.
 */
export async function ml100kSplits(
  files: InputFile[],
  set: 'folds' | 'ua' | 'ub',
  users: IdMap,
  movies: IdMap,
  opts: { check?: CheckCancelled } = {},
): Promise<Split[]> {
  const byName = new Map(files.map((f) => [baseName(f.name), f]));
  const splits: Split[] = [];
  for (const [trainName, testName] of ml100kSplitNames(set)) {
    const parts: Interactions[] = [];
    for (const name of [trainName, testName]) {
      const file = byName.get(name);
      if (!file) {
        throw new InputError({
          kind: 'format',
          file: name,
          expected: `ML-100k's ${name}`,
          found: files.length ? files.map((f) => baseName(f.name)).join(', ') : 'no split files',
          message: `The ML-100k split file ${name} was not given. Choose the whole ml-100k folder or its zip, which has u1.base .. u5.test, ua and ub.`,
        });
      }
      const parsed = await parseUData(file.blob, { fileName: file.name, check: opts.check });
      parts.push(toDense(parsed.batches, users, movies, file.name));
    }
    splits.push({ name: trainName.replace('.base', ''), train: parts[0], test: parts[1] });
  }
  return splits;
}

function toDense(batches: RatingsBatch[], users: IdMap, movies: IdMap, fileName: string): Interactions {
  const userIndex = createIndexer(users);
  const movieIndex = createIndexer(movies);
  const total = batches.reduce((s, b) => s + b.count, 0);
  const out = emptyInteractions(total, users.ids.length, movies.ids.length);
  let q = 0;
  for (const b of batches) {
    for (let e = 0; e < b.count; e++) {
      const u = userIndex(b.userIds[e]);
      const m = movieIndex(b.movieIds[e]);
      if (u < 0 || m < 0) {
        throw new InputError({
          kind: 'format',
          file: fileName,
          expected: 'users and movies that are in u.data',
          found: u < 0 ? `user ${b.userIds[e]}` : `movie ${b.movieIds[e]}`,
          message: `${fileName} rates ${u < 0 ? `user ${b.userIds[e]}` : `movie ${b.movieIds[e]}`}, which u.data does not have: the split files belong to another copy of ML-100k.`,
        });
      }
      out.users[q] = u;
      out.movies[q] = m;
      out.ratings[q] = b.ratings[e];
      out.times[q] = b.timestamps[e];
      q++;
    }
  }
  return out;
}
