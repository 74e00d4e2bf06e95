import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { interactions } from '../../unit/evaluate/helpers';
import { kFoldSplits, leaveOneOutSplit, randomSplit, temporalSplit } from '../../../src/lib/evaluate/splits';
import type { Interactions } from '../../../src/lib/evaluate/interactions';

/** Random ratings sets with distinct (user, movie) pairs, as a matrix without repeats has. */
const ratingsSets = fc.record({ nUsers: fc.integer({ min: 1, max: 8 }), nMovies: fc.integer({ min: 2, max: 10 }) }).chain(({ nUsers, nMovies }) =>
  fc
    .uniqueArray(fc.tuple(fc.integer({ min: 0, max: nUsers - 1 }), fc.integer({ min: 0, max: nMovies - 1 })), {
      selector: ([u, m]) => u * 100 + m,
      minLength: 2,
      maxLength: nUsers * nMovies,
    })
    .chain((pairs) =>
      fc.tuple(
        fc.constant(pairs),
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: pairs.length, maxLength: pairs.length }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: pairs.length, maxLength: pairs.length }),
      ),
    )
    .map(([pairs, halves, times]) =>
      interactions(
        pairs.map(([u, m], e): [number, number, number, number] => [u, m, halves[e] / 2, times[e]]),
        nUsers,
        nMovies,
      ),
    ),
);

const key = (x: Interactions, e: number) => `${x.users[e]}:${x.movies[e]}:${x.ratings[e]}:${x.times[e]}`;
const keys = (x: Interactions) => Array.from({ length: x.count }, (_, e) => key(x, e));
const perUser = (x: Interactions) => {
  const c = new Array<number>(x.nUsers).fill(0);
  for (let e = 0; e < x.count; e++) c[x.users[e]]++;
  return c;
};

function expectPartition(all: Interactions, train: Interactions, test: Interactions) {
  const tr = new Set(keys(train));
  for (const k of keys(test)) expect(tr.has(k)).toBe(false);
  expect([...keys(train), ...keys(test)].sort()).toEqual(keys(all).sort());
  const pa = perUser(all);
  const pt = perUser(train);
  const ps = perUser(test);
  pa.forEach((c, u) => expect(pt[u] + ps[u]).toBe(c));
}

describe('split invariants', () => {
  it('random holdout: train ∩ test = ∅, train ∪ test = all, test size = round(n·f), same seed same split', () => {
    fc.assert(
      fc.property(ratingsSets, fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer(), (all, f, seed) => {
        const s = randomSplit(all, f, seed);
        expectPartition(all, s.train, s.test);
        expect(s.test.count).toBe(Math.round(all.count * f));
        expect(keys(randomSplit(all, f, seed).test)).toEqual(keys(s.test));
      }),
      { numRuns: 60 },
    );
  });

  it('k-fold: each fold a partition; the test folds are disjoint, cover everything and differ in size by at most one', () => {
    fc.assert(
      fc.property(ratingsSets, fc.integer({ min: 2, max: 5 }), fc.integer(), (all, k, seed) => {
        fc.pre(all.count >= k);
        const folds = kFoldSplits(all, k, seed);
        expect(folds).toHaveLength(k);
        const seen: string[] = [];
        for (const f of folds) {
          expectPartition(all, f.train, f.test);
          seen.push(...keys(f.test));
        }
        expect(seen.sort()).toEqual(keys(all).sort());
        const sizes = folds.map((f) => f.test.count);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 60 },
    );
  });

  it('temporal: per user, the test holds min(n, count-1) ratings, none older than a train rating', () => {
    fc.assert(
      fc.property(ratingsSets, fc.integer({ min: 1, max: 4 }), (all, n) => {
        const s = temporalSplit(all, n);
        expectPartition(all, s.train, s.test);
        const pa = perUser(all);
        const ps = perUser(s.test);
        pa.forEach((c, u) => expect(ps[u]).toBe(Math.max(0, Math.min(n, c - 1))));
        for (let t = 0; t < s.test.count; t++) {
          for (let e = 0; e < s.train.count; e++) {
            if (s.train.users[e] === s.test.users[t]) expect(s.train.times[e]).toBeLessThanOrEqual(s.test.times[t]);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('leave-one-out: one test rating per user with 2+ ratings; its candidates are it, then distinct movies the user never rated', () => {
    fc.assert(
      fc.property(ratingsSets, fc.integer({ min: 1, max: 6 }), fc.integer(), (all, negatives, seed) => {
        const s = leaveOneOutSplit(all, negatives, seed);
        expectPartition(all, s.train, s.test);
        const pa = perUser(all);
        const ps = perUser(s.test);
        pa.forEach((c, u) => expect(ps[u]).toBe(c >= 2 ? 1 : 0));
        const rated = new Set(keys(all).map((k) => k.split(':').slice(0, 2).join(':')));
        for (let t = 0; t < s.test.count; t++) {
          const c = Array.from(s.candidates!.subarray(t * s.stride!, (t + 1) * s.stride!)).filter((m) => m >= 0);
          expect(c[0]).toBe(s.test.movies[t]);
          expect(new Set(c).size).toBe(c.length);
          for (const m of c.slice(1)) expect(rated.has(`${s.test.users[t]}:${m}`)).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });
});
