import { describe, expect, it } from 'vitest';
import { interactions, sampleInteractions } from './helpers';
import { kFoldSplits, leaveOneOutSplit, temporalSplit } from '../../../src/lib/evaluate/splits';
import { interactionsFromCsr, toCsr } from '../../../src/lib/evaluate/interactions';
import { ml100kSplits, loadInteractions } from '../../../src/lib/evaluate/load';
import { detectDataset, expandInputs } from '../../../src/lib/pipeline/input-files';
import { releaseFiles, releaseRatings, toInputFiles } from '../../support/fixtures';

describe('temporal split', () => {
  it('holds out the latest ratings of each user, ties broken by movie', () => {
    const all = interactions(
      [
        [0, 0, 4, 10],
        [0, 1, 3, 30],
        [0, 2, 5, 20],
        [0, 3, 2, 30],
        [1, 0, 1, 5],
      ],
      2,
      4,
    );
    const s = temporalSplit(all, 2);
    expect(Array.from(s.test.movies).sort()).toEqual([1, 3]);
    // User 1 has one rating: it stays in training.
    expect(Array.from(s.train.users)).toContain(1);
  });
});

describe('leave-one-out', () => {
  it('holds out the latest rating and samples 99 unrated negatives when there are enough movies', () => {
    const all = sampleInteractions(5, 300, 9);
    const s = leaveOneOutSplit(all, 99, 1);
    expect(s.stride).toBe(100);
    for (let t = 0; t < s.test.count; t++) {
      const c = s.candidates!.subarray(t * 100, t * 100 + 100);
      expect(c.every((m) => m >= 0)).toBe(true);
    }
  });
});

describe('interactions <-> CSR', () => {
  it('toCsr then back gives the same ratings, rows sorted', () => {
    const x = sampleInteractions(7, 6, 2);
    const { byUser, byMovie } = toCsr(x);
    const back = interactionsFromCsr(byUser);
    const rows = (y: typeof x) => Array.from({ length: y.count }, (_, e) => `${y.users[e]},${y.movies[e]},${y.ratings[e]},${y.times[e]}`).sort();
    expect(rows(back)).toEqual(rows(x));
    expect(byMovie.nnz).toBe(x.count);
    const ch = byMovie.chunks[0];
    for (let r = 0; r < ch.rowCount; r++) for (let p = ch.indptr[r] + 1; p < ch.indptr[r + 1]; p++) expect(ch.indices[p]).toBeGreaterThan(ch.indices[p - 1]);
  });
});

describe('ML-100k split files', () => {
  it('reads u1..u5 over the dense indices of u.data: five disjoint tests covering every rating', async () => {
    const ds = await detectDataset(await expandInputs(toInputFiles(releaseFiles('ml-100k'))));
    const { all, users, movies } = await loadInteractions(ds);
    expect(all.count).toBe(releaseRatings('ml-100k').length);
    const folds = await ml100kSplits(ds.splits!, 'folds', users, movies);
    expect(folds.map((f) => f.name)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(folds.reduce((s, f) => s + f.test.count, 0)).toBe(all.count);
    for (const f of folds) expect(f.train.count + f.test.count).toBe(all.count);
    const ua = await ml100kSplits(ds.splits!, 'ua', users, movies);
    expect(ua[0].test.count).toBe(60);
  });
  it('names the missing file', async () => {
    await expect(ml100kSplits([], 'ub', { ids: new Int32Array(0) }, { ids: new Int32Array(0) })).rejects.toThrow(/ub\.base/);
  });
  it('k-fold of the same ratings is reproducible by seed', () => {
    const x = sampleInteractions();
    expect(Array.from(kFoldSplits(x, 3, 7)[1].test.movies)).toEqual(Array.from(kFoldSplits(x, 3, 7)[1].test.movies));
  });
});

describe('cold-items split', () => {
  it('hides every rating of the chosen movies, ranks each user’s latest one among other cold movies they never rated', async () => {
    const { coldItemsSplit } = await import('../../../src/lib/evaluate/splits');
    const { sampleInteractions } = await import('./helpers');
    const all = sampleInteractions(40, 30, 9);
    const split = coldItemsSplit(all, 0.2, 5, 4, 3);
    const coldMovies = new Set<number>();
    for (let t = 0; t < split.test.count; t++) coldMovies.add(split.test.movies[t]);
    // No cold movie has a training rating, and the train set keeps every other rating.
    const trainMovies = new Set(Array.from(split.train.movies));
    for (const m of coldMovies) expect(trainMovies.has(m)).toBe(false);
    let coldRatings = 0;
    for (let e = 0; e < all.count; e++) if (coldMovies.has(all.movies[e])) coldRatings++;
    expect(split.train.count).toBeLessThanOrEqual(all.count - coldRatings);
    // One case per user, candidates: the held-out movie first, then distinct cold movies the user did not rate.
    expect(new Set(Array.from(split.test.users)).size).toBe(split.test.count);
    const stride = split.stride!;
    for (let t = 0; t < split.test.count; t++) {
      const c = Array.from(split.candidates!.subarray(t * stride, (t + 1) * stride)).filter((m) => m >= 0);
      expect(c[0]).toBe(split.test.movies[t]);
      expect(new Set(c).size).toBe(c.length);
      const rated = new Set<number>();
      for (let e = 0; e < all.count; e++) if (all.users[e] === split.test.users[t]) rated.add(all.movies[e]);
      for (const m of c.slice(1)) expect(rated.has(m)).toBe(false);
    }
    // Seeded: the same seed gives the same split.
    expect(coldItemsSplit(all, 0.2, 5, 4, 3).candidates).toEqual(split.candidates);
  });
});
