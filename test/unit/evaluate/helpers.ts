import { emptyInteractions, type Interactions } from '../../../src/lib/evaluate/interactions';

/** Interactions from [user, movie, rating, time] rows. */
export function interactions(rows: [number, number, number, number][], nUsers: number, nMovies: number): Interactions {
  const x = emptyInteractions(rows.length, nUsers, nMovies);
  rows.forEach(([u, m, r, t], e) => {
    x.users[e] = u;
    x.movies[e] = m;
    x.ratings[e] = r;
    x.times[e] = t;
  });
  return x;
}

/** A small random but fixed ratings set: every user rates a different subset. */
export function sampleInteractions(nUsers = 12, nMovies = 9, seed = 1): Interactions {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const rows: [number, number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let m = 0; m < nMovies; m++) {
      if (rand() < 0.4) continue;
      rows.push([u, m, 1 + Math.floor(rand() * 5), 1000 + Math.floor(rand() * 100)]);
    }
  }
  return interactions(rows, nUsers, nMovies);
}
