import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateMovieLens, generateToMemory, type SyntheticMovieLensInMemory } from '../../../src/lib/synthetic/generate';
import { GENRES, NO_GENRES } from '../../../src/lib/synthetic/catalogue';
import { shapeStats } from '../../../src/lib/synthetic/shape';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

interface ParsedRatings {
  users: Int32Array;
  movies: Int32Array;
  stars: Float64Array;
  timestamps: Float64Array;
}

/** A strict reader for the exact format we promise; throws on the first row that deviates. */
function parseRatings(csv: string): ParsedRatings {
  const lines = csv.split('\n');
  expect(lines[0]).toBe('userId,movieId,rating,timestamp');
  expect(lines[lines.length - 1]).toBe('');
  const n = lines.length - 2;
  const out = { users: new Int32Array(n), movies: new Int32Array(n), stars: new Float64Array(n), timestamps: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const match = /^([1-9]\d*),([1-9]\d*),([0-5]\.[05]),(\d{9,10})$/.exec(lines[i + 1]);
    if (match === null) throw new Error(`ratings line ${i + 2} does not parse: ${lines[i + 1]}`);
    out.users[i] = Number(match[1]);
    out.movies[i] = Number(match[2]);
    out.stars[i] = Number(match[3]);
    out.timestamps[i] = Number(match[4]);
  }
  return out;
}

/** Minimal RFC 4180 field splitter: quoted fields may hold commas and doubled quotes. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) throw new Error(`unterminated quote in ${line}`);
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      fields.push(value);
      if (i < line.length && line[i] !== ',') throw new Error(`text after closing quote in ${line}`);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

function parseMovies(csv: string): { ids: number[]; titles: string[]; genres: string[]; rawLines: string[] } {
  const lines = csv.split('\n');
  expect(lines[0]).toBe('movieId,title,genres');
  expect(lines[lines.length - 1]).toBe('');
  const rawLines = lines.slice(1, -1);
  const ids: number[] = [];
  const titles: string[] = [];
  const genres: string[] = [];
  for (const line of rawLines) {
    const fields = splitCsvLine(line);
    expect(fields).toHaveLength(3);
    ids.push(Number(fields[0]));
    titles.push(fields[1]);
    genres.push(fields[2]);
  }
  return { ids, titles, genres, rawLines };
}

describe('generateToMemory', () => {
  const small = generateToMemory({ ratings: 20_000, seed: 7 });

  it('gives identical bytes for the same seed, whatever the chunk size', () => {
    const again = generateToMemory({ ratings: 20_000, seed: 7, chunkBytes: 1000 });
    expect(sha256(again.ratingsCsv)).toBe(sha256(small.ratingsCsv));
    expect(sha256(again.moviesCsv)).toBe(sha256(small.moviesCsv));
  });

  it('gives different bytes for a different seed', () => {
    const other = generateToMemory({ ratings: 20_000, seed: 8 });
    expect(sha256(other.ratingsCsv)).not.toBe(sha256(small.ratingsCsv));
    expect(sha256(other.moviesCsv)).not.toBe(sha256(small.moviesCsv));
  });

  it('streams in chunks no larger than chunkBytes and reports the byte counts', () => {
    const sizes: number[] = [];
    let movieBytes = 0;
    const result = generateMovieLens(
      { ratings: 20_000, seed: 7, chunkBytes: 4096 },
      { ratings: { write: (c) => sizes.push(c.length) }, movies: { write: (c) => (movieBytes += c.length) } },
    );
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(small.ratingsCsv.length);
    expect(result.ratingsBytes).toBe(small.ratingsCsv.length);
    expect(movieBytes).toBe(small.moviesCsv.length);
    expect(result.moviesBytes).toBe(movieBytes);
  });
});

describe('ratings.csv and movies.csv format', () => {
  const data = generateToMemory({ ratings: 30_000, seed: 3 });
  const ratings = parseRatings(text(data.ratingsCsv));
  const movies = parseMovies(text(data.moviesCsv));

  it('has exactly N rows, sorted by user then movie, with no duplicate pair', () => {
    expect(ratings.users.length).toBe(30_000);
    for (let i = 1; i < ratings.users.length; i++) {
      const before = ratings.users[i - 1] < ratings.users[i] || (ratings.users[i - 1] === ratings.users[i] && ratings.movies[i - 1] < ratings.movies[i]);
      if (!before) throw new Error(`rows ${i + 1} and ${i + 2} are out of order or duplicated`);
    }
    expect(ratings.users[0]).toBe(1);
    expect(ratings.users[ratings.users.length - 1]).toBe(data.stats.users);
  });

  it('writes half stars from 0.5 to 5.0 with a MovieLens-like distribution', () => {
    const counts = new Map<number, number>();
    let sum = 0;
    for (const s of ratings.stars) {
      expect(s * 2).toBe(Math.round(s * 2));
      expect(s).toBeGreaterThanOrEqual(0.5);
      expect(s).toBeLessThanOrEqual(5);
      counts.set(s, (counts.get(s) ?? 0) + 1);
      sum += s;
    }
    const mean = sum / ratings.stars.length;
    expect(mean).toBeGreaterThan(3.3);
    expect(mean).toBeLessThan(3.8);
    const mostCommon = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    expect(mostCommon).toBe(4);
    expect(counts.get(3.5) ?? 0).toBeGreaterThan(0);
  });

  it('writes timestamps between 1995 and 2023', () => {
    for (const t of ratings.timestamps) {
      expect(t).toBeGreaterThanOrEqual(Date.UTC(1995, 0, 1) / 1000);
      expect(t).toBeLessThan(Date.UTC(2024, 0, 1) / 1000);
    }
  });

  it('lists every rated movie, with ascending unique ids', () => {
    for (let i = 1; i < movies.ids.length; i++) expect(movies.ids[i]).toBeGreaterThan(movies.ids[i - 1]);
    const listed = new Set(movies.ids);
    for (const m of ratings.movies) if (!listed.has(m)) throw new Error(`movie ${m} is rated but not listed`);
  });

  it('writes titles with a year, quoting exactly those that contain a comma', () => {
    let quoted = 0;
    movies.titles.forEach((title, i) => {
      expect(title).toMatch(/^[^"\n]+ \((19|20)\d\d\)$/);
      const line = movies.rawLines[i];
      if (title.includes(',')) {
        quoted++;
        expect(line).toBe(`${movies.ids[i]},"${title}",${movies.genres[i]}`);
      } else expect(line.includes('"')).toBe(false);
    });
    expect(quoted / movies.titles.length).toBeGreaterThan(0.05);
    expect(movies.titles.some((t) => /, The \(\d{4}\)$/.test(t))).toBe(true);
  });

  it('uses MovieLens genres, pipe-separated and alphabetical, some with none listed', () => {
    const known = new Set<string>(GENRES);
    let none = 0;
    for (const field of movies.genres) {
      if (field === NO_GENRES) {
        none++;
        continue;
      }
      const names = field.split('|');
      for (const name of names) expect(known.has(name)).toBe(true);
      expect([...names].sort()).toEqual(names);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(none).toBeGreaterThan(0);
    expect(none / movies.genres.length).toBeLessThan(0.2);
  });

  it('reports the same shape as the file it wrote', () => {
    const userCounts = new Int32Array(data.stats.users);
    for (const u of ratings.users) userCounts[u - 1]++;
    const index = new Map(movies.ids.map((id, i) => [id, i]));
    const movieCounts = new Int32Array(movies.ids.length);
    for (const m of ratings.movies) movieCounts[index.get(m)!]++;
    expect(shapeStats(userCounts, movieCounts)).toEqual(data.stats);
  });
});

describe('shape at 200k ratings', () => {
  const { stats, userCounts } = generateMovieLens({ ratings: 200_000, seed: 11 }, { ratings: { write() {} }, movies: { write() {} } });

  it('has exactly N ratings over N/154 users, each with at least 20', () => {
    expect(stats.ratings).toBe(200_000);
    expect(userCounts.reduce((a, b) => a + b, 0)).toBe(200_000);
    expect(stats.users).toBe(1300);
    expect(stats.userRatingsMin).toBe(20);
    expect(Math.abs(stats.userRatingsMean - 154) / 154).toBeLessThan(0.1);
  });

  it('has a heavy-tailed user activity: median near 70, max in the thousands', () => {
    expect(stats.userRatingsMedian).toBeGreaterThan(55);
    expect(stats.userRatingsMedian).toBeLessThan(90);
    expect(stats.userRatingsMax).toBeGreaterThan(1000);
  });

  it('has a long tail of movies and a popular head', () => {
    expect(stats.ratedMoviesUnder5Share).toBeGreaterThan(0.25);
    expect(stats.ratedMoviesUnder5Share).toBeLessThan(0.55);
    expect(stats.moviesRated).toBeLessThan(stats.moviesListed);
    expect(stats.moviesRated / stats.moviesListed).toBeGreaterThan(0.85);
    expect(stats.movieRatingsMax / stats.users).toBeGreaterThan(0.3);
  });
});

describe('planted taste clusters', () => {
  const data: SyntheticMovieLensInMemory = generateToMemory({ ratings: 100_000, seed: 5 });
  const ratings = parseRatings(text(data.ratingsCsv));
  const { movieIds, clusters } = data.catalogue;
  const clusterOf = new Map<number, number>();
  movieIds.forEach((id, i) => clusterOf.set(id, clusters[i]));

  it('makes users rate their liked clusters far more often than chance', () => {
    let inLiked = 0;
    let chance = 0;
    for (let i = 0; i < ratings.users.length; i++) {
      const liked = data.userLikedClusters[ratings.users[i] - 1];
      if ((liked >> clusterOf.get(ratings.movies[i])!) & 1) inLiked++;
      for (let c = 0; c < data.clusterNames.length; c++) if ((liked >> c) & 1) chance += data.clusterMass[c];
    }
    const share = inLiked / ratings.users.length;
    const chanceShare = chance / ratings.users.length;
    expect(chanceShare).toBeLessThan(0.45);
    // Half the picks aim at liked clusters, but repeats of their exhausted heads are redrawn from
    // the mix, so the realised share sits near twice chance rather than at 0.5 + chance / 2.
    expect(share).toBeGreaterThan(1.8 * chanceShare);
    expect(share).toBeGreaterThan(chanceShare + 0.2);
  });

  it('rates liked clusters higher', () => {
    const sums = [0, 0];
    const counts = [0, 0];
    for (let i = 0; i < ratings.users.length; i++) {
      const liked = (data.userLikedClusters[ratings.users[i] - 1] >> clusterOf.get(ratings.movies[i])!) & 1;
      sums[liked] += ratings.stars[i];
      counts[liked]++;
    }
    expect(sums[1] / counts[1] - sums[0] / counts[0]).toBeGreaterThan(0.4);
  });

  it("makes a movie's most co-rated partner share its cluster more often than chance", () => {
    // Brute-force co-occurrence among the 300 most rated movies.
    const counts = new Map<number, number>();
    for (const m of ratings.movies) counts.set(m, (counts.get(m) ?? 0) + 1);
    const top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 300)
      .map(([m]) => m);
    const slot = new Map(top.map((m, i) => [m, i]));
    const n = top.length;
    const co = new Float64Array(n * n);
    let start = 0;
    for (let i = 1; i <= ratings.users.length; i++) {
      if (i < ratings.users.length && ratings.users[i] === ratings.users[start]) continue;
      const mine: number[] = [];
      for (let j = start; j < i; j++) {
        const s = slot.get(ratings.movies[j]);
        if (s !== undefined) mine.push(s);
      }
      for (const a of mine) for (const b of mine) if (a !== b) co[a * n + b]++;
      start = i;
    }
    let same = 0;
    let chance = 0;
    const clusterSizes = new Map<number, number>();
    for (const m of top) clusterSizes.set(clusterOf.get(m)!, (clusterSizes.get(clusterOf.get(m)!) ?? 0) + 1);
    for (let a = 0; a < n; a++) {
      // Cosine on binary vectors: co / sqrt(count_a * count_b), so popularity alone does not win.
      let best = -1;
      let bestScore = -1;
      for (let b = 0; b < n; b++) {
        if (b === a) continue;
        const score = co[a * n + b] / Math.sqrt(counts.get(top[a])! * counts.get(top[b])!);
        if (score > bestScore) {
          bestScore = score;
          best = b;
        }
      }
      const ca = clusterOf.get(top[a])!;
      if (clusterOf.get(top[best]) === ca) same++;
      chance += (clusterSizes.get(ca)! - 1) / (n - 1);
    }
    expect(same / n).toBeGreaterThan(0.5);
    expect(same / n).toBeGreaterThan(2 * (chance / n));
  });
});

describe('tiny and edge scales', () => {
  it('writes a valid set of 500 ratings', () => {
    const data = generateToMemory({ ratings: 500, seed: 1 });
    const ratings = parseRatings(text(data.ratingsCsv));
    const movies = parseMovies(text(data.moviesCsv));
    expect(ratings.users.length).toBe(500);
    expect(data.stats.users).toBe(3);
    expect(data.stats.userRatingsMin).toBeGreaterThanOrEqual(20);
    const listed = new Set(movies.ids);
    for (const m of ratings.movies) expect(listed.has(m)).toBe(true);
  });

  it('handles a single rating', () => {
    const data = generateToMemory({ ratings: 1, seed: 1 });
    expect(parseRatings(text(data.ratingsCsv)).users.length).toBe(1);
    expect(data.stats).toMatchObject({ users: 1, ratings: 1, userRatingsMin: 1 });
  });

  it('rejects a non-integer or non-positive count with a readable message', () => {
    expect(() => generateToMemory({ ratings: 0 })).toThrow(/positive integer/);
    expect(() => generateToMemory({ ratings: 2.5 })).toThrow(/positive integer/);
  });
});
